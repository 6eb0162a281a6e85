"""Fixtures for the page tests (the Django test client, and the admin).

tests/conftest.py provides the people (officer, other_officer, chief_executive, dmpc, governance,
outsider) and `make_decision`; this file adds only what the pages need on top.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import UserFactory
from tests.pages.helpers import use_plain_static_storage


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: Any) -> None:
    use_plain_static_storage(settings)


@pytest.fixture
def governance_admin(governance: Any) -> Any:
    """The governance officer as the demo loader makes them: allowed into the admin."""
    governance.is_staff = True
    governance.save(update_fields=["is_staff"])
    return governance


@pytest.fixture
def superuser(db: None) -> Any:
    return UserFactory(username="root", is_staff=True, is_superuser=True)
