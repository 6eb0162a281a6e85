"""A published decision's public page is drawn once and kept (register.decision_page): a second
view shows the same page from two queries; a new PDF shows at once; a signed-in person's layout
never reaches the public, nor the public's a signed-in person. What changes behind the
workflow's back shows within the page's max-age: tests/audit/test_published_pdf.py."""

from __future__ import annotations

from typing import Any

from django.core.cache import caches
from django.test import Client

from decisions.roles import Role
from documents.models import RenderedDocument
from documents.services import render_now
from tests.pages.helpers import text_of

PAGE = "/decisions/pcd-279/"


def test_a_second_view_shows_the_same_page_from_two_queries(
    client: Client, demo_published: Any, django_assert_max_num_queries: Any
) -> None:
    drawn = client.get(PAGE)
    with django_assert_max_num_queries(2):
        kept = client.get(PAGE)
    assert kept.status_code == 200
    assert kept.content == drawn.content
    # Drawn again from nothing, it is the same page.
    caches["public_pages"].clear()
    assert client.get(PAGE).content == drawn.content
    assert "Table 10." in text_of(kept)


def test_a_new_public_pdf_shows_on_the_kept_page_at_once(
    client: Client, demo_published: Any
) -> None:
    assert "Being prepared; it will be here shortly." in text_of(client.get(PAGE))
    public = RenderedDocument.objects.get(decision=demo_published["pcd_279"], kind="public_pack")
    render_now(public)
    public.refresh_from_db()
    text = text_of(client.get(PAGE))
    assert public.pdf_sha256 in text
    assert "Being prepared" not in text


def test_a_signed_in_persons_layout_and_the_publics_are_never_swapped(
    client: Client, demo_published: Any
) -> None:
    officer = demo_published["users"][Role.OFFICER]
    name = officer.get_full_name()
    client.force_login(officer)
    signed_in = client.get(PAGE)  # draws the page and keeps its body
    assert f"Sign out ({name})" in text_of(signed_in)
    assert "private" in signed_in["Cache-Control"]
    client.logout()
    public = client.get(PAGE)  # the body kept above, in the public's layout
    assert name not in public.content.decode() and "Sign out" not in text_of(public)
    assert "public" in public["Cache-Control"]
    assert text_of(public).count("Table 10.") == text_of(signed_in).count("Table 10.") > 0
    client.force_login(officer)
    again = client.get(PAGE)
    assert f"Sign out ({name})" in text_of(again) and "private" in again["Cache-Control"]
