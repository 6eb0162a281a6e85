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


# --- the public side: the demo's PCD 279 and a PCD 280 with the seed's savings table ----------


@pytest.fixture
def demo_published(db: None) -> Any:
    """The demo: PCD 279 published with its ten finance tables, and the demo users."""
    from demo.loader import load_demo

    users, pcd_279, _draft = load_demo()
    return {"users": users, "pcd_279": pcd_279}


@pytest.fixture
def pcd_280_savings(demo_published: Any) -> Any:
    """PCD 280: a request whose officer imported the seed's savings table, taken to published."""
    from decisions.roles import Role
    from finance import services as finance_services
    from finance.seed import PCD_279_DIR
    from tests.factories import (
        approved_by_chief_executive,
        fresh,
        make_complete_draft,
        signed_off,
        submitted,
    )

    users = demo_published["users"]
    draft = make_complete_draft(users[Role.OFFICER], title="Savings programme 2017/18")
    annex = finance_services.annex_create(
        decision=draft,
        user=users[Role.OFFICER],
        title="Savings",
        reporting_period="Quarter 1 2017/18",
        unit="£m",
    )
    finance_services.table_import(
        annex=annex,
        user=users[Role.OFFICER],
        name="savings.csv",
        data=(PCD_279_DIR / "savings.csv").read_bytes(),
    )
    decision = submitted(fresh(draft), users[Role.OFFICER])
    decision = approved_by_chief_executive(decision, users[Role.CHIEF_EXECUTIVE])
    decision = signed_off(decision, users[Role.DMPC])
    assert decision.reference == "PCD 280"
    return decision
