"""A meeting's session and follow-ups belong to the meeting's own visit, held by the database
(core.same_owner; the delegations app's migration of the same name holds its own links).

Existing links that break the rule are removed first, so that the triggers can be created on any
database: a meeting's session of another visit is set to empty (the meeting keeps the city and time
zone it took from it, its venue and its slot), and a meeting's link to another visit's follow-up is
deleted. The history does not record this removal; the public pages of either visit could not show
the other visit's records anyway.
"""

from django.db import migrations
from django.db.models import F

from core.same_owner import SameOwner, create_statements, drop_statements

RULES = [
    SameOwner("meeting_session_one_visit", "meetings_meeting", "session_id", "delegations_itineraryitem"),
    SameOwner(
        "meeting_follow_up_one_visit",
        "meetings_meeting_follow_ups",
        "followup_id",
        "delegations_followup",
        via=("meeting_id", "meetings_meeting"),
    ),
]


def remove_links_across_visits(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Meeting.objects.exclude(session=None).exclude(session__delegation=F("delegation")).update(session=None)
    Meeting.follow_ups.through.objects.exclude(followup__delegation=F("meeting__delegation")).delete()


def create_triggers(apps, schema_editor):
    for statement in create_statements(schema_editor.connection.vendor, RULES):
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    for statement in drop_statements(schema_editor.connection.vendor, RULES):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("delegations", "0010_links_inside_one_visit"),
        ("meetings", "0008_meeting_date_in_range_and_time_folds"),
    ]

    operations = [
        migrations.RunPython(remove_links_across_visits, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
