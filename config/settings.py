"""Settings, read from the environment (see README.md, "Configuration").

With nothing set, the project runs on SQLite and a file-system Celery broker, so that `make run`
needs no server. In production set DJANGO_SECRET_KEY, DATABASE_URL and REDIS_URL.
"""

from __future__ import annotations

import datetime
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django_guid.integrations import CeleryIntegration

from config import caches, headers
from config.env import env_bool, env_int, env_list, env_str
from config.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PCD_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", default=False)
# The web server refuses to start without a real secret unless DEBUG (config/wsgi.py). Offline
# commands (migrations, check_annex, the tests' own settings) sign nothing that outlives them, so
# they run with a throw-away key rather than refusing.
SECRET_KEY_FROM_ENVIRONMENT = bool(env_str("DJANGO_SECRET_KEY", default=""))
if SECRET_KEY_FROM_ENVIRONMENT:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")
elif DEBUG:
    SECRET_KEY = "insecure-development-key-not-for-production"  # noqa: S105 - only with DEBUG
else:
    SECRET_KEY = secrets.token_urlsafe(50)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_forms_gds",
    "rules.apps.AutodiscoverRulesConfig",
    # Sign-in: a lock after repeated failures, and the second factor (authenticator app, backup
    # codes).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    # The domain, from the bottom up: each app imports only those above it in this list
    # (docs/architecture.md; `make check` enforces it). audit, the hash chain, imports nothing.
    "audit",
    "decisions",
    "finance",
    "documents",
    # The pages, over the domain.
    "staff",
    "register",
    "demo",
    # Running it: health check, heartbeats, backup and restore.
    "ops",
    # People, roles and sign-in: above the domain (decisions never imports it).
    "accounts",
    "django_guid",
    "csp",
]

MIDDLEWARE = [
    # First, so that every log line of a request carries its id (X-Request-ID, kept from the
    # proxy when it sends one, else made here, and returned in the response).
    "django_guid.middleware.guid_middleware",
    # Before anything reads the body (sessions, CSRF): an oversized upload is refused unread.
    "config.security.UploadLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The time the person passed their second factor, from the session onto request.user.
    "accounts.middleware.SecondFactorMiddleware",
    "ops.replica.PublicReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Innermost, so it sees request.user: no-store on what a signed-in person is shown.
    "config.security.SecurityHeadersMiddleware",
    # Last, as django-axes asks: answers a locked-out sign-in with its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "staff.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # A writer waits this many seconds for the lock instead of failing at once with
            # "database is locked".
            "timeout": env_int("PCD_SQLITE_TIMEOUT_S", 20),
            # Every transaction takes the write lock when it begins. SQLite's default (deferred)
            # takes it at the first write, and a transaction that has read cannot wait for it
            # (it would deadlock), so it fails at once: two people acting on one request at the
            # same moment got a 500 instead of the refusal. Taken at the start, the second one
            # waits its turn, reads the first one's result and is refused, as on PostgreSQL.
            "transaction_mode": "IMMEDIATE",
            # WAL: readers (the public pages) never wait for a writer, nor a writer for them.
            # synchronous=NORMAL is durable in WAL mode except for the last transactions on
            # power loss, which is the usual trade for a single machine.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file, not shared memory, so that the live server, a worker thread and the test can each
    # hold their own connection.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

# Optional: a PostgreSQL streaming replica that serves the public pages (ops.replica).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0)
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["ops.replica.PublicReadsRouter"]

# In each process's memory; what each keeps, and why not Redis: config/caches.py.
CACHES = caches.CACHES

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Ten wrong passwords lock the account, and separately the address they came from, for 30
# minutes (or until a governance officer unlocks it at /staff/sign-in-locks/).
AXES_FAILURE_LIMIT = env_int("PCD_SIGN_IN_FAILURE_LIMIT", 10)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Behind PCD_PROXY_COUNT proxies (nginx: 1), the address is read from X-Forwarded-For, never
# trusting what the client put there (accounts.addresses).
PCD_PROXY_COUNT = env_int("PCD_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_address"
OTP_TOTP_ISSUER = "Police and crime decisions"
# Nobody reads another person's authenticator secret or QR code in the admin, superusers
# included: whoever could would hold that person's second factor.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Passkeys (django-otp-webauthn), a second factor only: a password is always asked for first. The
# relying party is the service's host name (by default the first of DJANGO_ALLOWED_HOSTS that is
# a name); a passkey made for one host works on no other. Browsers allow http only on localhost.
_WEBAUTHN_HOSTS = [h for h in ALLOWED_HOSTS if h not in {"127.0.0.1", "testserver"} and h[0] != "."]
OTP_WEBAUTHN_RP_ID = env_str(
    "PCD_WEBAUTHN_RP_ID", _WEBAUTHN_HOSTS[0] if _WEBAUTHN_HOSTS else "localhost"
)
OTP_WEBAUTHN_RP_NAME = "Police and crime decisions"
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "PCD_WEBAUTHN_ORIGINS",
    [f"https://{OTP_WEBAUTHN_RP_ID}"]
    + (["http://localhost:8000"] if OTP_WEBAUTHN_RP_ID == "localhost" else []),
)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# A session ends after 30 minutes without a request (each request renews it).
SESSION_COOKIE_AGE = env_int("PCD_SESSION_IDLE_S", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:dashboard"
LOGOUT_REDIRECT_URL = "staff:signed_out"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    # Built by `make setup` in the checkout, wherever PCD_VAR_DIR puts the data.
    ("build", BASE_DIR / "var" / "static-build"),
    ("js", BASE_DIR / "assets" / "js"),
]
# In production, `collectstatic` writes hashed, compressed copies that WhiteNoise serves with
# far-future caching. Development and the tests serve the files straight from their folders.
STATIC_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST", default=not DEBUG)
# Media (the PDFs): a folder by default (shared between machines, e.g. over NFS, when there are
# several), or an S3-compatible bucket (AWS S3, MinIO, Ceph…) with PCD_MEDIA_STORAGE=s3. The files
# are always served through the application, which checks who may read them, so the bucket stays
# private. Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the instance role).
PCD_MEDIA_STORAGE = env_str("PCD_MEDIA_STORAGE", "local")
if PCD_MEDIA_STORAGE == "local":
    MEDIA_STORAGE: dict[str, object] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif PCD_MEDIA_STORAGE == "s3":
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("PCD_S3_BUCKET"),
            "endpoint_url": env_str("PCD_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("PCD_S3_REGION", "") or None,
            "location": env_str("PCD_S3_PREFIX", ""),
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured(f"PCD_MEDIA_STORAGE must be local or s3; got {PCD_MEDIA_STORAGE!r}.")
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
MEDIA_ROOT = Path(env_str("PCD_MEDIA_ROOT", str(VAR_DIR / "media")))

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- E-mail: notices (decisions.notifications) -------------------------------------------------
# Development prints them on the console; otherwise they go to the SMTP server named here.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
# A mail server that does not answer must fail the attempt (it is retried), not hang the worker.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT_S", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "decisions@localhost")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# A failed send is tried again after 30 s, then 60 s, 120 s… (at most an hour apart), up to
# PCD_NOTICE_MAX_ATTEMPTS attempts in all; a send taking longer than PCD_NOTICE_LEASE_S is taken
# as lost with its worker, and the sweep hands the notice to another.
PCD_NOTICE_RETRY_BASE_S = env_int("PCD_NOTICE_RETRY_BASE_S", 30)
PCD_NOTICE_MAX_ATTEMPTS = env_int("PCD_NOTICE_MAX_ATTEMPTS", 8)
PCD_NOTICE_LEASE_S = env_int("PCD_NOTICE_LEASE_S", 120)
# The sweep leaves a notice this young to the task queued when it was written.
PCD_NOTICE_GRACE_S = env_int("PCD_NOTICE_GRACE_S", 30)
# Remind whoever a request waits for once it has waited more than this many working days.
PCD_REMINDER_WORKING_DAYS = env_int("PCD_REMINDER_WORKING_DAYS", 3)

# --- Security: headers and cookies (config/security.py; production adds HTTPS and HSTS) -------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The Content-Security-Policy and Permissions-Policy, and why: config/headers.py.
CONTENT_SECURITY_POLICY = headers.CONTENT_SECURITY_POLICY
PCD_PERMISSIONS_POLICY = headers.PERMISSIONS_POLICY
# A request body larger than this is refused from its Content-Length before it is read
# (config.security.UploadLimitMiddleware): the largest spreadsheet is 5 MB, plus the form.
# deploy/nginx.conf's client_max_body_size says the same at the proxy.
DATA_UPLOAD_MAX_BODY_BYTES = env_int("PCD_MAX_REQUEST_BYTES", 6 * 1024 * 1024)

# --- Celery -------------------------------------------------------------------------------------
# With REDIS_URL unset, the broker is a folder on disk: web and worker processes on one machine
# share it, and nothing has to be installed or started.
REDIS_URL = env_str("REDIS_URL", "")
# Redis hands a message that a worker took and has not acknowledged (tasks acknowledge when they
# end: acks_late) to another worker once this many seconds have passed. A worker that died is
# NOT found this way: the leases and the beat sweeps find its work within a minute. So this only
# has to be longer than any message is legitimately held unacknowledged: a render (at most
# PCD_RENDER_TIMEOUT_S, then its retries' countdowns) or a notice's retry (at most
# MAX_TASK_ETA_S ahead). Shorter, Redis would hand a long render to a second worker while the
# first still works on it; an hour leaves a wide margin, and start-up refuses a value too short.
PCD_BROKER_VISIBILITY_TIMEOUT_S = env_int("PCD_BROKER_VISIBILITY_TIMEOUT_S", 3600)
MAX_TASK_ETA_S = 300
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "visibility_timeout": PCD_BROKER_VISIBILITY_TIMEOUT_S,
        # A broker that is down must cost a web request seconds, not minutes.
        "socket_connect_timeout": 2,
        "socket_timeout": 10,
    }
else:
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # Where the broadcast exchanges (worker control) live; left unset, kombu writes them
        # into the current directory.
        "control_folder": str(_broker_dir / "control"),
        # How often an idle worker looks in the folder. kombu's default, a second, also paces a
        # busy worker to about one task a second (it looks again only after each task), which
        # a burst of notices outruns.
        "polling_interval": 0.1,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE

# --- Documents (PDF): rendered by Celery tasks (documents.tasks), never in a web request ---------
# A render holds its document (and the parts it renders) with a lease of this many seconds, which
# its worker renews every third of it while it works (documents.leases). A worker that dies stops
# renewing; once its lease lapses, the sweep queues the document again and any worker takes it
# over. Lease plus sweep interval bounds how long a dead worker holds a document up (30 s).
PCD_RENDER_LEASE_S = env_int("PCD_RENDER_LEASE_S", 15)
# A render process that has not finished after this long is killed and the attempt fails (and
# is retried).
PCD_RENDER_TIMEOUT_S = env_int("PCD_RENDER_TIMEOUT_S", 240)
if PCD_BROKER_VISIBILITY_TIMEOUT_S < 2 * (PCD_RENDER_TIMEOUT_S + MAX_TASK_ETA_S):
    raise ImproperlyConfigured(
        "PCD_BROKER_VISIBILITY_TIMEOUT_S must be at least twice PCD_RENDER_TIMEOUT_S + "
        f"{MAX_TASK_ETA_S}s, or Redis hands running renders to a second worker."
    )
# A document asked for this long ago and never handed to the broker (it was down) is queued by
# the sweep; one handed over but still not started after PCD_RENDER_REQUEUE_S is sent again (its
# message may have been lost with a broker that restarted; sending twice is harmless).
PCD_RENDER_QUEUE_GRACE_S = env_int("PCD_RENDER_QUEUE_GRACE_S", 10)
PCD_RENDER_REQUEUE_S = env_int("PCD_RENDER_REQUEUE_S", 120)
# First retry after this many seconds, then twice as long each time (three retries).
PCD_RENDER_RETRY_BASE_S = env_int("PCD_RENDER_RETRY_BASE_S", 5)
# Tests only: seconds a render waits after claiming the parts it renders, so that a test can kill
# the worker in the middle of a render.
PCD_RENDER_DELAY_S = env_int("PCD_RENDER_DELAY_S", 0)
# Each render runs in a forked process of its own, which takes WeasyPrint's native memory with it
# when it exits (and lets a pack's parts render side by side). Off: render in the worker itself.
PCD_RENDER_ISOLATED = env_bool("PCD_RENDER_ISOLATED", default=True)
PCD_SWEEP_INTERVAL_S = env_int("PCD_SWEEP_INTERVAL_S", 15)
CELERY_BEAT_SCHEDULE = {
    "sweep-documents": {
        "task": "documents.tasks.sweep_documents",
        "schedule": float(PCD_SWEEP_INTERVAL_S),
    },
    "sweep-notices": {
        "task": "decisions.tasks.sweep_notices",
        "schedule": float(PCD_SWEEP_INTERVAL_S),
    },
    # Deferred decisions are published at the start of their day (Europe/London): the task
    # runs every minute, and takes whatever is due, so downtime is caught up at its next run.
    "publish-due-decisions": {
        "task": "register.tasks.publish_due_decisions",
        "schedule": float(env_int("PCD_PUBLISH_INTERVAL_S", 60)),
    },
    "send-reminders": {
        "task": "decisions.tasks.send_reminders",
        "schedule": float(env_int("PCD_REMINDER_INTERVAL_S", 3600)),
    },
}

# --- The signing key (audit.keys) ----------------------------------------------------------------
# Ed25519, outside the database: the PEM itself in PCD_SIGNING_KEY (from a secret manager), or a
# file. Outside production a missing file is generated once; config.production insists on one.
PCD_SIGNING_KEY = env_str("PCD_SIGNING_KEY", "")
PCD_SIGNING_KEY_FILE = env_str("PCD_SIGNING_KEY_FILE", str(VAR_DIR / "signing-key.pem"))
PCD_SIGNING_KEY_GENERATE = env_bool("PCD_SIGNING_KEY_GENERATE", default=True)
# Nightly: the audit chain checked against the live rows; governance told of a break.
PCD_AUDIT_CHECK_INTERVAL_S = env_int("PCD_AUDIT_CHECK_INTERVAL_S", 24 * 3600)
CELERY_BEAT_SCHEDULE["verify-audit"] = {
    "task": "decisions.tasks.verify_audit_chain",
    "schedule": float(PCD_AUDIT_CHECK_INTERVAL_S),
}

# --- Running it: health, logs ------------------------------------------------------------------
# Workers record a heartbeat this often; /healthz calls a worker down when none is younger than
# PCD_HEALTH_WORKER_STALE_S, and beat down when it sent no task for PCD_HEALTH_BEAT_STALE_S (or
# three sweep intervals, if longer).
PCD_HEARTBEAT_S = env_int("PCD_HEARTBEAT_S", 10)
PCD_HEALTH_WORKER_STALE_S = env_int("PCD_HEALTH_WORKER_STALE_S", 60)
PCD_HEALTH_BEAT_STALE_S = env_int("PCD_HEALTH_BEAT_STALE_S", 60)

# Every log line carries the id of the request it belongs to (django-guid; tasks carry the id
# of the request that queued them). JSON, one object a line, in production; text in development.
PCD_LOG_FORMAT = env_str("PCD_LOG_FORMAT", "text" if DEBUG else "json")
if PCD_LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"PCD_LOG_FORMAT must be json or text; got {PCD_LOG_FORMAT!r}.")
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": False,  # keep the proxy's id as it is, so the two logs match
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
    "INTEGRATIONS": [CeleryIntegration(use_django_logging=True, log_parent=True)],
}
# The worker logs through the configuration below, not Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
LOGGING = logging_config(formatter=PCD_LOG_FORMAT, level=env_str("LOG_LEVEL", "INFO"))
