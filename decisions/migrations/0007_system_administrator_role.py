"""A system administrator role, which alone changes people's roles (accounts.services), and
governance officers lose the admin's power to change accounts: with auth.change_user a
governance officer could tick "superuser status", join the dmpc group and sign as the DMPC."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GOVERNANCE_LOSES = ["add_user", "change_user"]
# The system administrator edits names, e-mail addresses and whether an account is active in the
# admin (accounts.admin shows nothing else), and gives roles through the People page.
SYSTEM_ADMIN = ["view_user", "add_user", "change_user", "view_group"]


def forward(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin, _ = Group.objects.get_or_create(name="system_admin")
    admin.permissions.add(
        *Permission.objects.filter(content_type__app_label="auth", codename__in=SYSTEM_ADMIN)
    )
    governance = Group.objects.get(name="governance")
    governance.permissions.remove(
        *Permission.objects.filter(content_type__app_label="auth", codename__in=GOVERNANCE_LOSES)
    )


def backward(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.filter(name="system_admin").delete()
    Group.objects.get(name="governance").permissions.add(
        *Permission.objects.filter(content_type__app_label="auth", codename__in=GOVERNANCE_LOSES)
    )


class Migration(migrations.Migration):
    dependencies = [("decisions", "0006_notices_outbox")]
    operations = [migrations.RunPython(forward, backward)]
