"""`check_annex`: the checks of an annex's tables, on spreadsheets before they are uploaded, or on a
stored annex. Nothing is saved.

Exit status: 0 when no finding is an error, 1 when one is, 2 when the input cannot be read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from decisions.management.lookup import find_decision
from finance import selectors
from finance.checks import Finding, check_tables
from finance.importing import parse_table
from finance.models import TableKind, Unit
from finance.spreadsheets import ImportRefused


class Command(BaseCommand):
    # It reads files and saves nothing: finance teams run it before uploading, and pipe its JSON.
    requires_system_checks: list[str] = []
    help = (
        "Check the spreadsheets of one annex without saving anything: check_annex FILE… "
        "(each file's kind is recognised from its columns, or given with --kind), or "
        "check_annex --decision 'PCD 279' for a stored annex. --format json prints one JSON "
        "object per finding. Exit status 0: no errors; 1: errors; 2: bad input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", metavar="FILE")
        parser.add_argument("--decision", help="check the stored annexes of “PCD 279”")
        parser.add_argument("--annex", help="only the annex with this title")
        parser.add_argument("--kind", choices=TableKind.values, help="the kind of every file")
        parser.add_argument(
            "--unit", default=Unit.MILLIONS, choices=Unit.values, help="when no header says"
        )
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["files"]) == bool(options["decision"]):
            raise CommandError("Give either FILE… or --decision, not both.", returncode=2)
        if options["files"]:
            reports = [("", self._check_files(options))]
        else:
            reports = self._check_decision(options)
        errors = 0
        for heading, findings in reports:
            errors += sum(f.is_error for f in findings)
            if options["format"] == "json":
                for finding in findings:
                    self.stdout.write(json.dumps(finding.as_json(), ensure_ascii=False))
            else:
                self._write_text(heading, findings)
        if errors:
            raise CommandError(f"{errors} {'error' if errors == 1 else 'errors'}.", returncode=1)

    def _check_files(self, options: dict[str, Any]) -> list[Finding]:
        tables, problems = [], []
        for name in options["files"]:
            try:
                data = Path(name).read_bytes()
            except OSError as error:
                problems.append(f"{name}: {error.strerror}")
                continue
            try:
                tables.append(parse_table(name, data, kind=options["kind"], unit=options["unit"]))
            except ImportRefused as refused:
                problems += [f"{name}: {message}" for message in refused.messages]
        if problems:
            raise CommandError("\n".join(problems), returncode=2)
        return check_tables(tables)

    def _check_decision(self, options: dict[str, Any]) -> list[tuple[str, list[Finding]]]:
        decision = find_decision(options["decision"])
        annexes = decision.annexes.order_by("position")
        if options["annex"]:
            annexes = annexes.filter(title=options["annex"])
        if not annexes.exists():
            raise CommandError(f"{decision} has no finance annex to check.", returncode=2)
        return [
            (
                f"{decision}, annex “{annex.title}” ({annex.reporting_period})",
                selectors.annex_findings(annex),
            )
            for annex in annexes
        ]

    def _write_text(self, heading: str, findings: list[Finding]) -> None:
        if heading:
            self.stdout.write(heading)
        for f in findings:
            line = (
                f"{f.kind.upper() if f.is_error else f.kind:<8}  {f.place}: "
                f"expected {f.expected}, found {f.found}  ({f.check})"
            )
            self.stdout.write(line)
            if f.explanation:
                self.stdout.write(f"          explained: {f.explanation}")
        errors = sum(f.is_error for f in findings)
        self.stdout.write(
            f"{len(findings)} findings: {errors} {'error' if errors == 1 else 'errors'}, "
            f"{len(findings) - errors} rounding."
        )
