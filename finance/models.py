"""Finance annexes: an annex belongs to a request and holds tables laid out like the officers'
spreadsheets (finance/seed/pcd-279/ is PCD 279's, as published): a header row of columns, then
rows with an optional section, a label and cells. Cells are stored as the text of a Decimal (never
a float) or as text for the few cells that are not numbers (a percentage, say); finance.kinds
says which columns of a table kind are figures, which are derived and which rows each total
covers.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from decisions.models import Decision
from finance.figures import Unit
from finance.kinds import TableKind
from finance.mapping import ColumnMatch
from finance.tables import label_column_count

__all__ = [
    "Annex",
    "AnnexRow",
    "AnnexTable",
    "ColumnMapping",
    "FindingExplanation",
    "TableKind",
    "Unit",
    "organisation",
]


def organisation() -> str:
    """The organisation whose finance team's layouts are remembered: the service serves one
    (MOPAC); FINANCE_ORGANISATION names another where it is deployed for one."""
    return str(getattr(settings, "FINANCE_ORGANISATION", "MOPAC"))


class Annex(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="annexes")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=250)
    reporting_period = models.CharField(
        max_length=100, help_text="For example “Quarter 1 2017/18”."
    )
    unit = models.CharField(max_length=3, choices=Unit.choices, default=Unit.MILLIONS)

    class Meta:
        ordering = ["decision", "position"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "position"], name="annex_unique_position")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.reporting_period})"


class AnnexTable(models.Model):
    annex = models.ForeignKey(Annex, on_delete=models.CASCADE, related_name="tables")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30, choices=TableKind.choices)
    title = models.CharField(max_length=250)
    source_name = models.CharField(max_length=255, blank=True, help_text="The imported file.")
    unit = models.CharField(max_length=3, choices=Unit.choices, default=Unit.MILLIONS)
    # The header row exactly as imported, e.g. ["section", "line", "Budget To Date (£m)", …].
    columns = models.JSONField()

    class Meta:
        ordering = ["annex", "position"]
        constraints = [
            models.UniqueConstraint(fields=["annex", "position"], name="table_unique_position")
        ]

    def __str__(self) -> str:
        return self.title

    def label_count(self, rows: Sequence[AnnexRow] | None = None) -> int:
        """How many leading columns hold labels rather than figures; `rows` are the table's rows
        when the caller has them already (only the first is looked at)."""
        first = rows[0] if rows else None
        if rows is None:
            first = self.rows.order_by("position").first()
        return label_column_count(self.columns, len(first.cells) if first else None)

    def label_columns(self, rows: Sequence[AnnexRow] | None = None) -> list[str]:
        return list(self.columns[: self.label_count(rows)])

    def figure_columns(self, rows: Sequence[AnnexRow] | None = None) -> list[str]:
        return list(self.columns[self.label_count(rows) :])


class AnnexRow(models.Model):
    table = models.ForeignKey(AnnexTable, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField()
    section = models.CharField(max_length=250, blank=True)
    label = models.CharField(max_length=500)
    # One entry per figure column, in order: the Decimal as text ("-7.1"), other text ("2%"),
    # or null for an empty cell.
    cells = models.JSONField()
    # Recommendations that ask the DMPC to approve this row (Scheme of Delegation).
    recommendations = models.ManyToManyField(
        "decisions.Recommendation", blank=True, related_name="annex_rows"
    )

    class Meta:
        ordering = ["table", "position"]
        constraints = [
            models.UniqueConstraint(fields=["table", "position"], name="row_unique_position")
        ]

    def __str__(self) -> str:
        return self.label


class FindingExplanation(models.Model):
    """The officer's explanation of a check finding classed as an error; without one, the
    request cannot be submitted. Keyed by where the finding is, so it survives recomputation."""

    table = models.ForeignKey(AnnexTable, on_delete=models.CASCADE, related_name="explanations")
    row_label = models.CharField(max_length=500)
    column = models.CharField(max_length=250)
    text = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["table", "row_label", "column"], name="explanation_unique_place"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="explanation_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.table}: {self.row_label} / {self.column}"


class ColumnMapping(models.Model):
    """How an organisation's finance team lays out a kind of table: the match of their columns to
    ours (finance.mapping.ColumnMatch), kept so next quarter's file of the same layout imports
    without asking again. One per organisation, kind and layout (the header row's key)."""

    organisation = models.CharField(max_length=100)
    kind = models.CharField(max_length=30, choices=TableKind.choices)
    header_key = models.CharField(max_length=64, help_text="SHA-256 of the normalised header row.")
    header = models.JSONField()
    choices = models.JSONField(help_text="For each of their columns: one of ours, or “ignore”.")
    units = models.JSONField(help_text="For each of their columns: the unit of its figures.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "header_key"], name="column_mapping_unique_layout"
            ),
            models.CheckConstraint(
                condition=Q(header_key__regex=r"^[0-9a-f]{64}$"),
                name="column_mapping_key_is_sha256",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_kind_display()} ({len(self.header)} columns)"

    def as_match(self) -> ColumnMatch:
        return ColumnMatch(
            kind=self.kind,
            header=tuple(self.header),
            choices=tuple(self.choices),
            units=tuple(self.units),
        )
