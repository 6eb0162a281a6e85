"""Form versions governance manages on the staff pages: a new version is a draft (no date) until
governance sets the date it comes into force, and every change to a version is recorded, append
only (on PostgreSQL a trigger refuses UPDATE and DELETE, as for the log: decisions 0002)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

TABLE = "decisions_formchange"


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
        f"FOR EACH ROW EXECUTE FUNCTION pcd_append_only();"
    )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};")


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0010_merge"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="formtemplate",
            options={
                "ordering": [
                    models.OrderBy(models.F("effective_from"), descending=True, nulls_last=True),
                    "-version",
                ]
            },
        ),
        migrations.AlterField(
            model_name="formtemplate",
            name="effective_from",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name="FormChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("actor_name", models.CharField(max_length=200)),
                ("what", models.CharField(max_length=400)),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "template",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="changes",
                        to="decisions.formtemplate",
                    ),
                ),
            ],
            options={"ordering": ["at", "id"]},
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
