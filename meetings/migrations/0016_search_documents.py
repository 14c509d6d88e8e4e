"""Each meeting's search document for the admin search, kept by triggers (meetings.search_documents),
PostgreSQL only: the trigram extension, the table, its rows from the meetings already there, its trigram
indexes, then the triggers. The table is not a model (see there)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from meetings import search_documents


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    schema_editor.execute(search_documents.CREATE_TABLE, params=None)
    with connection.cursor() as cursor:
        table, columns = search_documents.TABLE, search_documents.COLUMNS
        cursor.execute(f"INSERT INTO {table} ({columns}) {search_documents.documents('true')}")
    for statement in (*search_documents.INDEXES, *search_documents.create_statements(connection.vendor)):
        schema_editor.execute(statement, params=None)
    schema_editor.execute(f"ANALYZE {search_documents.TABLE}", params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in search_documents.drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)
    schema_editor.execute(f"DROP TABLE {search_documents.TABLE}", params=None)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0015_published_totals"), ("contacts", "0008_russian_translations")]

    operations = [TrigramExtension(), migrations.RunPython(create, drop)]
