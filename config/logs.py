"""The logging configuration: every line carries the id of the request it belongs to (django-guid;
tasks carry the id of the request that queued them); JSON, one object a line, or text."""

from __future__ import annotations

from typing import Any


def logging_config(*, formatter: str, level: str) -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "django_guid.log_filters.CorrelationId"},
            "task": {"()": "django_guid.integrations.celery.log_filters.CeleryTracing"},
        },
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
                "rename_fields": {
                    "asctime": "time",
                    "levelname": "level",
                    "name": "logger",
                    "correlation_id": "request_id",
                },
            },
            "text": {
                "format": "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": formatter,
                "filters": ["request_id", "task"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        # django-guid says at INFO, for every request and task, that it made or passed on an id.
        "loggers": {"django_guid": {"level": "WARNING"}},
    }
