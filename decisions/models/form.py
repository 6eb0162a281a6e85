"""The PCD form, by version: its sections, its declaration items and its fixed texts. A request
keeps the version it was drafted on, so old decisions keep their form when MOPAC changes it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from decisions.models.records import AppendOnly


class FormTemplate(models.Model):
    """One version of the PCD form. Sections and declaration items belong to a version, so a
    decision keeps the form it was made on when MOPAC adds sections to later forms."""

    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    # Empty while the version is a draft: governance sets the date once the version is ready,
    # and new requests take it from the start of that day (London). A version in force, or used
    # by any request, is never changed again (decisions.selectors.form_version_refusal).
    effective_from = models.DateField(null=True, blank=True)
    foia_statement = models.TextField()
    deferral_guidance = models.TextField()
    part_two_guidance = models.TextField()
    officer_approval_declaration = models.TextField()
    dmpc_declaration = models.TextField()
    dmpc_approval_statement = models.CharField(max_length=200)
    # The line above the recommendations; some decisions ask the DMPC to note, not to approve.
    recommendations_intro = models.CharField(
        max_length=200,
        default="The DMPC is asked to:",
        help_text="The opening line above the recommendations.",
    )
    # A version governance gave up on before it came into force: kept (its changes are in the
    # append-only record and the audit chain), listed as discarded, never changed or used.
    discarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version"], name="form_template_unique_version"
            ),
            models.CheckConstraint(
                name="form_template_discarded_never_in_force",
                condition=Q(discarded_at__isnull=True) | Q(effective_from__isnull=True),
            ),
        ]
        # Drafts (no date) last, so that the first version is the latest one with a date.
        ordering = [F("effective_from").desc(nulls_last=True), "-version"]

    def __str__(self) -> str:
        return f"{self.name}, version {self.version}"


class TemplateSection(models.Model):
    template = models.ForeignKey(FormTemplate, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    # The Financial, Legal and Equality comments: the DMPC must see that each adviser was heard,
    # so such a section is never left empty; "No comments" is said explicitly.
    required = models.BooleanField(
        default=False,
        help_text="The officer must write it, or say explicitly that there are no comments.",
    )

    class Meta:
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="section_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class DeclarationItem(models.Model):
    template = models.ForeignKey(
        FormTemplate, on_delete=models.CASCADE, related_name="declaration_items"
    )
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=100)
    text = models.TextField()

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="declaration_item_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.heading


class FormChange(AppendOnly):
    """One change governance made to a version of the form: who, when, and what, in words
    ("Section 7 “Commercial issues” added"). Each is a link of the audit chain too
    (decisions.chain), so what the form said when a request was drafted on it can be traced."""

    template = models.ForeignKey(FormTemplate, on_delete=models.PROTECT, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=200)
    what = models.CharField(max_length=400)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.template}: {self.what}"
