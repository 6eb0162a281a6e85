// The documents panel of a request's page: while a PDF is queued or rendering, ask the status
// endpoint every few seconds and put the fresh list in place, without reloading the page. The
// list sits in an aria-live region, so a screen reader hears when a document is ready. Without
// JavaScript the panel's refresh link does the same job.
(function () {
  "use strict";
  var panel = document.getElementById("documents");
  if (!panel || !panel.dataset.statusUrl || !window.fetch) {
    return;
  }
  var list = panel.querySelector("[data-documents-list]");
  var refresh = panel.querySelector("[data-documents-refresh]");
  var delay = 2000;
  var MAX_DELAY = 30000;
  var polls = 0;

  function schedule() {
    // Slow down for long waits (and after errors); stop after about half an hour.
    if (polls < 300) {
      window.setTimeout(poll, delay);
    }
  }

  function poll() {
    polls += 1;
    window
      .fetch(panel.dataset.statusUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (list && typeof data.html === "string" && list.innerHTML.trim() !== data.html.trim()) {
          list.innerHTML = data.html;
        }
        panel.dataset.pending = data.pending ? "true" : "false";
        if (refresh) {
          refresh.hidden = !data.pending;
        }
        delay = Math.min(delay + 500, 5000);
        if (data.pending) {
          schedule();
        }
      })
      .catch(function () {
        if (refresh) {
          refresh.hidden = false;
        }
        delay = Math.min(delay * 2, MAX_DELAY);
        schedule();
      });
  }

  if (panel.dataset.pending === "true") {
    if (refresh) {
      refresh.hidden = true;
    }
    schedule();
  }
})();
