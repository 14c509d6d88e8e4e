"""Links between records of a visit stay inside that visit, held by the database (core.same_owner):
an agreement's signing item, a follow-up's item and agreement belong to the agreement's or the
follow-up's own visit.

Existing links that break the rule are removed first, so that the triggers can be created on any
database: the link is set to empty (the agreement and the follow-up stay, without the item or agreement
of another visit they named). The history does not record this removal; the links pointed at records
that the public pages of the visit could not show anyway. The meetings app's own links (a meeting's
session and follow-ups) are held by its migration of the same name.
"""

from django.db import migrations
from django.db.models import F

from core.same_owner import SameOwner, create_statements, drop_statements

RULES = [
    SameOwner(
        "agreement_signing_item_one_visit", "delegations_agreement", "signing_item_id", "delegations_itineraryitem"
    ),
    SameOwner("followup_item_one_visit", "delegations_followup", "itinerary_item_id", "delegations_itineraryitem"),
    SameOwner("followup_agreement_one_visit", "delegations_followup", "agreement_id", "delegations_agreement"),
]


def remove_links_across_visits(apps, schema_editor):
    Agreement = apps.get_model("delegations", "Agreement")
    FollowUp = apps.get_model("delegations", "FollowUp")
    Agreement.objects.exclude(signing_item=None).exclude(signing_item__delegation=F("delegation")).update(
        signing_item=None
    )
    FollowUp.objects.exclude(itinerary_item=None).exclude(itinerary_item__delegation=F("delegation")).update(
        itinerary_item=None
    )
    FollowUp.objects.exclude(agreement=None).exclude(agreement__delegation=F("delegation")).update(agreement=None)


def create_triggers(apps, schema_editor):
    for statement in create_statements(schema_editor.connection.vendor, RULES):
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    for statement in drop_statements(schema_editor.connection.vendor, RULES):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("delegations", "0009_dates_in_range_and_time_folds"),
    ]

    operations = [
        migrations.RunPython(remove_links_across_visits, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
