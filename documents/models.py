"""The documents rendered from requests: each PDF asked for and what became of it, and the cache
of rendered parts the packs are assembled from.

These tables were finance's until the documents app was made (see the migrations of both): their
rows and files carried over as they were.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from decisions.models import Decision


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
    # While RENDERING: the worker renews this while it renders (documents.leases); once it has
    # passed, the worker is taken to be dead and any worker may take the render over.
    lease_until = models.DateTimeField(null=True, blank=True)
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
    # While its file is empty, the worker rendering it renews this; once it has passed, another
    # worker that needs the part takes the render over (documents.leases).
    lease_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Part {self.content_hash[:12]}"
