"""What the documents are rendered with and as, without importing the renderer: the web
processes compute document keys from these and never load WeasyPrint."""

from __future__ import annotations

from importlib.metadata import version

ENGINE = f"WeasyPrint {version('weasyprint')}"

# PDF/A-3 (ISO 19005-3), level B: archival, and the only part that allows attaching the tables
# as CSV files. The cached parts of the approvers' preview are rendered so: their merge keeps no
# structure tree, so they cannot be level A.
ARCHIVAL = "pdf/a-3b"
# PDF/A-3, level A: archival and tagged (a structure tree: headings, lists, tables with header
# cells, the reading order; the language and title). The published and signed packs and Part 2
# are rendered so, each in one pass (documents.tagging repairs WeasyPrint's tree).
TAGGED = "pdf/a-3a"
