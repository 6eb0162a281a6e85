"""The seal of a published PDF: a statement of what the file is (which decision, signed when and
by whom, published when, over which content), signed with the server key and carried inside the
file itself, so that anyone holding the file and the public key can check it offline
(`manage.py verify_pdf`, the "Check a document" page).

How it fits in the file without changing the bytes it vouches for (the way PDF signatures use a
/ByteRange): the pack is written with a fixed-length placeholder in its document information
dictionary (/PcdSeal, a string of "0"s). The statement holds the SHA-256 of the file as written
(with the placeholder); the seal (statement and Ed25519 signature, base64) then replaces the
placeholder byte for byte, so no offset moves. To check: find the seal, put the placeholder back,
hash, compare with the statement, and verify the signature. Any byte changed anywhere, in the
pages or in the seal, and it fails.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from audit import keys

KEY = "/PcdSeal"
LENGTH = 6000  # characters: the statement of a pack with its signatures fits with room to spare
PREFIX = "PCDSEAL1."
_FOUND = re.compile(rb"/PcdSeal\s*\(([A-Za-z0-9_=.\- ]+)\)")


def placeholder() -> str:
    return "0" * LENGTH


def _canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode()


def _span(pdf: bytes) -> tuple[int, int] | None:
    matches = list(_FOUND.finditer(pdf))
    if len(matches) != 1:
        return None
    return matches[0].start(1), matches[0].end(1)


def make_room(pdf: bytes) -> bytes:
    """A PDF written elsewhere (the tagged packs: WeasyPrint, then documents.tagging) given the
    placeholder in its information dictionary. Written without object streams, so that the
    dictionary, and the placeholder in it, stay plain bytes that `seal` can fill in place."""
    import pikepdf  # workers only

    with pikepdf.open(BytesIO(pdf)) as document:
        document.docinfo[pikepdf.Name(KEY)] = placeholder()
        out = BytesIO()
        document.save(
            out,
            fix_metadata_version=False,
            deterministic_id=True,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
        )
        return out.getvalue()


def seal(pdf: bytes, statement: dict[str, Any]) -> bytes:
    """The PDF with its placeholder replaced by the signed statement (same length)."""
    span = _span(pdf)
    if span is None or span[1] - span[0] != LENGTH:
        raise ValueError("The PDF has no seal placeholder to fill.")
    signed = {**statement, "sha256_unsealed": hashlib.sha256(pdf).hexdigest(), "key": keys.key_id()}
    body = _canonical(signed)
    text = f"{PREFIX}{_b64(body)}.{keys.sign(body).replace('+', '-').replace('/', '_')}"
    if len(text) > LENGTH:
        raise ValueError(f"The seal ({len(text)} characters) does not fit in {LENGTH}.")
    filled = text.ljust(LENGTH).encode()
    return pdf[: span[0]] + filled + pdf[span[1] :]


@dataclass(frozen=True)
class SealCheck:
    ok: bool
    reason: str
    statement: dict[str, Any] | None = None  # what the seal says, when it could be read


def check(pdf: bytes, key: Ed25519PublicKey | None = None) -> SealCheck:
    """Whether the file is exactly as the server sealed it, and what the seal says."""
    span = _span(pdf)
    if span is None:
        return SealCheck(False, "It carries no seal: it is not a decision published here.")
    text = pdf[span[0] : span[1]].decode().rstrip()
    parts = text[len(PREFIX) :].split(".") if text.startswith(PREFIX) else []
    if len(parts) != 2:
        return SealCheck(False, "Its seal cannot be read: the file has been changed.")
    try:
        body = base64.urlsafe_b64decode(parts[0])
        statement: dict[str, Any] = json.loads(body)
    except ValueError:
        return SealCheck(False, "Its seal cannot be read: the file has been changed.")
    signature = parts[1].replace("-", "+").replace("_", "/")
    if not keys.verify(body, signature, key):
        return SealCheck(
            False, "Its seal is not signed by the server key: the file has been changed.", statement
        )
    unsealed = pdf[: span[0]] + placeholder().encode() + pdf[span[1] :]
    if hashlib.sha256(unsealed).hexdigest() != statement.get("sha256_unsealed"):
        return SealCheck(
            False,
            "The file has been changed since it was signed: its content no longer matches its "
            "seal.",
            statement,
        )
    return SealCheck(True, "The file is exactly as it was signed and published.", statement)
