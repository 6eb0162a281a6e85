"""The secret key: offline commands run without one; the web server refuses to."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _python(code: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SECRET_KEY", "DJANGO_DEBUG"}}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_the_web_server_refuses_to_start_without_a_secret_key() -> None:
    result = _python("import config.wsgi")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set to serve the site" in result.stderr


def test_an_offline_command_runs_without_a_secret_key() -> None:
    result = _python(
        "import django; django.setup(); from django.conf import settings; "
        "print(len(settings.SECRET_KEY) > 40, settings.SECRET_KEY_FROM_ENVIRONMENT)"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True False"
