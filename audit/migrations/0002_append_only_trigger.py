"""On PostgreSQL the audit chain refuses UPDATE and DELETE in the database itself. A DBA who
disables the trigger can still rewrite it, but not re-sign it: verify_audit finds that."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        """
        CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only: links cannot be changed or deleted', TG_TABLE_NAME;
        END;
        $$ LANGUAGE plpgsql;
        """,
        params=None,
    )
    schema_editor.execute(
        "CREATE TRIGGER audit_link_append_only BEFORE UPDATE OR DELETE ON audit_link "
        "FOR EACH ROW EXECUTE FUNCTION audit_append_only();"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS audit_link_append_only ON audit_link;")
    schema_editor.execute("DROP FUNCTION IF EXISTS audit_append_only();")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
