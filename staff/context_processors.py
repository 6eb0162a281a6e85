from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from decisions.roles import Role, roles_of


def roles(request: HttpRequest) -> dict[str, Any]:
    held = roles_of(getattr(request, "user", None))
    return {
        "user_roles": held,
        "user_role_labels": [Role(r).label for r in Role.values if r in held],
        "is_staff_user": bool(held),
        "navigation": navigation(request, held),
    }


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    # aria-current: "page" on the item's own page, "true" on a page beneath it, "" elsewhere.
    current: str = ""


def navigation(request: HttpRequest, held: frozenset[str]) -> list[NavItem]:
    """The service navigation a person sees, with the item they are in marked. The item whose
    address is the longest start of this page's is the one: /staff/forms/3/ is under Form versions
    and /staff/people/ under People and roles, although both also start with /staff/."""
    user = getattr(request, "user", None)
    oversight = bool({Role.GOVERNANCE.value, Role.SYSTEM_ADMIN.value} & held)
    items = [("Published decisions", "public:register", True)]
    if user is not None and user.is_authenticated:
        items += [
            ("Your requests", "staff:dashboard", bool(held)),
            ("Form versions", "staff:form_versions", Role.GOVERNANCE.value in held),
            ("People and roles", "accounts:people", Role.SYSTEM_ADMIN.value in held),
            ("Sign-in locks", "accounts:sign_in_locks", oversight),
            ("Administration", "admin:index", user.is_staff),
            # Everyone signed in manages their own passkeys and backup codes there.
            ("Sign-in and security", "accounts:security", True),
        ]
    shown = [(label, reverse(name)) for label, name, show in items if show]
    path = request.path
    within = max((url for _, url in shown if path.startswith(url)), key=len, default=None)
    return [
        NavItem(label, url, ("page" if path == url else "true") if url == within else "")
        for label, url in shown
    ]
