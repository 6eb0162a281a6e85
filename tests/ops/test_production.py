"""Production settings: chosen by the environment, refusing to start without what production
needs; JSON logs that carry the request's id; media on an S3-compatible bucket by setting; public
reads from a replica when there is one."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory

from decisions.models import Decision
from decisions.states import Status
from documents.models import DocumentKind, DocumentState, RenderedDocument
from ops.replica import REPLICA, PublicReadsMiddleware, PublicReadsRouter
from tests.pages.helpers import use_plain_static_storage

ROOT = Path(django_settings.BASE_DIR)
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.production",
    "DJANGO_SECRET_KEY": "k" * 20 + "production-test-only-secret-key-0123456789",
    "DATABASE_URL": "postgres://pcd@db.internal:5432/pcd",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "DJANGO_ALLOWED_HOSTS": "decisions.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "PCD_SIGNING_KEY_FILE": "/etc/pcd/signing-key.pem",
}


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    base.pop("REDIS_URL", None)
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_refuse_to_start_naming_everything_missing() -> None:
    result = _python("import django; django.setup()", DJANGO_SETTINGS_MODULE="config.production")

    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    for needed in (
        "DJANGO_SECRET_KEY",
        "PostgreSQL",
        "REDIS_URL",
        "DJANGO_ALLOWED_HOSTS",
        "EMAIL_HOST",
        "PCD_SIGNING_KEY",
    ):
        assert needed in message


def test_production_settings_pass_the_deployment_checks() -> None:
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings as s\n"
        "from django.core import checks\n"
        "problems = checks.run_checks(include_deployment_checks=True, tags=['security'])\n"
        "print([p.id for p in problems if not p.is_silenced()])\n"
        "print(s.EMAIL_BACKEND, s.LOGGING['handlers']['console']['formatter'], "
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.STORAGES['staticfiles']['BACKEND'])"
    )
    result = _python(code, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    problems, configured = result.stdout.strip().splitlines()
    assert problems == "[]"
    assert configured == (
        "django.core.mail.backends.smtp.EmailBackend json True True "
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_a_visibility_timeout_shorter_than_a_render_is_refused_at_start_up() -> None:
    result = _python(
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="config.settings",
        PCD_BROKER_VISIBILITY_TIMEOUT_S="300",
    )

    assert result.returncode != 0
    assert "PCD_BROKER_VISIBILITY_TIMEOUT_S must be at least" in result.stderr


# --- logs ---------------------------------------------------------------------------------------


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """What the configured console handler would write, captured: same formatter, same filters."""
    [console] = logging.getLogger().handlers[:1]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(console.formatter)
    for log_filter in console.filters:
        handler.addFilter(log_filter)
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_each_log_line_is_json_with_the_request_id_returned_to_the_client(
    client: Any, json_log: io.StringIO, settings: Any
) -> None:
    use_plain_static_storage(settings)
    response = client.get("/decisions/pcd-99999/", HTTP_X_REQUEST_ID="proxy-id-42")

    assert response.status_code == 404
    assert response["X-Request-ID"] == "proxy-id-42"
    [line] = json_log.getvalue().splitlines()
    record = json.loads(line)
    assert record["request_id"] == "proxy-id-42"
    assert record["level"] == "WARNING" and record["logger"] == "django.request"
    assert "Not Found: /decisions/pcd-99999/" in record["message"]


@pytest.mark.django_db
def test_a_request_without_an_id_is_given_one(client: Any, json_log: io.StringIO) -> None:
    response = client.get("/decisions/pcd-99999/")

    made = response["X-Request-ID"]
    assert len(made) == 32
    assert json.loads(json_log.getvalue().splitlines()[0])["request_id"] == made


# --- media on S3 --------------------------------------------------------------------------------


@pytest.fixture
def s3_media(settings: Any) -> Iterator[Any]:
    """An S3 bucket (moto, in the process) as the media storage."""
    moto = pytest.importorskip("moto")
    import boto3

    with moto.mock_aws():
        boto3.client("s3", region_name="eu-west-2").create_bucket(
            Bucket="pcd-media", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "pcd-media",
                    "region_name": "eu-west-2",
                    "default_acl": "private",
                    "file_overwrite": False,
                },
            },
        }
        yield boto3.client("s3", region_name="eu-west-2")


def test_the_s3_setting_builds_the_s3_storage() -> None:
    code = (
        "import django; django.setup()\n"
        "from django.core.files.storage import storages\n"
        "s = storages['default']\n"
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.location)"
    )
    result = _python(
        code,
        DJANGO_SETTINGS_MODULE="config.settings",
        PCD_MEDIA_STORAGE="s3",
        PCD_S3_BUCKET="pcd-media",
        PCD_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        PCD_S3_PREFIX="decisions",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "pcd-media", "http://127.0.0.1:9000", "decisions"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pdfs_are_filed_in_and_served_from_an_s3_bucket(
    s3_media: Any, make_decision: Callable[[Status], Decision], client: Any, settings: Any
) -> None:
    use_plain_static_storage(settings)
    decision = make_decision(Status.PUBLISHED)  # its PDFs rendered here, into the bucket
    pack = RenderedDocument.objects.get(decision=decision, kind=DocumentKind.PUBLIC_PACK)
    assert pack.state == DocumentState.READY

    stored = s3_media.get_object(Bucket="pcd-media", Key=pack.pdf.name)["Body"].read()
    response = client.get(f"/decisions/{decision.slug}.pdf")

    assert hashlib.sha256(stored).hexdigest() == pack.pdf_sha256
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == pack.pdf_sha256


# --- the replica --------------------------------------------------------------------------------


def routed(path: str, *, signed_in: bool, method: str = "get") -> str | None:
    request = getattr(RequestFactory(), method)(path)
    request.user = type("U", (), {"is_authenticated": signed_in})()
    seen: list[str | None] = []

    def view(request: Any) -> Any:
        seen.append(PublicReadsRouter().db_for_read(Decision))
        return None

    PublicReadsMiddleware(view)(request)
    return seen[0]


def test_anonymous_reads_of_public_pages_go_to_the_replica_and_everything_else_to_the_primary() -> (
    None
):
    assert routed("/decisions/pcd-279/", signed_in=False) == REPLICA
    assert routed("/api/decisions/", signed_in=False) == REPLICA
    assert routed("/decisions/pcd-279/", signed_in=True) is None
    assert routed("/staff/requests/1/", signed_in=False) is None
    assert routed("/decisions/", signed_in=False, method="post") is None
    assert PublicReadsRouter().db_for_read(Decision) is None  # outside a request
    assert PublicReadsRouter().db_for_write(Decision) is None
