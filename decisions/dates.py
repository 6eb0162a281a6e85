"""The calendar the decisions live by: London's. A deferral "until 1 April" ends at the start of
1 April in London, whatever the server's clock zone is."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone

LONDON = ZoneInfo("Europe/London")


def london_today() -> datetime.date:
    return timezone.now().astimezone(LONDON).date()


def _bank_holidays(years: range) -> holidays.HolidayBase:
    # England and Wales share their bank holidays; the package keeps them, announced ones
    # (coronations, jubilees, funerals) included, and needs no network.
    return holidays.country_holidays("GB", subdiv="ENG", years=years)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(range(day.year, day.year + 1))


def working_days_between(start: datetime.datetime, end: datetime.datetime) -> int:
    """The working days after the day of `start` up to and including the day of `end`, in
    London: something that arrived on a Friday has waited one working day on Monday."""
    first = start.astimezone(LONDON).date() + datetime.timedelta(days=1)
    last = end.astimezone(LONDON).date()
    if last < first:
        return 0
    closed = _bank_holidays(range(first.year, last.year + 1))
    days = (first + datetime.timedelta(days=n) for n in range((last - first).days + 1))
    return sum(1 for day in days if day.weekday() < 5 and day not in closed)
