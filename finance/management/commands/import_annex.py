"""`import_annex`: import spreadsheets as the tables of a request's finance annex."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from decisions.errors import ActionRefused
from decisions.management.lookup import find_decision
from finance import selectors, services
from finance.models import Annex, TableKind, Unit


class Command(BaseCommand):
    help = (
        "Import CSV or XLSX files as the tables of a request's finance annex, through the same "
        "checks as an upload. As the drafting officer: "
        "import_annex --decision id:42 --user priya --title 'Finance annex' "
        "--period 'Quarter 1 2017/18' FILE…. For a decision made on paper before this system, "
        "whatever its state: import_annex --historic --decision 'PCD 279' --title … --period … "
        "FILE…. One bad file refuses them all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--decision", required=True, help="“PCD 279”, or “id:42” for a draft")
        parser.add_argument("--title", help="the annex's title (found, or created)")
        parser.add_argument("--period", help="its reporting period, e.g. “Quarter 1 2017/18”")
        parser.add_argument("--unit", default=Unit.MILLIONS, choices=Unit.values)
        parser.add_argument("--kind", choices=TableKind.values, help="the kind of every file")
        parser.add_argument("--user", help="the drafting officer's username")
        parser.add_argument(
            "--historic",
            action="store_true",
            help="a decision made before this system: no user, any state",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        decision = find_decision(options["decision"])
        files = []
        for name in options["files"]:
            try:
                files.append((Path(name).name, Path(name).read_bytes()))
            except OSError as error:
                raise CommandError(f"{name}: {error.strerror}", returncode=2) from None
        try:
            if options["historic"]:
                annex = self._historic(decision, options, files)
            else:
                annex = self._as_officer(decision, options, files)
        except ActionRefused as refused:
            raise CommandError("\n".join(refused.messages)) from None
        tables = list(annex.tables.order_by("position"))
        self.stdout.write(f"{decision}: annex “{annex.title}” has {len(tables)} tables:")
        for table in tables:
            self.stdout.write(
                f"  {table.source_name}: {table.title} ({table.get_kind_display()}, "
                f"{table.rows.count()} rows, {table.unit})"
            )
        findings = selectors.annex_findings(annex)
        errors = sum(f.is_error for f in findings)
        self.stdout.write(
            f"Checks: {len(findings)} findings, {errors} {'error' if errors == 1 else 'errors'} "
            "(check_annex --decision lists them)."
        )

    def _historic(
        self, decision: Any, options: dict[str, Any], files: list[tuple[str, bytes]]
    ) -> Annex:
        if not options["title"] or not options["period"]:
            raise CommandError("Give --title and --period for a historic annex.", returncode=2)
        return services.annex_import_historic(
            decision=decision,
            title=options["title"],
            reporting_period=options["period"],
            unit=options["unit"],
            files=files,
        )

    @transaction.atomic
    def _as_officer(
        self, decision: Any, options: dict[str, Any], files: list[tuple[str, bytes]]
    ) -> Annex:
        if not options["user"]:
            raise CommandError(
                "Give --user, the drafting officer (or --historic for a decision made on paper).",
                returncode=2,
            )
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"There is no user “{options['user']}”.", returncode=2)
        if not options["title"]:
            raise CommandError("Give --title, the annex to import into.", returncode=2)
        annex: Annex | None = decision.annexes.filter(title=options["title"].strip()).first()
        if annex is None:
            annex = services.annex_create(
                decision=decision,
                user=user,
                title=options["title"],
                reporting_period=options["period"] or "",
                unit=options["unit"],
            )
        for name, data in files:
            try:
                services.table_import(
                    annex=annex, user=user, name=name, data=data, kind=options["kind"]
                )
            except ActionRefused as refused:
                raise ActionRefused(*(f"{name}: {m}" for m in refused.messages)) from None
        return annex
