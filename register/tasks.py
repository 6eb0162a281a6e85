"""Background work of the public register: publishing deferred decisions on their day."""

from __future__ import annotations

import logging

from celery import shared_task

from decisions import services
from register.selectors import deferred_decisions_due

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def publish_due_decisions() -> int:
    """Periodic (celery beat): publish every deferred decision whose day has begun in London.

    Everything due is taken, not only today's, so a day the scheduler was down is caught up at
    its next run. The service locks each row and publishes only what is still deferred and due,
    so two runs at once, or a run after a governance officer moved the date, publish nothing
    twice. One decision that fails is logged and left for the next run; the others go ahead."""
    published = 0
    for decision in deferred_decisions_due():
        try:
            published += services.decision_publish_if_due(decision=decision)
        except Exception:
            logger.exception("Could not publish %s; the next run tries again.", decision.reference)
    return published
