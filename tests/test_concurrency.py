"""Two people acting on the same request at the same moment: exactly one wins, the
other is told. Real concurrent transactions need PostgreSQL's row locks."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from decisions import services
from decisions.errors import ActionRefused
from decisions.models import Signature, SignatureKind, TransitionLog
from decisions.roles import Role
from decisions.states import Status
from tests.factories import UserFactory, fresh

JOIN_TIMEOUT = 30


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_dmpcs_signing_off_at_once_only_one_signs(make_decision: Any, dmpc: Any) -> None:
    decision = make_decision(Status.AWAITING_SIGNOFF)
    second_dmpc = UserFactory(
        username="nadia", first_name="Nadia", last_name="Rahman", roles=[Role.DMPC]
    )
    start = threading.Barrier(2, timeout=JOIN_TIMEOUT)
    signed: list[Any] = []
    refused: list[ActionRefused] = []
    errors: list[BaseException] = []

    def sign_off(user: Any) -> None:
        try:
            start.wait()
            services.decision_sign_off(
                decision=decision,
                user=user,
                confirmed=True,
                interests="None",
                expected_status=Status.AWAITING_SIGNOFF,
            )
            signed.append(user)
        except ActionRefused as refusal:
            refused.append(refusal)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_off, args=(u,)) for u in (dmpc, second_dmpc)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)

    assert not any(thread.is_alive() for thread in threads), "a sign-off never finished"
    assert errors == []
    assert len(signed) == 1
    assert len(refused) == 1
    assert "changed while you were looking at it" in str(refused[0])
    assert "Nothing was changed" in str(refused[0])
    signatures = Signature.objects.filter(decision=decision, kind=SignatureKind.DMPC_DECISION)
    assert [s.signer for s in signatures] == signed
    log = TransitionLog.objects.filter(decision=decision, transition="sign_off")
    assert [entry.actor for entry in log] == signed
    assert fresh(decision).status == Status.PUBLISHED
