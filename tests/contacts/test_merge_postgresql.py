"""On PostgreSQL, a merge racing a meeting booked at the same moment: the merge cannot see the other
transaction's booking, the exclusion constraint makes it wait, then refuses it; the merge says so and
writes nothing."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction

from contacts.merging import MergeRefused, contact_merge
from contacts.models import Organization
from meetings.models import Booking, Meeting
from meetings.services import meeting_schedule
from tests.factories import DelegationFactory, MeetingFactory, OrganizationFactory, VenueFactory

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Only PostgreSQL refuses overlapping bookings itself (exclusion constraint): run with DATABASE_URL.",
)


def waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgresql
@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_merge_racing_a_booking_refused_by_the_database_writing_nothing():
    visit = DelegationFactory()
    kept = OrganizationFactory(name="Insitilab LLC")
    merged = OrganizationFactory(name="OOO Insitilab")
    senat = VenueFactory(name="Sénat")
    day = visit.start_date
    theirs = MeetingFactory(
        delegation=visit,
        venue=senat,
        date=day,
        start_time=datetime.time(10),
        end_time=datetime.time(11),
        delegation_organization=merged,
        host_organization=OrganizationFactory(name="Dalkia"),
        table="T1",
    )
    racing = MeetingFactory.build(
        delegation=visit,
        venue=senat,
        date=day,
        start_time=datetime.time(10, 30),
        end_time=datetime.time(11, 30),
        delegation_organization=kept,
        host_organization=OrganizationFactory(name="Symbios"),
        table="T2",
    )
    booked, may_commit = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def book():
        try:
            with transaction.atomic():
                meeting_schedule(meeting=racing)
                booked.set()
                may_commit.wait(timeout=10)
        finally:
            connection.close()

    def merge():
        try:
            contact_merge(kept=kept, merged=merged)
        except Exception as error:  # examined below
            errors.append(error)
        finally:
            connection.close()

    booking, merging = threading.Thread(target=book), threading.Thread(target=merge)
    booking.start()
    assert booked.wait(timeout=10)
    merging.start()
    deadline = time.monotonic() + 10
    while waiting_on_a_lock() == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    blocked = waiting_on_a_lock()
    may_commit.set()
    booking.join(timeout=10)
    merging.join(timeout=10)

    assert blocked == 1
    assert [type(error) for error in errors] == [MergeRefused], errors
    assert errors[0].messages == [f"Insitilab LLC is already in “{racing}” at that time."]
    assert Organization.objects.filter(pk__in=(kept.pk, merged.pk)).count() == 2
    theirs.refresh_from_db()
    assert theirs.delegation_organization == merged
    assert sorted(Booking.objects.filter(meeting=theirs).values_list("resource", flat=True)) == sorted(
        [f"org:{merged.pk}", f"org:{theirs.host_organization_id}", f"table:{senat.pk}:t1"]
    )
    assert Meeting.objects.count() == 2
