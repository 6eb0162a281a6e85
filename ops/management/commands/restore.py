"""`manage.py restore ARCHIVE`: the database and the PDFs from a backup, checked (ops.backup).

Exit status: 0 when everything restored matches the backup and every signature verifies; 1 when
something does not (each problem is listed); 2 when the archive was refused (nothing changed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore the database and the media files from a backup archive, then check them. "
        "Stop the web servers, workers and beat first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="a file written by `manage.py backup`")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask before replacing the database"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            answer = input("This replaces the database and the files. Type “restore” to go on: ")
            if answer.strip() != "restore":
                raise CommandError("Nothing was changed.", returncode=2)
        try:
            restored = restore(Path(options["archive"]))
        except BackupError as error:
            raise CommandError(f"{error} Nothing was changed.", returncode=2) from None
        self.stdout.write(
            f"Restored {restored.records} records and {restored.files} files; "
            f"{restored.signatures} signatures checked."
        )
        if restored.problems:
            for problem in restored.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(restored.problems)} problem(s) after the restore.")
        self.stdout.write("Every record, file and signature is as it was backed up.")
