"""A request's content can be edited only in draft, and its log is append-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from decisions import services
from decisions.errors import ActionRefused
from decisions.models import Decision, DecisionVersion, PartTwo, Signature, TransitionLog
from decisions.signatures import canonical_content
from decisions.states import Status
from tests.factories import fresh, next_month, section

Edit = Callable[[Decision, Any], object]

EDITS: dict[str, Edit] = {
    "summary": lambda d, user: services.decision_update_summary(
        decision=d, user=user, title="A new title", executive_summary="A new summary."
    ),
    "paragraph_add": lambda d, user: services.paragraph_add(
        decision=d, user=user, section=section(d, 3), text="The grants are within budget."
    ),
    "paragraph_update": lambda d, user: services.paragraph_update(
        paragraph=d.paragraphs.first(), user=user, text="Rewritten."
    ),
    "paragraph_delete": lambda d, user: services.paragraph_delete(
        paragraph=d.paragraphs.first(), user=user
    ),
    "recommendation_add": lambda d, user: services.recommendation_add(
        decision=d, user=user, text="Delegate the award to the Chief Executive."
    ),
    "recommendation_update": lambda d, user: services.recommendation_update(
        recommendation=d.recommendations.first(), user=user, text="Rewritten.", paragraphs=[]
    ),
    "recommendation_delete": lambda d, user: services.recommendation_delete(
        recommendation=d.recommendations.first(), user=user
    ),
    "declaration_untick": lambda d, user: services.declaration_update(
        decision=d, user=user, item_ids=[]
    ),
    "public_access": lambda d, user: services.decision_update_public_access(
        decision=d,
        user=user,
        publication_deferred=True,
        deferral_reason="Market sensitive.",
        deferred_until=next_month(),
        has_part_two=False,
    ),
    "part_two": lambda d, user: services.part_two_update(
        decision=d,
        user=user,
        facts_and_advice="Confidential advice.",
        exemption_rationale="Section 43: commercial interests.",
    ),
}


def stored_content(decision: Decision) -> dict[str, Any]:
    content = canonical_content(fresh(decision))
    content["stored_part_two"] = list(
        PartTwo.objects.filter(decision=decision).values("facts_and_advice", "exemption_rationale")
    )
    return content


@pytest.mark.django_db
@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
@pytest.mark.parametrize(
    "status",
    [Status.AWAITING_APPROVAL, Status.AWAITING_SIGNOFF, Status.PUBLISHED, Status.WITHDRAWN],
    ids=lambda s: s.value,
)
def test_content_cannot_be_changed_after_submission(
    make_decision: Any, officer: Any, status: Status, edit: Edit
) -> None:
    decision = make_decision(status)
    before = stored_content(decision)

    with pytest.raises(ActionRefused, match="can no longer be changed"):
        edit(decision, officer)

    assert stored_content(decision) == before
    assert fresh(decision).status == status


@pytest.mark.django_db
@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_only_the_author_can_change_a_draft(
    make_decision: Any, other_officer: Any, edit: Edit
) -> None:
    decision = make_decision(Status.DRAFT)
    before = stored_content(decision)

    with pytest.raises(ActionRefused, match="Only the officer who drafted this request"):
        edit(decision, other_officer)

    assert stored_content(decision) == before


@pytest.mark.django_db
@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_returned_request_can_be_changed_again(
    make_decision: Any, officer: Any, chief_executive: Any, edit: Edit
) -> None:
    decision = make_decision(Status.AWAITING_APPROVAL)
    services.decision_return(decision=decision, user=chief_executive, comment="Add more detail.")
    before = stored_content(decision)

    edit(fresh(decision), officer)

    assert stored_content(decision) != before


# --- the log ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model", [TransitionLog, DecisionVersion, Signature])
def test_history_rows_refuse_to_be_saved_again_or_deleted(
    make_decision: Any, model: type[TransitionLog | DecisionVersion | Signature]
) -> None:
    decision = make_decision(Status.PUBLISHED)
    row = model.objects.filter(decision=decision).first()
    before = model.objects.filter(decision=decision).count()

    with pytest.raises(ValueError, match="append-only"):
        row.save()
    with pytest.raises(ValueError, match="append-only"):
        row.delete()

    assert model.objects.filter(decision=decision).count() == before


@pytest.mark.django_db
def test_log_records_who_did_what_and_why(make_decision: Any, chief_executive: Any) -> None:
    decision = make_decision(Status.AWAITING_APPROVAL)
    services.decision_return(decision=decision, user=chief_executive, comment=" Add the costs. ")

    entry = decision.log.order_by("id").last()

    assert entry.transition == "return_to_officer"
    assert (entry.from_status, entry.to_status) == (Status.AWAITING_APPROVAL, Status.DRAFT)
    assert entry.actor == chief_executive
    assert entry.actor_name == "Helen Carter"
    assert entry.comment == "Add the costs."


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("change", ["update", "delete"])
def test_database_refuses_to_rewrite_the_log(make_decision: Any, change: str) -> None:
    decision = make_decision(Status.PUBLISHED)
    entries = TransitionLog.objects.filter(decision=decision)
    before = list(entries.values_list("transition", "comment"))

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        if change == "update":
            entries.update(comment="Nothing to see here.")
        else:
            # Raw SQL: the ORM would stop first, at the notices that protect their entries.
            with connection.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM decisions_transitionlog WHERE decision_id = %s", [decision.pk]
                )

    assert list(entries.values_list("transition", "comment")) == before
