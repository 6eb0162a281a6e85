"""Governance officers and system administrators read the record of role changes in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    config = apps.get_app_config("accounts")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(content_type__app_label="accounts", codename="view_rolechange")
    for group in Group.objects.filter(name__in=["governance", "system_admin"]):
        group.permissions.add(view)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("decisions", "0007_system_administrator_role")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
