"""PostgreSQL full-text search of the register: a stored generated tsvector with a GIN index
(on SQLite the register searches with LIKE instead); then an entry for every decision that was
published before the register kept entries."""

from django.db import migrations

SEARCH_VECTOR = """
ALTER TABLE register_registerentry ADD COLUMN search_vector tsvector
GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
) STORED;
CREATE INDEX register_search_vector ON register_registerentry USING GIN (search_vector);
"""

DROP = """
DROP INDEX IF EXISTS register_search_vector;
ALTER TABLE register_registerentry DROP COLUMN IF EXISTS search_vector;
"""


def add_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_VECTOR)


def drop_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


def entries_for_published(apps, schema_editor):
    Decision = apps.get_model("decisions", "Decision")
    Signature = apps.get_model("decisions", "Signature")
    Recommendation = apps.get_model("decisions", "Recommendation")
    Paragraph = apps.get_model("decisions", "Paragraph")
    AnnexTable = apps.get_model("finance", "AnnexTable")
    Annex = apps.get_model("finance", "Annex")
    RegisterEntry = apps.get_model("register", "RegisterEntry")
    for decision in Decision.objects.filter(status="published", register_entry__isnull=True):
        body = [
            r.text for r in Recommendation.objects.filter(decision=decision).order_by("position")
        ]
        for p in Paragraph.objects.filter(decision=decision).order_by(
            "section__number", "position"
        ):
            body.extend(t for t in (p.heading, p.text) if t)
        body.extend(
            AnnexTable.objects.filter(annex__decision=decision).values_list("title", flat=True)
        )
        signature = (
            Signature.objects.filter(decision=decision, kind="dmpc_decision")
            .order_by("-pk")
            .first()
        )
        RegisterEntry.objects.create(
            decision=decision,
            title=decision.title,
            summary=decision.executive_summary,
            body="\n".join(body),
            decision_maker=(
                signature.signer_role if signature else "Deputy Mayor for Policing and Crime"
            ),
            has_annex=Annex.objects.filter(decision=decision).exists(),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0001_register_entries"),
        ("finance", "0003_documents_move_to_documents_app"),
    ]

    operations = [
        migrations.RunPython(add_search_vector, drop_search_vector),
        migrations.RunPython(entries_for_published, migrations.RunPython.noop),
    ]
