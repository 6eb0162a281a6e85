// Tables on a phone (WCAG 1.4.10, Reflow).
//
// Tables of words (history, signatures, findings, documents) reflow below 641 px: each row becomes
// a card whose cells are labelled with their column's heading (the CSS of .app-table--reflow reads
// the data-label written here). The ARIA roles keep the table's meaning for screen readers,
// which drop it once a table is no longer displayed as one.
//
// Tables of figures (the annex tables, .app-annex-table) keep their columns and scroll sideways in
// their own box; such a box is made reachable and scrollable by keyboard, and named by its
// table's caption.
function reflow(table) {
  const headings = Array.from(table.querySelectorAll("thead th")).map((th) =>
    th.textContent.trim(),
  );
  table.classList.add("app-table--reflow");
  table.setAttribute("role", "table");
  table.querySelectorAll("thead, tbody").forEach((group) => group.setAttribute("role", "rowgroup"));
  table.querySelectorAll("tr").forEach((row) => {
    row.setAttribute("role", "row");
    Array.from(row.children).forEach((cell, index) => {
      if (cell.closest("thead")) {
        cell.setAttribute("role", "columnheader");
        return;
      }
      cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
      if (headings[index] && !cell.hasAttribute("colspan")) {
        cell.dataset.label = headings[index];
      }
    });
  });
}

function scrollable(box) {
  const caption = box.querySelector("caption");
  box.setAttribute("tabindex", "0");
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
}

document.querySelectorAll("main table.govuk-table").forEach((table) => {
  if (table.classList.contains("app-annex-table")) {
    const box = table.closest(".app-scroll");
    if (box) scrollable(box);
  } else {
    reflow(table);
  }
});
