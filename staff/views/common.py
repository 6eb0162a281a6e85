"""What the staff pages share: the way back to a request, and the page of a single form."""

from __future__ import annotations

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from decisions.models import Decision


def to_decision(decision: Decision, anchor: str = "") -> HttpResponse:
    return redirect(
        reverse("staff:decision", args=[decision.pk]) + (f"#{anchor}" if anchor else "")
    )


def redirect_to_second_factor(request: HttpRequest) -> HttpResponse:
    """To the second-factor page (set it up, or pass it), and back here afterwards."""
    return redirect(f"{reverse('accounts:second_factor')}?{urlencode({'next': request.path})}")


def form_page(
    request: HttpRequest,
    decision: Decision,
    form: Form,
    *,
    title: str,
    button: str,
    intro: str = "",
    back: str | None = None,
    warning: bool = False,
) -> HttpResponse:
    return render(
        request,
        "staff/form_page.html",
        {
            "decision": decision,
            "form": form,
            "page_title": title,
            "button": button,
            "intro": intro,
            "back": back or reverse("staff:decision", args=[decision.pk]),
            "warning": warning,
        },
    )
