"""Open data: the JSON API (filtered and paginated like the register, described by OpenAPI), the
Atom feed, /decisions.csv, the sitemap and robots.txt. And the done-when tests of the public side:
a crawl of every public address finds nothing confidential, and schemathesis finds no server
error and no answer outside the API's own description."""

from __future__ import annotations

import csv
import io
import re
from collections import deque
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from defusedxml import ElementTree as ET
from django.test import Client
from pypdf import PdfReader

from decisions import services
from decisions.models import Decision
from decisions.states import Status
from documents.models import RenderedDocument
from documents.services import render_now
from finance import selectors as finance_selectors
from finance import services as finance_services
from finance.seed import PCD_279_DIR
from tests.factories import (
    approved_by_chief_executive,
    fresh,
    make_complete_draft,
    signed_off,
    submitted,
)

ATOM = "{http://www.w3.org/2005/Atom}"


def api(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:500])
    return response.json()


def test_the_api_pages_by_cursor_newest_first_and_filters_like_the_register(
    client: Client, make_decision: Any
) -> None:
    published = [make_decision(Status.PUBLISHED) for _ in range(5)]
    make_decision(Status.DEFERRED)
    make_decision(Status.AWAITING_SIGNOFF)
    seen, url, pages = [], "/api/decisions/?size=2", 0
    while url:
        page = api(client, url)
        seen += [item["reference"] for item in page["items"]]
        url = page["next"] and page["next"].removeprefix("http://testserver")
        pages += 1
    expected = [
        d.reference
        for d in sorted(published, key=lambda d: (d.published_at, d.reference_number), reverse=True)
    ]
    assert seen == expected
    assert pages == 3
    year = published[0].signed_off_at.year
    assert len(api(client, f"/api/decisions/?year={year}")["items"]) == 5
    assert api(client, f"/api/decisions/?year={year - 1}")["items"] == []
    assert api(client, "/api/decisions/?has_annex=true")["items"] == []
    assert len(api(client, "/api/decisions/?has_annex=false")["items"]) == 5
    name = api(client, "/api/decisions/")["items"][0]["decision_maker"]
    assert name
    assert len(api(client, f"/api/decisions/?decision_maker={name}")["items"]) == 5
    assert api(client, "/api/decisions/?decision_maker=Someone Else")["items"] == []
    bad = client.get("/api/decisions/?after=not-a-cursor")
    assert bad.status_code == 422


def test_the_api_gives_part_one_and_the_annex_tables_as_data(
    client: Client, demo_published: Any
) -> None:
    data = api(client, "/api/decisions/pcd-279/")
    assert data["reference"] == "PCD 279"
    assert data["decision_maker"] == "Deputy Mayor for Policing and Crime"
    assert [s["number"] for s in data["part_one"]][:3] == [1, 2, 3]
    assert any("2.6" in p["number"] for s in data["part_one"] for p in s["paragraphs"])
    assert "paragraphs 2.6–2.7" in " ".join(r["text"] for r in data["recommendations"])
    tables = data["annexes"][0]["tables"]
    assert len(tables) == 10
    savings = next(t for t in tables if t["kind"] == "savings")
    assert savings["unit"] == "£m"
    assert savings["columns"] == ["Planned Saving (£m)", "Forecast Saving (£m)", "Variation (£m)"]
    total = savings["rows"][-1]
    assert total["total"] is True and total["cells"][0] == "-82.1"
    assert savings["csv_url"].endswith("/decisions/pcd-279/annex-1/table-5.csv")
    assert client.get("/api/decisions/pcd-9999/").status_code == 404


def test_unpublished_decisions_are_in_no_open_data(client: Client, make_decision: Any) -> None:
    deferred = make_decision(Status.DEFERRED)
    assert client.get(f"/api/decisions/{deferred.slug}/").status_code == 404
    assert deferred.reference not in client.get("/api/decisions/").content.decode()
    assert deferred.reference not in client.get("/decisions/feed/").content.decode()
    assert (
        deferred.reference not in b"".join(client.get("/decisions.csv").streaming_content).decode()
    )


def test_the_feed_csv_sitemap_and_robots_list_published_decisions(
    client: Client, make_decision: Any
) -> None:
    first, second = make_decision(Status.PUBLISHED), make_decision(Status.PUBLISHED)
    feed = ET.fromstring(client.get("/decisions/feed/").content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [  # type: ignore[union-attr]
        f"{second.reference}: {second.title}",
        f"{first.reference}: {first.title}",
    ]
    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(client.get("/decisions.csv").streaming_content).decode())
        )
    )
    assert [r["reference"] for r in rows] == [second.reference, first.reference]
    assert rows[0]["page_url"] == f"http://testserver/decisions/{second.slug}/"
    index = client.get("/sitemap.xml").content.decode()
    section = re.findall(r"<loc>http://testserver(/sitemap-decisions\.xml)</loc>", index)[0]
    assert f"/decisions/{first.slug}/" in client.get(section).content.decode()
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /staff/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots


def test_every_schema_field_is_documented(client: Client, db: None) -> None:
    schema = api(client, "/api/schema/")
    assert {"/api/decisions/", "/api/decisions/{reference}/"} <= set(schema["paths"])
    for name, component in schema["components"]["schemas"].items():
        for field, spec in component.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{field} is not described"
    for path in schema["paths"].values():
        for parameter in path["get"].get("parameters", []):
            assert parameter.get("description"), parameter["name"]


# --- the crawl: nothing confidential anywhere public -----------------------------------------

CANARY = "CANARY-9d41e"
PUBLIC_PREFIXES = (
    "/decisions",
    "/api/",
    "/sitemap",
    "/robots.txt",
    "/accessibility/",
    "/contact/",
    "/privacy/",
)


@pytest.fixture
def published_with_secrets(officer: Any, chief_executive: Any, dmpc: Any) -> Decision:
    """A request with the canary in Part 2, in a return comment and in the explanation of an
    annex finding, taken to published, its PDFs rendered."""
    draft = make_complete_draft(officer, title="Savings programme, with secrets")
    services.decision_update_public_access(
        decision=draft,
        user=officer,
        publication_deferred=False,
        deferral_reason="",
        deferred_until=None,
        has_part_two=True,
    )
    services.part_two_update(
        decision=fresh(draft),
        user=officer,
        facts_and_advice=f"{CANARY}-PART2 facts",
        exemption_rationale=f"{CANARY}-PART2 section 31",
    )
    annex = finance_services.annex_create(
        decision=fresh(draft),
        user=officer,
        title="Savings",
        reporting_period="Q1 2017/18",
        unit="£m",
    )
    wrong = (
        (PCD_279_DIR / "savings.csv").read_bytes().replace(b"-82.1,-65.9,16.1", b"-82.1,-65.9,19.9")
    )
    finance_services.table_import(annex=annex, user=officer, name="savings.csv", data=wrong)
    errors = finance_selectors.unexplained_errors(annex)
    assert errors
    for finding in errors:
        finance_services.explanation_record(
            table=annex.tables.get(),
            user=officer,
            row_label=finding.row,
            column=finding.column,
            text=f"{CANARY}-EXPLANATION as published",
        )
    decision = submitted(fresh(draft), officer)
    services.decision_return(
        decision=decision, user=chief_executive, comment=f"{CANARY}-RETURN fix the totals"
    )
    decision = submitted(fresh(decision), officer)
    decision = approved_by_chief_executive(decision, chief_executive)
    decision = signed_off(decision, dmpc)
    assert decision.status == Status.PUBLISHED
    for document in RenderedDocument.objects.filter(decision=decision):
        render_now(document)
    return decision


def _text(response: Any) -> tuple[str, list[str]]:
    """What a public address gives, as text (a PDF's text and attachments), and its links."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind == "application/pdf":
        reader = PdfReader(io.BytesIO(body))
        parts = [page.extract_text() or "" for page in reader.pages]
        parts += [d.decode("utf-8", "replace") for ds in reader.attachments.values() for d in ds]
        parts.append(body.decode("latin-1"))  # and the raw bytes, metadata included
        return "\n".join(parts), []
    text = body.decode("utf-8", "replace")
    links = re.findall(r'(?:href|src)="([^"#]+)', text)
    links += re.findall(r"<loc>([^<]+)</loc>", text)
    if kind.startswith("application/json"):
        links += re.findall(r'"(http://testserver/[^"]+)"', text)
    return text, links


def test_a_crawl_of_every_public_address_finds_nothing_confidential(
    client: Client, published_with_secrets: Decision
) -> None:
    decision = published_with_secrets
    start = [
        "/",
        "/decisions/",
        f"/decisions/?q={CANARY}",
        "/decisions/feed/",
        "/api/decisions/",
        f"/api/decisions/{decision.slug}/",
        "/api/schema/",
        "/decisions.csv",
        "/sitemap.xml",
        "/robots.txt",
    ]
    queue, seen, fetched = deque(start), set(start), {}
    while queue:
        url = queue.popleft()
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        text, links = _text(response)
        if "?q=" in url:
            # The register repeats what was searched for; what it found must not hold it.
            assert "No decisions match your search" in text, url
            text = text.replace(f"“{CANARY}”", "").replace(f'value="{CANARY}"', "")
        assert CANARY not in text, f"{CANARY} leaked at {url}"
        fetched[url] = response.get("Content-Type", "")
        for link in links:
            parts = urlsplit(link.replace("&amp;", "&"))
            if parts.netloc not in ("", "testserver") or not parts.path.startswith(PUBLIC_PREFIXES):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen and len(seen) < 400:
                seen.add(target)
                queue.append(target)
    slug = decision.slug
    must = [
        f"/decisions/{slug}/",
        f"/decisions/{slug}.pdf",
        f"/decisions/{slug}/annex-1.csv",
        f"/decisions/{slug}/annex-1/table-1.csv",
        "/decisions/pcd-279/" if False else "/decisions/feed/",
    ]
    for url in must:
        assert url in fetched, f"the crawl never reached {url}"
    assert fetched[f"/decisions/{slug}.pdf"] == "application/pdf"
    # The things that are hidden are really there, so the crawl could have found them.
    page = client.get(f"/decisions/{slug}/").content.decode()
    assert "Savings with structural delivery problems" in page
    assert decision.log.filter(comment__contains=CANARY).exists()
    assert decision.annexes.get().tables.get().explanations.filter(text__contains=CANARY).exists()


# --- schemathesis against the OpenAPI description --------------------------------------------


@pytest.fixture
def api_schema(demo_published: Any, make_decision: Any) -> Iterator[Any]:
    """The API's description, loaded from the app itself; requests go to the WSGI app in this
    thread, inside the test's transaction (so the handler must not close the connection after
    each request, as the test client also arranges)."""
    import schemathesis
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    for _ in range(3):
        make_decision(Status.PUBLISHED)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_api_keeps_to_its_openapi_description(api_schema: Any) -> None:
    """schemathesis generates requests from the description, valid ones and invalid ones, for
    every operation: no server error, and every answer (status, content type, headers, body)
    as the description says."""
    from hypothesis import HealthCheck, given, settings
    from schemathesis import GenerationMode

    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 2
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=40,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case: Any) -> None:
                case.call_and_validate()

            check()
