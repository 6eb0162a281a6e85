"""The security policies every answer carries (django-csp's Content-Security-Policy, and the
Permissions-Policy that config.security adds), as data: config.settings reads them."""

from __future__ import annotations

from typing import Any

from csp.constants import NONE, SELF

# Every script and stylesheet is a file of our own (assets/, GOV.UK Frontend): no inline code, no
# other origin. Templates must keep it so: no <script> blocks, no style attributes.
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The browser features the service never uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)
# Passkeys (the second factor) are asked for by our own pages only.
PERMISSIONS_POLICY += ", publickey-credentials-create=(self), publickey-credentials-get=(self)"
