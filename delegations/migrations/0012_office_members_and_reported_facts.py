"""Members known only by their office (a person is optional; then a title and an organization are
required), more member roles, and what visits and items report without detail: documents signed
(a count and a summary) and, for the visit as a whole, meetings.

On SQLite the new fields and constraints rebuild the items' table, which the triggers of the links
inside one visit (core.same_owner) name: their triggers are dropped first and created again after,
those of the meetings app only if its migration created them already.
"""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models
from django.db.migrations.recorder import MigrationRecorder

from core.same_owner import create_statements, drop_statements

TRIGGER_MIGRATIONS = (
    ("delegations", "0010_links_inside_one_visit"),
    ("meetings", "0009_links_inside_one_visit"),
)


def rules_in_place(connection) -> list:
    applied = MigrationRecorder(connection).applied_migrations()
    return [
        rule
        for app, name in TRIGGER_MIGRATIONS
        if (app, name) in applied
        for rule in import_module(f"{app}.migrations.{name}").RULES
    ]


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for statement in drop_statements(connection.vendor, rules_in_place(connection)):
            schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for statement in create_statements(connection.vendor, rules_in_place(connection)):
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0006_position_dates_in_range"),
        ("delegations", "0011_host_countries_in_route_order"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers),
        migrations.AddField(
            model_name="delegation",
            name="agreements_without_detail",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Documents the sources say were signed without naming them or their parties, e.g. 3. Leave empty when the number is not given.",
                null=True,
                verbose_name="documents reported without detail",
            ),
        ),
        migrations.AddField(
            model_name="delegation",
            name="agreements_without_detail_summary",
            field=models.CharField(
                blank=True,
                help_text="As the sources put it, e.g. “several documents between companies of the two regions”.",
                max_length=300,
                verbose_name="what those documents were",
            ),
        ),
        migrations.AddField(
            model_name="delegation",
            name="agreements_without_detail_summary_en",
            field=models.CharField(
                blank=True,
                help_text="As the sources put it, e.g. “several documents between companies of the two regions”.",
                max_length=300,
                null=True,
                verbose_name="what those documents were",
            ),
        ),
        migrations.AddField(
            model_name="delegation",
            name="agreements_without_detail_summary_fr",
            field=models.CharField(
                blank=True,
                help_text="As the sources put it, e.g. “several documents between companies of the two regions”.",
                max_length=300,
                null=True,
                verbose_name="what those documents were",
            ),
        ),
        migrations.AddField(
            model_name="delegation",
            name="reported_meetings",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="When the sources give only a total, e.g. “the delegation held 15 meetings”: the meetings not recorded one by one, those reported at its items included. The figures count the larger of this and the items’ sum, never both.",
                null=True,
                verbose_name="meetings reported for the whole visit",
            ),
        ),
        migrations.AddField(
            model_name="historicaldelegation",
            name="agreements_without_detail",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Documents the sources say were signed without naming them or their parties, e.g. 3. Leave empty when the number is not given.",
                null=True,
                verbose_name="documents reported without detail",
            ),
        ),
        migrations.AddField(
            model_name="historicaldelegation",
            name="agreements_without_detail_summary",
            field=models.CharField(
                blank=True,
                help_text="As the sources put it, e.g. “several documents between companies of the two regions”.",
                max_length=300,
                verbose_name="what those documents were",
            ),
        ),
        migrations.AddField(
            model_name="historicaldelegation",
            name="agreements_without_detail_summary_en",
            field=models.CharField(
                blank=True,
                help_text="As the sources put it, e.g. “several documents between companies of the two regions”.",
                max_length=300,
                null=True,
                verbose_name="what those documents were",
            ),
        ),
        migrations.AddField(
            model_name="historicaldelegation",
            name="agreements_without_detail_summary_fr",
            field=models.CharField(
                blank=True,
                help_text="As the sources put it, e.g. “several documents between companies of the two regions”.",
                max_length=300,
                null=True,
                verbose_name="what those documents were",
            ),
        ),
        migrations.AddField(
            model_name="historicaldelegation",
            name="reported_meetings",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="When the sources give only a total, e.g. “the delegation held 15 meetings”: the meetings not recorded one by one, those reported at its items included. The figures count the larger of this and the items’ sum, never both.",
                null=True,
                verbose_name="meetings reported for the whole visit",
            ),
        ),
        migrations.AddField(
            model_name="historicalitineraryitem",
            name="agreements_without_detail",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Documents the sources say were signed without naming them or their parties, e.g. 3. Leave empty when the number is not given.",
                null=True,
                verbose_name="documents reported without detail",
            ),
        ),
        migrations.AddField(
            model_name="historicalitineraryitem",
            name="agreements_without_detail_summary",
            field=models.CharField(
                blank=True,
                help_text="As the sources put it, e.g. “several documents between companies of the two regions”.",
                max_length=300,
                verbose_name="what those documents were",
            ),
        ),
        migrations.AddField(
            model_name="historicalitineraryitem",
            name="agreements_without_detail_summary_en",
            field=models.CharField(
                blank=True,
                help_text="As the sources put it, e.g. “several documents between companies of the two regions”.",
                max_length=300,
                null=True,
                verbose_name="what those documents were",
            ),
        ),
        migrations.AddField(
            model_name="historicalitineraryitem",
            name="agreements_without_detail_summary_fr",
            field=models.CharField(
                blank=True,
                help_text="As the sources put it, e.g. “several documents between companies of the two regions”.",
                max_length=300,
                null=True,
                verbose_name="what those documents were",
            ),
        ),
        migrations.AddField(
            model_name="itineraryitem",
            name="agreements_without_detail",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Documents the sources say were signed without naming them or their parties, e.g. 3. Leave empty when the number is not given.",
                null=True,
                verbose_name="documents reported without detail",
            ),
        ),
        migrations.AddField(
            model_name="itineraryitem",
            name="agreements_without_detail_summary",
            field=models.CharField(
                blank=True,
                help_text="As the sources put it, e.g. “several documents between companies of the two regions”.",
                max_length=300,
                verbose_name="what those documents were",
            ),
        ),
        migrations.AddField(
            model_name="itineraryitem",
            name="agreements_without_detail_summary_en",
            field=models.CharField(
                blank=True,
                help_text="As the sources put it, e.g. “several documents between companies of the two regions”.",
                max_length=300,
                null=True,
                verbose_name="what those documents were",
            ),
        ),
        migrations.AddField(
            model_name="itineraryitem",
            name="agreements_without_detail_summary_fr",
            field=models.CharField(
                blank=True,
                help_text="As the sources put it, e.g. “several documents between companies of the two regions”.",
                max_length=300,
                null=True,
                verbose_name="what those documents were",
            ),
        ),
        migrations.AlterField(
            model_name="delegationmember",
            name="person",
            field=models.ForeignKey(
                blank=True,
                help_text="Leave empty for an office whose holder the sources do not name: then give its title and organization.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="memberships",
                to="contacts.person",
                verbose_name="person",
            ),
        ),
        migrations.AlterField(
            model_name="delegationmember",
            name="role",
            field=models.CharField(
                choices=[
                    ("head", "Head of delegation"),
                    ("deputy_head", "Deputy head of delegation"),
                    ("minister", "Minister"),
                    ("state_secretary", "State secretary or deputy minister"),
                    ("official", "Official"),
                    ("agency_director", "Agency director"),
                    ("business", "Business representative"),
                    ("adviser", "Adviser"),
                    ("expert", "Expert"),
                    ("member", "Member"),
                    ("press", "Press"),
                    ("security", "Security"),
                    ("protocol", "Protocol"),
                    ("interpreter", "Interpreter"),
                    ("staff", "Staff"),
                    ("other", "Other"),
                ],
                default="official",
                max_length=20,
                verbose_name="role",
            ),
        ),
        migrations.AlterField(
            model_name="delegationmember",
            name="title",
            field=models.CharField(
                blank=True,
                help_text="As it was then, e.g. Governor of the Irkutsk region; later positions do not change it. Where given, pages show it instead of the role (except head and deputy head).",
                max_length=250,
                verbose_name="title during the visit",
            ),
        ),
        migrations.AlterField(
            model_name="delegationmember",
            name="title_en",
            field=models.CharField(
                blank=True,
                help_text="As it was then, e.g. Governor of the Irkutsk region; later positions do not change it. Where given, pages show it instead of the role (except head and deputy head).",
                max_length=250,
                null=True,
                verbose_name="title during the visit",
            ),
        ),
        migrations.AlterField(
            model_name="delegationmember",
            name="title_fr",
            field=models.CharField(
                blank=True,
                help_text="As it was then, e.g. Governor of the Irkutsk region; later positions do not change it. Where given, pages show it instead of the role (except head and deputy head).",
                max_length=250,
                null=True,
                verbose_name="title during the visit",
            ),
        ),
        migrations.AlterField(
            model_name="historicaldelegationmember",
            name="person",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="Leave empty for an office whose holder the sources do not name: then give its title and organization.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="contacts.person",
                verbose_name="person",
            ),
        ),
        migrations.AlterField(
            model_name="historicaldelegationmember",
            name="role",
            field=models.CharField(
                choices=[
                    ("head", "Head of delegation"),
                    ("deputy_head", "Deputy head of delegation"),
                    ("minister", "Minister"),
                    ("state_secretary", "State secretary or deputy minister"),
                    ("official", "Official"),
                    ("agency_director", "Agency director"),
                    ("business", "Business representative"),
                    ("adviser", "Adviser"),
                    ("expert", "Expert"),
                    ("member", "Member"),
                    ("press", "Press"),
                    ("security", "Security"),
                    ("protocol", "Protocol"),
                    ("interpreter", "Interpreter"),
                    ("staff", "Staff"),
                    ("other", "Other"),
                ],
                default="official",
                max_length=20,
                verbose_name="role",
            ),
        ),
        migrations.AlterField(
            model_name="historicaldelegationmember",
            name="title",
            field=models.CharField(
                blank=True,
                help_text="As it was then, e.g. Governor of the Irkutsk region; later positions do not change it. Where given, pages show it instead of the role (except head and deputy head).",
                max_length=250,
                verbose_name="title during the visit",
            ),
        ),
        migrations.AlterField(
            model_name="historicaldelegationmember",
            name="title_en",
            field=models.CharField(
                blank=True,
                help_text="As it was then, e.g. Governor of the Irkutsk region; later positions do not change it. Where given, pages show it instead of the role (except head and deputy head).",
                max_length=250,
                null=True,
                verbose_name="title during the visit",
            ),
        ),
        migrations.AlterField(
            model_name="historicaldelegationmember",
            name="title_fr",
            field=models.CharField(
                blank=True,
                help_text="As it was then, e.g. Governor of the Irkutsk region; later positions do not change it. Where given, pages show it instead of the role (except head and deputy head).",
                max_length=250,
                null=True,
                verbose_name="title during the visit",
            ),
        ),
        migrations.AddConstraint(
            model_name="delegation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("agreements_without_detail__isnull", True), ("agreements_without_detail__gte", 1), _connector="OR"
                ),
                name="delegation_agreements_without_detail_positive",
                violation_error_message="Give at least one document reported without detail, or leave the number empty.",
            ),
        ),
        migrations.AddConstraint(
            model_name="delegationmember",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("person__isnull", False),
                    models.Q(("organization__isnull", False), ("title_en__gt", "")),
                    _connector="OR",
                ),
                name="member_person_or_office",
                violation_error_message="Give a person, or for an office whose holder is not named, its title (in English) and its organization.",
            ),
        ),
        migrations.AddConstraint(
            model_name="itineraryitem",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("agreements_without_detail__isnull", True), ("agreements_without_detail__gte", 1), _connector="OR"
                ),
                name="item_agreements_without_detail_positive",
                violation_error_message="Give at least one document reported without detail, or leave the number empty.",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
