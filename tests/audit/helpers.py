"""Changing rows as a DBA would: raw SQL, past the models; on PostgreSQL with the append-only
triggers of the table disabled first (ALTER TABLE … DISABLE TRIGGER), as only its owner can."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection


@contextmanager
def as_dba(*tables: str) -> Iterator[Any]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The test's transaction holds deferred foreign-key checks; ALTER TABLE needs them done.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def verify_audit_error() -> str:
    """What verify_audit reports, failing the test if it finds nothing."""
    try:
        call_command("verify_audit")
    except CommandError as error:
        return str(error)
    raise AssertionError("verify_audit found nothing wrong")
