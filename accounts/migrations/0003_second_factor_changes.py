"""The append-only record of changes people make to their own second factors; on PostgreSQL a
trigger refuses UPDATE and DELETE on it (the same function as the role changes': decisions 0002),
and governance officers and system administrators read it in the admin, as they read role
changes (0002)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

TABLE = "accounts_secondfactorchange"


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


def grant(apps, schema_editor):
    config = apps.get_app_config("accounts")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(
        content_type__app_label="accounts", codename="view_secondfactorchange"
    )
    for group in Group.objects.filter(name__in=["governance", "system_admin"]):
        group.permissions.add(view)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_governance_reads_role_changes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SecondFactorChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("person_name", models.CharField(max_length=200)),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("authenticator_added", "Authenticator app set up"),
                            ("passkey_added", "Passkey added"),
                            ("passkey_renamed", "Passkey renamed"),
                            ("passkey_removed", "Passkey removed"),
                            ("backup_codes_made", "New backup codes made"),
                        ],
                        max_length=30,
                    ),
                ),
                ("passkey", models.PositiveBigIntegerField(blank=True, null=True)),
                ("name", models.CharField(blank=True, max_length=64)),
                ("previous_name", models.CharField(blank=True, max_length=64)),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["-at", "-id"]},
        ),
        migrations.RunPython(create_trigger, drop_trigger),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
