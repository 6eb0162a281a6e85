"""`manage.py backup [FOLDER]`: the database and the PDFs in one archive (ops.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the media files (the PDFs) into one archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "folder",
            nargs="?",
            default=str(Path(settings.VAR_DIR) / "backups"),
            help="where to write the archive (default: var/backups)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup(Path(options["folder"]))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(path))
