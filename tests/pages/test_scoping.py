"""Only people with the right role and relationship to a request see it, and a request
someone may not see does not exist for them (404, never 403). Anonymous visitors are asked to sign
in; the public sees only published decisions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from decisions.models import Decision
from decisions.states import Status
from decisions.transitions import ALL_STEPS
from documents.models import DocumentKind, DocumentState, RenderedDocument
from staff import urls as staff_urls
from tests.factories import fresh, make_complete_draft, sign_in, submitted
from tests.pages.helpers import html_of, text_of

# Staff pages that are not about one request: the dashboard, a new draft, signing out, and the
# versions of the form (governance's, tests/pages/test_form_version_pages.py).
FORM_VERSION_PAGES = {
    "form_versions",
    "form_version",
    "form_new_version",
    "form_date",
    "form_discard",
    "form_text",
    "form_section_add",
    "form_section",
    "form_section_remove",
    "form_item_add",
    "form_item",
    "form_item_remove",
}
NOT_ABOUT_A_REQUEST = {"dashboard", "create", "signed_out", *FORM_VERSION_PAGES}
# Staff pages that only take POST (a GET is 405 Method Not Allowed, whoever asks, for any pk).
POST_ONLY = {"no_comments", "document_retry"}
# Not HTML pages: the documents' state as JSON, and a PDF (only once it is ready).
NOT_PAGES = {"documents", "document_pdf"}


def staff_url_names() -> set[str]:
    names = set()
    for pattern in staff_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        names.add(str(pattern.name))
    return names


def _a_document(decision: Decision) -> RenderedDocument:
    """A document row of the request, so that the document addresses have a real id."""
    document, _ = RenderedDocument.objects.get_or_create(
        decision=decision,
        kind=DocumentKind.PREVIEW,
        content_hash="0" * 64,
        defaults={"state": DocumentState.FAILED, "error": "for the test"},
    )
    return document


def urls_of(decision: Decision) -> dict[str, str]:
    """Every staff address of this request: each named route of decisions.urls.staff with this
    request's pk and its real paragraph, section and recommendation ids, and the `act` route once
    per transition (the page-level ones and the system ones)."""
    paragraph = decision.paragraphs.order_by("section__number", "position").first()
    recommendation = decision.recommendations.order_by("position").first()
    assert paragraph is not None and recommendation is not None
    pk = decision.pk
    kwargs: dict[str, dict[str, Any]] = {
        "decision": {"pk": pk},
        "part_two": {"pk": pk},
        "edit_summary": {"pk": pk},
        "edit_section": {"pk": pk, "number": paragraph.section.number},
        "edit_paragraph": {"pk": pk, "paragraph_pk": paragraph.pk},
        "no_comments": {"pk": pk, "number": 3},
        "edit_section_text": {"pk": pk, "number": paragraph.section.number},
        "delete_draft": {"pk": pk},
        "delete_paragraph": {"pk": pk, "paragraph_pk": paragraph.pk},
        "edit_recommendations": {"pk": pk},
        "edit_recommendation": {"pk": pk, "rec_pk": recommendation.pk},
        "delete_recommendation": {"pk": pk, "rec_pk": recommendation.pk},
        "edit_public_access": {"pk": pk},
        "edit_part_two": {"pk": pk},
        "edit_declaration": {"pk": pk},
        "documents": {"pk": pk},
        "document_pdf": {"pk": pk, "document_pk": _a_document(decision).pk},
        "document_retry": {"pk": pk, "document_pk": _a_document(decision).pk},
    }
    # A new staff page must be added here, so that it is checked too.
    assert set(kwargs) | {"act"} == staff_url_names() - NOT_ABOUT_A_REQUEST
    urls = {name: reverse(f"staff:{name}", kwargs=kw) for name, kw in kwargs.items()}
    for name in ALL_STEPS:
        urls[f"act:{name}"] = reverse("staff:act", kwargs={"pk": pk, "name": name})
    return urls


# What a POST would do if it were let through: enough to change something.
POST_DATA = {
    "title": "Taken over",
    "executive_summary": "Rewritten by someone else.",
    "text": "A paragraph from someone else.",
    "heading": "",
    "before": "",
    "publication_deferred": "no",
    "has_part_two": "yes",
    "facts_and_advice": "Planted.",
    "exemption_rationale": "Planted.",
    "comment": "Not mine to do.",
    "confirmed": "on",
    "has_interests": "no",
}


@pytest.fixture
def draft(officer: Any) -> Decision:
    return make_complete_draft(officer)


def snapshot(decision: Decision) -> tuple[Any, ...]:
    from decisions.signatures import canonical_content

    current = fresh(decision)
    return (
        current.status,
        current.updated_at,
        canonical_content(current),
        current.log.count(),
        current.versions.count(),
    )


@pytest.mark.parametrize("person", ["outsider", "other_officer"])
def test_every_staff_page_of_a_draft_is_not_found_for_others(
    client: Client, draft: Decision, person: str, request: Any
) -> None:
    before = snapshot(draft)
    sign_in(client, request.getfixturevalue(person))
    for name, url in urls_of(draft).items():
        get = client.get(url)
        if name in POST_ONLY:
            assert get.status_code == 405, f"GET {name}"
        else:
            assert get.status_code == 404, f"GET {name}: {get.status_code}"
        assert draft.title not in html_of(get), f"GET {name} shows the title"
        post = client.post(url, POST_DATA)
        assert post.status_code == 404, f"POST {name}: {post.status_code}"
        assert draft.title not in html_of(post), f"POST {name} shows the title"
    assert snapshot(draft) == before


def test_a_missing_request_looks_the_same_as_someone_elses(
    client: Client, draft: Decision, outsider: Any
) -> None:
    """Nothing tells an outsider that the request exists."""
    sign_in(client, outsider)
    theirs = client.get(reverse("staff:decision", args=[draft.pk]))
    missing = client.get(reverse("staff:decision", args=[draft.pk + 1000]))
    assert theirs.status_code == missing.status_code == 404
    assert text_of(theirs) == text_of(missing)


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, draft: Decision) -> None:
    before = snapshot(draft)
    urls = urls_of(draft)
    urls["dashboard"] = reverse("staff:dashboard")
    urls["create"] = reverse("staff:create")
    for name, url in urls.items():
        for method in (client.get, client.post):
            response = method(url, POST_DATA) if method == client.post else method(url)
            assert response.status_code == 302, f"{method.__name__.upper()} {name}"
            assert response["Location"] == f"{reverse('login')}?next={url}", name
    assert snapshot(draft) == before


def test_the_author_can_open_every_page_of_their_draft(
    client: Client, draft: Decision, officer: Any
) -> None:
    """The other side of the 404s above: the same addresses work for the one who may use them."""
    sign_in(client, officer)
    for name, url in urls_of(draft).items():
        if name in POST_ONLY or name in {"act:publish", "act:defer"}:
            continue
        if name in NOT_PAGES:
            # The JSON answers; the failed document has no PDF to give.
            expected = 404 if name == "document_pdf" else 200
            assert client.get(url).status_code == expected, name
            continue
        response = client.get(url, follow=True)
        assert response.status_code == 200, f"{name}: {response.status_code}"
        assert draft.title in html_of(response), name


@pytest.mark.parametrize(
    "status",
    [
        Status.DRAFT,
        Status.AWAITING_APPROVAL,
        Status.AWAITING_SIGNOFF,
        Status.APPROVED,
        Status.DEFERRED,
        Status.REJECTED,
        Status.WITHDRAWN,
    ],
)
def test_an_unpublished_request_does_not_exist_for_the_public(
    client: Client, make_decision: Callable[[Status], Decision], outsider: Any, status: Status
) -> None:
    decision = make_decision(status)
    # A draft has no reference yet: try the number it would be given, and the last one given.
    number = decision.reference_number or 1
    for who in (None, outsider):
        if who is not None:
            sign_in(client, who)
        response = client.get(f"/decisions/pcd-{number}/")
        assert response.status_code == 404, f"{status} for {who}"
        assert decision.title not in html_of(response)
        register = client.get("/decisions/")
        assert register.status_code == 200
        assert decision.title not in html_of(register)
        assert "No decisions have been published yet." in html_of(register)


def test_a_published_request_exists_for_the_public(
    client: Client, make_decision: Callable[[Status], Decision]
) -> None:
    decision = make_decision(Status.PUBLISHED)
    response = client.get(f"/decisions/pcd-{decision.reference_number}/")
    assert response.status_code == 200
    assert decision.title in html_of(response)


def test_the_chief_executive_sees_a_draft_only_once_it_is_submitted(
    client: Client, draft: Decision, officer: Any, chief_executive: Any, dmpc: Any
) -> None:
    url = reverse("staff:decision", args=[draft.pk])
    for reviewer in (chief_executive, dmpc):
        sign_in(client, reviewer)
        assert client.get(url).status_code == 404
        assert draft.title not in html_of(client.get(reverse("staff:dashboard")))

    submitted(draft, officer)
    sign_in(client, chief_executive)
    response = client.get(url)
    assert response.status_code == 200
    assert draft.title in html_of(response)
    # The Chief Executive may read it, not change it.
    edit = client.post(reverse("staff:edit_summary", args=[draft.pk]), POST_DATA)
    assert edit.status_code == 403
    assert fresh(draft).title == draft.title


def test_governance_sees_every_request_but_edits_none(
    client: Client, draft: Decision, governance: Any
) -> None:
    sign_in(client, governance)
    assert client.get(reverse("staff:decision", args=[draft.pk])).status_code == 200
    response = client.post(reverse("staff:edit_summary", args=[draft.pk]), POST_DATA)
    assert response.status_code == 403
    assert "Only the officer who drafted this request can change it." in html_of(response)
    assert fresh(draft).title == draft.title


def test_an_unknown_action_is_not_found(client: Client, draft: Decision, officer: Any) -> None:
    sign_in(client, officer)
    response = client.get(reverse("staff:act", kwargs={"pk": draft.pk, "name": "delete"}))
    assert response.status_code == 404
