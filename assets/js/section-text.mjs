// A section written as one text, split into paragraphs exactly as the server splits it
// (decisions.services.drafting.split_section_text), so the numbers shown while typing are the
// numbers the saved paragraphs get. tests/pages/test_section_text_split.py runs the same cases
// through both; change the two together.

// Python's whitespace (str.isspace, and \s in its str patterns), which is not JavaScript's \s:
// Python counts U+001C–U+001F and U+0085 and not U+FEFF.
const SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const BLANK_LINES = new RegExp(`\\n[${SPACE}]*\\n`);
const LEADING = new RegExp(`^[${SPACE}]+`);
const TRAILING = new RegExp(`[${SPACE}]+$`);

const rstrip = (text) => text.replace(TRAILING, "");
const strip = (text) => rstrip(text.replace(LEADING, ""));

/**
 * The paragraphs of a section's text, as [heading, text] pairs: blank lines (or lines of only
 * spaces) separate paragraphs, a list's lines stay in their paragraph while they follow each
 * other, and a first line "## Heading" gives the next paragraph its sub-heading.
 * @param {string} text
 * @returns {Array<[string, string]>}
 */
export function splitSectionText(text) {
  const paragraphs = [];
  let heading = "";
  for (const chunk of strip(text.replaceAll("\r\n", "\n")).split(BLANK_LINES)) {
    const lines = strip(chunk).split("\n").map(rstrip);
    if (lines[0].startsWith("## ")) {
      heading = strip(lines.shift().slice(3));
    }
    const body = strip(lines.join("\n"));
    if (body) {
      paragraphs.push([heading, body]);
      heading = "";
    }
  }
  return paragraphs;
}

/**
 * The first words of a paragraph, on one line, for a reminder of which paragraph is which.
 * @param {string} body
 * @param {number} count
 */
export function firstWords(body, count = 8) {
  const words = strip(body).split(new RegExp(`[${SPACE}]+`));
  return words.length > count ? `${words.slice(0, count).join(" ")} …` : words.join(" ");
}
