"""Named people for each role, requests in any state, and the rules for tests that need services.

Tests marked `postgres` show what only PostgreSQL can (the append-only triggers as PostgreSQL
raises them). On SQLite they are skipped with the reason; with
PCD_REQUIRE_SERVICES=1 (CI sets it) they fail instead, so a CI run without PostgreSQL cannot pass
by skipping them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection

from decisions.models import Decision
from decisions.roles import Role
from decisions.states import Status
from tests.factories import UserFactory, decision_in, passed_second_factor

# --- services -----------------------------------------------------------------------------------


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") is None or connection.vendor == "postgresql":
        return
    reason = (
        f"needs PostgreSQL, but this run uses {connection.vendor}: "
        "set DATABASE_URL=postgres://… to run it"
    )
    if os.environ.get("PCD_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (PCD_REQUIRE_SERVICES=1 forbids skipping it)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _eager_celery() -> Iterator[None]:
    """Tasks queued on commit run at once, in the test, and their errors fail it. (The Celery app
    read its settings at import, so the settings fixture cannot change this.)"""
    from config.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_public_page_kept() -> None:
    """Each test draws its public pages from its own rows: a page kept by another test (the demo
    makes the same rows each time, and SQLite gives them the same ids) is not served to it."""
    from django.core.cache import caches

    caches["public_pages"].clear()


# --- people -------------------------------------------------------------------------------------


@pytest.fixture
def officer(db: None) -> Any:
    """The originating officer who drafts the requests in these tests."""
    return UserFactory(username="priya", first_name="Priya", last_name="Shah", roles=[Role.OFFICER])


@pytest.fixture
def other_officer(db: None) -> Any:
    return UserFactory(username="tom", first_name="Tom", last_name="Baker", roles=[Role.OFFICER])


@pytest.fixture
def chief_executive(db: None) -> Any:
    return passed_second_factor(
        UserFactory(
            username="helen", first_name="Helen", last_name="Carter", roles=[Role.CHIEF_EXECUTIVE]
        )
    )


@pytest.fixture
def dmpc(db: None) -> Any:
    return passed_second_factor(
        UserFactory(username="daniel", first_name="Daniel", last_name="Okafor", roles=[Role.DMPC])
    )


@pytest.fixture
def governance(db: None) -> Any:
    return passed_second_factor(
        UserFactory(username="grace", first_name="Grace", last_name="Hill", roles=[Role.GOVERNANCE])
    )


@pytest.fixture
def outsider(db: None) -> Any:
    """Signed in, but holds no role."""
    return UserFactory(username="owen", first_name="Owen", last_name="Price")


# --- requests -----------------------------------------------------------------------------------


@pytest.fixture
def make_decision(officer: Any, chief_executive: Any, dmpc: Any) -> Callable[[Status], Decision]:
    """`make_decision(Status.AWAITING_SIGNOFF)`: a complete request by `officer` in that state."""

    def make(status: Status) -> Decision:
        return decision_in(status, officer=officer, chief_executive=chief_executive, dmpc=dmpc)

    return make
