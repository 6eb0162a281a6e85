"""Finance annexes (DESIGN §6) and the documents rendered from requests (§7).

An annex belongs to a request and holds tables laid out like the officers' spreadsheets
(shared/seed/pcd-279/): a header row of columns, then rows with an optional section, a label and
cells. Cells are stored as the text of a Decimal (never a float) or as text for the few cells
that are not numbers (a percentage, say); finance.kinds says which columns of a table kind are
figures, which are derived and which rows each total covers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from decisions.models import Decision


class Unit(models.TextChoices):
    POUNDS = "£", "£"
    THOUSANDS = "£k", "£ thousands"
    MILLIONS = "£m", "£ millions"


class TableKind(models.TextChoices):
    REVENUE_POSITION = "revenue_position", "Revenue position"
    BUSINESS_GROUP = "business_group", "Breakdown by business group"
    SAVINGS = "savings", "Savings"
    CAPITAL_PROGRAMME = "capital_programme", "Capital programme"
    RESERVES = "reserves", "Reserves"
    BUDGET_MOVEMENTS = "budget_movements", "Budget movements (virements)"
    ALLOCATIONS = "allocations", "Allocations"
    PLAIN = "plain", "Other table"


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


# --- documents -------------------------------------------------------------------------------


class DocumentKind(models.TextChoices):
    PREVIEW = "preview", "Preview for approvers"
    SIGNED_PACK = "signed_pack", "Signed decision pack"
    PUBLIC_PACK = "public_pack", "Public decision pack"
    PART_TWO = "part_two", "Part 2 (confidential)"


class DocumentState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class RenderedDocument(models.Model):
    """A PDF asked for, and what became of it. One row per request, kind and content: the same
    content asked for twice is the same row, so it is never rendered twice."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    content_hash = models.CharField(max_length=64)
    state = models.CharField(
        max_length=10, choices=DocumentState.choices, default=DocumentState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    # When the render task was handed to the broker; empty while the broker could not be reached,
    # which is what the sweep looks for.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    # The Celery task that claimed the render; the same message delivered again after its worker
    # was lost may take the render over at once.
    task_id = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="documents/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "kind", "content_hash"], name="document_unique_content"
            ),
            models.CheckConstraint(
                name="document_ready_has_pdf",
                condition=~Q(state="ready") | (~Q(pdf="") & ~Q(pdf_sha256="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.decision} ({self.get_state_display()})"


class RenderedPart(models.Model):
    """A rendered piece of a pack (Part 1, one annex), cached by the hash of everything it is
    made from: a pack whose annex did not change reuses the annex's pages."""

    content_hash = models.CharField(max_length=64, unique=True)
    pdf = models.FileField(upload_to="parts/")
    pages = models.PositiveIntegerField()
    render_seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Part {self.content_hash[:12]}"
