"""Fixtures of the document tests: the demo's public pack (rendered once per run, through the
service a worker runs), and requests with annexes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction

from decisions.models import Decision
from documents import services
from documents.models import DocumentKind, DocumentState
from finance.models import Annex
from tests.documents.annex_seed import load_seed_annex
from tests.documents.helpers import StoredTable


@dataclass
class RenderedPack:
    reference: str
    pdf: bytes
    sha256: str
    pages: int
    tables: list[StoredTable]
    csv_names: list[str]


def with_annex(decision: Decision) -> Annex:
    """The request's first annex, or the PCD 279 finance annex made from the seed CSVs."""
    existing: Annex | None = decision.annexes.order_by("position").first()
    return existing if existing is not None else load_seed_annex(decision)


@pytest.fixture(scope="session")
def demo_pack(django_db_setup: Any, django_db_blocker: Any) -> Iterator[RenderedPack]:
    """The public pack of the demo's PCD 279 with its finance annex, rendered by the same service
    the render task runs. Made in a transaction that is rolled back: only the bytes and the
    stored tables they must hold are kept."""
    from demo.loader import load_demo
    from documents.attachments import csv_name

    with django_db_blocker.unblock(), transaction.atomic():
        _, pcd279, _ = load_demo()
        with_annex(pcd279)
        document = services.document_request(decision=pcd279, kind=DocumentKind.PUBLIC_PACK)
        services.render_now(document)
        document.refresh_from_db()
        assert document.state == DocumentState.READY, document.error
        with document.pdf.open("rb") as stream:
            pdf = stream.read()
        annexes = list(pcd279.annexes.order_by("position"))
        pack = RenderedPack(
            reference=pcd279.reference,
            pdf=pdf,
            sha256=document.pdf_sha256,
            pages=document.pages or 0,
            tables=[StoredTable.of(t) for a in annexes for t in a.tables.order_by("position")],
            csv_names=[csv_name(a, t) for a in annexes for t in a.tables.order_by("position")],
        )
        transaction.set_rollback(True)
    yield pack
