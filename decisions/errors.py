"""The one error of the domain: an action refused, with messages that say why and what to do."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class ActionRefused(PermissionDenied):
    """A refused action, with messages that say why and what to do. Nothing was changed.

    A PermissionDenied, so that a refusal no page catches is a 403 rather than a 500."""

    def __init__(self, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)
