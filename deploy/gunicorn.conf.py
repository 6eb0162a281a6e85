"""gunicorn's settings for the web processes (deploy/bin/web). Each value comes from the
environment (deploy/pcd.env.example), with a default for one small machine."""

import json
import os

bind = os.environ.get("PCD_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Threads: a page waiting for the database does not hold a whole process.
threads = int(os.environ.get("PCD_WEB_THREADS", "4"))
worker_class = "gthread"
# No page takes long (PDFs are made by the workers): a request still running after this is stuck.
timeout = int(os.environ.get("PCD_WEB_TIMEOUT_S", "30"))
graceful_timeout = 20
keepalive = 5
# A process is replaced after this many requests (with some jitter), so that no slow leak grows.
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access log: one JSON object a line, with the request id that the application's own log lines
# carry (X-Request-ID: from the proxy, else made by the application and returned).
accesslog = "-"
errorlog = "-"
access_log_format = json.dumps(
    {
        "time": "%(t)s",
        "level": "INFO",
        "logger": "gunicorn.access",
        "request_id": "%({x-request-id}o)s",
        "method": "%(m)s",
        "path": "%(U)s",
        "status": "%(s)s",
        "bytes": "%(B)s",
        "duration_ms": "%(M)s",
        "remote": "%({x-forwarded-for}i)s",
    }
)
