"""What the health check reads about processes it cannot ask directly: when each worker, and beat,
last said it was alive."""

from __future__ import annotations

from django.db import models


class ProcessKind(models.TextChoices):
    WORKER = "worker", "Celery worker"
    BEAT = "beat", "Celery beat"


class Heartbeat(models.Model):
    """The last sign of life of one worker (by its Celery host name) or of beat."""

    name = models.CharField(max_length=200, primary_key=True)
    kind = models.CharField(max_length=10, choices=ProcessKind.choices)
    at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%H:%M:%S}"
