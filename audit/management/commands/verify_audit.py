"""`manage.py verify_audit`: the audit chain re-computed and compared with the live rows."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.chain import verify
from audit.models import Link


class Command(BaseCommand):
    help = (
        "Re-compute the audit chain (each link's hash, its place, its signature by the server "
        "key) and compare it with the live rows it records: the transition log, the versions, "
        "the signatures, the publications, the role changes, and the signed content. Reports "
        "the first broken link, naming the record, and exits 1; exits 0 when all is intact."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="list every problem, not the first")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = verify()
        if not problems:
            count = Link.objects.count()
            self.stdout.write(
                f"The audit chain is intact: {count} links, all matching the records."
            )
            return
        shown = problems if options["all"] else problems[:1]
        for problem in shown:
            self.stderr.write(problem)
        more = len(problems) - len(shown)
        raise CommandError(
            f"The audit chain is broken: {problems[0]}"
            + (f" ({more} more problem(s); --all lists them)" if more else "")
        )
