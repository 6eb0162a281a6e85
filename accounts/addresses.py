"""The address a sign-in came from, for django-axes' per-address lock.

Behind nginx (deploy/nginx.conf), REMOTE_ADDR is the proxy's own address, the same for everyone:
counting failures by it would lock every user out after ten anyone's failures. nginx appends the
address it saw to X-Forwarded-For, so with `PCD_PROXY_COUNT` proxies in front, the client's
address is that many entries from the right. Entries further left are whatever the client sent,
and are never trusted. Without a proxy (PCD_PROXY_COUNT=0, the default) the header is ignored.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    proxies: int = settings.PCD_PROXY_COUNT
    remote: str | None = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    forwarded = [a.strip() for a in header.split(",") if a.strip()]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
