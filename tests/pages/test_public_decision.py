"""The public page of a decision carries everything its PDF carries: every finance table as an
accessible HTML table, each chart with its figures in words, a CSV per table and per annex, and
the PDF with its size and SHA-256. And every public answer can be cached and revalidated."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.test import Client

from documents.attachments import table_csv
from documents.models import RenderedDocument
from documents.services import render_now
from finance.models import AnnexRow, AnnexTable
from tests.pages.helpers import html_of

PCD_279_TABLES = [
    "Revenue: position at Q1 2017/18",
    "Police officer pay by business group",
    "Police officer overtime by business group",
    "Police staff pay by business group",
    "Achievement against savings target",
    "Capital: position at Q1 2017/18",
    "MPS capital programme by portfolio, June 2017",
    "Reserves: planned and actual position",
    "London Crime Prevention Fund: 2017/18 allocation across boroughs",
    "Recommended budget movements for DMPC approval",
]


def captions(html: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip()
        for c in re.findall(r"<caption[^>]*>(.*?)</caption>", html, re.S)
    ]


def test_pcd_279s_ten_finance_tables_are_on_its_public_page(
    client: Client, demo_published: Any
) -> None:
    html = client.get("/decisions/pcd-279/").content.decode()
    found = captions(html)
    stored = list(
        AnnexTable.objects.filter(annex__decision=demo_published["pcd_279"]).order_by(
            "annex__position", "position"
        )
    )
    assert len(stored) == 10
    for number, table in enumerate(stored, start=1):
        assert f"Table {number}. {table.title}, figures in {table.get_unit_display()}" in found
    # Header cells with scope, a row header per row, totals marked for a screen reader too.
    assert html.count('<th scope="col"') >= 10 * 3
    assert html.count('<th scope="row"') == AnnexRow.objects.filter(table__in=stored).count()
    assert "OVERALL MPS &amp; MOPAC Total" in html or "Total" in html
    assert html.count('<span class="govuk-visually-hidden"> (total)</span>') >= 10
    # A figure of the revenue position, as published, with its thousands separator.
    assert "2,503.5" in html and "2503.5" not in html


def test_each_chart_has_its_figures_in_words_beside_it(client: Client, demo_published: Any) -> None:
    html = client.get("/decisions/pcd-279/").content.decode()
    figures = re.findall(r'<figure class="app-chart".*?</figure>', html, re.S)
    assert len(figures) >= 3
    for figure in figures:
        assert 'role="img"' in figure and "<title>" in figure
        words = re.search(
            r"The chart draws these figures of table \d+ \([^)]*\): (.*?)\.</p>", figure, re.S
        )
        assert words and ":" in words.group(1), figure[:300]


def test_pcd_280s_imported_savings_table_is_on_its_public_page(
    client: Client, pcd_280_savings: Any
) -> None:
    html = client.get("/decisions/pcd-280/").content.decode()
    assert "Table 1. Achievement against savings target, figures in £ millions" in captions(
        html
    ) or any(c.startswith("Table 1.") and "£ millions" in c for c in captions(html))
    assert "Savings with structural delivery problems" in html
    assert "-61.3" in html
    assert "/decisions/pcd-280/annex-1/table-1.csv" in html
    assert "/decisions/pcd-280/annex-1.csv" in html


def test_every_table_downloads_as_csv_and_matches_the_pdfs_attachment(
    client: Client, demo_published: Any
) -> None:
    decision = demo_published["pcd_279"]
    html = client.get("/decisions/pcd-279/").content.decode()
    links = re.findall(r'href="(/decisions/pcd-279/annex-1/table-\d+\.csv)"', html)
    assert len(links) == 10
    for position, link in enumerate(links, start=1):
        response = client.get(link)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        table = AnnexTable.objects.get(annex__decision=decision, position=position)
        assert response.content == table_csv(table)
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0] == table.columns
        assert len(rows) == 1 + table.rows.count()


def test_the_annex_downloads_as_one_csv_one_figure_a_row(
    client: Client, demo_published: Any
) -> None:
    response = client.get("/decisions/pcd-279/annex-1.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    cells = sum(
        len(row.cells)
        for row in AnnexRow.objects.filter(table__annex__decision=demo_published["pcd_279"])
    )
    assert len(rows) == cells
    assert {row["table"] for row in rows} == {str(n) for n in range(1, 11)}
    savings = [r for r in rows if r["line"] == "Savings with structural delivery problems"]
    assert {r["column"]: r["value"] for r in savings}["Variation (£m)"] == "5.1"
    assert client.get("/decisions/pcd-279/annex-2.csv").status_code == 404
    assert client.get("/decisions/pcd-279/annex-1/table-11.csv").status_code == 404


def test_the_page_links_the_pdf_with_its_size_and_sha256(
    client: Client, demo_published: Any
) -> None:
    for document in RenderedDocument.objects.filter(decision=demo_published["pcd_279"]):
        if not document.pdf:
            render_now(document)
    document = RenderedDocument.objects.filter(
        decision=demo_published["pcd_279"], kind="public_pack", state="ready"
    ).latest("pk")
    text = html_of(client.get("/decisions/pcd-279/"))
    assert document.pdf_sha256 in text
    assert re.search(r"\d+(\.\d)?(\s|&nbsp;)(KB|MB)", text)


def test_a_csv_cell_that_a_spreadsheet_would_run_is_neutralised(
    client: Client, demo_published: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = AnnexTable.objects.get(annex__decision=demo_published["pcd_279"], position=5)
    row = table.rows.order_by("position").first()
    assert row is not None
    AnnexRow.objects.filter(pk=row.pk).update(label='=HYPERLINK("http://evil.example","x")')
    # The formula is written into the published table directly, which makes its tables differ
    # from what was signed; withholding them then (tests/audit) is not what this test is about.
    monkeypatch.setattr("register.selectors.tables_as_signed", lambda decision: True)
    for url in ("/decisions/pcd-279/annex-1/table-5.csv", "/decisions/pcd-279/annex-1.csv"):
        text = client.get(url).content.decode()
        cells = [c for line in csv.reader(io.StringIO(text)) for c in line]
        assert '\'=HYPERLINK("http://evil.example","x")' in cells, url
        assert not any(c.startswith(("=", "@", "+", "\t", "\r")) for c in cells), url
        # Numbers stay numbers: negative figures are not quoted away.
        assert "-61.3" in cells, url


# --- HTTP caching ------------------------------------------------------------------------------

PUBLIC = [
    "/decisions/",
    "/decisions/pcd-279/",
    "/decisions/pcd-279/annex-1.csv",
    "/decisions/pcd-279/annex-1/table-1.csv",
    "/decisions/feed/",
    "/decisions.csv",
    "/api/decisions/",
    "/api/decisions/pcd-279/",
    "/api/schema/",
    "/sitemap.xml",
    "/robots.txt",
    "/accessibility/",
]


def test_public_answers_carry_a_validator_and_cache_headers_and_revalidate_to_304(
    client: Client, demo_published: Any
) -> None:
    for document in RenderedDocument.objects.filter(decision=demo_published["pcd_279"]):
        if not document.pdf:
            render_now(document)
    for url in [*PUBLIC, "/decisions/pcd-279.pdf"]:
        first = client.get(url)
        assert first.status_code == 200, url
        # The register is revalidated every time (a new decision shows at once); the rest may
        # be kept five minutes.
        kept = (
            "no-cache" if url.startswith("/decisions/?") or url == "/decisions/" else "max-age=300"
        )
        assert kept in first["Cache-Control"] and "public" in first["Cache-Control"], url
        etag = first.get("ETag")
        assert etag, f"{url} has no ETag"
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304, url
        assert b"".join(getattr(again, "streaming_content", [again.content])) == b"", url
        other = client.get(url, HTTP_IF_NONE_MATCH='"something-else"')
        assert other.status_code == 200, url


def test_a_new_publication_changes_the_registers_validators(
    client: Client, demo_published: Any, pcd_280_savings: Any
) -> None:
    # The fixture published PCD 280 after the demo: the register's ETag covers it.
    etag = client.get("/decisions.csv")["ETag"]
    assert "PCD 280" in b"".join(client.get("/decisions.csv").streaming_content).decode()
    assert client.get("/decisions.csv", HTTP_IF_NONE_MATCH=etag).status_code == 304


# --- the footer and the pages it links to ------------------------------------------------------


def test_every_page_links_the_accessibility_statement_contact_and_privacy(
    client: Client, demo_published: Any
) -> None:
    from decisions.roles import Role

    pages = ["/decisions/", "/decisions/pcd-279/", "/accessibility/", "/contact/", "/privacy/"]
    pages.append("/sign-in/")
    for url in pages:
        html = client.get(url).content.decode()
        footer = html[html.index('<footer class="govuk-footer">') :]
        for link in ('href="/accessibility/"', 'href="/contact/"', 'href="/privacy/"'):
            assert link in footer, (url, link)
    client.force_login(demo_published["users"][Role.OFFICER])
    staff = client.get("/staff/").content.decode()
    assert 'href="/accessibility/"' in staff[staff.index("<footer") :]


def test_the_accessibility_statement_says_what_was_tested_and_how_to_ask_for_another_format(
    client: Client, db: None
) -> None:
    text = html_of(client.get("/accessibility/"))
    assert "Accessibility statement" in text
    assert "What we tested, and how" in text and "axe-core" in text and "320" in text
    assert "Non-accessible content" in text
    assert "What to do if you need the information in a different format" in text


def test_a_signed_in_persons_copy_of_a_public_page_is_private(
    client: Client, demo_published: Any
) -> None:
    from decisions.roles import Role

    assert "public" in client.get("/decisions/pcd-279/")["Cache-Control"]
    client.force_login(demo_published["users"][Role.OFFICER])
    response = client.get("/decisions/pcd-279/")
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
