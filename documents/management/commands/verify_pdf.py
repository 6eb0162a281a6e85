"""`manage.py verify_pdf FILE`: whether a PDF is a decision as signed and published, offline.

It needs only the file and the server's public key (--key, as published at
/decisions/signing-key.pem; by default the public half of this installation's key). It reads no
database: the PDF carries its own signed seal (documents.seal)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit import keys
from documents import seal


def describe(statement: dict[str, Any]) -> str:
    signed = (statement.get("signed_off") or "")[:10]
    published = (statement.get("published") or "")[:10]
    return f"{statement.get('reference')} – {statement.get('title')}: signed off {signed}" + (
        f", published {published}" if published else ""
    )


class Command(BaseCommand):
    help = (
        "Check that a PDF is a decision exactly as signed and published: its seal, signed with "
        "the server key, must match every byte of the file. Offline: give the published public "
        "key with --key. Exits 1 when it is not."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--key", type=Path, help="the public key (PEM), as published")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        key = keys.load_public_pem(options["key"].read_bytes()) if options["key"] else None
        result = seal.check(path.read_bytes(), key)
        if not result.ok or result.statement is None:
            named = (
                f" (its seal names {result.statement.get('reference')})" if result.statement else ""
            )
            raise CommandError(
                f"{path.name} is NOT a decision as signed and published{named}: {result.reason}"
            )
        self.stdout.write(
            f"{path.name} is {describe(result.statement)}, as signed and published. {result.reason}"
        )
