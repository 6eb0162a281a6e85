"""`{% waiting_for_you as notices %}`: the notices about requests still waiting for the person
signed in, for templates/staff/_notices.html (included by the dashboard)."""

from __future__ import annotations

from typing import Any

from django import template

from decisions.models import Notice
from decisions.notifications import waiting_for

register = template.Library()


@register.simple_tag(takes_context=True)
def waiting_for_you(context: dict[str, Any]) -> list[Notice]:
    user = context["request"].user
    return waiting_for(user) if user.is_authenticated else []
