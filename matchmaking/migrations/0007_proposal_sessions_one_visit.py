"""A Schedule all proposal's sessions belong to the proposal's own visit, held by the database
(core.same_owner) as the app's other links are (0003). The table is new: no link to remove first."""

from django.db import migrations

from core.same_owner import SameOwner, create_statements, drop_statements

RULES = [
    SameOwner(
        "proposal_session_one_visit",
        "matchmaking_schedulingproposal_sessions",
        "itineraryitem_id",
        "delegations_itineraryitem",
        via=("schedulingproposal_id", "matchmaking_schedulingproposal"),
    ),
]


def create_triggers(apps, schema_editor):
    for statement in create_statements(schema_editor.connection.vendor, RULES):
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    for statement in drop_statements(schema_editor.connection.vendor, RULES):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("matchmaking", "0006_session_agendas"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
