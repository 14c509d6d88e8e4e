from django.db import migrations


def index_table(apps, schema_editor):
    """On PostgreSQL, a trigram index makes the admin search's UPPER("table") LIKE '%WORD%' an index scan
    rather than a read of every meeting. SQLite scans; it serves small installations."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS meetings_meeting_table_trgm ON meetings_meeting USING gin (UPPER("table") gin_trgm_ops)'
    )


def unindex_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS meetings_meeting_table_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0007_other_names"),
        ("meetings", "0013_public_people"),
    ]

    operations = [migrations.RunPython(index_table, unindex_table)]
