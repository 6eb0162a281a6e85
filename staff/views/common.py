"""What the staff pages share: the way back to a request, and the page of a single form."""

from __future__ import annotations

from django.forms import Form
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from decisions.models import Decision, Problem, submission_issues

# The page that fixes each part of a request named by decisions.models.Problem.
_FIXED_BY = {
    "summary": "staff:edit_summary",
    "recommendations": "staff:edit_recommendations",
    "public_access": "staff:edit_public_access",
    "part_two": "staff:edit_part_two",
    "declaration": "staff:edit_declaration",
    "annexes": "finance:annexes",
}


def fix_url(decision: Decision, part: str) -> str:
    if part.startswith("section-"):
        return reverse("staff:edit_section", args=[decision.pk, int(part.removeprefix("section-"))])
    return reverse(_FIXED_BY.get(part, "staff:decision"), args=[decision.pk])


def problem_links(decision: Decision, issues: list[Problem] | None = None) -> list[dict[str, str]]:
    """What stops submission, each as a link to the page that fixes it (no dead end)."""
    return [
        {"message": problem.message, "url": fix_url(decision, problem.part)}
        for problem in (submission_issues(decision) if issues is None else issues)
    ]


def posted(request: HttpRequest) -> QueryDict | None:
    """The form's data: bound on every POST, even one with no field filled in (`request.POST or
    None` left such a form unbound, so an empty submission showed no error at all)."""
    return request.POST if request.method == "POST" else None


def to_decision(decision: Decision, anchor: str = "") -> HttpResponse:
    return redirect(
        reverse("staff:decision", args=[decision.pk]) + (f"#{anchor}" if anchor else "")
    )


def redirect_to_second_factor(request: HttpRequest, back: str = "") -> HttpResponse:
    """To the second-factor page (set it up, or pass it), and back here (or to `back`, for a
    page that only takes a POST) afterwards."""
    target = back or request.path
    return redirect(f"{reverse('accounts:second_factor')}?{urlencode({'next': target})}")


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


def confirm_page(
    request: HttpRequest,
    decision: Decision,
    *,
    what: str,
    quote: str,
    back: str,
    detail: str = "",
) -> HttpResponse:
    """ "Are you sure you want to delete …?": the page posts to itself; Cancel goes back."""
    return render(
        request,
        "staff/confirm_delete.html",
        {"decision": decision, "what": what, "quote": quote, "back": back, "detail": detail},
    )
