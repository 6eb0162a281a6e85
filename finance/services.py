"""Every write to a finance annex. Like decisions.services, each function checks its own
permission and takes the request's row lock (decisions.services.lock_for_edit), so an annex
changes only while its request is a draft in its author's hands, and never while it is being
submitted. A refused action raises ActionRefused and leaves nothing behind.

An officer's explanation of an error belongs to the error it explains: when a write changes the
errors at the explanation's place (a figure it was computed from changed, or the error went
away), the explanation lapses, so an explanation can never cover an error it was not written for.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from decimal import Decimal
from pathlib import PurePath

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from decisions import permissions
from decisions.errors import ActionRefused
from decisions.models import Decision, Recommendation
from decisions.services import lock_for_edit, touch
from decisions.text import is_blank
from decisions.types import User
from finance import kinds, selectors
from finance.figures import Cell, figure_text
from finance.importing import parse_cell, parse_table
from finance.mapping import ColumnMatch
from finance.models import (
    Annex,
    AnnexRow,
    AnnexTable,
    ColumnMapping,
    FindingExplanation,
    TableKind,
    Unit,
    organisation,
)
from finance.spreadsheets import ImportRefused
from finance.tables import TableData

Place = tuple[int | None, str, str]  # (table pk, row, column), as explanations are keyed


def _refuse_early(decision: Decision, user: User) -> None:
    # Checked again under the lock; this spares parsing a file for someone who may not import it.
    refusal = permissions.edit_refusal(user, decision)
    if refusal:
        raise ActionRefused(refusal)


def _unit(unit: str) -> str:
    if unit not in Unit.values:
        raise ActionRefused(f"“{unit}” is not a unit; use one of {', '.join(Unit.values)}.")
    return unit


def _kind(kind: str | None) -> str | None:
    if kind in (None, ""):
        return None
    if kind not in TableKind.values:
        raise ActionRefused(
            f"“{kind}” is not a kind of table; use one of {', '.join(TableKind.values)}."
        )
    return kind


@transaction.atomic
def annex_create(
    *, decision: Decision, user: User, title: str, reporting_period: str, unit: str
) -> Annex:
    """A new, empty finance annex at the end of the request's annexes."""
    locked = lock_for_edit(decision, user)
    problems = []
    if is_blank(title):
        problems.append("Enter the annex's title.")
    if is_blank(reporting_period):
        problems.append("Enter the reporting period, for example “Quarter 1 2017/18”.")
    if problems:
        raise ActionRefused(*problems)
    annex = _new_annex(locked, title, reporting_period, _unit(unit))
    touch(locked)
    return annex


def _new_annex(decision: Decision, title: str, reporting_period: str, unit: str) -> Annex:
    last = decision.annexes.aggregate(last=Max("position"))["last"] or 0
    return Annex.objects.create(
        decision=decision,
        position=last + 1,
        title=title.strip(),
        reporting_period=reporting_period.strip(),
        unit=unit,
    )


@transaction.atomic
def annex_delete(*, annex: Annex, user: User) -> None:
    locked = lock_for_edit(annex.decision, user)
    Annex.objects.filter(pk=annex.pk, decision=locked).delete()
    touch(locked)


def _cell_text(cell: Cell) -> str | None:
    if isinstance(cell, Decimal):
        return figure_text(cell)
    return cell


def _same_file(a: str, b: str) -> bool:
    # revenue_position.xlsx replaces revenue_position.csv: the same table, saved another way.
    return PurePath(a).stem.casefold() == PurePath(b).stem.casefold()


def _store(annex: Annex, parsed: TableData, *, title: str = "") -> AnnexTable:
    """Store a parsed table in the annex, replacing the table imported from a file of the same
    name (keeping its place, title and explanations, which then lapse as their errors change)."""
    table = next(
        (t for t in annex.tables.all() if _same_file(t.source_name, parsed.source_name)), None
    )
    if table is None:
        last = annex.tables.aggregate(last=Max("position"))["last"] or 0
        table = AnnexTable(annex=annex, position=last + 1, title=parsed.title)
    elif title.strip():
        table.title = title.strip()
    table.kind = parsed.kind
    table.source_name = parsed.source_name
    table.unit = parsed.unit
    table.columns = list(parsed.columns)
    table.save()
    table.rows.all().delete()
    AnnexRow.objects.bulk_create(
        AnnexRow(
            table=table,
            position=position,
            section=row.section,
            label=row.label,
            cells=[_cell_text(c) for c in row.cells],
        )
        for position, row in enumerate(parsed.rows, start=1)
    )
    return table


def _errors_by_place(annex: Annex) -> dict[Place, frozenset[tuple[str, str, str]]]:
    places: dict[Place, set[tuple[str, str, str]]] = {}
    for finding in selectors.annex_findings(annex):
        if finding.is_error:
            key = (finding.table_key, finding.row, finding.column)
            places.setdefault(key, set()).add(
                (finding.check, str(finding.expected), str(finding.found))
            )
    return {key: frozenset(value) for key, value in places.items()}


def _lapse_explanations(annex: Annex, before: dict[Place, frozenset[tuple[str, str, str]]]) -> None:
    after = _errors_by_place(annex)
    for explanation in FindingExplanation.objects.filter(table__annex=annex):
        place = (explanation.table_id, explanation.row_label, explanation.column)
        if place not in after or after[place] != before.get(place):
            explanation.delete()


@transaction.atomic
def table_import(
    *,
    annex: Annex,
    user: User,
    name: str,
    data: bytes,
    kind: str | None = None,
    title: str = "",
    match: ColumnMatch | None = None,
) -> AnnexTable:
    """Import one CSV or XLSX file as a table of the annex (replacing the table imported from a
    file of the same name, whatever its extension), or refuse it, naming the rows and columns
    at fault, keeping nothing of it. The kind is recognised from the header row unless given.
    With a `match` of the file's own columns to ours, the file is read through it, and the
    match is remembered for the organisation, so the same layout imports next time unasked."""
    _refuse_early(annex.decision, user)
    parsed = parse_table(
        name, data, kind=_kind(kind), unit=annex.unit, title=_title(title), match=match
    )
    locked = lock_for_edit(annex.decision, user)
    current = Annex.objects.get(pk=annex.pk)
    before = _errors_by_place(current)
    table = _store(current, parsed, title=title)
    _lapse_explanations(current, before)
    if match is not None:
        ColumnMapping.objects.update_or_create(
            organisation=organisation(),
            kind=match.kind,
            header_key=match.key,
            defaults={
                "header": list(match.header),
                "choices": list(match.choices),
                "units": list(match.units),
                "recorded_by": user,
                "recorded_at": timezone.now(),
            },
        )
    touch(locked)
    return table


MAX_TITLE = 250


def _title(title: str) -> str:
    title = " ".join(title.split())
    if len(title) > MAX_TITLE:
        raise ActionRefused(f"The table's title must be {MAX_TITLE} characters or fewer.")
    return title


@transaction.atomic
def table_rename(*, table: AnnexTable, user: User, title: str) -> AnnexTable:
    """Give a table the title it is published under (a file's name is only a first guess)."""
    locked = lock_for_edit(table.annex.decision, user)
    new = _title(title)
    if not new:
        raise ActionRefused("Enter the table's title.")
    current = AnnexTable.objects.get(pk=table.pk, annex__decision=locked)
    current.title = new
    current.save(update_fields=["title"])
    touch(locked)
    return current


@transaction.atomic
def table_delete(*, table: AnnexTable, user: User) -> None:
    locked = lock_for_edit(table.annex.decision, user)
    annex = table.annex
    before = _errors_by_place(annex)
    AnnexTable.objects.filter(pk=table.pk).delete()
    _lapse_explanations(annex, before)
    touch(locked)


@transaction.atomic
def cell_update(*, row: AnnexRow, user: User, column_index: int, value: str) -> AnnexRow:
    """Correct one figure cell in the browser, validated as an import validates it.
    `column_index` counts the row's figure cells from 0: it is the column
    `table.columns[label columns + column_index]`, and `row.cells[column_index]`."""
    table = row.table
    locked = lock_for_edit(table.annex.decision, user)
    current = AnnexRow.objects.select_related("table__annex").get(pk=row.pk)
    table = current.table
    if not 0 <= column_index < len(current.cells):
        raise ActionRefused("That column is not a figure column of this table.")
    column = table.figure_columns([current])[column_index]
    try:
        cell = parse_cell(kinds.spec_for(table.kind), current.label, value)
    except ImportRefused as refused:
        raise ImportRefused(
            *(f"Row “{current.label}”, column “{column}”: {m}" for m in refused.messages)
        ) from None
    before = _errors_by_place(table.annex)
    cells = list(current.cells)
    cells[column_index] = _cell_text(cell)
    current.cells = cells
    current.save(update_fields=["cells"])
    _lapse_explanations(table.annex, before)
    touch(locked)
    return current


@transaction.atomic
def explanation_record(
    *, table: AnnexTable, user: User, row_label: str, column: str, text: str
) -> FindingExplanation:
    """The officer says why a figure the checks class as an error is nonetheless right (or
    as published); an error without one blocks submission."""
    lock_for_edit(table.annex.decision, user)
    if is_blank(text):
        raise ActionRefused("Write the explanation.")
    errors = [
        f
        for f in selectors.annex_findings(table.annex)
        if f.is_error and f.table_key == table.pk and f.row == row_label and f.column == column
    ]
    if not errors:
        raise ActionRefused(
            f"There is no error at {table.title} › {row_label} › {column} to explain."
        )
    explanation, _ = FindingExplanation.objects.update_or_create(
        table=table,
        row_label=row_label,
        column=column,
        defaults={"text": text.strip(), "recorded_by": user, "recorded_at": timezone.now()},
    )
    touch(table.annex.decision)
    return explanation


@transaction.atomic
def annex_import_historic(
    *,
    decision: Decision,
    title: str,
    reporting_period: str,
    unit: str,
    files: Sequence[tuple[str, bytes]],
) -> Annex:
    """Attach the finance annex of a decision made before this system (PCD 279 of the demo),
    whatever its state, as decision_submit's `reference_number` lets such decisions keep their
    number. Not for pages: no person's permission is asked. Every file is parsed before
    anything is stored; one bad file refuses them all."""
    parsed: list[TableData] = []
    problems: list[str] = []
    for name, data in files:
        try:
            parsed.append(parse_table(name, data, unit=_unit(unit)))
        except ImportRefused as refused:
            problems += [f"{name}: {message}" for message in refused.messages]
    if problems:
        raise ActionRefused(*problems)
    if is_blank(title) or is_blank(reporting_period):
        raise ActionRefused("Give the annex's title and reporting period.")
    locked: Decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.annexes.filter(title=title.strip()).exists():
        raise ActionRefused(f"{locked} already has an annex “{title.strip()}”.")
    annex = _new_annex(locked, title, reporting_period, unit)
    for table in parsed:
        _store(annex, table)
    return annex


def recommendation_link_rows(recommendation: Recommendation, row_ids: Collection[int]) -> None:
    """Make `row_ids` the annex rows the recommendation asks the DMPC to approve. Called by
    decisions' recommendation services (through finance.attachment), inside their transaction and
    under the request's row lock; refuses a row of another request's annexes."""
    wanted = set(row_ids)
    own = set(
        AnnexRow.objects.filter(
            pk__in=wanted, table__annex__decision_id=recommendation.decision_id
        ).values_list("pk", flat=True)
    )
    if own != wanted:
        raise ActionRefused("A recommendation can approve only lines of its own request's annexes.")
    recommendation.annex_rows.set(sorted(wanted))
