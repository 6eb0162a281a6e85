"""The engine: each render in a process of its own, results in order, a dead or hung render
reported as an error; and the pack as one HTML document (what the benchmark and Chromium print)
numbered by its @page rules."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from typing import Any

import pytest

from decisions.models import Decision
from decisions.states import Status
from documents import content, engine, html
from documents.models import DocumentKind
from tests.documents.helpers import page_texts


def pages(count: int) -> str:
    body = '<p style="break-after: page">page</p>' * (count - 1) + "<p>last</p>"
    return f'<html lang="en-GB"><head><meta charset="utf-8"></head><body>{body}</body></html>'


def test_documents_render_each_in_a_process_of_its_own_and_come_back_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int] = []
    real = engine.render

    def which_process(document: str, **options: Any) -> engine.Rendered:
        seen.append(os.getpid())  # (in the child: the parent's list is not touched)
        return real(document, **options)

    monkeypatch.setattr(engine, "render", which_process)
    rendered = engine.render_many([pages(3), pages(1), pages(2)])
    assert [r.pages for r in rendered] == [3, 1, 2]
    assert all(r.pdf.startswith(b"%PDF-") for r in rendered)
    assert seen == []  # nothing was rendered in this process


def test_a_render_process_that_dies_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def die(document: str, **options: Any) -> engine.Rendered:
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("unreachable")

    monkeypatch.setattr(engine, "render", die)
    with pytest.raises(engine.RenderError, match="killed by signal 9"):
        engine.render_many([pages(1)])


def test_a_render_that_hangs_is_stopped(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    def hang(document: str, **options: Any) -> engine.Rendered:
        time.sleep(60)
        raise AssertionError("unreachable")

    monkeypatch.setattr(engine, "render", hang)
    settings.PCD_RENDER_TIMEOUT_S = 1
    began = time.monotonic()
    with pytest.raises(engine.RenderError, match="longer than 1s"):
        engine.render_many([pages(1), pages(1)])
    assert time.monotonic() - began < 10


def test_an_error_in_a_render_comes_back_with_its_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(document: str, **options: Any) -> engine.Rendered:
        raise ValueError("no such font")

    monkeypatch.setattr(engine, "render", broken)
    with pytest.raises(engine.RenderError, match="ValueError: no such font"):
        engine.render_pdf(pages(1))


def test_the_pack_as_one_document_numbers_its_pages_with_its_own_page_rules(
    make_decision: Callable[[Status], Decision],
) -> None:
    decision = make_decision(Status.PUBLISHED)
    kind = DocumentKind.PUBLIC_PACK
    whole = html.whole_pack_html(decision, kind, content.stamp_for(decision, kind))
    texts = page_texts(engine.render_pdf(whole))
    for number, text in enumerate(texts, start=1):
        assert decision.reference in text
        assert f"Page {number} of {len(texts)}" in text
