"""HTTP hardening that Django and django-csp do not do themselves (see settings, "Security").

- Confidential answers are never stored: every page and file served to a signed-in person, and
  everything under the staff and admin areas (Part 2, draft previews, return comments), carries
  `Cache-Control: no-store`, so neither a shared proxy nor the browser's back button keeps it.
- Permissions-Policy switches off the browser features the service never uses.
- An upload larger than the limit is refused from its Content-Length, before its body is read.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_cache_control

Handler = Callable[[HttpRequest], HttpResponse]

# Paths whose every answer is confidential, whoever asks (even the sign-in redirect of an
# anonymous visitor: it names the request it was sent from).
CONFIDENTIAL_PREFIXES = ("/staff/", "/admin/", "/sign-in/", "/sign-out/")


def is_confidential(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    return request.path.startswith(CONFIDENTIAL_PREFIXES)


class SecurityHeadersMiddleware:
    """No-store on confidential answers; Permissions-Policy on all."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_confidential(request):
            # A public PDF read by a signed-in officer is not confidential, but a shared cache
            # must not learn that from an answer that went through a session: store none.
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)  # (drops any "public")
            response.headers["Pragma"] = "no-cache"
        response.headers.setdefault("Permissions-Policy", settings.PCD_PERMISSIONS_POLICY)
        return response


class UploadLimitMiddleware:
    """Refuse, with 413, a request whose Content-Length is over DATA_UPLOAD_MAX_BODY_BYTES.

    Django's own limits (DATA_UPLOAD_MAX_MEMORY_SIZE, the upload handlers) act only while the
    body is read, so a 300 MB upload was received in full before it was refused. Here the body is
    never touched: the answer goes back at once.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_BODY_BYTES
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            length = -1
        if length < 0 or length > limit:
            return self._refuse(request, limit)
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, limit: int) -> HttpResponse:
        megabytes = limit // (1024 * 1024)
        body = render_to_string(
            "413.html", {"limit_mb": megabytes}, request=None
        )  # no request context: the session is not read for a refused upload
        # (WSGI leaves closing the connection to the server: gunicorn's sync workers close
        # after every answer, and the proxy refuses such a body before it gets here.)
        response = HttpResponse(body, status=413)
        add_never_cache_headers(response)
        return response
