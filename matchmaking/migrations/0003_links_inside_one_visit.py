"""An invitation's sessions, a registration's invitation, a request's registration and meeting belong
to the record's own visit, held by the database (core.same_owner), as the delegations and meetings apps'
migrations of the same name hold theirs. The tables are new: no link to remove first."""

from django.db import migrations

from core.same_owner import SameOwner, create_statements, drop_statements

RULES = [
    SameOwner(
        "invitation_session_one_visit",
        "matchmaking_invitation_sessions",
        "itineraryitem_id",
        "delegations_itineraryitem",
        via=("invitation_id", "matchmaking_invitation"),
    ),
    SameOwner(
        "registration_invitation_one_visit", "matchmaking_registration", "invitation_id", "matchmaking_invitation"
    ),
    SameOwner(
        "request_registration_one_visit", "matchmaking_meetingrequest", "registration_id", "matchmaking_registration"
    ),
    SameOwner("request_meeting_one_visit", "matchmaking_meetingrequest", "meeting_id", "meetings_meeting"),
]


def create_triggers(apps, schema_editor):
    for statement in create_statements(schema_editor.connection.vendor, RULES):
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    for statement in drop_statements(schema_editor.connection.vendor, RULES):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("matchmaking", "0002_staff_groups"),
        ("meetings", "0009_links_inside_one_visit"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
