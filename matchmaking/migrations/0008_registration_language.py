"""A registration's language: the one its company registered in, for its agenda e-mails.

On SQLite the new column rebuilds the registrations' table, which the triggers of the links inside one visit
(core.same_owner) name: they are dropped first and created again after, as delegations' 0012 does.
"""

from importlib import import_module

from django.db import migrations, models

from core.same_owner import create_statements, drop_statements

TRIGGER_MIGRATIONS = (
    "0003_links_inside_one_visit",
    "0004_scheduling_proposal",
    "0006_session_agendas",
    "0007_proposal_sessions_one_visit",
)


def rules() -> list:
    return [
        rule
        for name in TRIGGER_MIGRATIONS
        for rule in getattr(import_module(f"matchmaking.migrations.{name}"), "RULES", [])
    ]


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in drop_statements("sqlite", rules()):
            schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in create_statements("sqlite", rules()):
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("matchmaking", "0007_proposal_sessions_one_visit"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers),
        migrations.AddField(
            model_name="historicalregistration",
            name="language",
            field=models.CharField(
                default="en",
                help_text="The language the company registered in (a code: en, fr): its agenda e-mails are written in it.",
                max_length=10,
                verbose_name="language",
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="language",
            field=models.CharField(
                default="en",
                help_text="The language the company registered in (a code: en, fr): its agenda e-mails are written in it.",
                max_length=10,
                verbose_name="language",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
