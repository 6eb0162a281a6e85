"""Content other apps attach to a request (finance: its annexes), which decisions asks for
without importing them: each registers an `Extension` when Django starts (AppConfig.ready).

The request and recommendation are typed `Any` here: naming their classes would make this module
and decisions.models.request import each other."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Protocol


class Extension(Protocol):
    """Content another app attaches to a request (finance: its annexes of tables)."""

    # Its name in the request's signed content ("annexes").
    key: str

    def signed_content(self, decision: Any) -> object:
        """Its part of what a signature covers: a change to it after signing breaks the
        signature as a change to a paragraph would. JSON-serialisable."""
        ...

    def submission_problems(self, decision: Any) -> list[str]:
        """What it still needs before the request may be submitted, in words the officer can
        act on; empty when nothing."""
        ...

    def approved_lines(self, decision: Any) -> dict[int, list[str]]:
        """The lines each recommendation (by primary key) asks the DMPC to approve, as read."""
        ...

    def link_approvals(self, recommendation: Any, line_ids: Collection[int]) -> None:
        """Make `line_ids` the lines the recommendation approves, or refuse (ActionRefused) a
        line that is not the request's own. Runs inside the caller's transaction."""
        ...


_EXTENSIONS: dict[str, Extension] = {}


def register_extension(extension: Extension) -> None:
    """Called by the providing app's AppConfig.ready(); registering the same key again replaces
    it (Django may call ready() twice in tests)."""
    _EXTENSIONS[extension.key] = extension


def extensions() -> tuple[Extension, ...]:
    return tuple(_EXTENSIONS.values())
