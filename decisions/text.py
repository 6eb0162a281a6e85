"""What people type, as the rules and the print see it.

- A text made only of characters that print nothing (zero-width spaces and joiners, the byte
  order mark, soft hyphens, direction marks, blank "filler" letters) is as empty as no text: a
  request titled with them would have a blank title on every page and PDF.
- Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) can make
  printed text read backwards ("Trojan Source"): "£1,000" typed after an override prints as
  "000,1£". They are stored as typed (the record keeps what was written) and left out of the
  printed documents, where each character is then shown in its own natural direction.
"""

from __future__ import annotations

import re
import unicodedata

# Letters and marks that Unicode classes as something other than "format" (Cf) yet draw nothing.
_BLANK_LOOKALIKES = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u034f\u17b4\u17b5")

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")

# The longest text any one field takes: ten pages of a report. Longer is refused with a message.
LONG_TEXT_MAX = 20_000


def _prints_nothing(char: str) -> bool:
    if char.isspace() or char in _BLANK_LOOKALIKES:
        return True
    category = unicodedata.category(char)
    # Cf: format characters (U+200B–U+200F, U+2060–U+2064, U+FEFF, U+00AD, the bidi controls…);
    # Cc: control characters; Mn alone (a combining mark with nothing to combine with) is not
    # blank, since it prints.
    return category in {"Cf", "Cc", "Zs", "Zl", "Zp", "Co", "Cn"}


def is_blank(text: str | None) -> bool:
    """True when `text` would print nothing at all."""
    return not text or all(_prints_nothing(char) for char in text)


def without_bidi_controls(text: str) -> str:
    """`text` with its bidirectional embeddings, overrides and isolates taken out."""
    return _BIDI.sub("", text)
