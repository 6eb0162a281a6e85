"""The register /decisions/: search, filters, newest first, keyset pages, snippets."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from decisions import services
from decisions.models import Decision
from decisions.states import Status
from register.selectors import Key, keyset_page, published_decisions
from tests.pages.helpers import html_of, text_of, use_plain_static_storage

pytestmark = pytest.mark.django_db

HEADER = "reference,title,date_signed,date_published,summary,decision_maker\n"


@pytest.fixture(autouse=True)
def _plain_static(settings: Any) -> None:
    use_plain_static_storage(settings)


def load(tmp_path: Path, rows: list[str]) -> None:
    path = tmp_path / "export.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    call_command("import_decisions", str(path), stdout=StringIO(), verbosity=0)


def references(response: Any) -> list[int]:
    return [int(n) for n in re.findall(r'href="/decisions/pcd-(\d+)/"', html_of(response))]


def follow(client: Client, response: Any, label: str) -> Any:
    match = re.search(rf'href="([^"]+)" rel="{label}"', html_of(response))
    assert match, f"no {label} link"
    return client.get("/decisions/" + match.group(1).replace("&amp;", "&"))


def test_pages_follow_keys_newest_first_without_gaps_or_repeats(
    tmp_path: Path, client: Client
) -> None:
    # 45 decisions, three to a day, so ties of one moment are broken by the reference.
    rows = [
        f"PCD {n},Decision {n},2019-01-01,2019-02-{1 + (n - 1) // 3:02d},Summary {n}.,"
        for n in range(1, 46)
    ]
    load(tmp_path, rows)
    newest_first = list(range(45, 0, -1))

    first = client.get("/decisions/")
    assert references(first) == newest_first[:20]
    assert 'rel="prev"' not in html_of(first)
    second = follow(client, first, "next")
    assert references(second) == newest_first[20:40]
    third = follow(client, second, "next")
    assert references(third) == newest_first[40:]
    assert 'rel="next"' not in html_of(third)
    back = follow(client, third, "prev")
    assert references(back) == newest_first[20:40]
    assert references(follow(client, back, "prev")) == newest_first[:20]
    text = text_of(first)
    assert "PCD 45: Decision 45" in text
    assert "Date signed 1 January 2019 . Date published 15 February 2019 ." in text


def test_keyset_page_costs_one_query_whatever_the_page(
    tmp_path: Path, django_assert_num_queries: Callable[..., Any]
) -> None:
    load(tmp_path, [f"{n},D {n},2019-01-01,2019-03-01,," for n in range(1, 31)])
    with django_assert_num_queries(1):
        page = keyset_page(published_decisions(), after=None, size=10)
    assert page.next_key is not None
    with django_assert_num_queries(1):
        later = keyset_page(published_decisions(), after=page.next_key, size=10)
    assert [d.reference_number for d in later.decisions] == list(range(20, 10, -1))
    assert Key.parse(str(page.next_key)) == page.next_key
    assert Key.parse("nonsense") is None


def test_a_bad_key_in_the_address_shows_the_first_page(tmp_path: Path, client: Client) -> None:
    load(tmp_path, ["1,Only,2019-01-01,2019-01-02,,"])
    assert references(client.get("/decisions/?after=x.y&before=%00")) == [1]


def test_search_finds_words_of_part_one_and_highlights_them(
    client: Client, make_decision: Callable[[Status], Decision]
) -> None:
    decision = make_decision(Status.PUBLISHED)
    # "prevention" is only in a Part I paragraph.
    response = client.get("/decisions/", {"q": "prevention"})
    assert references(response) == [decision.reference_number]
    assert "<mark>prevention</mark>" in html_of(response)
    # A recommendation's words, too.
    assert references(client.get("/decisions/", {"q": "bidding round"})) == [
        decision.reference_number
    ]
    nothing = client.get("/decisions/", {"q": "helicopters"})
    assert references(nothing) == []
    assert "No decisions match your search" in text_of(nothing)


def test_snippets_escape_what_the_text_holds(tmp_path: Path, client: Client) -> None:
    load(tmp_path, ['9,Knife crime,2019-01-01,2019-01-02,"<script>alert(1)</script> knife crime",'])
    html = html_of(client.get("/decisions/", {"q": "knife"}))
    snippet = re.search(r'<p class="govuk-body-s app-register__snippet">(.*?)</p>', html, re.S)
    assert snippet
    # Only the highlight is markup: PostgreSQL's ts_headline drops the tag, SQLite escapes it.
    assert set(re.findall(r"</?(\w+)", snippet.group(1))) == {"mark"}
    assert re.search(r"<mark>knife</mark>", snippet.group(1), re.IGNORECASE)
    assert "alert(1)" in snippet.group(1)


def test_part_two_is_never_searched(
    officer: Any, chief_executive: Any, dmpc: Any, client: Client
) -> None:
    from tests.factories import (
        approved_by_chief_executive,
        make_complete_draft,
        signed_off,
        submitted,
    )

    draft = make_complete_draft(officer)
    services.decision_update_public_access(
        decision=draft,
        user=officer,
        publication_deferred=False,
        deferral_reason="",
        deferred_until=None,
        has_part_two=True,
    )
    services.part_two_update(
        decision=draft,
        user=officer,
        facts_and_advice="Zanzibarcanary informant details.",
        exemption_rationale="Section 31.",
    )
    decision = signed_off(
        approved_by_chief_executive(submitted(draft, officer), chief_executive), dmpc
    )
    assert decision.status == Status.PUBLISHED
    assert references(client.get("/decisions/", {"q": "Zanzibarcanary"})) == []
    assert references(client.get("/decisions/", {"q": "prevention"})) == [decision.reference_number]


def test_filters_by_year_decision_maker_and_finance_annex(
    tmp_path: Path, client: Client, make_decision: Callable[[Status], Decision]
) -> None:
    load(
        tmp_path,
        [
            "1,Old one,2016-12-30,2016-12-31,,Deputy Mayor for Policing and Crime",
            "2,Mayoral one,2017-01-01,2017-01-01,,Mayor of London",
        ],
    )
    current = make_decision(Status.PUBLISHED)
    assert references(client.get("/decisions/", {"year": "2016"})) == [1]
    assert references(client.get("/decisions/", {"decision_maker": "Mayor of London"})) == [2]
    assert references(client.get("/decisions/", {"annex": "no"})) == [
        current.reference_number,
        2,
        1,
    ]
    assert references(client.get("/decisions/", {"annex": "yes"})) == []
    form = html_of(client.get("/decisions/"))
    assert '<option value="Mayor of London">Mayor of London</option>' in form
    assert '<option value="2016">2016</option>' in form
    # Filters unknown to the register are ignored rather than failing.
    assert len(references(client.get("/decisions/", {"year": "1066"}))) == 3


@pytest.mark.postgres
def test_postgres_search_uses_the_stored_vector_with_english_stemming(
    tmp_path: Path, client: Client
) -> None:
    load(tmp_path, ["3,Funding the boroughs,2019-01-01,2019-01-02,Grants were funded.,"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attgenerated FROM pg_attribute WHERE attrelid = "
            "'register_registerentry'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == ("s",)
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'register_search_vector'")
        assert "gin" in cursor.fetchone()[0]
    response = client.get("/decisions/", {"q": "funds"})
    assert references(response) == [3]
    assert "<mark>funded</mark>" in html_of(response)


def test_newest_first_by_publication_date(tmp_path: Path) -> None:
    load(tmp_path, ["10,A,2019-01-01,2019-05-01,,", "11,B,2019-01-01,2019-04-01,,"])
    assert [d.reference_number for d in published_decisions()] == [10, 11]
    assert published_decisions().first().published_at.date() >= datetime.date(2019, 4, 30)
