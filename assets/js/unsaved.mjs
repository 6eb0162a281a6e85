// Lose nothing: a form marked data-warn-unsaved asks before the page is left with changes typed
// into it and not saved (the browser's own "Leave site?" question). Submitting the form, or
// putting back what was there, clears the warning. A form shown again with its errors
// (data-warn-unsaved="not-saved") holds what was posted and refused: leaving loses that too, so
// it asks even when nothing more is typed.
document.querySelectorAll("form[data-warn-unsaved]").forEach((form) => {
  const initial = new FormData(form);
  const notSaved = form.dataset.warnUnsaved === "not-saved";
  let submitting = false;

  function changed() {
    const now = new FormData(form);
    for (const [name, value] of now.entries()) {
      if (name !== "csrfmiddlewaretoken" && initial.getAll(name).join("\u0000") !== now.getAll(name).join("\u0000")) {
        return true;
      }
    }
    for (const name of initial.keys()) {
      if (!now.has(name)) return true;
    }
    return false;
  }

  form.addEventListener("submit", () => {
    submitting = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (!submitting && (notSaved || changed())) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
});
