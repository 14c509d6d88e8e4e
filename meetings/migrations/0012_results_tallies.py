"""Running counts of held meetings for the results figures, kept by triggers (meetings.tallies): the tables,
their counts from the meetings already there, then the triggers. The tables are not models (see there)."""

from django.db import migrations

from meetings import tallies


def create(apps, schema_editor):
    connection = schema_editor.connection
    for statement in tallies.TABLES:
        schema_editor.execute(statement, params=None)
    with connection.cursor() as cursor:
        for table, columns, select in tallies.COUNTS:
            cursor.execute(f"INSERT INTO {table} ({columns}) {select}")
    for statement in tallies.create_statements(connection.vendor):
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    for statement in tallies.drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)
    for table in (tallies.BY_SECTOR, tallies.BY_ORGANIZATION, tallies.PUBLISHED):
        schema_editor.execute(f"DROP TABLE {table}", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0011_russian_translations"),
        ("delegations", "0013_russian_translations"),
    ]

    operations = [migrations.RunPython(create, drop)]
