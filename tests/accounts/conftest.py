from __future__ import annotations

from typing import Any

import pytest

from decisions.roles import Role
from tests.factories import UserFactory, passed_second_factor
from tests.pages.helpers import use_plain_static_storage
from tests.test_browser import demo, page  # noqa: F401 - the browser tests' fixtures


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: Any) -> None:
    use_plain_static_storage(settings)


@pytest.fixture
def administrator(db: None) -> Any:
    """The system administrator, who alone changes roles; second factor passed."""
    user = UserFactory(
        username="ada", first_name="Ada", last_name="Shaw", roles=[Role.SYSTEM_ADMIN]
    )
    return passed_second_factor(user)


@pytest.fixture
def governance_admin(governance: Any) -> Any:
    governance.is_staff = True
    governance.save(update_fields=["is_staff"])
    return governance
