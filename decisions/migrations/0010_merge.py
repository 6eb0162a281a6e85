# The branches of this release, each adding its own migrations after 0006, joined here.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0007_audit_chain_adopts_records"),
        ("decisions", "0007_publication_date_and_register_order"),
        ("decisions", "0007_system_administrator_role"),
        ("decisions", "0009_form_recommendations_intro"),
    ]

    operations = []
