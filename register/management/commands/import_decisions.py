"""manage.py import_decisions FILE: load the back catalogue (CSV or JSON) into the register."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from register.importing import ImportFileError, decisions_import, read_rows


class Command(BaseCommand):
    help = (
        "Load published decisions from a CSV or JSON export (columns: reference, title, "
        "date_signed, date_published, summary, decision_maker, pdf_url or pdf_file) as "
        "published, read-only, imported records. Reports each row; running it twice adds "
        "nothing twice. Exit status 1 when a row had an error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, verbosity: int = 1, **options: Any) -> None:
        counts: Counter[str] = Counter()
        try:
            for result in decisions_import(read_rows(file), base_dir=file.parent):
                counts[result.outcome] += 1
                if verbosity >= 1 or result.outcome == "error":
                    stream = self.stderr if result.outcome == "error" else self.stdout
                    stream.write(str(result))
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        summary = (
            f"{counts['imported']} imported, {counts['skipped']} skipped (already in the "
            f"register), {counts['error']} with errors (not imported)."
        )
        if counts["error"]:
            raise CommandError(summary)
        self.stdout.write(summary)
