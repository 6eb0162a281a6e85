"""The "Check a document" form: a PDF, or its SHA-256."""

from __future__ import annotations

from typing import Any

from django import forms

from documents.verification import SHA256

MAX_PDF_BYTES = 50 * 1024 * 1024


class CheckDocumentForm(forms.Form):
    pdf = forms.FileField(required=False)
    sha256 = forms.CharField(required=False, max_length=200, strip=True)

    def clean_pdf(self) -> Any:
        upload = self.cleaned_data.get("pdf")
        if upload is not None and upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 50MB")
        return upload

    def clean_sha256(self) -> str:
        value = str(self.cleaned_data.get("sha256", "")).lower()
        if value and not SHA256.match(value):
            raise forms.ValidationError(
                "Enter a SHA-256 in the correct format, 64 characters from 0 to 9 and a to f"
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("pdf") and not cleaned.get("sha256"):
            self.add_error("pdf", "Select a PDF, or enter its SHA-256")
        return cleaned
