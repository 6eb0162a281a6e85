"""Who hears about a transition, and what they are told."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from decisions.models import Notice, TransitionLog
from decisions.roles import Role
from decisions.states import Status

_NEXT_ROLE = {
    Status.AWAITING_APPROVAL: Role.CHIEF_EXECUTIVE,
    Status.AWAITING_SIGNOFF: Role.DMPC,
}


def recipients(entry: TransitionLog) -> list[str]:
    role = _NEXT_ROLE.get(Status(entry.to_status))
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if role is not None:
        users = users.filter(groups__name=role.value)
    else:
        users = users.filter(pk=entry.decision.author_id)
    return sorted(set(users.values_list("email", flat=True)))


def send_transition_notice(log_id: int) -> int:
    with transaction.atomic():
        entry = TransitionLog.objects.select_related("decision").get(pk=log_id)
        # The notice row is the record that this entry was announced: a retried or redelivered
        # task finds it and sends nothing twice.
        notice, created = Notice.objects.get_or_create(entry=entry)
        if not created:
            return 0
        to = recipients(entry)
        notice.recipients = ", ".join(to)
        notice.save(update_fields=["recipients"])
        if not to:
            return 0
        decision = entry.decision
        link = settings.SITE_URL + reverse("staff:decision", args=[decision.pk])
        subject = f"{decision.reference}: {entry.get_to_status_display()}"
        body = (
            f"{decision.reference} – {decision.title}\n\n"
            f"{entry.actor_name}: {entry.get_from_status_display()} → "
            f"{entry.get_to_status_display()}\n"
            + (f"\n“{entry.comment}”\n" if entry.comment else "")
            + f"\n{link}\n"
        )
        send_mail(subject, body, None, to)
        return len(to)
