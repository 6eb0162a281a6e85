"""The log entries, versions and signatures written before the audit chain existed become its
first links (decisions.chain.adopt_existing), so that the server key vouches for them from now
on and verify_audit does not report them as inserted behind its back. Needs the signing key
(PCD_SIGNING_KEY or PCD_SIGNING_KEY_FILE) when there are rows to adopt."""

from django.db import migrations


def adopt(apps, schema_editor):
    from decisions.chain import adopt_existing

    adopt_existing(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0006_notices_outbox"),
        ("audit", "0002_append_only_trigger"),
    ]
    operations = [migrations.RunPython(adopt, migrations.RunPython.noop)]
