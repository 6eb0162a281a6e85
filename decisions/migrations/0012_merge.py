# The form versions governance manages and the wording of recommendations' links, each adding its
# own migration after 0010, joined here.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0011_form_version_drafts_and_changes"),
        ("decisions", "0011_recommendations_keep_their_link_wording"),
    ]

    operations = []
