from typing import Any

from django.core.management.base import BaseCommand

from demo.loader import DEMO_PASSWORD, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = "Load the demo: one user per role, PCD 279 as published, and a fresh draft."

    def handle(self, *args: Any, **options: Any) -> None:
        _, published, draft = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {published} and the draft “{draft}”."))
        self.stdout.write("Sign in at /sign-in/ as:")
        for demo in DEMO_USERS:
            self.stdout.write(
                f"  {demo.role.label:<40} user {demo.username:<16} password {DEMO_PASSWORD}"
            )
