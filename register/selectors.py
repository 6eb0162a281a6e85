"""Reads of the public side: published decisions only, filtered as the register filters them, a
page at a time by keyset (the last item's publication time and number, never an OFFSET, so page
1,000 costs what page 1 does), and each decision's annex tables as the public page shows them.

Nothing here reads Part 2, return comments or the explanations of findings.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from decisions.models import Decision, Signature, SignatureKind
from documents.html import TableView, table_view
from finance.models import Annex

# The register's order, newest first; the reference breaks ties between decisions published
# in the same instant (an import), so the order and therefore the keyset are total.
ORDER = ("-published_at", "-reference_number")
MAX_PAGE_SIZE = 100


def published_decisions() -> QuerySet[Decision]:
    """Every published decision, newest first, with what a list shows of it: whether it has a
    finance annex, and who took the decision (the DMPC who signed it off)."""
    dmpc = Signature.objects.filter(decision=OuterRef("pk"), kind=SignatureKind.DMPC_DECISION)
    qs: QuerySet[Decision] = (
        Decision.objects.published()
        .annotate(
            has_annex=Exists(Annex.objects.filter(decision=OuterRef("pk"))),
            decision_maker=dmpc.order_by("-signed_at").values("signer_name")[:1],
        )
        .order_by(*ORDER)
    )
    return qs


def apply_filters(
    qs: QuerySet[Decision],
    *,
    year: int | None = None,
    decision_maker: str | None = None,
    has_annex: bool | None = None,
) -> QuerySet[Decision]:
    """The register's filters: the year signed off, the decision maker (by name, as signed,
    any case), and whether a finance annex is attached. None leaves a filter off."""
    if year is not None:
        qs = qs.filter(signed_off_at__year=year)
    if decision_maker:
        qs = qs.filter(
            Exists(
                Signature.objects.filter(
                    decision=OuterRef("pk"),
                    kind=SignatureKind.DMPC_DECISION,
                    signer_name__iexact=decision_maker.strip(),
                )
            )
        )
    if has_annex is not None:
        annexed = Exists(Annex.objects.filter(decision=OuterRef("pk")))
        qs = qs.filter(annexed) if has_annex else qs.exclude(annexed)
    return qs


class BadCursor(ValueError):
    """A cursor this site did not make (or a mangled one)."""


# A cursor is the position of the last item of a page: its publication time in microseconds
# since 1970 (UTC) and its reference number, "1508929200000000-279". Every string of this shape
# is a valid position, so a cursor can only be malformed, never "unknown".
CURSOR_PATTERN = r"^[0-9]{1,16}-[0-9]{1,9}$"
_CURSOR = re.compile(CURSOR_PATTERN)
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def encode_cursor(decision: Decision) -> str:
    assert decision.published_at is not None  # noqa: S101 - published decisions have the date
    micros = (decision.published_at - _EPOCH) // datetime.timedelta(microseconds=1)
    return f"{micros}-{decision.reference_number or 0}"


def decode_cursor(cursor: str) -> tuple[datetime.datetime, int]:
    if not _CURSOR.fullmatch(cursor):
        raise BadCursor("This is not a cursor: use the next_cursor of the page before.")
    micros, number = cursor.split("-")
    return _EPOCH + datetime.timedelta(microseconds=int(micros)), int(number)


@dataclass(frozen=True)
class Page:
    items: list[Decision]
    next_cursor: str | None  # None on the last page


def keyset_page(qs: QuerySet[Decision], *, after: str | None, size: int) -> Page:
    """One page of `qs` (in ORDER) after the cursor: fetched with a WHERE on the order's
    columns and a LIMIT, one row more than asked for to know whether another page follows."""
    size = max(1, min(size, MAX_PAGE_SIZE))
    if after:
        when, number = decode_cursor(after)
        qs = qs.filter(Q(published_at__lt=when) | Q(published_at=when, reference_number__lt=number))
    rows = list(qs.order_by(*ORDER)[: size + 1])
    items = rows[:size]
    more = len(rows) > size
    return Page(items=items, next_cursor=encode_cursor(items[-1]) if more and items else None)


# --- the annexes of one decision -------------------------------------------------------------


@dataclass(frozen=True)
class PublicAnnex:
    annex: Annex
    tables: list[TableView]


def public_annexes(decision: Decision) -> list[PublicAnnex]:
    """The decision's finance annexes, each table as the PDF prints it (its rows, totals and
    chart), for the public page and the open data. Explanations are not read."""
    annexes = Annex.objects.filter(decision=decision).order_by("position")
    return [
        PublicAnnex(
            annex=annex,
            tables=[
                table_view(table, number)
                for number, table in enumerate(annex.tables.order_by("position"), start=1)
            ],
        )
        for annex in annexes
    ]


def public_annex(decision: Decision, position: int) -> Annex | None:
    return Annex.objects.filter(decision=decision, position=position).first()
