from typing import Any

from django.core.management.base import BaseCommand

from decisions.roles import SECOND_FACTOR_ROLES
from demo.loader import (
    DEMO_BACKUP_CODES,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    DEMO_USERS,
    load_demo,
)


class Command(BaseCommand):
    help = "Load the demo: one user per role, PCD 279 as published, and a fresh draft."

    def handle(self, *args: Any, **options: Any) -> None:
        _, published, draft = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {published} and the draft “{draft}”."))
        self.stdout.write("Sign in at /sign-in/ as:")
        for demo in DEMO_USERS:
            self.stdout.write(
                f"  {demo.role.label:<40} user {demo.username:<16} password {DEMO_PASSWORD}"
                + ("  (+ second factor)" if demo.role.value in SECOND_FACTOR_ROLES else "")
            )
        self.stdout.write(
            "Second factor, asked before an approval, a sign-off or a role change: a backup code "
            f"({', '.join(DEMO_BACKUP_CODES[:3])} … {DEMO_BACKUP_CODES[-1]}; each works once per "
            f"load_demo), or add the secret {DEMO_TOTP_SECRET} to an authenticator app."
        )
