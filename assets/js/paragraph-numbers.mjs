// Write fast: while a whole section is typed as one text, show under it the paragraphs it will
// make and their numbers (2.1, 2.2, …), so the officer sees where a blank line is missing or one
// too many before saving, and which number a recommendation will cite. Without JavaScript the
// page works as before; the numbers then appear once saved.
import { firstWords, splitSectionText } from "./section-text.mjs";

const WAIT_MS = 250; // after the last key, so a fast typist's every key does not redraw the list

function countSentence(count) {
  if (count === 0) return "This section will have no paragraphs.";
  return `This section will have ${count} paragraph${count === 1 ? "" : "s"}:`;
}

function enhance(textarea) {
  const section = textarea.dataset.paragraphNumbers;
  const box = document.createElement("div");
  box.className = "govuk-inset-text";
  box.id = `${textarea.id}-paragraph-numbers`;
  // Only the sentence with the count is live: a screen reader hears "3 paragraphs" when the
  // count changes, not the whole list again at every pause in typing.
  const sentence = document.createElement("p");
  sentence.className = "govuk-body";
  sentence.setAttribute("aria-live", "polite");
  const list = document.createElement("ul");
  list.className = "govuk-list";
  box.append(sentence, list);
  (textarea.closest(".govuk-form-group") || textarea).after(box);

  function update() {
    const paragraphs = splitSectionText(textarea.value);
    const words = countSentence(paragraphs.length);
    // Rewriting the same words could make a screen reader say them again.
    if (sentence.textContent !== words) sentence.textContent = words;
    list.replaceChildren(
      ...paragraphs.map(([, body], index) => {
        const item = document.createElement("li");
        const number = document.createElement("strong");
        number.textContent = `${section}.${index + 1}`;
        item.append(number, ` ${firstWords(body)}`);
        return item;
      }),
    );
    list.hidden = paragraphs.length === 0;
  }

  let timer;
  textarea.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, WAIT_MS);
  });
  update();
}

document.querySelectorAll("textarea[data-paragraph-numbers]").forEach(enhance);
