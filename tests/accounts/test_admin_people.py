"""The admin's user pages: a governance officer (who before could tick "Superuser status", join
the dmpc group and set anyone's password) only reads them; a system administrator edits names and
whether an account is active, and nothing that grants power; nobody but a superuser sees a
password form."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from decisions.roles import Role, roles_of
from tests.factories import sign_in
from tests.pages.helpers import html_of, text_of

pytestmark = pytest.mark.django_db


def change(user: Any) -> str:
    return reverse("admin:auth_user_change", args=[user.pk])


def password(user: Any) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


def escalation(user: Any) -> dict[str, Any]:
    from django.contrib.auth.models import Group

    return {
        "username": user.username,
        "first_name": "Renamed",
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [str(Group.objects.get(name="dmpc").pk)],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "_save": "Save",
    }


def fresh_user(user: Any) -> Any:
    return get_user_model().objects.get(pk=user.pk)


@pytest.mark.parametrize("target", ["self", "other"])
def test_governance_cannot_make_anyone_superuser_or_dmpc(
    governance_admin: Any, officer: Any, target: str
) -> None:
    subject = governance_admin if target == "self" else officer
    client = sign_in(Client(), governance_admin)
    page = client.get(change(subject))
    assert page.status_code == 200
    assert "Superuser status" not in text_of(page)
    assert 'name="is_superuser"' not in html_of(page)
    assert 'name="groups"' not in html_of(page)
    assert client.post(change(subject), escalation(subject)).status_code == 403
    after = fresh_user(subject)
    assert not after.is_superuser
    assert Role.DMPC not in roles_of(after)
    assert client.get(password(subject)).status_code == 403
    assert (
        client.post(password(subject), {"password1": "x" * 20, "password2": "x" * 20}).status_code
        == 403
    )
    assert fresh_user(subject).check_password("a-long-test-password")


def test_a_system_administrator_edits_names_but_grants_nothing_in_the_admin(
    administrator: Any, officer: Any
) -> None:
    administrator.is_staff = True
    administrator.save(update_fields=["is_staff"])
    client = sign_in(Client(), administrator)
    page = client.get(change(officer))
    html = html_of(page)
    for field in ("is_superuser", "is_staff", "groups", "user_permissions", "password"):
        assert f'name="{field}"' not in html, field
    assert client.post(change(officer), escalation(officer)).status_code == 302
    after = fresh_user(officer)
    assert after.first_name == "Renamed"
    assert not after.is_superuser and not after.is_staff
    assert roles_of(after) == {Role.OFFICER}
    assert client.get(password(officer)).status_code == 403
    # Their own account: not editable here (and their roles only by another administrator).
    assert client.post(change(administrator), escalation(administrator)).status_code == 403
    assert not fresh_user(administrator).is_superuser


def test_the_people_page_changes_roles_for_a_system_administrator_only(
    administrator: Any, governance: Any, officer: Any
) -> None:
    url = reverse("accounts:person_roles", args=[officer.pk])
    assert sign_in(Client(), governance).get(url).status_code == 403
    client = sign_in(Client(), administrator)
    people = client.get(reverse("accounts:people"))
    assert "priya" in text_of(people)
    response = client.post(url, {"role": Role.CHIEF_EXECUTIVE.value, "action": "add"})
    assert response.status_code == 302
    assert Role.CHIEF_EXECUTIVE in roles_of(fresh_user(officer))
    assert "Chief Executive given" in text_of(client.get(reverse("accounts:people")))
    own = client.post(
        reverse("accounts:person_roles", args=[administrator.pk]),
        {"role": Role.DMPC.value, "action": "add"},
    )
    assert "You cannot change your own roles" in text_of(own)
    assert Role.DMPC not in roles_of(fresh_user(administrator))
