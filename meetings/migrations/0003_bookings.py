"""Bookings: what each meeting occupies over its slot, and on PostgreSQL the rule that none overlap.

The exclusion constraint is PostgreSQL DDL, so it is added here by vendor rather than declared in
Booking.Meta (see there): SQLite migrates without it, and the same validation runs in Python.
"""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EXCLUSION = "booking_no_overlap"


def book_existing_meetings(apps, schema_editor):
    """Bookings for the meetings already stored, as meetings.services.meeting_sync_bookings makes them then."""
    Meeting = apps.get_model("meetings", "Meeting")
    Booking = apps.get_model("meetings", "Booking")
    db = schema_editor.connection.alias
    bookings = []
    timed = (
        Meeting.objects.using(db)
        .exclude(status="cancelled")
        .filter(starts_at__isnull=False, ends_at__isnull=False)
        .prefetch_related("participants")
    )
    for meeting in timed:
        if meeting.ends_at <= meeting.starts_at:
            continue
        resources = {f"org:{meeting.delegation_organization_id}", f"org:{meeting.host_organization_id}"}
        resources |= {f"person:{participant.person_id}" for participant in meeting.participants.all()}
        label = " ".join(meeting.table.split()).casefold()
        if meeting.venue_id and label:
            resources.add(f"table:{meeting.venue_id}:{label}")
        bookings += [
            Booking(meeting=meeting, resource=resource, starts_at=meeting.starts_at, ends_at=meeting.ends_at)
            for resource in sorted(resources)
        ]
    Booking.objects.using(db).bulk_create(bookings, batch_size=500)


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    # Fails, naming both bookings, if stored meetings already overlap: fix them, then migrate again.
    schema_editor.execute(
        f"ALTER TABLE meetings_booking ADD CONSTRAINT {EXCLUSION} "
        "EXCLUDE USING gist (resource WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)"
    )


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE meetings_booking DROP CONSTRAINT IF EXISTS {EXCLUSION}")


def grant_booking_permissions(apps, schema_editor):
    """As migration 0002 does for every domain model: Editors may change bookings, Viewers view them."""
    app_config = apps.get_app_config("meetings")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    booking = Permission.objects.filter(content_type__app_label="meetings", content_type__model="booking")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*booking)
    viewers, _ = Group.objects.get_or_create(name="Viewers")
    viewers.permissions.add(*booking.filter(codename__startswith="view_"))


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_staff_groups"),
    ]

    operations = [
        migrations.CreateModel(
            name="Booking",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "resource",
                    models.CharField(
                        help_text="What is booked: org:<id>, person:<id> or table:<venue id>:<label in lower case>.",
                        max_length=100,
                        verbose_name="resource",
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="starts")),
                ("ends_at", models.DateTimeField(verbose_name="ends")),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="bookings",
                        to="meetings.meeting",
                        verbose_name="meeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "booking",
                "verbose_name_plural": "bookings",
                "ordering": ("starts_at", "resource"),
                "indexes": [models.Index(fields=["resource", "starts_at"], name="booking_resource_start")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                        name="booking_ends_after_start",
                        violation_error_message="A booking must end after it starts.",
                    )
                ],
            },
        ),
        migrations.RunPython(book_existing_meetings, migrations.RunPython.noop),
        migrations.RunPython(add_exclusion, drop_exclusion),
        migrations.RunPython(grant_booking_permissions, migrations.RunPython.noop),
    ]
