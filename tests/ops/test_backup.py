"""Back up, wipe, restore: every record, signature and PDF as before (PostgreSQL through
pg_dump/pg_restore, SQLite through its backup API; the PDFs with them)."""

from __future__ import annotations

import hashlib
import io
import shutil
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from decisions.models import Decision, Signature, TransitionLog
from decisions.signatures import verify_signatures
from decisions.states import Status
from documents.models import DocumentState, RenderedDocument

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def snapshot(media: Path) -> dict[str, Any]:
    """What must survive: every row of every table, each signature's check, each file's hash."""
    rows = {
        model._meta.label: sorted(map(str, model._base_manager.values_list()))
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }
    return {
        "rows": rows,
        "signatures": {
            d.reference: [(c.signature.record_hash, c.valid) for c in verify_signatures(d)]
            for d in Decision.objects.all()
        },
        "files": {
            str(p.relative_to(media)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(media.rglob("*"))
            if p.is_file()
        },
        "pdfs": {
            d.pk: (d.pdf_sha256, hashlib.sha256(d.pdf.read()).hexdigest())
            for d in RenderedDocument.objects.filter(state=DocumentState.READY)
        },
    }


def wipe(media: Path) -> None:
    connection.close()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f'DROP TABLE "{table}"')
    shutil.rmtree(media)


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), str(error)
    return 0, out.getvalue(), err.getvalue()


def test_backup_wipe_and_restore_leave_every_record_signature_and_pdf_as_before(
    make_decision: Callable[[Status], Decision], media: Path, tmp_path: Path
) -> None:
    make_decision(Status.PUBLISHED)
    make_decision(Status.AWAITING_SIGNOFF)
    before = snapshot(media)
    assert Signature.objects.count() == 3 and len(before["pdfs"]) >= 3
    assert all(valid for checks in before["signatures"].values() for _, valid in checks)
    assert all(recorded == actual for recorded, actual in before["pdfs"].values())

    status, out, _ = run("backup", str(tmp_path / "backups"))
    assert status == 0
    archive = Path(out.strip())
    wipe(media)
    with pytest.raises(DatabaseError):
        TransitionLog.objects.count()
    connection.close()

    status, out, err = run("restore", str(archive), "--yes")

    assert (status, err) == (0, "")
    assert "3 signatures checked" in out
    assert "Every record, file and signature is as it was backed up." in out
    assert snapshot(media) == before
    if connection.vendor == "postgresql":  # the log refuses rewrites again, by trigger
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            TransitionLog.objects.update(comment="rewritten")


def test_a_damaged_backup_is_refused_and_nothing_is_changed(
    make_decision: Callable[[Status], Decision], media: Path, tmp_path: Path
) -> None:
    make_decision(Status.PUBLISHED)
    status, out, _ = run("backup", str(tmp_path / "backups"))
    archive = Path(out.strip())
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.endswith(".pdf") and member.name.startswith("media/documents/"):
                data = data.replace(b"%%EOF", b"%%EOX")
            target.addfile(member, io.BytesIO(data))
    decision = Decision.objects.get()
    decision.title = "Changed after the backup"
    Decision.objects.filter(pk=decision.pk).update(title=decision.title)

    status, _, message = run("restore", str(damaged), "--yes")

    assert status == 2
    assert "The backup is damaged: media/documents/" in message
    assert "Nothing was changed." in message
    assert Decision.objects.get().title == "Changed after the backup"
