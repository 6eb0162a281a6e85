"""People acting on the same request at the same moment: exactly one wins, the others are told,
and nobody sees an error page. These run on SQLite (the embedded default: transactions take the
write lock when they begin, so the others wait their turn) and on PostgreSQL (row locks) alike."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from decisions import services
from decisions.errors import ActionRefused
from decisions.models import Signature, SignatureKind, TransitionLog
from decisions.roles import Role
from decisions.states import Status
from tests.factories import UserFactory, fresh, passed_second_factor, sign_in
from tests.pages.helpers import text_of, use_plain_static_storage

JOIN_TIMEOUT = 120
SIMULTANEOUS = 10
REFUSAL = "This request changed while you were looking at it"


def all_at_once(actions: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    """Run each action in a thread of its own, released together; their results and errors."""
    start = threading.Barrier(len(actions), timeout=JOIN_TIMEOUT)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(action: Callable[[], Any]) -> None:
        try:
            start.wait()
            results.append(action())
        except BaseException as error:  # judged by the test, in the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "an action never finished"
    return results, errors


def dmpcs(count: int) -> list[Any]:
    return [
        passed_second_factor(
            UserFactory(username=f"dmpc{n}", last_name=f"Mayor {n}", roles=[Role.DMPC])
        )
        for n in range(count)
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_simultaneous_sign_offs_one_signs_and_nine_are_refused(make_decision: Any) -> None:
    decision = make_decision(Status.AWAITING_SIGNOFF)
    signers = dmpcs(SIMULTANEOUS)

    def sign_off(user: Any) -> Callable[[], Any]:
        return lambda: services.decision_sign_off(
            decision=decision,
            user=user,
            confirmed=True,
            interests="None",
            expected_status=Status.AWAITING_SIGNOFF,
        )

    signed, errors = all_at_once([sign_off(user) for user in signers])

    refusals = [error for error in errors if isinstance(error, ActionRefused)]
    assert [e for e in errors if not isinstance(e, ActionRefused)] == []
    assert len(signed) == 1
    assert len(refusals) == SIMULTANEOUS - 1
    assert all(REFUSAL in str(r) and "Nothing was changed" in str(r) for r in refusals)
    signatures = Signature.objects.filter(decision=decision, kind=SignatureKind.DMPC_DECISION)
    assert [s.signer for s in signatures] == [signed[0].signer]
    log = TransitionLog.objects.filter(decision=decision, transition="sign_off")
    assert [entry.actor for entry in log] == [signed[0].signer]
    assert fresh(decision).status == Status.PUBLISHED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_simultaneous_sign_off_pages_give_one_success_and_nine_refusals_never_an_error(
    make_decision: Any, settings: Any
) -> None:
    use_plain_static_storage(settings)
    decision = make_decision(Status.AWAITING_SIGNOFF)
    url = f"/staff/requests/{decision.pk}/sign_off/"
    form = {
        "has_interests": "no",
        "confirmed": "on",
        "comment": "",
        "expected_status": Status.AWAITING_SIGNOFF,
    }
    clients = []
    for user in dmpcs(SIMULTANEOUS):
        client = Client(raise_request_exception=False)
        sign_in(client, user)
        clients.append(client)

    def press(client: Client) -> Callable[[], Any]:
        return lambda: client.post(url, form)

    responses, errors = all_at_once([press(client) for client in clients])

    assert errors == []
    codes = sorted(response.status_code for response in responses)
    assert codes == [200] * (SIMULTANEOUS - 1) + [302]
    refused = [r for r in responses if r.status_code == 200]
    assert all(REFUSAL in text_of(r) for r in refused)
    assert all("There is a problem" in text_of(r) for r in refused)
    assert TransitionLog.objects.filter(decision=decision, transition="sign_off").count() == 1
    assert fresh(decision).status == Status.PUBLISHED
