"""The public register and the public page of each decision. Only published decisions exist here;
Part 2 is never read."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from decisions import selectors
from decisions.document import build_document
from decisions.models import Decision, SignatureKind
from decisions.signatures import current_signatures
from documents.selectors import public_pack


def register(request: HttpRequest) -> HttpResponse:
    decisions = Decision.objects.published().order_by("-published_at", "-reference_number")
    return render(request, "public/register.html", {"decisions": decisions})


def decision_detail(request: HttpRequest, number: int) -> HttpResponse:
    decision = selectors.published_decision(number)
    signatures = current_signatures(decision)
    return render(
        request,
        "public/decision.html",
        {
            "decision": decision,
            "doc": build_document(decision),
            "officer_approval": signatures.get(SignatureKind.OFFICER_APPROVAL),
            "dmpc_decision": signatures.get(SignatureKind.DMPC_DECISION),
            # The published PDF and its SHA-256, once rendered.
            "public_pdf": public_pack(decision),
        },
    )
