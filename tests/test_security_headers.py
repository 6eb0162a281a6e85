"""The headers an HTTP observatory scores, on public and staff pages; no-store on everything
confidential; production's deployment checks (as `make check-deploy` runs them in CI); and no
template that would need `unsafe-inline`."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from decisions import services as workflow
from decisions.models import Decision
from decisions.states import Status
from documents.models import DocumentKind, DocumentState, RenderedDocument
from tests.factories import approved_by_chief_executive, make_complete_draft, submitted
from tests.pages.helpers import use_plain_static_storage

ROOT = Path(django_settings.BASE_DIR)


@pytest.fixture(autouse=True)
def _plain_static(settings: Any) -> None:
    use_plain_static_storage(settings)


def _directives(response: Any) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    found: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            found[words[0]] = words[1:]
    return found


def _assert_hardened(response: Any) -> None:
    directives = _directives(response)
    for kind in ("script-src", "style-src"):
        assert directives[kind] == ["'self'"], directives
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions


def _no_store(response: Any) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_public_pages_carry_the_security_headers_and_stay_cacheable(
    make_decision: Callable[[Status], Decision], client: Client
) -> None:
    published = make_decision(Status.PUBLISHED)
    for url in ("/decisions/", f"/decisions/pcd-{published.reference_number}/"):
        response = client.get(url)
        assert response.status_code == 200
        _assert_hardened(response)
        assert not _no_store(response), url


def test_staff_and_admin_pages_are_never_stored(officer: Any, client: Client) -> None:
    decision = make_complete_draft(officer)
    client.force_login(officer)
    for url in (
        reverse("staff:dashboard"),
        reverse("staff:decision", args=[decision.pk]),
        reverse("staff:edit_summary", args=[decision.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_hardened(response)
        assert _no_store(response), url
        assert "private" in response["Cache-Control"]
    admin = Client().get("/admin/login/")
    assert admin.status_code == 200
    assert _no_store(admin)
    # The sign-in page and its redirect name no one, but are not for caches either.
    assert _no_store(Client().get(reverse("staff:dashboard")))
    assert _no_store(Client().get(reverse("login")))


def test_part_two_page_and_pdfs_and_draft_preview_are_no_store(
    officer: Any,
    chief_executive: Any,
    client: Client,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    decision = make_complete_draft(officer)
    workflow.part_two_update(
        decision=decision, user=officer, facts_and_advice="Confidential.", exemption_rationale="s31"
    )
    with django_capture_on_commit_callbacks(execute=True):
        decision = approved_by_chief_executive(submitted(decision, officer), chief_executive)
    client.force_login(chief_executive)

    page = client.get(reverse("staff:part_two", args=[decision.pk]))
    assert page.status_code == 200
    assert "Confidential." in page.content.decode()
    assert _no_store(page)

    for kind in (DocumentKind.PART_TWO, DocumentKind.PREVIEW):
        document = RenderedDocument.objects.get(decision=decision, kind=kind)
        assert document.state == DocumentState.READY
        pdf = client.get(reverse("staff:document_pdf", args=[decision.pk, document.pk]))
        assert pdf.status_code == 200
        assert pdf["Content-Type"] == "application/pdf"
        assert _no_store(pdf), kind
        assert "private" in pdf["Cache-Control"]
    status = client.get(reverse("staff:documents", args=[decision.pk]))
    assert _no_store(status)


def test_the_public_pdf_is_cacheable_for_the_public_but_not_through_a_session(
    make_decision: Callable[[Status], Decision],
    dmpc: Any,
    officer: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    decision = make_decision(Status.AWAITING_SIGNOFF)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.decision_sign_off(decision=decision, user=dmpc, confirmed=True, interests="None")
    url = f"/decisions/pcd-{decision.reference_number}.pdf"
    anonymous = Client().get(url)
    assert anonymous.status_code == 200
    assert anonymous["Cache-Control"] == "public, max-age=300"
    staff = Client()
    staff.force_login(officer)
    assert _no_store(staff.get(url))


def test_cookies_are_secure_and_http_only_when_not_debugging(settings: Any) -> None:
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def _make(target: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own Makefile
        ["make", "--no-print-directory", target],  # noqa: S607 - make from PATH, as CI runs it
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_make_check_deploy_passes_on_the_production_settings_and_ci_runs_it() -> None:
    result = _make("check-deploy")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "check --deploy --fail-level WARNING" in result.stdout
    assert "System check identified no issues" in result.stdout + result.stderr
    assert re.search(r"^make check-deploy$", (ROOT / ".ci" / "run").read_text(), re.MULTILINE)


def test_production_turns_on_https_hsts_and_secure_cookies() -> None:
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings as s\n"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 15768000, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.production",
        "DJANGO_SECRET_KEY": "p" * 20 + "production-test-only-secret-key-0123456789",
        "DATABASE_URL": "postgres://pcd@db.invalid:5432/pcd",
        "REDIS_URL": "redis://redis.invalid:6379/0",
        "DJANGO_ALLOWED_HOSTS": "decisions.example.org",
        "EMAIL_HOST": "smtp.example.org",
        "PCD_VAR_DIR": str(ROOT / "var"),
        # Production names its signing key; the settings only check that one is given.
        "PCD_SIGNING_KEY_FILE": "/etc/pcd/signing-key.pem",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [str(ROOT / ".venv" / "bin" / "python"), "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True"]


# --- templates that would need 'unsafe-inline' -----------------------------------------------

# Print templates (documents/templates/pdf) are read by WeasyPrint, not by a browser, and carry
# their stylesheet inline; every other template is served under the CSP.
_PAGE_TEMPLATE_DIRS = [ROOT / "templates"] + [
    path
    for path in ROOT.glob("*/templates")
    if path.parent.name not in {"node_modules", ".venv", "var"}
]
_INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "script"),
    (re.compile(r"<style\b", re.I), "<style>"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "event handler attribute"),
    (re.compile(r"href\s*=\s*[\"']javascript:", re.I), "javascript: link"),
]


def _page_templates() -> list[Path]:
    found = []
    for directory in _PAGE_TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            if "pdf" not in path.relative_to(directory).parts:
                found.append(path)
    return found


def test_no_page_template_has_inline_script_style_or_handlers() -> None:
    templates = _page_templates()
    assert len(templates) > 20
    offending = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in templates
        for pattern, what in _INLINE
        if pattern.search(path.read_text())
    ]
    assert offending == []
