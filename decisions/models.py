"""The request for a DMPC decision (DESIGN §3), its workflow (§4) and its signatures (§5)."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from decisions.permissions import transition_permission
from decisions.states import Status

LONDON = ZoneInfo("Europe/London")


def london_today() -> datetime.date:
    return timezone.now().astimezone(LONDON).date()


class FormTemplate(models.Model):
    """One version of the PCD form. Sections and declaration items belong to a version, so a
    decision keeps the form it was made on when MOPAC adds sections to later forms."""

    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    effective_from = models.DateField()
    foia_statement = models.TextField()
    deferral_guidance = models.TextField()
    part_two_guidance = models.TextField()
    officer_approval_declaration = models.TextField()
    dmpc_declaration = models.TextField()
    dmpc_approval_statement = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="form_template_unique_version")
        ]
        ordering = ["-effective_from", "-version"]

    def __str__(self) -> str:
        return f"{self.name}, version {self.version}"


class TemplateSection(models.Model):
    template = models.ForeignKey(FormTemplate, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)

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


class ReferenceCounter(models.Model):
    """The last reference number handed out in a series. Locked while a number is taken, inside
    the submitting transaction, so numbers are unique and a failed submission leaves no gap."""

    prefix = models.CharField(max_length=10, primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix} {self.last_number}"


class DecisionQuerySet(models.QuerySet["Decision"]):
    def visible_to(self, user: Any) -> DecisionQuerySet:
        from decisions.roles import Role, roles_of

        roles = roles_of(user)
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if Role.GOVERNANCE in roles:
            return self.all()
        own = Q(author=user)
        if Role.CHIEF_EXECUTIVE in roles or Role.DMPC in roles:
            return self.filter(own | Q(reference_number__isnull=False))
        return self.filter(own)

    def published(self) -> DecisionQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def awaiting(self, status: Status) -> DecisionQuerySet:
        return self.filter(status=status)


DecisionManager = models.Manager.from_queryset(DecisionQuerySet)


# django-fsm calls conditions with the model instance, typed as a plain Model.
def _submission_complete(decision: Any) -> bool:
    from decisions.guards import submission_problems

    return not submission_problems(decision)


def _deferral_in_future(decision: Any) -> bool:
    return decision.deferred_until is not None and decision.deferred_until > london_today()


def _publication_due(decision: Any) -> bool:
    if not decision.publication_deferred:
        return True
    return decision.deferred_until is not None and decision.deferred_until <= london_today()


class Decision(ConcurrentTransitionMixin, models.Model):
    template = models.ForeignKey(FormTemplate, on_delete=models.PROTECT, related_name="+")
    reference_number = models.PositiveIntegerField(null=True, blank=True, unique=True)
    title = models.CharField(max_length=250)
    executive_summary = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drafted_decisions"
    )
    status = FSMField(default=Status.DRAFT, choices=Status.choices, protected=True)

    publication_deferred = models.BooleanField(default=False)
    deferral_reason = models.TextField(blank=True)
    deferred_until = models.DateField(null=True, blank=True)
    has_part_two = models.BooleanField(default=False)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = DecisionManager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                name="decision_deferral_coherent",
                condition=Q(publication_deferred=False)
                | (Q(deferred_until__isnull=False) & ~Q(deferral_reason="")),
            ),
            models.CheckConstraint(
                name="decision_submitted_has_reference",
                condition=Q(status__in=[Status.DRAFT, Status.WITHDRAWN])
                | Q(reference_number__isnull=False),
            ),
            models.CheckConstraint(
                name="decision_published_has_date",
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.title}" if self.reference_number else self.title

    @property
    def reference(self) -> str:
        return f"PCD {self.reference_number}" if self.reference_number else "Not yet numbered"

    @property
    def slug(self) -> str:
        return f"pcd-{self.reference_number}"

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def is_draft(self) -> bool:
        return bool(self.status == Status.DRAFT)

    def transition_label(self, name: str) -> str:
        """The button text of a transition (its custom "label"), from the current state."""
        transition = getattr(self, name)._django_fsm.get_transition(self.status)
        if transition is None:
            return name.replace("_", " ").capitalize()
        return str(transition.custom.get("label", name))

    # --- the workflow (DESIGN §4). Services fire these; see decisions.services. ---------------

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.AWAITING_APPROVAL,
        permission=transition_permission("submit"),
        conditions=[_submission_complete],
        custom={"label": "Submit for approval", "needs_comment": False},
    )
    def submit(self) -> None:
        """The originating officer sends the completed, declared request to the Chief Executive."""

    @transition(
        field=status,
        source=Status.AWAITING_APPROVAL,
        target=Status.AWAITING_SIGNOFF,
        permission=transition_permission("approve"),
        custom={"label": "Approve", "needs_comment": False},
    )
    def approve(self) -> None:
        """The Chief Executive confirms advice was taken and sends the request to the DMPC."""

    @transition(
        field=status,
        source=[Status.AWAITING_APPROVAL, Status.AWAITING_SIGNOFF],
        target=Status.DRAFT,
        permission=transition_permission("return_to_officer"),
        custom={"label": "Return to the officer", "needs_comment": True},
    )
    def return_to_officer(self) -> None:
        """The Chief Executive or the DMPC sends the request back for changes, saying why."""

    @transition(
        field=status,
        source=Status.AWAITING_SIGNOFF,
        target=Status.APPROVED,
        permission=transition_permission("sign_off"),
        custom={"label": "Sign off", "needs_comment": False},
    )
    def sign_off(self) -> None:
        """The DMPC declares any interests and approves the decision."""

    @transition(
        field=status,
        source=Status.AWAITING_SIGNOFF,
        target=Status.REJECTED,
        permission=transition_permission("reject"),
        custom={"label": "Reject", "needs_comment": True},
    )
    def reject(self) -> None:
        """The DMPC refuses the request, giving a reason; it cannot be resubmitted."""

    @transition(
        field=status,
        source=[Status.DRAFT, Status.AWAITING_APPROVAL, Status.AWAITING_SIGNOFF],
        target=Status.WITHDRAWN,
        permission=transition_permission("withdraw"),
        custom={"label": "Withdraw", "needs_comment": True},
    )
    def withdraw(self) -> None:
        """The drafting officer withdraws the request before sign-off, giving a reason."""

    @transition(
        field=status,
        source=[Status.APPROVED, Status.DEFERRED],
        target=Status.PUBLISHED,
        permission=transition_permission("publish"),
        conditions=[_publication_due],
        custom={"label": "Publish", "needs_comment": False, "system": True},
    )
    def publish(self) -> None:
        """Part 1 becomes public: at sign-off, or at the start of the deferral date (London)."""

    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.DEFERRED,
        permission=transition_permission("defer"),
        conditions=[_deferral_in_future],
        custom={"label": "Defer publication", "needs_comment": False, "system": True},
    )
    def defer(self) -> None:
        """Signed off, but Part 1 is held back until the deferral date the officer asked for."""


# The transitions people fire from the pages, in the order their buttons appear.
USER_TRANSITIONS = ("submit", "approve", "sign_off", "return_to_officer", "reject", "withdraw")
ALL_TRANSITIONS = (*USER_TRANSITIONS, "publish", "defer")


class PartTwo(models.Model):
    """The confidential Part 2 form: stored apart from Part 1 and behind its own permission
    (decisions.view_parttwo), so nothing that renders Part 1 can reach it by accident."""

    decision = models.OneToOneField(
        Decision, on_delete=models.CASCADE, primary_key=True, related_name="part_two"
    )
    facts_and_advice = models.TextField(blank=True)
    exemption_rationale = models.TextField(
        blank=True, help_text="The FOIA exemption relied on, and the legal rationale."
    )

    class Meta:
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"Part 2 of {self.decision}"


class Paragraph(models.Model):
    """A numbered paragraph of Part I. Its number (2.6) is its section's number and its place in
    the section, computed when shown, never stored."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="paragraphs")
    section = models.ForeignKey(TemplateSection, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()
    heading = models.CharField(
        max_length=200, blank=True, help_text="An optional sub-heading shown above the paragraph."
    )
    text = models.TextField(help_text="Start a line with “- ” to make a bullet point.")

    class Meta:
        ordering = ["section__number", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "section", "position"], name="paragraph_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Recommendation(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="recommendations")
    position = models.PositiveIntegerField()
    text = models.TextField()
    paragraphs = models.ManyToManyField(Paragraph, blank=True, related_name="recommendations")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "position"], name="recommendation_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class OfficerDeclaration(models.Model):
    """One ticked item of the originating officer's declaration."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="declarations")
    item = models.ForeignKey(DeclarationItem, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "item"], name="declaration_unique_item")
        ]

    def __str__(self) -> str:
        return f"{self.item} confirmed for {self.decision}"


class AppendOnly(models.Model):
    """Rows that are written once and never changed or removed. A database trigger (see the
    migration) enforces the same on PostgreSQL and SQLite, so even raw SQL cannot rewrite them."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(f"{type(self).__name__} records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"{type(self).__name__} records are append-only.")


class DecisionVersion(AppendOnly):
    """The content exactly as submitted, frozen at each submission."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decision", "number"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "number"], name="version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.decision} v{self.number}"


class VersionSeen(models.Model):
    """The last version of a request each person has looked at, to show them what changed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(DecisionVersion, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "decision"], name="version_seen_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} saw {self.version}"


class TransitionLog(AppendOnly):
    """Every workflow transition: who, when, from, to, and what they said."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="log")
    transition = models.CharField(max_length=40)
    from_status = models.CharField(max_length=30, choices=Status.choices)
    to_status = models.CharField(max_length=30, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=200, help_text="“System” for automatic steps.")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.transition}: {self.from_status} → {self.to_status}"


class SignatureKind(models.TextChoices):
    OFFICER_APPROVAL = "officer_approval", "Officer approval (Chief Executive)"
    DMPC_DECISION = "dmpc_decision", "DMPC decision"


class Signature(AppendOnly):
    """An approval or sign-off (DESIGN §5): what was confirmed, by whom, when, over which content.
    Each record carries the hash of the one before it on the same request, so removing or
    editing a record breaks the chain."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="signatures")
    kind = models.CharField(max_length=30, choices=SignatureKind.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(max_length=200)
    signer_role = models.CharField(max_length=100)
    declaration_text = models.TextField()
    interests = models.TextField(blank=True)
    signed_at = models.DateTimeField()
    version = models.ForeignKey(DecisionVersion, on_delete=models.PROTECT, related_name="+")
    content_hash = models.CharField(max_length=64)
    previous_hash = models.CharField(max_length=64)
    record_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["signed_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.signer_name}"


class Notice(models.Model):
    """That a transition was announced, and to whom; makes the notification task idempotent."""

    entry = models.OneToOneField(TransitionLog, on_delete=models.PROTECT, related_name="notice")
    recipients = models.TextField(blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Notice of {self.entry}"
