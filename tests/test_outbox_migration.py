"""The notices sent before the outbox existed (one row per transition, its recipients as a list
of addresses) are kept: one sent row per address, tied to the person who has it."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from decisions.models import Notice, NoticeState

BEFORE_THE_OUTBOX = [("decisions", "0005_governance_admin_permissions")]
SENT = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_notices_sent_before_the_outbox_become_one_sent_row_per_address() -> None:
    executor = MigrationExecutor(connection)
    latest = list(executor.loader.graph.leaf_nodes())
    _migrate(BEFORE_THE_OUTBOX)
    old = MigrationExecutor(connection).loader.project_state(BEFORE_THE_OUTBOX).apps
    user = old.get_model("auth", "User")
    helen = user.objects.create(username="helen", email="helen@example.org")
    author = user.objects.create(username="priya", email="priya@example.org")
    template = old.get_model("decisions", "FormTemplate").objects.create(
        name="Request for DMPC Decision",
        version=98,
        effective_from="2017-01-01",
        foia_statement="",
        deferral_guidance="",
        part_two_guidance="",
        officer_approval_declaration="",
        dmpc_declaration="",
        dmpc_approval_statement="",
    )
    decision = old.get_model("decisions", "Decision").objects.create(
        template=template, title="Quarterly report", author=author
    )
    log = old.get_model("decisions", "TransitionLog").objects
    submitted = log.create(
        decision=decision,
        transition="submit",
        from_status="draft",
        to_status="awaiting_approval",
        actor_name="Priya Shah",
    )
    published = log.create(
        decision=decision,
        transition="publish",
        from_status="approved",
        to_status="published",
        actor_name="System",
    )
    notices = old.get_model("decisions", "Notice").objects
    notices.create(entry=submitted, recipients="helen@example.org, gone@example.org", sent_at=SENT)
    notices.create(entry=published, recipients="", sent_at=SENT)
    try:
        _migrate(latest)

        rows = Notice.objects.filter(entry_id=submitted.pk).order_by("email")
        assert [(n.email, n.recipient_id, n.state, n.sent_at) for n in rows] == [
            ("gone@example.org", None, NoticeState.SENT, SENT),
            ("helen@example.org", helen.pk, NoticeState.SENT, SENT),
        ]
        assert not Notice.objects.filter(entry_id=published.pk).exists()
    finally:
        _migrate(latest)
