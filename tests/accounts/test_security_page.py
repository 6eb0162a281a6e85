"""Sign-in and security: a signed-in person sees their passkeys (name, when added, when last used),
renames and removes them (removing asks for the second factor within the hour, and never takes
the last passkey of someone whose role needs a second factor, saying why), sees how many backup
codes they have left and makes a new set, shown once. Every change is recorded, append-only, in
the audit chain."""

from __future__ import annotations

import datetime
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp_webauthn.models import WebAuthnCredential

from accounts import services
from accounts.models import SecondFactorChange
from audit.models import Link
from decisions.errors import ActionRefused
from decisions.roles import Role
from tests.accounts.test_passkeys import backup_codes_of
from tests.audit.helpers import as_dba, verify_audit_error
from tests.factories import UserFactory, passed_second_factor, sign_in
from tests.pages.helpers import error_summary, html_of, text_of

pytestmark = pytest.mark.django_db

SECURITY = "/account/security/"


def passkey(user: Any, name: str, **fields: Any) -> Any:
    made = WebAuthnCredential.objects.count()
    return WebAuthnCredential.objects.create(
        user=user,
        name=name,
        credential_id=f"{user.pk}-{made}".encode(),
        public_key=b"key",
        sign_count=0,
        **fields,
    )


@pytest.fixture
def carol() -> Any:
    """A Chief Executive with two passkeys and backup codes; second factor not passed."""
    user = UserFactory(username="carol", first_name="Carol", roles=[Role.CHIEF_EXECUTIVE])
    passkey(user, "Work laptop", last_used_at=timezone.now() - datetime.timedelta(days=2))
    passkey(user, "Security key")
    backup_codes_of(user)
    return user


def remove_url(key: Any) -> str:
    return reverse("accounts:passkey_remove", args=[key.pk])


def test_everyone_signed_in_finds_the_page_in_the_navigation(officer: Any) -> None:
    page = sign_in(Client(), officer).get(reverse("staff:dashboard"))
    assert re.search(
        r'<a class="govuk-service-navigation__link" href="/account/security/">', html_of(page)
    )
    assert reverse("accounts:security") == SECURITY


def test_the_page_lists_ones_passkeys_and_backup_codes_left(carol: Any) -> None:
    StaticToken.objects.filter(device__user=carol).first().delete()  # one code used
    page = sign_in(Client(), carol).get(SECURITY)
    text = text_of(page)
    assert "Sign-in and security" in text
    work, _ = WebAuthnCredential.objects.filter(user=carol).order_by("pk")
    assert (
        f"Work laptop Rename Work laptop Remove Work laptop Added {work.created_at:%-d %B %Y}"
        in text
    )
    assert f"Last used {work.last_used_at:%-d %B %Y}" in text
    assert "Security key Rename Security key Remove Security key" in text
    assert "Not used yet" in text
    assert re.search(r'id="backup-codes-left">9<', html_of(page))
    assert "Make new backup codes" in text
    # Not passed within the hour: adding another passkey asks for it first.
    assert 'href="/account/second-factor/?next=%2Faccount%2Fsecurity%2F"' in html_of(page)
    assert 'id="passkey-register-button"' not in html_of(page)


def test_someone_else_s_passkey_is_not_found(carol: Any, officer: Any) -> None:
    client = sign_in(Client(), passed_second_factor(officer))
    key = WebAuthnCredential.objects.filter(user=carol).first()
    assert client.get(remove_url(key)).status_code == 404
    assert client.post(remove_url(key)).status_code == 404
    rename = reverse("accounts:passkey_rename", args=[key.pk])
    assert client.post(rename, {"name": "Mine now"}).status_code == 404
    assert WebAuthnCredential.objects.filter(user=carol).count() == 2
    with pytest.raises(ActionRefused, match="only change your own passkeys"):
        services.passkey_rename(user=officer, passkey=key, name="Mine now")


def test_renaming_a_passkey_is_recorded(carol: Any) -> None:
    client = sign_in(Client(), carol)
    key = WebAuthnCredential.objects.get(user=carol, name="Security key")
    url = reverse("accounts:passkey_rename", args=[key.pk])
    assert 'value="Security key"' in html_of(client.get(url))
    empty = client.post(url, {"name": "  "})
    assert "Enter a name for the passkey" in error_summary(empty)
    assert "<title>Error: Rename your passkey" in html_of(empty)
    done = client.post(url, {"name": "Blue YubiKey"}, follow=True)
    assert "Passkey renamed to ‘Blue YubiKey’." in text_of(done)
    key.refresh_from_db()
    assert key.name == "Blue YubiKey"
    change = SecondFactorChange.objects.get(action=SecondFactorChange.Action.PASSKEY_RENAMED)
    assert (change.person, change.previous_name, change.name) == (carol, "Security key", key.name)
    assert "Passkey renamed: “Security key” to “Blue YubiKey”" in text_of(done)


def test_removing_a_passkey_asks_for_the_second_factor_first(carol: Any) -> None:
    key = WebAuthnCredential.objects.get(user=carol, name="Security key")
    client = sign_in(Client(), carol)
    for response in (client.get(remove_url(key)), client.post(remove_url(key))):
        assert response.status_code == 302
        assert response["Location"] == (
            f"/account/second-factor/?next=%2Faccount%2Fsecurity%2Fpasskeys%2F{key.pk}%2Fremove%2F"
        )
    with pytest.raises(ActionRefused, match="Confirm it is you"):
        services.passkey_remove(user=carol, passkey=key)
    assert WebAuthnCredential.objects.filter(pk=key.pk).exists()


def test_a_passkey_is_removed_after_a_confirmation_and_recorded(carol: Any) -> None:
    key = WebAuthnCredential.objects.get(user=carol, name="Security key")
    client = sign_in(Client(), passed_second_factor(carol))
    page = client.get(remove_url(key))
    assert "Are you sure you want to remove this passkey?" in text_of(page)
    assert "Yes, remove this passkey" in text_of(page)
    done = client.post(remove_url(key), follow=True)
    assert "Passkey ‘Security key’ removed." in text_of(done)
    assert not WebAuthnCredential.objects.filter(pk=key.pk).exists()
    change = SecondFactorChange.objects.get(action=SecondFactorChange.Action.PASSKEY_REMOVED)
    assert (change.person, change.passkey, change.name) == (carol, key.pk, "Security key")
    link = Link.objects.get(subject=f"accounts.secondfactorchange:{change.pk}")
    assert link.payload["action"] == "passkey_removed" and link.payload["name"] == "Security key"
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "The audit chain is intact" in out.getvalue()


def test_the_last_passkey_of_a_chief_executive_is_never_removed(carol: Any) -> None:
    client = sign_in(Client(), passed_second_factor(carol))
    first, last = WebAuthnCredential.objects.filter(user=carol).order_by("pk")
    client.post(remove_url(first))
    # Backup codes are left, but they run out: the last passkey stays, and the page says why.
    page = client.get(remove_url(last))
    reason = (
        "You cannot remove your only passkey. Your role (Chief Executive) needs a second factor, "
        "and backup codes alone run out. Add another passkey first, then remove this one."
    )
    assert "You cannot remove this passkey" in text_of(page)
    assert reason in text_of(page)
    assert "Yes, remove" not in text_of(page)
    assert reason in text_of(client.post(remove_url(last)))
    with pytest.raises(ActionRefused, match="Your role \\(Chief Executive\\) needs"):
        services.passkey_remove(user=carol, passkey=last)
    assert WebAuthnCredential.objects.filter(pk=last.pk).exists()


def test_someone_whose_role_needs_no_second_factor_may_remove_their_only_passkey(
    officer: Any,
) -> None:
    key = passkey(officer, "Phone")
    client = sign_in(Client(), passed_second_factor(officer))
    client.post(remove_url(key))
    assert not WebAuthnCredential.objects.filter(user=officer).exists()


def test_a_new_set_of_backup_codes_is_shown_once_and_the_old_stop_working(carol: Any) -> None:
    old = list(StaticToken.objects.filter(device__user=carol).values_list("token", flat=True))
    new_codes = reverse("accounts:backup_codes_new")
    client = sign_in(Client(), carol)
    asked = client.get(new_codes)
    assert (
        asked["Location"]
        == "/account/second-factor/?next=%2Faccount%2Fsecurity%2Fbackup-codes%2Fnew%2F"
    )
    client = sign_in(Client(), passed_second_factor(carol))
    page = client.get(new_codes)
    assert "You have 10 backup codes left." in text_of(page)
    assert "The backup codes you have now will stop working." in text_of(page)
    made = client.post(new_codes)
    assert made["Location"] == "/account/security/backup-codes/?next=%2Faccount%2Fsecurity%2F"
    shown = client.get(made["Location"])
    assert "You have new backup codes" in text_of(shown)
    codes = re.findall(r"<li><code>(\w+)</code></li>", html_of(shown))
    assert len(codes) == 10 and not set(codes) & set(old)
    assert client.get(made["Location"])["Location"] == SECURITY  # once only
    services.second_factor_verify(user=carol, token=codes[0])
    with pytest.raises(ActionRefused, match="The code is not right"):
        services.second_factor_verify(user=carol, token=old[0])
    assert SecondFactorChange.objects.filter(
        person=carol, action=SecondFactorChange.Action.BACKUP_CODES_MADE
    ).exists()


def test_backup_codes_need_a_passkey_or_an_authenticator_app(officer: Any) -> None:
    client = sign_in(Client(), passed_second_factor(officer))
    page = client.get(reverse("accounts:backup_codes_new"))
    assert "You cannot make backup codes yet" in text_of(page)
    assert "Add a passkey or set up an authenticator app before you make backup codes." in text_of(
        page
    )
    client.post(reverse("accounts:backup_codes_new"))
    assert not StaticToken.objects.filter(device__user=officer).exists()


def test_the_page_lists_the_changes_made(carol: Any) -> None:
    key = WebAuthnCredential.objects.get(user=carol, name="Security key")
    passed_second_factor(carol)
    services.passkey_rename(user=carol, passkey=key, name="Red key")
    services.passkey_remove(user=carol, passkey=key)
    text = text_of(sign_in(Client(), carol).get(SECURITY))
    assert "Passkey removed: “Red key”" in text
    assert "Passkey renamed: “Security key” to “Red key”" in text
    assert "If you did not make one of these changes, tell the MOPAC governance team" in text


def test_a_second_factor_change_edited_in_the_database_is_named(carol: Any) -> None:
    key = WebAuthnCredential.objects.get(user=carol, name="Security key")
    change = services.passkey_rename(user=carol, passkey=key, name="Red key")
    with as_dba("accounts_secondfactorchange") as cursor:
        cursor.execute(
            "UPDATE accounts_secondfactorchange SET name = %s WHERE id = %s",
            ["Someone else's key", change.pk],
        )
    assert f"Second factor change #{change.pk}" in verify_audit_error()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_passkeys_removed_at_once_leave_one() -> None:
    """Each removal alone would leave a passkey; both at once must not leave none (the person's
    row is locked, so the second counts again after the first)."""
    from tests.test_concurrency import all_at_once

    user = UserFactory(username="dana", roles=[Role.CHIEF_EXECUTIVE])
    keys = [passkey(user, "Phone"), passkey(user, "Laptop")]
    passed_second_factor(user)
    removed, errors = all_at_once(
        [lambda key=key: services.passkey_remove(user=user, passkey=key) for key in keys]
    )
    assert len(removed) == 1
    assert [str(e) for e in errors if not isinstance(e, ActionRefused)] == []
    assert "You cannot remove your only passkey" in str(errors[0])
    assert WebAuthnCredential.objects.filter(user=user).count() == 1
