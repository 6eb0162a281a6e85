"""On PostgreSQL, the log, the frozen versions and the signatures refuse UPDATE and DELETE in the
database itself, so not even raw SQL or a mistaken admin action can rewrite history.

(SQLite, the development default, relies on the models' own guard: Django's test flush deletes
rows there with DELETE, which such a trigger would refuse.)"""

from django.db import migrations

TABLES = ["decisions_transitionlog", "decisions_decisionversion", "decisions_signature"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        """
        CREATE OR REPLACE FUNCTION pcd_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only: rows cannot be changed or deleted', TG_TABLE_NAME;
        END;
        $$ LANGUAGE plpgsql;
        """,
        # No parameters: otherwise the driver reads RAISE's "%" as a placeholder.
        params=None,
    )
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION pcd_append_only();"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS pcd_append_only();")


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_workflow")]
    operations = [migrations.RunPython(create, drop)]
