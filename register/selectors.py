"""Reads of the public register: what is published, filtered, and a page of it at a time.

Only published decisions are read here, and never Part 2. The JSON API reads the same functions,
so the register and the API always list the same decisions in the same order.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q, QuerySet

from decisions.dates import LONDON, london_today
from decisions.models import Decision
from decisions.published import publication_problem
from decisions.states import Status
from documents.html import TableView, table_view
from finance.models import Annex
from register.indexing import DECISION_MAKERS_CACHE, FIRST_YEAR_CACHE
from register.models import RegisterEntry

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# A key as links and the API write it (Key.__str__): microseconds since 1970 UTC, a dot, the
# reference number.
KEY_PATTERN = r"^[0-9]{1,16}\.[0-9]{1,9}$"


def deferred_decisions_due() -> QuerySet[Decision]:
    """Deferred decisions whose publication day has begun in London, however long ago."""
    due: QuerySet[Decision] = Decision.objects.filter(
        status=Status.DEFERRED, publish_on__lte=london_today()
    )
    return due


# --- the register ------------------------------------------------------------------------------


def published_decisions() -> QuerySet[Decision]:
    """Every published decision, newest first (by publication, then reference): the register's
    order, and its keyset pagination's key (the index decision_register_order)."""
    published: QuerySet[Decision] = (
        Decision.objects.published()
        .select_related("register_entry")
        .order_by("-published_at", "-reference_number")
    )
    return published


def apply_filters(
    qs: QuerySet[Decision],
    *,
    year: int | None = None,
    decision_maker: str = "",
    has_annex: bool | None = None,
) -> QuerySet[Decision]:
    """The register's filters: the year of publication (in London), the decision maker, and
    whether the decision has a finance annex (None: either)."""
    if year is not None:
        start = datetime.datetime(year, 1, 1, tzinfo=LONDON)
        end = datetime.datetime(year + 1, 1, 1, tzinfo=LONDON)
        # A range, not __year, so the ordered index still serves it.
        qs = qs.filter(published_at__gte=start, published_at__lt=end)
    if decision_maker:
        qs = qs.filter(register_entry__decision_maker=decision_maker)
    if has_annex is not None:
        qs = qs.filter(register_entry__has_annex=has_annex)
    return qs


@dataclass(frozen=True)
class Key:
    """Where a page of the register starts or ends: its order's key, written in links as
    "<microseconds since the epoch>.<reference number>"."""

    published_at: datetime.datetime
    reference_number: int

    def __str__(self) -> str:
        micros = (self.published_at - EPOCH) // datetime.timedelta(microseconds=1)
        return f"{micros}.{self.reference_number}"

    @classmethod
    def parse(cls, text: str | None) -> Key | None:
        """The key in a link, or None for one that is missing or not a key (the first page)."""
        if not text:
            return None
        micros, _, number = text.partition(".")
        try:
            moment = EPOCH + datetime.timedelta(microseconds=int(micros))
            return cls(moment, int(number))
        except (ValueError, OverflowError):
            return None

    @classmethod
    def of(cls, decision: Decision) -> Key:
        # Published decisions always have both (database constraints).
        return cls(decision.published_at, decision.reference_number)  # type: ignore[arg-type]


@dataclass
class Page:
    decisions: list[Decision]
    next_key: Key | None  # the key to pass as `after` for the next (older) page
    previous_key: Key | None  # the key to pass as `before` for the previous (newer) page


def keyset_page(
    qs: QuerySet[Decision],
    *,
    after: Key | None = None,
    size: int = 20,
    before: Key | None = None,
) -> Page:
    """One page of `qs` (in the register's order) after the key `after`, or before `before`.

    A page starts from its key through the index, so page 1,000 costs what page 1 costs (an
    OFFSET would read and throw away every row before it). One query, whatever the size."""
    if before is not None:
        # The page before: the `size` rows just newer than the key, read oldest first.
        rows = list(
            qs.filter(_newer_than(before)).order_by("published_at", "reference_number")[: size + 1]
        )
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        return Page(
            rows,
            next_key=Key.of(rows[-1]) if rows else None,
            previous_key=Key.of(rows[0]) if rows and more_before else None,
        )
    if after is not None:
        qs = qs.filter(_older_than(after))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(
        rows,
        next_key=Key.of(rows[-1]) if more else None,
        previous_key=Key.of(rows[0]) if rows and after is not None else None,
    )


def _older_than(key: Key) -> Q:
    # The first condition alone bounds the index scan; the rest breaks ties of one moment.
    return Q(published_at__lte=key.published_at) & (
        Q(published_at__lt=key.published_at) | Q(reference_number__lt=key.reference_number)
    )


def _newer_than(key: Key) -> Q:
    return Q(published_at__gte=key.published_at) & (
        Q(published_at__gt=key.published_at) | Q(reference_number__gt=key.reference_number)
    )


def decision_makers() -> list[str]:
    """The decision makers the filter offers: those of the published decisions (cached, since
    reading them all is the one read of the register that grows with it)."""
    makers: list[str] | None = cache.get(DECISION_MAKERS_CACHE)
    if makers is None:
        makers = sorted(
            RegisterEntry.objects.values_list("decision_maker", flat=True).distinct().order_by()
        )
        cache.set(DECISION_MAKERS_CACHE, makers, 300)
    return makers


def publication_years() -> list[int]:
    """The years the filter offers, newest first: from the first publication to this year
    (cached with the decision makers: a new first year comes only with an import)."""
    this_year = london_today().year
    first_year: int | None = cache.get(FIRST_YEAR_CACHE)
    if first_year is None:
        first = (
            Decision.objects.published()
            .order_by("published_at", "reference_number")
            .values_list("published_at", flat=True)
            .first()
        )
        first_year = first.astimezone(LONDON).year if first else this_year
        cache.set(FIRST_YEAR_CACHE, first_year, 300)
    return list(range(this_year, min(first_year, this_year) - 1, -1))


# --- the annexes of one decision -------------------------------------------------------------


@dataclass(frozen=True)
class PublicAnnex:
    annex: Annex
    tables: list[TableView]


def tables_as_signed(decision: Decision) -> bool:
    """Whether the annex tables in the database are still those the DMPC signed. The tables are
    read from the live rows, so when they are not (changed behind the workflow's back), none is
    shown, served or exported: the PDF carries them as signed, and governance is told
    (decisions.published.publication_problem)."""
    return not publication_problem(decision)


def public_annexes(decision: Decision) -> list[PublicAnnex]:
    """The decision's finance annexes, each table as the PDF prints it (its rows, totals and
    chart), for the public page and the open data, once the caller knows they are as signed
    (tables_as_signed, or the signed reading's `live_differs`). Explanations are not read."""
    annexes = Annex.objects.filter(decision=decision).order_by("position")
    return [
        PublicAnnex(
            annex=annex,
            tables=[
                table_view(table, number)
                for number, table in enumerate(
                    annex.tables.order_by("position").prefetch_related("rows"), start=1
                )
            ],
        )
        for annex in annexes
    ]


def public_annex(decision: Decision, position: int) -> Annex | None:
    if not tables_as_signed(decision):
        return None
    return Annex.objects.filter(decision=decision, position=position).first()
