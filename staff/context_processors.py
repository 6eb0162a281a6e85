from typing import Any

from django.http import HttpRequest

from decisions.roles import Role, roles_of


def roles(request: HttpRequest) -> dict[str, Any]:
    held = roles_of(getattr(request, "user", None))
    return {
        "user_roles": held,
        "user_role_labels": [Role(r).label for r in Role.values if r in held],
        "is_staff_user": bool(held),
    }
