"""The request for a DMPC decision: its content (Part 1, Part 2, recommendations, the officer's
declaration) and its workflow, whose transitions are django-fsm's.

Other apps attach content to a request (finance: its annexes) through `Extension`: the request
asks each extension for its part of the signed content, for what it still needs before the
request may be submitted, and for the lines each recommendation approves. decisions never
imports those apps; they register themselves when Django starts (their AppConfig.ready).
"""

from __future__ import annotations

import threading
from typing import Any, NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from decisions import transitions
from decisions.dates import london_today
from decisions.models.extension import extensions
from decisions.models.form import DeclarationItem, FormTemplate, TemplateSection
from decisions.permissions import visibility
from decisions.states import Status
from decisions.types import Actor
from decisions.wording import LinkWording


class DecisionQuerySet(models.QuerySet["Decision"]):
    def visible_to(self, user: Actor | None) -> DecisionQuerySet:
        return self.filter(visibility(user).q())

    def published(self) -> DecisionQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def with_signed_title(self) -> DecisionQuerySet:
        """`signed_title`: the title in the version the DMPC signed, which public lists show
        instead of the live row (decisions.published)."""
        from decisions.models.records import Signature, SignatureKind

        signed = Signature.objects.filter(
            decision=OuterRef("pk"), kind=SignatureKind.DMPC_DECISION
        ).order_by("-pk")
        return self.annotate(signed_title=Subquery(signed.values("version__content__title")[:1]))


DecisionManager = models.Manager.from_queryset(DecisionQuerySet)


# django-fsm calls conditions with the model instance, typed as a plain Model.
def _submission_complete(decision: Any) -> bool:
    return not submission_problems(decision)


def _required_sections_written(decision: Any) -> bool:
    return not empty_required_sections(decision)


def _deferral_in_future(decision: Any) -> bool:
    return decision.deferred_until is not None and decision.deferred_until > london_today()


def _publication_due(decision: Any) -> bool:
    if not decision.publication_deferred:
        return True
    # The date set at sign-off (the officer's deferral date), as a governance officer may have
    # moved it since; before sign-off only the officer's date exists.
    publish_on = decision.publish_on or decision.deferred_until
    return publish_on is not None and publish_on <= london_today()


def _publication_rescheduled_not_past(decision: Any) -> bool:
    return decision.publish_on is not None and decision.publish_on >= london_today()


_REFRESHING = threading.Lock()


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
    # The day Part 1 of a deferred decision is published, at its start (Europe/London): the
    # officer's deferral date when signed off, then as a governance officer moves it. Kept apart
    # from `deferred_until`, which the signatures cover, so moving it breaks no signature.
    publish_on = models.DateField(null=True, blank=True)
    has_part_two = models.BooleanField(default=False)
    # How recommendations cite paragraphs: signed content holds the rendered text, so a request
    # keeps the wording it was first submitted under (decisions.wording).
    link_wording = models.PositiveSmallIntegerField(
        choices=LinkWording.choices, default=LinkWording.SEE
    )

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
                name="decision_deferred_has_publication_date",
                condition=~Q(status=Status.DEFERRED) | Q(publish_on__isnull=False),
            ),
            models.CheckConstraint(
                name="decision_published_has_date",
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
            ),
        ]
        indexes = [
            # The public register: newest first, and its keyset pagination's key.
            models.Index(
                fields=["-published_at", "-reference_number"],
                name="decision_register_order",
                condition=Q(status=Status.PUBLISHED),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.title}" if self.reference_number else self.title

    @property
    def approver_id(self) -> int | None:
        """Who gave the latest officer approval: the DMPC who signs must be someone else."""
        signer: int | None = (
            self.signatures.filter(kind="officer_approval")
            .order_by("-signed_at", "-id")
            .values_list("signer_id", flat=True)
            .first()
        )
        return signer

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        # django-fsm-2 lifts the status field's protection while it refreshes an instance, on the
        # field itself, which every thread of the process shares: two threads refreshing at once
        # (gunicorn's threaded workers) could find it protected again half-way and fail with
        # "Direct status modification is not allowed". One refresh at a time, then.
        with _REFRESHING:
            super().refresh_from_db(*args, **kwargs)

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

    # --- the workflow. Services fire these (decisions.services.workflow); the words, who may
    # --- fire each and what it asks for are in decisions.transitions. ------------------------

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.AWAITING_APPROVAL,
        permission=transitions.permission("submit"),
        conditions=[_submission_complete],
        custom=transitions.custom("submit"),
    )
    def submit(self) -> None:
        """The originating officer sends the completed, declared request to the Chief Executive."""

    @transition(
        field=status,
        source=Status.AWAITING_APPROVAL,
        target=Status.AWAITING_SIGNOFF,
        permission=transitions.permission("approve"),
        custom=transitions.custom("approve"),
    )
    def approve(self) -> None:
        """The Chief Executive confirms advice was taken and sends the request to the DMPC."""

    @transition(
        field=status,
        source=[Status.AWAITING_APPROVAL, Status.AWAITING_SIGNOFF],
        target=Status.DRAFT,
        permission=transitions.permission("return_to_officer"),
        custom=transitions.custom("return_to_officer"),
    )
    def return_to_officer(self) -> None:
        """The Chief Executive or the DMPC sends the request back for changes, saying why."""

    @transition(
        field=status,
        source=Status.AWAITING_SIGNOFF,
        target=Status.APPROVED,
        permission=transitions.permission("sign_off"),
        custom=transitions.custom("sign_off"),
    )
    def sign_off(self) -> None:
        """The DMPC declares any interests and approves the decision."""

    @transition(
        field=status,
        source=Status.AWAITING_SIGNOFF,
        target=Status.REJECTED,
        permission=transitions.permission("reject"),
        custom=transitions.custom("reject"),
    )
    def reject(self) -> None:
        """The DMPC refuses the request, giving a reason; it cannot be resubmitted."""

    @transition(
        field=status,
        source=[Status.DRAFT, Status.AWAITING_APPROVAL, Status.AWAITING_SIGNOFF],
        target=Status.WITHDRAWN,
        permission=transitions.permission("withdraw"),
        custom=transitions.custom("withdraw"),
    )
    def withdraw(self) -> None:
        """The drafting officer withdraws the request before sign-off, giving a reason."""

    @transition(
        field=status,
        source=[Status.APPROVED, Status.DEFERRED],
        target=Status.PUBLISHED,
        permission=transitions.permission("publish"),
        conditions=[_publication_due, _required_sections_written],
        custom=transitions.custom("publish"),
    )
    def publish(self) -> None:
        """Part 1 becomes public: at sign-off, or at the start of the deferral date (London)."""

    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.DEFERRED,
        permission=transitions.permission("defer"),
        conditions=[_deferral_in_future],
        custom=transitions.custom("defer"),
    )
    def defer(self) -> None:
        """Signed off, but Part 1 is held back until the deferral date the officer asked for."""

    @transition(
        field=status,
        source=Status.DEFERRED,
        target=Status.DEFERRED,
        permission=transitions.permission("reschedule_publication"),
        conditions=[_publication_rescheduled_not_past],
        custom=transitions.custom("reschedule_publication"),
    )
    def reschedule_publication(self) -> None:
        """A governance officer brings the publication date forward or puts it back, saying why."""


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


# --- what other apps attach to a request ------------------------------------------------------


# --- what must hold before a request can be submitted ------------------------------------------

NO_COMMENTS = "No comments."


def empty_required_sections(decision: Decision) -> list[TemplateSection]:
    """The sections of the request's form that must be written (Financial, Legal and Equality
    comments) and have no paragraph: not even the explicit "No comments."."""
    written = Paragraph.objects.filter(decision=decision).values("section_id")
    return list(
        decision.template.sections.filter(required=True).exclude(pk__in=written).order_by("number")
    )


def missing_section_message(section: TemplateSection) -> str:
    return f"Write the {section.title.lower()}, or choose “No comments”."


class Problem(NamedTuple):
    """One thing that stops submission: the part of the request that fixes it ("summary",
    "recommendations", "section-3", "public_access", "part_two", "declaration", or an
    extension's key such as "annexes"), and what to do, in words the officer can act on."""

    part: str
    message: str


def submission_issues(decision: Decision) -> list[Problem]:
    """Everything that stops the request being submitted, each with the part that fixes it: the
    list on the request's page and the submit page, where each is a link to that part."""
    problems: list[Problem] = []
    if not decision.title.strip():
        problems.append(Problem("summary", "Enter a title."))
    if not decision.executive_summary.strip():
        problems.append(Problem("summary", "Write the executive summary."))
    if not decision.recommendations.exists():
        problems.append(Problem("recommendations", "Add at least one recommendation for the DMPC."))
    if not decision.paragraphs.exists():
        problems.append(Problem("section-1", "Write Part I: it has no paragraphs yet."))
    problems.extend(
        Problem(f"section-{s.number}", missing_section_message(s))
        for s in empty_required_sections(decision)
    )
    if decision.publication_deferred:
        if not decision.deferral_reason.strip():
            problems.append(
                Problem("public_access", "Give the reason for deferring publication of Part 1.")
            )
        if decision.deferred_until is None:
            problems.append(
                Problem(
                    "public_access",
                    "Give the date until which publication of Part 1 is deferred.",
                )
            )
        elif decision.deferred_until <= london_today():
            problems.append(Problem("public_access", "The deferral date must be in the future."))
    if decision.has_part_two:
        part_two = getattr(decision, "part_two", None)
        if part_two is None or not part_two.facts_and_advice.strip():
            problems.append(
                Problem("part_two", "Write Part 2, or answer “No” to “Is there a Part 2 form?”.")
            )
        elif not part_two.exemption_rationale.strip():
            problems.append(
                Problem("part_two", "Give the legal rationale for not publishing Part 2.")
            )
    ticked = set(decision.declarations.values_list("item_id", flat=True))
    missing = decision.template.declaration_items.exclude(pk__in=ticked)
    if missing.exists():
        headings = ", ".join(item.heading for item in missing)
        problems.append(
            Problem(
                "declaration",
                f"Tick every item of the originating officer declaration ({headings}).",
            )
        )
    for extension in extensions():
        problems.extend(
            Problem(extension.key, message) for message in extension.submission_problems(decision)
        )
    return problems


def submission_problems(decision: Decision) -> list[str]:
    """What stops the request being submitted, in words: the `submit` transition's condition."""
    return [problem.message for problem in submission_issues(decision)]
