"""Open data that is not the JSON API: the Atom feed of publications, the register as CSV, the
sitemap and robots.txt. Each lists published decisions only, and only what their public page
shows."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import condition

from decisions.models import Decision
from finance.spreadsheets import csv_bytes
from register.caching import cache_headers, public_cache
from register.selectors import published_decisions

FEED_SIZE = 50


class DecisionsFeed(Feed):  # type: ignore[type-arg]
    """/decisions/feed/: the latest publications, newest first."""

    feed_type = Atom1Feed
    title = "Decisions of the Deputy Mayor for Policing and Crime"
    subtitle = "Requests for DMPC decision published by the Mayor's Office for Policing and Crime."

    def link(self) -> str:
        return reverse("public:register")

    def items(self) -> list[Decision]:
        return list(published_decisions()[:FEED_SIZE])

    def item_title(self, item: Decision) -> str:
        return f"{item.reference}: {item.register_entry.title}"

    def item_description(self, item: Decision) -> str:
        return item.register_entry.summary

    def item_link(self, item: Decision) -> str:
        return reverse("public:decision", args=[item.reference_number])

    def item_pubdate(self, item: Decision) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Decision) -> datetime.datetime | None:
        return item.published_at

    def item_author_name(self, item: Decision) -> str | None:
        return item.register_entry.decision_maker


feed = public_cache(DecisionsFeed())


# --- the register as CSV ---------------------------------------------------------------------

REGISTER_CSV_HEADER = [
    "reference",
    "title",
    "signed_off",
    "published",
    "decision_maker",
    "has_finance_annex",
    "page_url",
    "pdf_url",
    "executive_summary",
]


def _register_etag(request: HttpRequest) -> str:
    """The register changes only when a decision is published: their count and the latest
    publication identify its state without reading every row."""
    state = Decision.objects.published().aggregate(n=Count("pk"), last=Max("published_at"))
    last = state["last"].isoformat() if state["last"] else "-"
    return f"{state['n']}-{last}"


def _csv_lines(request: HttpRequest) -> Iterator[bytes]:
    yield csv_bytes([REGISTER_CSV_HEADER])
    for item in published_decisions().iterator(chunk_size=1000):
        page = request.build_absolute_uri(reverse("public:decision", args=[item.reference_number]))
        pdf = request.build_absolute_uri(
            reverse("public:decision_pdf", args=[item.reference_number])
        )
        yield csv_bytes(
            [
                [
                    item.reference,
                    item.register_entry.title,
                    item.signed_off_at.date().isoformat() if item.signed_off_at else "",
                    item.published_at.isoformat() if item.published_at else "",
                    item.register_entry.decision_maker,
                    "yes" if item.register_entry.has_annex else "no",
                    page,
                    pdf,
                    item.register_entry.summary,
                ]
            ]
        )


@condition(etag_func=_register_etag)
def _decisions_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(request), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="decisions.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def decisions_csv(request: HttpRequest) -> HttpResponseBase:
    """/decisions.csv: every published decision, streamed a row at a time; its ETag is the
    register's state, so a conditional request costs one aggregate query."""
    response: HttpResponseBase = _decisions_csv(request)
    cache_headers(request, response)
    return response


# --- sitemap and robots.txt ------------------------------------------------------------------


class DecisionSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "yearly"
    limit = 10_000

    def items(self) -> QuerySet[Decision]:
        qs: QuerySet[Decision] = Decision.objects.published()
        return qs.order_by("-published_at", "-reference_number")

    def location(self, item: Decision) -> str:
        return reverse("public:decision", args=[item.reference_number])

    def lastmod(self, item: Decision) -> datetime.datetime | None:
        return item.published_at


class PagesSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["public:register", "accessibility", "contact", "privacy"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {"decisions": DecisionSitemap, "pages": PagesSitemap}


@public_cache
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /staff/",
        "Disallow: /admin/",
        "Disallow: /sign-in/",
        "Disallow: /sign-out/",
        "Allow: /",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
