"""The server key: from the environment or a file, never from the database; generated only
outside production; an Ed25519 key or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from audit import keys


@pytest.fixture(autouse=True)
def _fresh_key_cache() -> Iterator[None]:
    keys.private_key.cache_clear()
    yield
    keys.private_key.cache_clear()


def _pem(key: Any) -> str:
    return str(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
    )


def test_without_a_key_production_refuses_to_sign(settings: Any, tmp_path: Path) -> None:
    settings.PCD_SIGNING_KEY = ""
    settings.PCD_SIGNING_KEY_FILE = str(tmp_path / "missing.pem")
    settings.PCD_SIGNING_KEY_GENERATE = False
    with pytest.raises(ImproperlyConfigured, match="No signing key"):
        keys.sign(b"x")
    assert not (tmp_path / "missing.pem").exists()


def test_development_generates_one_key_file_and_keeps_it(settings: Any, tmp_path: Path) -> None:
    path = tmp_path / "var" / "signing-key.pem"
    settings.PCD_SIGNING_KEY = ""
    settings.PCD_SIGNING_KEY_FILE = str(path)
    settings.PCD_SIGNING_KEY_GENERATE = True
    first = keys.public_pem()
    assert path.stat().st_mode & 0o777 == 0o600
    keys.private_key.cache_clear()
    assert keys.public_pem() == first


def test_the_key_from_the_environment_signs_and_its_public_half_is_published(
    settings: Any, client: Client
) -> None:
    key = Ed25519PrivateKey.generate()
    settings.PCD_SIGNING_KEY = _pem(key).replace("\n", "\\n")
    signature = keys.sign(b"PCD 279")
    published = keys.load_public_pem(client.get("/decisions/signing-key.pem").content)
    assert keys.verify(b"PCD 279", signature, published)
    assert not keys.verify(b"PCD 280", signature, published)
    assert keys.key_id(published) == keys.key_id(key.public_key())


def test_a_key_that_is_not_ed25519_is_refused(settings: Any) -> None:
    settings.PCD_SIGNING_KEY = _pem(generate_private_key(SECP256R1()))
    with pytest.raises(ImproperlyConfigured, match="Ed25519"):
        keys.sign(b"x")
