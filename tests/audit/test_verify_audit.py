"""The audit chain: PCD 279's log, versions and signatures are links signed by the server key;
a row changed, deleted or slipped in behind the services (raw SQL, triggers off) is reported by
verify_audit, naming the record, with a non-zero exit."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction

from audit.chain import verify
from audit.models import Link
from decisions.models import Decision, Signature, SignatureKind, TransitionLog
from decisions.roles import Role
from decisions.signatures import record_hash, verify_signatures
from decisions.tasks import verify_audit_chain
from demo.loader import load_demo
from tests.audit.helpers import as_dba, verify_audit_error


@pytest.fixture
def pcd_279(db: None) -> Decision:
    _, published, _ = load_demo()
    return published


def test_pcd_279_chain_is_intact(pcd_279: Decision) -> None:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "The audit chain is intact" in out.getvalue()
    kinds = set(Link.objects.values_list("kind", flat=True))
    assert {"decisions.transition", "decisions.version", "decisions.signature"} <= kinds
    assert all(len(link.signature) == 88 for link in Link.objects.all())


def test_changed_paragraph_is_named(pcd_279: Decision) -> None:
    paragraph = pcd_279.paragraphs.order_by("section__number", "position").first()
    assert paragraph is not None
    with as_dba("decisions_paragraph") as cursor:
        cursor.execute(
            "UPDATE decisions_paragraph SET text = %s WHERE id = %s",
            ["The DMPC approved nothing.", paragraph.pk],
        )
    message = verify_audit_error()
    assert "PCD 279 paragraph 1.1 differs from what the DMPC signed" in message


def test_changed_signature_is_named(pcd_279: Decision) -> None:
    signature = pcd_279.signatures.get(kind=SignatureKind.DMPC_DECISION)
    with as_dba("decisions_signature") as cursor:
        cursor.execute(
            "UPDATE decisions_signature SET signer_name = %s WHERE id = %s",
            ["Someone Else", signature.pk],
        )
    message = verify_audit_error()
    assert "PCD 279 signature #2 (DMPC decision) changed: signer_name" in message


def test_rehashed_signature_is_no_longer_verified(pcd_279: Decision) -> None:
    """Anyone with write access can recompute the SHA-256: the server key's signature of the
    record, which they cannot make, still tells."""
    signature = pcd_279.signatures.get(kind=SignatureKind.DMPC_DECISION)
    signature.interests = "None, truly"
    forged = record_hash(signature)
    with as_dba("decisions_signature") as cursor:
        cursor.execute(
            "UPDATE decisions_signature SET interests = %s, record_hash = %s WHERE id = %s",
            ["None, truly", forged, signature.pk],
        )
    check = {c.signature.pk: c for c in verify_signatures(pcd_279)}[signature.pk]
    assert check.record_intact  # the bare hash was recomputed…
    assert not check.valid  # …but the page no longer says "Verified"
    assert "server key does not vouch" in check.summary
    assert "PCD 279 signature #2 (DMPC decision) changed: interests, record_hash" in (
        verify_audit_error()
    )


def test_changed_log_row_is_named(pcd_279: Decision) -> None:
    entry = pcd_279.log.get(transition="approve")
    with as_dba("decisions_transitionlog") as cursor:
        cursor.execute(
            "UPDATE decisions_transitionlog SET actor_name = %s WHERE id = %s",
            ["The DMPC", entry.pk],
        )
    assert "PCD 279 log entry #2 (approve) changed: actor_name" in verify_audit_error()


def test_deleted_log_row_is_named(pcd_279: Decision) -> None:
    entry = pcd_279.log.get(transition="approve")
    with as_dba("decisions_transitionlog", "decisions_notice") as cursor:
        cursor.execute("DELETE FROM decisions_notice WHERE entry_id = %s", [entry.pk])
        cursor.execute("DELETE FROM decisions_transitionlog WHERE id = %s", [entry.pk])
    assert "PCD 279 log entry #2 (approve) was deleted" in verify_audit_error()


def test_inserted_log_row_is_named(pcd_279: Decision) -> None:
    entry = pcd_279.log.order_by("pk").last()
    assert entry is not None
    with as_dba("decisions_transitionlog") as cursor:
        cursor.execute(
            "INSERT INTO decisions_transitionlog (decision_id, transition, from_status, "
            "to_status, actor_id, actor_name, comment, at) VALUES (%s, 'withdraw', "
            "'published', 'withdrawn', NULL, 'System', '', %s)",
            [pcd_279.pk, entry.at],
        )
    assert "PCD 279 log entry #5 (withdraw) is not in the audit chain" in verify_audit_error()


def test_edited_link_is_found_even_when_rehashed(pcd_279: Decision) -> None:
    """Rewriting a link and its hash is not enough: the server key's signature fails."""
    from audit.chain import link_hash

    link = Link.objects.get(sequence=3)
    payload = {**link.payload, "comment": "rewritten"}
    forged = link_hash(
        sequence=link.sequence,
        kind=link.kind,
        subject=link.subject,
        label=link.label,
        payload=payload,
        at=link.at,
        previous_hash=link.previous_hash,
    )
    with as_dba("audit_link") as cursor:
        cursor.execute(
            "UPDATE audit_link SET payload = %s, hash = %s WHERE id = %s",
            [json.dumps(payload), forged, link.pk],
        )
    message = verify_audit_error()
    assert "Link 3" in message
    assert "does not follow" in message or "not signed by the server key" in message


def test_deleted_link_breaks_the_chain(pcd_279: Decision) -> None:
    with as_dba("audit_link") as cursor:
        cursor.execute("DELETE FROM audit_link WHERE sequence = 2")
    assert "Link 2 is missing or out of order" in verify_audit_error()


@pytest.mark.postgres
def test_postgres_refuses_to_update_or_delete_links(pcd_279: Decision) -> None:
    for statement in ("UPDATE audit_link SET label = 'x'", "DELETE FROM audit_link"):
        with (
            pytest.raises((InternalError, ProgrammingError, IntegrityError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert verify() == []


def test_links_refuse_changes_in_the_model(pcd_279: Decision) -> None:
    link = Link.objects.first()
    assert link is not None
    with pytest.raises(ValueError, match="append-only"):
        link.save()
    with pytest.raises(ValueError, match="append-only"):
        link.delete()


def test_nightly_check_alerts_governance(pcd_279: Decision, django_user_model: Any) -> None:
    cache.clear()
    governance = django_user_model.objects.get(groups__name=Role.GOVERNANCE.value)
    governance.email = "governance@example.org"
    governance.save()
    assert verify_audit_chain() == 0
    assert mail.outbox == []
    entry = pcd_279.log.get(transition="sign_off")
    with as_dba("decisions_transitionlog") as cursor:
        cursor.execute(
            "UPDATE decisions_transitionlog SET comment = %s WHERE id = %s", ["edited", entry.pk]
        )
    assert verify_audit_chain() >= 1
    assert [m.to for m in mail.outbox] == [["governance@example.org"]]
    assert "PCD 279 log entry #3 (sign_off) changed: comment" in mail.outbox[0].body


def test_log_entries_and_links_commit_together(pcd_279: Decision) -> None:
    assert TransitionLog.objects.count() + Signature.objects.count() <= Link.objects.count()


def test_records_made_before_the_chain_are_adopted(pcd_279: Decision) -> None:
    """The migration that brings the chain adopts the rows already there: afterwards the chain
    is intact and every signature is vouched for again."""
    from django.apps import apps

    from accounts.chain import adopt_existing as adopt_role_changes
    from decisions.chain import adopt_existing

    with as_dba("audit_link") as cursor:
        cursor.execute("DELETE FROM audit_link")
    assert any("not in the audit chain" in p for p in verify())
    assert not all(check.valid for check in verify_signatures(pcd_279))
    assert adopt_existing(apps) + adopt_role_changes() == Link.objects.count() > 0
    assert verify() == []
    assert all(check.valid for check in verify_signatures(pcd_279))
