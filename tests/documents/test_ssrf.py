"""The renderer fetches nothing: not from the network, not from the file system.

Text fields holding an <img> pointing at a local port, file:///etc/passwd, an @import and a
<link rel="attachment"> are escaped by the templates, so they reach the PDF as the words the
officer typed; and even raw HTML with such elements, given to the engine directly, makes it
request nothing: a socket listening on that port is never connected to, and nothing of
/etc/passwd is in the PDF or its attachments.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from decisions import services as workflow
from decisions.models import Decision, Paragraph
from documents import content, engine
from documents.models import DocumentKind
from tests.documents.conftest import with_annex
from tests.documents.helpers import (
    Listener,
    attachments,
    decoded_streams,
    listening_socket,
    page_texts,
    squash,
)
from tests.factories import approved_by_chief_executive, make_complete_draft, signed_off, submitted

PASSWD = b"root:x:0:0"
DOT = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='4' height='4'%3E"
    "%3Crect width='4' height='4'/%3E%3C/svg%3E"
)


def payloads(port: int) -> dict[str, str]:
    return {
        "img": f'<img src="http://127.0.0.1:{port}/x">',
        "file": "file:///etc/passwd",
        "import": f"<style>@import url(http://127.0.0.1:{port}/y);</style>",
        "attachment": '<link rel="attachment" href="file:///etc/passwd">',
    }


def hostile_decision(officer: Any, chief_executive: Any, dmpc: Any, port: int) -> Decision:
    """A published request whose title, summary, paragraphs, Part 2 and annex carry every
    payload."""
    bad = payloads(port)
    everything = " ".join(bad.values())
    decision = make_complete_draft(officer, title=f"Grants {bad['img']}")
    workflow.decision_update_summary(
        decision=decision,
        user=officer,
        title=f"Grants {bad['img']}",
        executive_summary=f"{bad['import']}\n\n@import url(http://127.0.0.1:{port}/z);",
    )
    paragraph = Paragraph.objects.filter(decision=decision).first()
    assert paragraph is not None
    workflow.paragraph_update(paragraph=paragraph, user=officer, text=everything)
    workflow.part_two_update(
        decision=decision,
        user=officer,
        facts_and_advice=everything,
        exemption_rationale=bad["attachment"],
    )
    decision = submitted(decision, officer)
    decision = approved_by_chief_executive(decision, chief_executive)
    decision = signed_off(decision, dmpc)
    annex = with_annex(decision)
    table = annex.tables.order_by("position").first()
    assert table is not None
    table.title = f"Revenue {bad['img']} {bad['attachment']}"
    table.save()
    row = table.rows.order_by("position").first()
    assert row is not None
    row.label = f"Pay {bad['import']}"
    row.save()
    return decision


def assert_nothing_fetched(pdf: bytes, listener: Listener) -> None:
    assert listener.connections == []
    assert all(PASSWD not in data for data in attachments(pdf).values())
    assert all(name.endswith(".csv") for name in attachments(pdf))
    assert all(PASSWD not in stream for stream in decoded_streams(pdf))
    assert all("root:x:0:0" not in text for text in page_texts(pdf))


@pytest.mark.parametrize(
    "kind", [DocumentKind.PREVIEW, DocumentKind.PUBLIC_PACK, DocumentKind.PART_TWO]
)
def test_urls_in_text_fields_are_printed_as_text_and_never_fetched(
    kind: str, officer: Any, chief_executive: Any, dmpc: Any
) -> None:
    with listening_socket() as listener:
        decision = hostile_decision(officer, chief_executive, dmpc, listener.port)
        built = content.build(decision, kind, created=timezone.now(), identifier="ssrf")
        text = squash(" ".join(page_texts(built.pdf)))
    assert_nothing_fetched(built.pdf, listener)
    # What the officer typed is in the PDF as text.
    assert squash(f'<img src="http://127.0.0.1:{listener.port}/x">') in text
    assert squash('<link rel="attachment" href="file:///etc/passwd">') in text
    if kind != DocumentKind.PART_TWO:
        assert squash(f"@import url(http://127.0.0.1:{listener.port}/z);") in text


def test_the_engine_itself_refuses_every_url_but_its_static_files_and_data() -> None:
    """Defence in depth: raw HTML (as if a template forgot to escape) fetches nothing either."""
    with listening_socket() as listener:
        port = listener.port
        html = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
        <style>@import url(http://127.0.0.1:{port}/y); @import url(file:///etc/passwd);</style>
        <link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">
        <link rel="attachment" href="file:///etc/passwd">
        <link rel="attachment" href="http://127.0.0.1:{port}/a">
        <link rel="attachment" href="/static/../config/settings.py">
        <link rel="attachment" href="/static/js/documents.js">
        </head><body>
        <p>Hello</p>
        <img src="http://127.0.0.1:{port}/x"><img src="file:///etc/passwd">
        <img src="ftp://127.0.0.1:{port}/f">
        <svg width="10" height="10"><image href="http://127.0.0.1:{port}/svg" width="5"/></svg>
        <img alt="a dot" src="{DOT}">
        </body></html>"""
        rendered = engine.render(html)
    assert listener.connections == []
    files = attachments(rendered.pdf)
    # Only the project's own static file was fetched (and attached): nothing else.
    assert list(files) == ["documents.js"]
    assert all(PASSWD not in stream for stream in decoded_streams(rendered.pdf))
    assert f"http://127.0.0.1:{port}/x" in rendered.blocked
    assert "file:///etc/passwd" in rendered.blocked
    assert any(url.endswith("/config/settings.py") for url in rendered.blocked)
    assert not any("data:" in url for url in rendered.blocked)
