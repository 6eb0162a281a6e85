"""The move of the rendered documents from finance to their own app keeps what a database made
before the move holds: the rows, their files, and who may see them in the admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from decisions.models import Decision
from documents.models import RenderedDocument, RenderedPart

BEFORE_THE_MOVE = [
    ("decisions", "0005_governance_admin_permissions"),
    ("finance", "0002_document_queue_fields"),
    ("documents", None),
]


def _migrate(targets: list[tuple[str, str | None]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _latest() -> list[tuple[str, str | None]]:
    executor = MigrationExecutor(connection)
    return list(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_documents_made_before_the_move_are_kept() -> None:
    old = _migrate(BEFORE_THE_MOVE)
    user = old.get_model("auth", "User").objects.create(username="priya")
    template = old.get_model("decisions", "FormTemplate").objects.create(
        name="Request for DMPC Decision",
        version=99,
        effective_from="2017-01-01",
        foia_statement="",
        deferral_guidance="",
        part_two_guidance="",
        officer_approval_declaration="",
        dmpc_declaration="",
        dmpc_approval_statement="",
    )
    decision = old.get_model("decisions", "Decision").objects.create(
        template=template, title="Quarterly report", author=user
    )
    ready = old.get_model("finance", "RenderedDocument").objects.create(
        decision=decision,
        kind="public_pack",
        content_hash="a" * 64,
        state="ready",
        pdf="documents/pcd-279/public_pack-aaaa.pdf",
        pdf_sha256="b" * 64,
        pages=15,
    )
    old.get_model("finance", "RenderedPart").objects.create(
        content_hash="c" * 64, pdf="parts/cccc.pdf", pages=3
    )
    content_types = old.get_model("contenttypes", "ContentType").objects
    finance_type = content_types.get_or_create(app_label="finance", model="rendereddocument")[0]

    try:
        _migrate(_latest())

        document = RenderedDocument.objects.get(pk=ready.pk)
        assert document.decision == Decision.objects.get(pk=decision.pk)
        assert (document.kind, document.state, document.pages) == ("public_pack", "ready", 15)
        assert document.pdf.name == "documents/pcd-279/public_pack-aaaa.pdf"
        assert document.pdf_sha256 == "b" * 64
        assert RenderedPart.objects.get(content_hash="c" * 64).pdf.name == "parts/cccc.pdf"
        assert "documents_rendereddocument" in connection.introspection.table_names()
        assert "finance_rendereddocument" not in connection.introspection.table_names()
        # The content type moved with the model, so permissions given on it still apply.
        moved = ContentType.objects.get(pk=finance_type.pk)
        assert (moved.app_label, moved.model) == ("documents", "rendereddocument")
    finally:
        _migrate(_latest())
