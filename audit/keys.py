"""The server's signing key: Ed25519, kept outside the database.

A hash proves nothing against someone who can write to the database: they can recompute it. A
signature made with a key the database never holds can only be made by the servers that hold the
key, and checked by anyone with its public half (published at /decisions/signing-key.pem).

Where the key comes from (config.settings): PCD_SIGNING_KEY (the PEM itself, e.g. from a secret
manager), else the file PCD_SIGNING_KEY_FILE. Outside production a missing file is generated
once (var/signing-key.pem), so `make run` and the tests need nothing; config.production refuses
to start without a key configured. A KMS in production: docs/deployment.md.
"""

from __future__ import annotations

import base64
import hashlib
import os
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _generate(path: Path) -> None:
    """Write a new key to `path`, unless another process just did (O_EXCL: no two keys)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(pem)


def _load_private(pem: bytes, origin: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError as error:
        raise ImproperlyConfigured(f"{origin} is not a PEM private key: {error}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{origin} must be an Ed25519 key.")
    return key


@lru_cache(maxsize=1)
def private_key() -> Ed25519PrivateKey:
    pem: str = settings.PCD_SIGNING_KEY
    if pem:
        # An environment variable may carry the PEM's line breaks written as "\n".
        return _load_private(pem.replace("\\n", "\n").encode(), "PCD_SIGNING_KEY")
    path = Path(settings.PCD_SIGNING_KEY_FILE)
    if not path.exists():
        if not settings.PCD_SIGNING_KEY_GENERATE:
            raise ImproperlyConfigured(
                f"No signing key: set PCD_SIGNING_KEY or PCD_SIGNING_KEY_FILE ({path} is missing)."
            )
        _generate(path)
    return _load_private(path.read_bytes(), f"PCD_SIGNING_KEY_FILE ({path})")


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_pem(key: Ed25519PublicKey | None = None) -> bytes:
    return (key or public_key()).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_public_pem(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("Not an Ed25519 public key.")
    return key


def key_id(key: Ed25519PublicKey | None = None) -> str:
    """A short name for a public key (its raw bytes' SHA-256, 16 hex digits), stored with each
    signature so that a rotated key can still tell which key signed an old record."""
    raw = (key or public_key()).public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return hashlib.sha256(raw).hexdigest()[:16]


def sign(message: bytes) -> str:
    """The Ed25519 signature of `message`, base64 (88 characters)."""
    return base64.b64encode(private_key().sign(message)).decode()


def verify(message: bytes, signature: str, key: Ed25519PublicKey | None = None) -> bool:
    try:
        (key or public_key()).verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, ValueError):
        return False
    return True
