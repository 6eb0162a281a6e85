"""What the documents are rendered with and as, without importing the renderer: the web
processes compute document keys from these and never load WeasyPrint."""

from __future__ import annotations

from importlib.metadata import version

ENGINE = f"WeasyPrint {version('weasyprint')}"

# PDF/A-3 (ISO 19005-3), level B: archival, and the only part that allows attaching the tables
# as CSV files. Level A would also need a tagged structure, which the assembled pack does not
# keep (see README, "Documents (PDF)").
ARCHIVAL = "pdf/a-3b"
