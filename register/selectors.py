"""Reads of the public side: published decisions only, filtered as the register filters them, a
page at a time by keyset (the last item's publication time and number, never an OFFSET, so page
1,000 costs what page 1 does), and each decision's annex tables as the public page shows them.

Nothing here reads Part 2, return comments or the explanations of findings.
"""

from __future__ import annotations

import base64
import binascii
import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.dateparse import parse_datetime

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
    return (
        Decision.objects.published()
        .annotate(
            has_annex=Exists(Annex.objects.filter(decision=OuterRef("pk"))),
            decision_maker=dmpc.order_by("-signed_at").values("signer_name")[:1],
        )
        .order_by(*ORDER)
    )


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


def encode_cursor(decision: Decision) -> str:
    assert decision.published_at is not None  # noqa: S101 - published decisions have the date
    raw = f"{decision.published_at.isoformat()}|{decision.reference_number or 0}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when_text, number_text = raw.split("|")
        when, number = parse_datetime(when_text), int(number_text)
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise BadCursor("This cursor is not one of ours.") from error
    if when is None or number < 0:
        raise BadCursor("This cursor is not one of ours.")
    return when, number


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
