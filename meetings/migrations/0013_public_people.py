"""Each meeting's public people for the CSV export, kept by triggers (meetings.people): the table, its rows
from the participants already there, then the triggers. The table is not a model (see there)."""

from django.db import migrations

from meetings import people


def create(apps, schema_editor):
    connection = schema_editor.connection
    schema_editor.execute(people.CREATE_TABLE, params=None)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {people.TABLE} ({people.COLUMNS}) {people.counted('true', connection.vendor)}")
    for statement in people.create_statements(connection.vendor):
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    for statement in people.drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)
    schema_editor.execute(f"DROP TABLE {people.TABLE}", params=None)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0012_results_tallies"), ("contacts", "0008_russian_translations")]

    operations = [migrations.RunPython(create, drop)]
