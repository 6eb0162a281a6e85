"""The back catalogue: decisions MOPAC published before this system, loaded from a CSV or JSON
export as published, read-only records marked as imported.

Each row is checked on its own and reported on its own (imported, already imported, or what is
wrong with it, by line); a bad row stops nothing else. Running the same file twice adds nothing
the second time: a reference already in the register is skipped. Rows are written in batches,
each in one transaction, so 100,000 rows load in minutes rather than hours.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from decisions.dates import LONDON
from decisions.models import Decision, FormTemplate
from decisions.references import record_existing_reference
from decisions.states import Status
from register.indexing import DECISION_MAKERS_CACHE, FIRST_YEAR_CACHE
from register.models import DMPC, RegisterEntry

# Who "drafted" an imported decision: an inactive account that cannot sign in. The paper original
# names its officer in the PDF; the register does not pretend to know them.
IMPORT_USERNAME = "back-catalogue"
BATCH = 1000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y")
# The columns a row may have, and the other names exports give them.
ALIASES = {
    "reference": ("reference", "ref", "pcd"),
    "title": ("title",),
    "date_signed": ("date_signed", "signed", "signed_on", "date signed"),
    "date_published": ("date_published", "published", "published_on", "date published"),
    "summary": ("summary", "executive_summary", "executive summary"),
    "decision_maker": ("decision_maker", "decision maker"),
    "pdf_url": ("pdf_url", "pdf", "link", "url"),
    "pdf_file": ("pdf_file", "file"),
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (missing, not CSV or JSON, malformed)."""


@dataclass
class RowResult:
    line: int  # the CSV line, or the JSON item's number (from 1)
    reference: str
    outcome: str  # "imported", "skipped" or "error"
    messages: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        where = f"line {self.line}" + (f" ({self.reference})" if self.reference else "")
        if self.outcome == "imported":
            return f"{where}: imported"
        return f"{where}: {self.outcome}: {' '.join(self.messages)}"


@dataclass
class Row:
    line: int
    number: int
    title: str
    signed: datetime.date
    published: datetime.date
    summary: str
    decision_maker: str
    pdf_url: str
    pdf_file: Path | None


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line or item number, raw row) for every row of a CSV or JSON export."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFileError(f"Cannot read {path}: {error.strerror}.") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(f"{path.name} is not UTF-8 text: save it as UTF-8.") from error
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportFileError(
                f"{path.name} is not valid JSON: {error.msg} at line {error.lineno}."
            ) from error
        items = data.get("decisions") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise ImportFileError(f"{path.name}: expected a list of decisions.")
        for number, item in enumerate(items, start=1):
            yield number, _normalise(item if isinstance(item, dict) else {})
        return
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise ImportFileError(f"{path.name} is empty.")
    for record in reader:
        yield reader.line_num, _normalise(record)


def _normalise(record: dict[str, Any]) -> dict[str, str]:
    lowered = {str(k).strip().lower(): v for k, v in record.items() if k is not None}
    row = {}
    for name, aliases in ALIASES.items():
        value = next((lowered[a] for a in aliases if a in lowered), "")
        row[name] = "" if value is None else str(value).strip()
    return row


def _date(text: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def check_row(line: int, raw: dict[str, str], base_dir: Path) -> Row | RowResult:
    """The row, ready to import, or what is wrong with it (every problem at once)."""
    problems = []
    match = re.fullmatch(r"(?:PCD\s*)?(\d{1,7})", raw["reference"], re.IGNORECASE)
    if not match:
        problems.append("The reference must be a PCD number, like “PCD 279” or “279”.")
    if not raw["title"]:
        problems.append("Enter a title.")
    elif len(raw["title"]) > 250:
        problems.append("The title must be 250 characters or fewer.")
    signed, published = _date(raw["date_signed"]), _date(raw["date_published"])
    if signed is None:
        problems.append("Enter the date signed as YYYY-MM-DD or DD/MM/YYYY.")
    if published is None:
        problems.append("Enter the date published as YYYY-MM-DD or DD/MM/YYYY.")
    if signed and published and published < signed:
        problems.append("The date published cannot be before the date signed.")
    pdf_file = None
    if raw["pdf_url"] and not re.match(r"https?://", raw["pdf_url"]):
        problems.append("The PDF link must start with http:// or https://.")
    if raw["pdf_file"]:
        pdf_file = (base_dir / raw["pdf_file"]).resolve()
        if not pdf_file.is_file():
            problems.append(f"The PDF file {raw['pdf_file']} was not found.")
        elif pdf_file.read_bytes()[:5] != b"%PDF-":
            problems.append(f"The file {raw['pdf_file']} is not a PDF.")
    if problems or match is None or signed is None or published is None:
        return RowResult(line, raw["reference"], "error", problems)
    return Row(
        line=line,
        number=int(match.group(1)),
        title=raw["title"],
        signed=signed,
        published=published,
        summary=raw["summary"],
        decision_maker=raw["decision_maker"] or DMPC,
        pdf_url=raw["pdf_url"],
        pdf_file=pdf_file,
    )


def import_user() -> Any:
    user, created = get_user_model().objects.get_or_create(
        username=IMPORT_USERNAME, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=LONDON)


def decisions_import(
    rows: Iterable[tuple[int, dict[str, str]]], *, base_dir: Path
) -> Iterator[RowResult]:
    """Import the rows, yielding one result per row, in order."""
    # The first version in force (a back-catalogue decision predates the later ones); a draft
    # version, not yet given a date, is no form anyone decided on.
    template = (
        FormTemplate.objects.filter(effective_from__isnull=False).order_by("effective_from").first()
    )
    if template is None:
        raise ImportFileError("No form template exists: run the migrations first.")
    author = import_user()
    batch: list[tuple[int, dict[str, str]]] = []
    for item in rows:
        batch.append(item)
        if len(batch) == BATCH:
            yield from _import_batch(batch, base_dir=base_dir, template=template, author=author)
            batch = []
    if batch:
        yield from _import_batch(batch, base_dir=base_dir, template=template, author=author)


@transaction.atomic
def _import_batch(
    batch: list[tuple[int, dict[str, str]]], *, base_dir: Path, template: Any, author: Any
) -> list[RowResult]:
    checked = [check_row(line, raw, base_dir) for line, raw in batch]
    numbers = [row.number for row in checked if isinstance(row, Row)]
    existing = dict(
        Decision.objects.filter(reference_number__in=numbers).values_list(
            "reference_number", "register_entry__imported"
        )
    )
    results: dict[int, RowResult] = {}
    new: list[Row] = []
    seen: set[int] = set()
    for index, row in enumerate(checked):
        if isinstance(row, RowResult):
            results[index] = row
        elif row.number in existing:
            why = (
                "already imported."
                if existing[row.number]
                else "a decision with this reference is already in the register."
            )
            results[index] = RowResult(row.line, f"PCD {row.number}", "skipped", [why])
        elif row.number in seen:
            results[index] = RowResult(
                row.line, f"PCD {row.number}", "error", ["This reference is in the file twice."]
            )
        else:
            seen.add(row.number)
            new.append(row)
            results[index] = RowResult(row.line, f"PCD {row.number}", "imported")
    if new:
        _write(new, template=template, author=author)
    return [results[i] for i in range(len(checked))]


def _write(rows: list[Row], *, template: Any, author: Any) -> None:
    decisions = Decision.objects.bulk_create(
        [
            Decision(
                template=template,
                author=author,
                reference_number=row.number,
                title=row.title,
                executive_summary=row.summary,
                status=Status.PUBLISHED,
                created_at=_start_of(row.signed),
                updated_at=_start_of(row.published),
                submitted_at=_start_of(row.signed),
                signed_off_at=_start_of(row.signed),
                published_at=_start_of(row.published),
            )
            for row in rows
        ]
    )
    entries = []
    for row, decision in zip(rows, decisions, strict=True):
        entry = RegisterEntry(
            decision=decision,
            title=row.title,
            summary=row.summary,
            decision_maker=row.decision_maker,
            imported=True,
            source_pdf_url=row.pdf_url,
        )
        if row.pdf_file is not None:
            with row.pdf_file.open("rb") as handle:
                entry.source_pdf.name = default_storage.save(
                    f"imported/pcd-{row.number}.pdf", File(handle)
                )
        entries.append(entry)
    RegisterEntry.objects.bulk_create(entries)
    # New requests are numbered after the highest imported reference.
    record_existing_reference(max(row.number for row in rows))
    transaction.on_commit(lambda: _forget_decision_makers())


def _forget_decision_makers() -> None:
    from django.core.cache import cache

    cache.delete_many([DECISION_MAKERS_CACHE, FIRST_YEAR_CACHE])
