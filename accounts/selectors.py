"""The reads of accounts about a person's own second factors: their passkeys, their authenticator
app, how many backup codes they have left, and the changes they made to them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import SecondFactorChange
from decisions.types import User

RECENT_CHANGES = 10


def passkeys_of(user: User) -> QuerySet[WebAuthnCredential]:
    """The person's passkeys, oldest first (the order they were added in)."""
    found: QuerySet[WebAuthnCredential] = WebAuthnCredential.objects.filter(
        user=user, confirmed=True
    ).order_by(F("created_at").asc(nulls_first=True), "pk")
    return found


def authenticator_of(user: User) -> TOTPDevice | None:
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device


def backup_codes_left(user: User) -> int:
    """The backup codes not used yet (each works once)."""
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


@dataclass(frozen=True)
class Factors:
    """What a person can pass their second factor with now."""

    passkeys: int
    authenticator: bool
    backup_codes: int

    @property
    def takes_a_code(self) -> bool:
        """Whether a code box is any use to them: an authenticator app, or a backup code left."""
        return self.authenticator or self.backup_codes > 0

    @property
    def lasting(self) -> int:
        """Passkeys and authenticator apps: the factors that do not run out, as backup codes do."""
        return self.passkeys + int(self.authenticator)


def factors_of(user: User) -> Factors:
    return Factors(
        passkeys=passkeys_of(user).count(),
        authenticator=authenticator_of(user) is not None,
        backup_codes=backup_codes_left(user),
    )


def second_factor_changes_of(user: User) -> QuerySet[SecondFactorChange]:
    """The latest changes the person made to their second factors, newest first."""
    return SecondFactorChange.objects.filter(person=user)[:RECENT_CHANGES]
