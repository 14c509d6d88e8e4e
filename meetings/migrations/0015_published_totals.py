"""Totals over the published visits for the results page without filters, kept by triggers
(meetings.totals): the table, its totals from the rows already there, then the triggers."""

from django.db import migrations

from meetings import totals


def create(apps, schema_editor):
    schema_editor.execute(totals.CREATE_TABLE, params=None)
    totals.totals_fill(schema_editor.connection)
    for statement in totals.create_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    for statement in totals.drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)
    schema_editor.execute(f"DROP TABLE {totals.TABLE}", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0014_table_search_index"),
        ("delegations", "0014_item_reporting_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
