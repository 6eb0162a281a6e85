"""The rendered documents and parts move from finance to this app, with their rows and files.

The tables stay where they are while the models change app (finance's 0003 lets go of them in
Django's state only); here they are adopted under their old names, then renamed to this app's
names. Nothing is copied or lost, on a new database or on one made before the move. The content
types move too, so permissions given on them are kept.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("rendereddocument", "renderedpart"):
        if ContentType.objects.filter(app_label="documents", model=model).exists():
            continue
        ContentType.objects.filter(app_label="finance", model=model).update(app_label="documents")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("rendereddocument", "renderedpart"):
        ContentType.objects.filter(app_label="documents", model=model).update(app_label="finance")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("decisions", "0005_governance_admin_permissions"),
        ("finance", "0003_documents_move_to_documents_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RenderedPart",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("content_hash", models.CharField(max_length=64, unique=True)),
                        ("pdf", models.FileField(upload_to="parts/")),
                        ("pages", models.PositiveIntegerField()),
                        ("render_seconds", models.FloatField(default=0)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={"db_table": "finance_renderedpart"},
                ),
                migrations.CreateModel(
                    name="RenderedDocument",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("preview", "Preview for approvers"),
                                    ("signed_pack", "Signed decision pack"),
                                    ("public_pack", "Public decision pack"),
                                    ("part_two", "Part 2 (confidential)"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("content_hash", models.CharField(max_length=64)),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("queued", "Queued"),
                                    ("rendering", "Rendering"),
                                    ("ready", "Ready"),
                                    ("failed", "Failed"),
                                ],
                                default="queued",
                                max_length=10,
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("error", models.TextField(blank=True)),
                        ("requested_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("enqueued_at", models.DateTimeField(blank=True, null=True)),
                        ("task_id", models.CharField(blank=True, max_length=255)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("pdf", models.FileField(blank=True, upload_to="documents/")),
                        ("pdf_sha256", models.CharField(blank=True, max_length=64)),
                        ("pages", models.PositiveIntegerField(blank=True, null=True)),
                        (
                            "decision",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="documents",
                                to="decisions.decision",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "finance_rendereddocument",
                        "ordering": ["-requested_at"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("decision", "kind", "content_hash"),
                                name="document_unique_content",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("state", "ready"), _negated=True),
                                    models.Q(
                                        models.Q(("pdf", ""), _negated=True),
                                        models.Q(("pdf_sha256", ""), _negated=True),
                                    ),
                                    _connector="OR",
                                ),
                                name="document_ready_has_pdf",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="renderedpart", table=None),
        migrations.AlterModelTable(name="rendereddocument", table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
