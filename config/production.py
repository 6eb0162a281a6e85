"""Production: config.settings, with what a real deployment must have insisted on.

Chosen by the environment: DJANGO_SETTINGS_MODULE=config.production (deploy/pcd.env). Every
setting is still read from the environment by config.settings; this module refuses to start
without what production needs (a secret key, PostgreSQL, Redis, the host names, a mail server)
and turns on HTTPS behind the proxy. Without DEBUG, config.settings already picks JSON logs, SMTP
mail and WhiteNoise's compressed manifest for static files. `manage.py check --deploy` passes.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_str
from config.settings import *  # noqa: F403 - this module is the base settings, tightened
from config.settings import DATABASES, DEBUG, REDIS_URL, SECRET_KEY_FROM_ENVIRONMENT

_problems = []
if DEBUG:
    _problems.append("DJANGO_DEBUG must be off")
if not SECRET_KEY_FROM_ENVIRONMENT:
    _problems.append("DJANGO_SECRET_KEY must be set (50 random characters or more)")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    _problems.append("DATABASE_URL must name a PostgreSQL database (postgres://…)")
if not REDIS_URL:
    _problems.append("REDIS_URL must name the Redis broker (redis://…)")
if not env_str("DJANGO_ALLOWED_HOSTS", ""):
    _problems.append("DJANGO_ALLOWED_HOSTS must list the site's host names")
if not env_str("EMAIL_HOST", ""):
    _problems.append("EMAIL_HOST must name the SMTP server the notices go through")
if not (env_str("PCD_SIGNING_KEY", "") or env_str("PCD_SIGNING_KEY_FILE", "")):
    _problems.append(
        "PCD_SIGNING_KEY or PCD_SIGNING_KEY_FILE must give the Ed25519 signing key "
        "(docs/deployment.md)"
    )
if _problems:
    raise ImproperlyConfigured("Production settings: " + "; ".join(_problems) + ".")

# HTTPS ends at the proxy, which says so in X-Forwarded-Proto (deploy/nginx.conf sets it).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# The load balancer probes the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=True)
# A year, as HTTP observatories ask (six months at least): the site is served over HTTPS only
# (the redirect above), so browsers may as well never try plain HTTP. Lower it with
# DJANGO_HSTS_SECONDS while a new host name is being proven.
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 365 * 24 * 3600)
# Whether HSTS should cover every subdomain, or the name be preloaded into browsers, is for the
# owner of the domain to decide; neither can be undone quickly, so neither is on by default.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=False)
# Never a key made up on the spot: a new key would sign what the old one's holders cannot check.
PCD_SIGNING_KEY_GENERATE = False
# `make check-deploy` (CI) runs `check --deploy --fail-level WARNING` on these settings; these two
# are the domain owner's decisions above, not omissions.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
