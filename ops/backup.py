"""Backup and restore: the database and the files (the PDFs), in one archive that says what it
holds and checks itself.

A backup is one tar file: the database (PostgreSQL: `pg_dump` in its custom format; SQLite: a
copy made with SQLite's online backup API, consistent while others write), every file of the media
storage (local folder or S3 bucket alike), and `manifest.json`: the SHA-256 and size of each of
them, how many rows each table had, and the migrations applied. Restore checks every hash before
it changes anything, so a damaged archive changes nothing; then it restores the database and the
files, and checks the rows and files against the manifest and every signature against the content
it covers.

Not in a backup: the environment (secrets, the SMTP password, the server's signing key if there is
one): keep those in the secret store they came from.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from decisions.models import Decision
from decisions.signatures import verify_signatures

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or restore could not be done; nothing was changed by a refused restore."""


@dataclass
class Restored:
    records: int
    files: int
    signatures: int
    problems: list[str]


def _sha256(stream: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _pg_environment() -> dict[str, str]:
    """libpq's variables for the default database: the password never appears in a command."""
    db = connection.settings_dict
    environment = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(key):
            environment[variable] = str(db[key])
    return environment


def _run(command: list[str]) -> None:
    result = subprocess.run(  # noqa: S603 - the PostgreSQL tools, with our own arguments
        command, env=_pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _dump_database(folder: Path) -> Path:
    if connection.vendor == "postgresql":
        target = folder / "database.pgdump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])
        return target
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        source = sqlite3.connect(str(connection.settings_dict["NAME"]))
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return target
    raise BackupError(f"Backups of a {connection.vendor} database are not supported.")


def _media_files(folder: str = "") -> Iterator[str]:
    """Every file of the media storage, by name (local folder or bucket alike)."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}{name}"
    for sub in sorted(folders):
        yield from _media_files(f"{folder}{sub}/")


def _record_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _add(archive: tarfile.TarFile, name: str, stream: IO[bytes], size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
    archive.addfile(info, stream)


def backup(destination: Path) -> Path:
    """Write a backup archive into the folder `destination`; its path."""
    destination.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    final = destination / f"pcd-backup-{stamp}.tar"
    partial = final.with_suffix(".tar.partial")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "vendor": connection.vendor,
        "migrations": sorted(
            f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
        ),
        "records": _record_counts(),
        "files": {},
    }
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(partial, "w") as archive:
        dump = _dump_database(Path(scratch))
        with dump.open("rb") as stream:
            digest, size = _sha256(stream)
            stream.seek(0)
            _add(archive, dump.name, stream, size)
        manifest["database"] = {"file": dump.name, "sha256": digest, "size": size}
        for name in _media_files():
            with default_storage.open(name, "rb") as stream:
                digest, size = _sha256(stream)
                stream.seek(0)
                _add(archive, MEDIA + name, stream, size)
            manifest["files"][name] = {"sha256": digest, "size": size}
        text = json.dumps(manifest, indent=2, sort_keys=True).encode()
        _add(archive, MANIFEST, io.BytesIO(text), len(text))
    partial.rename(final)
    return final


# --- restore ------------------------------------------------------------------------------------


def _member(archive: tarfile.TarFile, name: str, missing: str) -> IO[bytes]:
    try:
        member = archive.extractfile(name)
    except KeyError:
        member = None
    if member is None:
        raise BackupError(missing)
    return member


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    member = _member(archive, MANIFEST, "This is not a backup of this system: no manifest.")
    manifest: dict[str, Any] = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"This backup is of a {manifest['vendor']} database; this system uses "
            f"{connection.vendor}. Restore it into a {manifest['vendor']} database."
        )
    return manifest


def _check_archive(archive: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    """Every member against the manifest, before anything is changed."""
    expected = {manifest["database"]["file"]: manifest["database"]["sha256"]}
    expected.update({MEDIA + name: f["sha256"] for name, f in manifest["files"].items()})
    for name, digest in expected.items():
        member = _member(archive, name, f"The backup is incomplete: {name} is missing.")
        if _sha256(member)[0] != digest:
            raise BackupError(f"The backup is damaged: {name} does not match its SHA-256.")


def _restore_database(archive: tarfile.TarFile, manifest: dict[str, Any], scratch: Path) -> None:
    archive.extract(manifest["database"]["file"], scratch, filter="data")
    dump = scratch / manifest["database"]["file"]
    connection.close()
    if connection.vendor == "postgresql":
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(dump),
            ]
        )
        return
    source = sqlite3.connect(str(dump))
    live = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=30)
    try:
        source.backup(live)
    finally:
        live.close()
        source.close()


def _restore_files(archive: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    for name, expected in manifest["files"].items():
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as current:
                if _sha256(current)[0] == expected["sha256"]:
                    continue
            default_storage.delete(name)
        member = _member(archive, MEDIA + name, f"The backup is incomplete: {name} is missing.")
        saved = default_storage.save(name, File(member, name=name))
        if saved != name:
            raise BackupError(f"The storage filed {name} as {saved}.")


def _verify(manifest: dict[str, Any]) -> Restored:
    problems = []
    counts = _record_counts()
    for label, count in manifest["records"].items():
        if counts.get(label) != count:
            problems.append(f"{label}: {counts.get(label)} rows, the backup had {count}.")
    for name, expected in manifest["files"].items():
        with default_storage.open(name, "rb") as stream:
            if _sha256(stream)[0] != expected["sha256"]:
                problems.append(f"{name} differs from the backup.")
    signatures = 0
    for decision in Decision.objects.filter(signatures__isnull=False).distinct():
        for check in verify_signatures(decision):
            signatures += 1
            if not check.valid:
                problems.append(f"{decision.reference}: {check.summary}")
    return Restored(
        records=sum(manifest["records"].values()),
        files=len(manifest["files"]),
        signatures=signatures,
        problems=problems,
    )


def restore(path: Path) -> Restored:
    """Restore the database and the files from a backup archive, then check them. Stop the web
    servers, workers and beat first: a restore replaces what they are working on."""
    if not path.is_file():
        raise BackupError(f"There is no backup at {path}.")
    with tarfile.open(path, "r") as archive:
        manifest = _read_manifest(archive)
        _check_archive(archive, manifest)
        scratch = Path(tempfile.mkdtemp())
        try:
            _restore_database(archive, manifest, scratch)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        _restore_files(archive, manifest)
    return _verify(manifest)
