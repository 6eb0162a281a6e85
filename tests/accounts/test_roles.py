"""Roles change only through accounts.services, by a system administrator who passed their second
factor, never their own, never so that one person both signs and oversees; each change is
recorded (append-only) and announced (role_changed)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.db.utils import DatabaseError

from accounts import services
from accounts.models import RoleChange
from accounts.signals import role_changed
from decisions.errors import ActionRefused
from decisions.roles import Role, roles_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def roles(user: Any) -> frozenset[str]:
    return roles_of(type(user).objects.get(pk=user.pk))


def test_a_system_administrator_gives_a_role_and_it_is_recorded_and_announced(
    administrator: Any, officer: Any
) -> None:
    heard: list[RoleChange] = []

    def receiver(sender: Any, change: RoleChange, **kwargs: Any) -> None:
        heard.append(change)

    role_changed.connect(receiver)
    try:
        change = services.role_grant(actor=administrator, subject=officer, role=Role.DMPC)
    finally:
        role_changed.disconnect(receiver)
    assert Role.DMPC in roles(officer)
    stored = RoleChange.objects.get()
    assert (stored.subject, stored.role, stored.action, stored.actor) == (
        officer,
        Role.DMPC.value,
        RoleChange.Action.GRANTED,
        administrator,
    )
    assert stored.actor_name == "Ada Shaw"
    assert heard == [change]
    services.role_remove(actor=administrator, subject=officer, role=Role.DMPC)
    assert Role.DMPC not in roles(officer)
    assert RoleChange.objects.count() == 2


@pytest.mark.parametrize("who", ["governance", "chief_executive", "dmpc", "officer"])
def test_nobody_but_a_system_administrator_changes_roles(
    request: pytest.FixtureRequest, who: str, other_officer: Any
) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(ActionRefused, match="Only a system administrator"):
        services.role_grant(actor=actor, subject=other_officer, role=Role.DMPC)
    with pytest.raises(ActionRefused, match="Only a system administrator"):
        services.role_grant(actor=actor, subject=actor, role=Role.DMPC)
    assert Role.DMPC not in roles(other_officer)
    assert not RoleChange.objects.exists()


def test_nobody_changes_their_own_roles(administrator: Any) -> None:
    with pytest.raises(ActionRefused, match="You cannot change your own roles"):
        services.role_grant(actor=administrator, subject=administrator, role=Role.DMPC)
    with pytest.raises(ActionRefused, match="You cannot change your own roles"):
        services.role_remove(actor=administrator, subject=administrator, role=Role.SYSTEM_ADMIN)
    assert roles(administrator) == {Role.SYSTEM_ADMIN}


def test_the_database_refuses_a_role_change_recorded_as_ones_own(administrator: Any) -> None:
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 - IntegrityError, by backend
        RoleChange.objects.create(
            subject=administrator,
            subject_name="x",
            role=Role.DMPC,
            action="granted",
            actor=administrator,
            actor_name="x",
        )


@pytest.mark.parametrize(
    ("held", "adding"),
    [
        (Role.GOVERNANCE, Role.CHIEF_EXECUTIVE),
        (Role.GOVERNANCE, Role.DMPC),
        (Role.CHIEF_EXECUTIVE, Role.GOVERNANCE),
        (Role.DMPC, Role.GOVERNANCE),
        (Role.DMPC, Role.SYSTEM_ADMIN),
        (Role.SYSTEM_ADMIN, Role.CHIEF_EXECUTIVE),
    ],
)
def test_nobody_both_signs_and_oversees(administrator: Any, held: Role, adding: Role) -> None:
    person = UserFactory(roles=[held])
    with pytest.raises(ActionRefused, match="nobody who signs may oversee"):
        services.role_grant(actor=administrator, subject=person, role=adding)
    assert roles(person) == {held}


def test_a_role_change_needs_the_second_factor_passed_within_the_hour(
    administrator: Any, officer: Any
) -> None:
    administrator.second_factor_at -= datetime.timedelta(minutes=61)
    with pytest.raises(ActionRefused, match="second factor"):
        services.role_grant(actor=administrator, subject=officer, role=Role.DMPC)
    del administrator.second_factor_at
    with pytest.raises(ActionRefused, match="second factor"):
        services.role_grant(actor=administrator, subject=officer, role=Role.DMPC)
    assert Role.DMPC not in roles(officer)


def test_governance_can_no_longer_change_accounts_in_the_admin() -> None:
    """Migration 0005 gave governance auth.change_user; 0007 takes it (and add_user) away."""
    granted = set(
        Group.objects.get(name="governance").permissions.values_list("codename", flat=True)
    )
    assert "change_user" not in granted
    assert "add_user" not in granted
    assert "view_user" in granted
    assert Permission.objects.filter(group__name="system_admin", codename="change_user").exists()


def test_a_role_change_is_never_changed_or_deleted(administrator: Any, officer: Any) -> None:
    change = services.role_grant(actor=administrator, subject=officer, role=Role.DMPC)
    change.role = Role.GOVERNANCE
    with pytest.raises(ValueError, match="append-only"):
        change.save()
    with pytest.raises(ValueError, match="append-only"):
        change.delete()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE accounts_rolechange SET role = 'governance'",
        "DELETE FROM accounts_rolechange",
    ],
)
def test_postgresql_refuses_to_rewrite_a_role_change(
    administrator: Any, officer: Any, sql: str
) -> None:
    services.role_grant(actor=administrator, subject=officer, role=Role.DMPC)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert RoleChange.objects.get().role == Role.DMPC
