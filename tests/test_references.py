"""References are sequential, allocated on first submission, never reused, never
duplicated, and gap-free even when officers submit at the same moment."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from decisions import services
from decisions.errors import ActionRefused
from decisions.models import Decision, ReferenceCounter
from decisions.roles import Role
from decisions.services import workflow
from decisions.states import Status
from demo.loader import load_demo
from tests.factories import UserFactory, fresh, make_complete_draft, submitted


def next_number() -> int:
    return ReferenceCounter.objects.get(prefix="PCD").last_number + 1


@pytest.mark.django_db
def test_references_are_sequential_without_gaps(officer: Any, other_officer: Any) -> None:
    first = next_number()
    drafts = [
        make_complete_draft(officer, title="Body-worn video"),
        make_complete_draft(other_officer, title="Custody healthcare"),
        make_complete_draft(officer, title="Fleet replacement"),
    ]

    references = [submitted(d, d.author).reference for d in drafts]

    assert references == [f"PCD {first}", f"PCD {first + 1}", f"PCD {first + 2}"]


@pytest.mark.django_db
def test_draft_has_no_reference_until_submitted(officer: Any) -> None:
    draft = make_complete_draft(officer)

    assert draft.reference_number is None
    assert draft.reference == "Not yet numbered"


@pytest.mark.django_db
def test_refused_submission_does_not_use_up_a_number(officer: Any) -> None:
    first = next_number()
    incomplete = services.decision_create(user=officer, title="Knife crime strategy")
    with pytest.raises(ActionRefused):
        services.decision_submit(decision=incomplete, user=officer)

    complete = submitted(make_complete_draft(officer), officer)

    assert fresh(incomplete).reference_number is None
    assert complete.reference_number == first


@pytest.mark.django_db
def test_submission_failing_after_taking_a_number_gives_it_back(
    officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = next_number()
    draft = make_complete_draft(officer)

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away while freezing the version")

    with monkeypatch.context() as patch:
        patch.setattr(workflow, "_freeze_version", fail)
        with pytest.raises(RuntimeError):
            services.decision_submit(decision=draft, user=officer)

    assert fresh(draft).reference_number is None
    assert ReferenceCounter.objects.get(prefix="PCD").last_number == first - 1
    assert submitted(draft, officer).reference_number == first


@pytest.mark.django_db
def test_resubmission_after_return_keeps_the_reference(
    make_decision: Any, officer: Any, chief_executive: Any
) -> None:
    decision = make_decision(Status.AWAITING_APPROVAL)
    reference = decision.reference_number
    services.decision_return(
        decision=decision, user=chief_executive, comment="Add the legal comments."
    )

    resubmitted = submitted(fresh(decision), officer)

    assert resubmitted.reference_number == reference
    assert ReferenceCounter.objects.get(prefix="PCD").last_number == reference
    assert list(resubmitted.versions.values_list("number", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_first_submission_after_pcd_279_is_pcd_280() -> None:
    users, published, _ = load_demo()
    draft = make_complete_draft(users[Role.OFFICER], title="Quarter 2 financial report")

    assert published.reference == "PCD 279"
    assert submitted(draft, users[Role.OFFICER]).reference == "PCD 280"


# --- at the same moment (SQLite: each transaction takes the write lock when it begins; ----------
# --- PostgreSQL: the counter's row lock) ---------------------------------------------------------

SIMULTANEOUS = 20
JOIN_TIMEOUT = 60


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_submissions_get_distinct_consecutive_references() -> None:
    first = next_number()
    officers = [
        UserFactory(username=f"officer{n}", roles=[Role.OFFICER]) for n in range(SIMULTANEOUS)
    ]
    drafts = [make_complete_draft(o, title=f"Borough grant {n}") for n, o in enumerate(officers)]
    start = threading.Barrier(SIMULTANEOUS, timeout=JOIN_TIMEOUT)
    errors: list[BaseException] = []

    def submit(draft: Decision, author: Any) -> None:
        try:
            start.wait()
            services.decision_submit(decision=draft, user=author)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit, args=pair) for pair in zip(drafts, officers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)

    assert not any(thread.is_alive() for thread in threads), "a submission never finished"
    assert errors == []
    numbers = sorted(
        Decision.objects.filter(pk__in=[d.pk for d in drafts]).values_list(
            "reference_number", flat=True
        )
    )
    assert numbers == list(range(first, first + SIMULTANEOUS))
    assert ReferenceCounter.objects.get(prefix="PCD").last_number == first + SIMULTANEOUS - 1
