"""`render_documents`: ask for the PDFs a request should have in its state, and optionally render
them here and now instead of in a worker (the demo set-up, the benchmark)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from decisions.management.lookup import find_decision
from decisions.models import Decision
from documents import services
from documents.models import DocumentState


def _decisions(reference: str | None) -> list[Decision]:
    if reference is None:
        return list(Decision.objects.filter(reference_number__isnull=False).order_by("pk"))
    return [find_decision(reference)]


class Command(BaseCommand):
    help = (
        "Ask for the PDFs each request should have in its state (preview, signed pack, public "
        "pack, Part 2); a worker renders them. --decision 'PCD 279' limits it to one request; "
        "--sync renders them in this process and waits. Documents already made for the same "
        "content are not made again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--decision", help="“PCD 279”; every numbered request if left out")
        parser.add_argument(
            "--sync", action="store_true", help="render here and now instead of in a worker"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sync = options["sync"]
        for decision in _decisions(options["decision"]):
            with transaction.atomic():
                documents = services.documents_request_for_status(decision=decision)
            for document in documents:
                started = time.perf_counter()
                if sync and document.state != DocumentState.READY:
                    services.render_now(document)
                document.refresh_from_db()
                took = f" in {time.perf_counter() - started:.1f}s" if sync else ""
                self.stdout.write(
                    f"{decision.reference}: {document.get_kind_display()} – "
                    f"{document.get_state_display()}{took}"
                    + (f" ({document.error})" if document.error else "")
                )
