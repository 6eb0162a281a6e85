"""Governance officers use the admin: they manage people and roles, and see (never edit) requests,
their history and signatures."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = {
    "auth": ["view_user", "add_user", "change_user", "view_group"],
    "decisions": [
        "view_decision",
        "view_transitionlog",
        "view_signature",
        "view_decisionversion",
        "view_formtemplate",
        "add_formtemplate",
        "change_formtemplate",
        "view_templatesection",
        "add_templatesection",
        "change_templatesection",
        "view_declarationitem",
        "add_declarationitem",
        "change_declarationitem",
    ],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    governance = Group.objects.get(name="governance")
    for app_label, codenames in PERMISSIONS.items():
        governance.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("decisions", "0004_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
