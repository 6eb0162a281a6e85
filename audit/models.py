"""The audit chain: one append-only sequence of links, each holding a record of something the
system must never lose or have rewritten unseen (a transition, a signature, a publication, a role
change), the hash of the link before it, its own hash and the server key's signature of it."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone


class Link(models.Model):
    """One record in the chain. Written by audit.chain.append only; never changed or deleted (the
    model refuses, and on PostgreSQL a trigger refuses even raw SQL)."""

    sequence = models.PositiveBigIntegerField(unique=True)
    kind = models.CharField(max_length=40)  # "decisions.transition", "decisions.signature"…
    # What the record is about, as "<app>.<model>:<primary key>", and its name for people.
    subject = models.CharField(max_length=120)
    label = models.CharField(max_length=200)
    payload = models.JSONField()
    at = models.DateTimeField(default=timezone.now)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=100)  # Ed25519 over `hash`, base64

    class Meta:
        ordering = ["sequence"]
        indexes = [models.Index(fields=["kind", "subject"], name="audit_link_subject")]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("Audit links are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Audit links are append-only.")
