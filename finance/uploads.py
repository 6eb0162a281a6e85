"""An uploaded spreadsheet waits here between "preview" and "confirm", so the officer sees what
will be imported before anything is stored in the database. Files are kept per user under
var/uploads/, named by a random token, and removed on confirmation or after a day."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from decisions.types import User

MAX_AGE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Stashed:
    token: str
    name: str
    data: bytes
    kind: str | None
    match: dict[str, Any] | None = None  # finance.mapping.ColumnMatch.as_json()


def _folder(user: User) -> Path:
    folder = Path(settings.VAR_DIR) / "uploads" / str(int(user.pk))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def stash(user: User, name: str, data: bytes, kind: str | None) -> str:
    folder = _folder(user)
    _sweep(folder)
    token = secrets.token_urlsafe(16)
    (folder / f"{token}.bin").write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps({"name": name, "kind": kind}))
    return token


def fetch(user: User, token: str) -> Stashed | None:
    # The token is checked against the user's own folder, and only URL-safe characters pass,
    # so a crafted token cannot reach another user's upload or a path outside the folder.
    if not token or not all(c.isalnum() or c in "-_" for c in token):
        return None
    folder = _folder(user)
    data_path, meta_path = folder / f"{token}.bin", folder / f"{token}.json"
    if not data_path.exists() or not meta_path.exists():
        return None
    meta = json.loads(meta_path.read_text())
    return Stashed(
        token=token,
        name=meta["name"],
        data=data_path.read_bytes(),
        kind=meta["kind"],
        match=meta.get("match"),
    )


def remember_match(user: User, token: str, match: dict[str, Any] | None) -> None:
    """The columns as the officer matched them, for "Confirm import" to use."""
    stashed = fetch(user, token)
    if stashed is None:
        return
    meta = {"name": stashed.name, "kind": stashed.kind, "match": match}
    (_folder(user) / f"{token}.json").write_text(json.dumps(meta))


def discard(user: User, token: str) -> None:
    if fetch(user, token) is None:
        return
    folder = _folder(user)
    for suffix in (".bin", ".json"):
        (folder / f"{token}{suffix}").unlink(missing_ok=True)
