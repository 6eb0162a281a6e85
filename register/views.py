"""The public register and the public page of each decision. Only published decisions exist here;
Part 2 is never read."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from audit import keys
from decisions import selectors
from decisions.models import Decision, SignatureKind
from decisions.published import signed_reading
from documents import verification
from documents.selectors import public_pack
from register.forms import CheckDocumentForm


def register(request: HttpRequest) -> HttpResponse:
    decisions = Decision.objects.published().with_signed_title()
    decisions = decisions.order_by("-published_at", "-reference_number")
    return render(request, "public/register.html", {"decisions": decisions})


def decision_detail(request: HttpRequest, number: int) -> HttpResponse:
    decision = selectors.published_decision(number)
    # The version the DMPC signed, never the live rows (governance is told if they differ).
    reading = signed_reading(decision)
    return render(
        request,
        "public/decision.html",
        {
            "decision": reading.decision,
            "doc": reading.doc,
            "intact": reading.intact,
            "officer_approval": reading.signatures.get(SignatureKind.OFFICER_APPROVAL),
            "dmpc_decision": reading.signatures.get(SignatureKind.DMPC_DECISION),
            # The published PDF and its SHA-256, once rendered.
            "public_pdf": public_pack(decision),
        },
    )


def signing_key(request: HttpRequest) -> HttpResponse:
    """/decisions/signing-key.pem: the public half of the key that signs signatures, the audit
    chain and the published PDFs' seals, for anyone to check them (manage.py verify_pdf --key)."""
    response = HttpResponse(keys.public_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'inline; filename="pcd-signing-key.pem"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


def check_document(request: HttpRequest) -> HttpResponse:
    """/decisions/check/: whether a PDF, or a SHA-256, is a decision as signed and published."""
    verdict = None
    if request.method == "POST":
        form = CheckDocumentForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("pdf")
            verdict = (
                verification.check_file(upload.read())
                if upload
                else verification.check_sha256(form.cleaned_data["sha256"])
            )
    else:
        form = CheckDocumentForm()
    return render(request, "public/check.html", {"form": form, "verdict": verdict})
