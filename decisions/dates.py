"""The calendar the decisions live by: London's. A deferral "until 1 April" ends at the start of
1 April in London, whatever the server's clock zone is."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")


def london_today() -> datetime.date:
    return timezone.now().astimezone(LONDON).date()
