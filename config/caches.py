"""The caches: in each process's memory, not Redis."""

from __future__ import annotations

from typing import Any

# In each process's memory, not Redis: nothing here needs sharing between processes. "default"
# is Django's own default (the register's filter lists, the once-a-day governance alerts);
# "public_pages" keeps each published decision's page body as rendered (register.decision_page),
# under a key of what it was drawn from, so another process or a restart only renders it once
# more. Its bodies are large (PCD 279's ten tables and charts: 155 KB), so it keeps at most 200:
# about 30 MB a process at the very worst, a few MB for pages without annexes.
CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "public_pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "public-pages",
        "OPTIONS": {"MAX_ENTRIES": 200},
    },
}
