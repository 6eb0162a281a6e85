"""The public register's own record of each published decision: what is searched and filtered.

A row is written when a decision is published (register.indexing, in the publishing transaction)
or imported from the back catalogue (register.importing). It holds only Part 1: the title, the
executive summary, and the recommendations, Part I paragraphs and annex table titles as one text.
Part 2, return comments and explanations are never copied here, so search cannot reach them.

On PostgreSQL the table also has `search_vector`, a stored generated tsvector over these texts
(English stemming; title weighted A, summary B, the rest C) with a GIN index. It is added by the
migration, not declared here: Django would have to know it on SQLite too, where it cannot exist.
"""

from __future__ import annotations

from django.db import models

from decisions.models import Decision

DMPC = "Deputy Mayor for Policing and Crime"


class RegisterEntry(models.Model):
    decision = models.OneToOneField(
        Decision, on_delete=models.CASCADE, primary_key=True, related_name="register_entry"
    )
    title = models.CharField(max_length=250)
    summary = models.TextField(blank=True)
    # Recommendations, Part I and the annex tables' titles, for search and snippets.
    body = models.TextField(blank=True)
    decision_maker = models.CharField(max_length=200, default=DMPC)
    has_annex = models.BooleanField(default=False)
    # Loaded from the back catalogue (manage.py import_decisions), not made here: read-only, with
    # its PDF where MOPAC published it, or a copy of it.
    imported = models.BooleanField(default=False)
    source_pdf_url = models.URLField(max_length=500, blank=True)
    source_pdf = models.FileField(upload_to="imported/", blank=True)

    class Meta:
        verbose_name_plural = "register entries"
        indexes = [
            models.Index(fields=["decision_maker"], name="register_decision_maker"),
        ]

    def __str__(self) -> str:
        return self.title
