"""The request's PDFs: download, status for the request's page, retry, and the public PDF.

These views only read stored files and rows; no web request renders a PDF (documents.tasks does).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from decisions import selectors
from decisions.errors import ActionRefused
from decisions.models import Decision
from decisions.types import AuthenticatedRequest
from documents import selectors as documents
from documents import services
from documents.models import DocumentState, RenderedDocument
from documents.permissions import can_read_document


def _pdf(document: RenderedDocument, filename: str) -> FileResponse:
    if not document.pdf:
        raise Http404("The PDF is not ready.")
    response = FileResponse(
        document.pdf.open("rb"), content_type="application/pdf", filename=filename
    )
    # FileResponse says "attachment" only when asked to; a PDF opens in the browser.
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = f'"{document.pdf_sha256}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _readable(request: HttpRequest, pk: int, document_pk: int) -> tuple[Decision, RenderedDocument]:
    decision = selectors.decision_for(request.user, pk)
    document = get_object_or_404(RenderedDocument, pk=document_pk, decision=decision)
    # Part 2 for someone who may not read it is as absent as another person's request.
    if not can_read_document(request.user, document):
        raise Http404("No such document.")
    return decision, document


@login_required
def download(request: AuthenticatedRequest, pk: int, document_pk: int) -> FileResponse:
    decision, document = _readable(request, pk, document_pk)
    if document.state != DocumentState.READY:
        raise Http404("This document is not ready.")
    return _pdf(document, f"{decision.slug}-{document.kind.replace('_', '-')}.pdf")


@login_required
def status(request: AuthenticatedRequest, pk: int) -> JsonResponse:
    """The state of the request's documents, for its page to follow without a reload."""
    decision = selectors.decision_for(request.user, pk)
    context = documents.panel(decision, request.user)
    return JsonResponse(
        {
            "pending": context["pending"],
            "documents": [
                {
                    "id": document.pk,
                    "kind": document.kind,
                    "label": document.get_kind_display(),
                    "state": document.state,
                    "state_label": document.get_state_display(),
                    "error": document.error,
                    "pages": document.pages,
                    "sha256": document.pdf_sha256,
                    "url": reverse("staff:document_pdf", args=[decision.pk, document.pk])
                    if document.state == DocumentState.READY
                    else None,
                }
                for document in context["documents"]
            ],
            "html": render_to_string("documents/_list.html", context, request=request),
        },
        headers={"Cache-Control": "no-store"},
    )


@login_required
@require_POST
def retry(request: AuthenticatedRequest, pk: int, document_pk: int) -> HttpResponse:
    _, document = _readable(request, pk, document_pk)
    try:
        services.document_retry(document=document, user=request.user)
    except ActionRefused as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"{document.get_kind_display()}: asked for again.")
    return redirect(reverse("staff:decision", args=[pk]) + "#documents")


def public_pdf(request: HttpRequest, number: int) -> FileResponse:
    """/decisions/pcd-279.pdf: the published pack, once it has been rendered; 404 before."""
    decision = selectors.published_decision(number)
    document = documents.public_pack(decision)
    if document is None:
        raise Http404("The PDF of this decision is not ready yet.")
    response = _pdf(document, f"{decision.slug}.pdf")
    response["Cache-Control"] = "public, max-age=300"
    return response
