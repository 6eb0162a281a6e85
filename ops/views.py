"""/healthz: 200 when everything answers, 503 naming what is down."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ops.health import checks


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    results = checks()
    down = [check.name for check in results if not check.ok]
    body = {
        "status": "down" if down else "ok",
        "down": down,
        "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in results},
    }
    return JsonResponse(body, status=503 if down else 200)
