"""Part 2 is confidential. It is written and read on its own staff pages, by the
author and the people who approve, sign off or govern, and never reaches a public page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from pypdf import PdfReader

from decisions.models import Decision, PartTwo
from decisions.states import Status
from documents.models import RenderedDocument
from documents.services import render_now
from register import urls as public_urls
from tests.factories import (
    approved_by_chief_executive,
    fresh,
    make_complete_draft,
    sign_in,
    signed_off,
    submitted,
)
from tests.pages.helpers import html_of

CANARY = "CANARY-PART2-7f3a"
FACTS = f"{CANARY}-FACTS The informant's identity is in the attached schedule."
RATIONALE = f"{CANARY}-RATIONALE Section 31 (law enforcement) and section 40 (personal data)."

AUTHORISED = ("officer", "chief_executive", "dmpc", "governance")
UNAUTHORISED = ("other_officer", "outsider")


@pytest.fixture
def published_with_part_two(
    client: Client, officer: Any, chief_executive: Any, dmpc: Any
) -> Decision:
    """A request whose officer wrote Part 2 through the pages, taken all the way to published."""
    decision = make_complete_draft(officer, title="Covert policing capability 2018/19")
    sign_in(client, officer)
    response = client.post(
        reverse("staff:edit_public_access", args=[decision.pk]),
        {"publication_deferred": "no", "has_part_two": "yes"},
    )
    assert response.status_code == 302, html_of(response)
    response = client.post(
        reverse("staff:edit_part_two", args=[decision.pk]),
        {"facts_and_advice": FACTS, "exemption_rationale": RATIONALE},
    )
    assert response.status_code == 302, html_of(response)
    client.logout()

    decision = submitted(fresh(decision), officer)
    decision = approved_by_chief_executive(decision, chief_executive)
    decision = signed_off(decision, dmpc)
    assert decision.status == Status.PUBLISHED
    assert decision.has_part_two
    stored = PartTwo.objects.get(decision=decision)
    assert CANARY in stored.facts_and_advice and CANARY in stored.exemption_rationale
    # The public PDF, rendered here as a worker would after publication.
    for document in RenderedDocument.objects.filter(decision=decision):
        render_now(document)
    return decision


def public_text(response: Any) -> str:
    """What a public address gives: the page's HTML, or the text and attachments of a PDF."""
    if response.get("Content-Type") != "application/pdf":
        return html_of(response)
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    attached = [
        data.decode("utf-8", "replace")
        for contents in reader.attachments.values()
        for data in contents
    ]
    return "\n".join([text, *attached])


def public_text_besides_the_query(response: Any) -> str:
    """The public text, less the words searched for where the register repeats them (the search
    box, the title, the heading), as any search page does; the results may not contain them."""
    return (
        public_text(response)
        .replace(f'name="q" type="search" value="{CANARY}"', "")
        .replace(f"“{CANARY}”", "")
    )


def public_urls_of(decision: Decision) -> list[str]:
    """Every address of the public site for this decision: each named route of
    register.urls (so a new public page is checked as soon as it exists), plus the home
    page, a search for the canary and the sign-in page."""
    urls = []
    for pattern in public_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if "annex" in str(pattern.pattern):
            continue  # this request has no annex; tests/pages/test_open_data.py crawls them
        kwargs = {"number": decision.reference_number} if "number" in str(pattern.pattern) else {}
        urls.append(reverse(f"public:{pattern.name}", kwargs=kwargs))
    urls += [
        "/",
        reverse("public:register") + f"?q={CANARY}",
        reverse("login"),
        f"/decisions/pcd-{decision.reference_number}/?part=2",
    ]
    return urls


def test_the_public_urls_cover_the_register_and_the_decision_page(
    published_with_part_two: Decision,
) -> None:
    urls = public_urls_of(published_with_part_two)
    assert "/decisions/" in urls
    assert f"/decisions/pcd-{published_with_part_two.reference_number}/" in urls


def test_part_two_is_on_no_public_page(client: Client, published_with_part_two: Decision) -> None:
    decision = published_with_part_two
    page = client.get(f"/decisions/pcd-{decision.reference_number}/")
    assert page.status_code == 200
    assert decision.title in page.content.decode()
    assert "Is there a Part 2 form?" in page.content.decode()

    register = client.get("/decisions/")
    assert decision.reference in register.content.decode()

    for url in public_urls_of(decision):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert CANARY not in public_text_besides_the_query(response), f"Part 2 leaked at {url}"
    pdf = public_text(client.get(f"/decisions/pcd-{decision.reference_number}.pdf"))
    assert decision.title in pdf.replace("\n", " ")


def test_part_two_is_not_shown_to_a_signed_in_outsider(
    client: Client, published_with_part_two: Decision, outsider: Any
) -> None:
    decision = published_with_part_two
    sign_in(client, outsider)
    for url in public_urls_of(decision):
        response = client.get(url, follow=True)
        assert CANARY not in public_text_besides_the_query(response), (
            f"Part 2 leaked to an outsider at {url}"
        )
    for name in ("staff:decision", "staff:part_two"):
        response = client.get(reverse(name, args=[decision.pk]))
        assert response.status_code == 404, name
        assert CANARY not in html_of(response)
    dashboard = client.get(reverse("staff:dashboard"))
    assert dashboard.status_code == 200
    assert CANARY not in html_of(dashboard)
    assert decision.title not in html_of(dashboard)


@pytest.mark.parametrize("person", AUTHORISED)
def test_authorised_staff_read_part_two_on_its_own_page(
    client: Client, published_with_part_two: Decision, person: str, request: Any
) -> None:
    decision = published_with_part_two
    sign_in(client, request.getfixturevalue(person))

    response = client.get(reverse("staff:part_two", args=[decision.pk]))
    assert response.status_code == 200
    html = html_of(response)
    assert f"{CANARY}-FACTS" in html
    assert f"{CANARY}-RATIONALE" in html
    assert "never shown to the public" in html

    # The request's own page links to Part 2 but keeps it apart from the Part 1 preview.
    detail = client.get(reverse("staff:decision", args=[decision.pk]))
    assert detail.status_code == 200
    assert reverse("staff:part_two", args=[decision.pk]) in html_of(detail)
    assert CANARY not in html_of(detail)


@pytest.mark.parametrize("person", UNAUTHORISED)
def test_anyone_else_gets_not_found_for_part_two(
    client: Client, published_with_part_two: Decision, person: str, request: Any
) -> None:
    sign_in(client, request.getfixturevalue(person))
    response = client.get(reverse("staff:part_two", args=[published_with_part_two.pk]))
    assert response.status_code == 404
    assert CANARY not in html_of(response)


def test_part_two_of_a_draft_is_private_to_its_author(
    client: Client, officer: Any, chief_executive: Any, dmpc: Any, other_officer: Any
) -> None:
    """Before submission, even the reviewers cannot read it: the draft does not exist for them."""
    decision = make_complete_draft(officer)
    sign_in(client, officer)
    client.post(
        reverse("staff:edit_part_two", args=[decision.pk]),
        {"facts_and_advice": FACTS, "exemption_rationale": RATIONALE},
    )
    assert CANARY in html_of(client.get(reverse("staff:part_two", args=[decision.pk])))
    for person in (chief_executive, dmpc, other_officer):
        sign_in(client, person)
        assert client.get(reverse("staff:part_two", args=[decision.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_for_part_two(
    client: Client, published_with_part_two: Decision
) -> None:
    url = reverse("staff:part_two", args=[published_with_part_two.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert CANARY not in html_of(response)
