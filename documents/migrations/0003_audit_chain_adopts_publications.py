"""The signed PDFs made before the audit chain existed become links of it
(documents.publications.adopt_existing), so the public PDF is still served; `render_documents`
then makes new, sealed ones."""

from django.db import migrations


def adopt(apps, schema_editor):
    from documents.publications import adopt_existing

    adopt_existing(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_render_leases"),
        ("decisions", "0007_audit_chain_adopts_records"),
    ]
    operations = [migrations.RunPython(adopt, migrations.RunPython.noop)]
