"""Role changes are links of the audit chain: each is appended with the change, and a change
edited or slipped in behind the service is reported by verify_audit, naming it."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from accounts import services
from audit.models import Link
from decisions.roles import Role
from tests.audit.helpers import as_dba, verify_audit_error

pytestmark = pytest.mark.django_db


def test_a_role_change_is_a_link_and_the_chain_is_intact(administrator: Any, officer: Any) -> None:
    change = services.role_grant(actor=administrator, subject=officer, role=Role.DMPC)
    link = Link.objects.get(kind="accounts.rolechange", subject=f"accounts.rolechange:{change.pk}")
    assert link.payload["role"] == "dmpc" and link.payload["action"] == "granted"
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "The audit chain is intact" in out.getvalue()


def test_a_role_change_edited_in_the_database_is_named(administrator: Any, officer: Any) -> None:
    change = services.role_grant(actor=administrator, subject=officer, role=Role.DMPC)
    with as_dba("accounts_rolechange") as cursor:
        cursor.execute(
            "UPDATE accounts_rolechange SET actor_name = %s WHERE id = %s",
            ["Nobody at all", change.pk],
        )
    assert f"Role change #{change.pk}" in verify_audit_error()
