from itertools import groupby, pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from contacts.models import Organization, Person, Position, Sector
from delegations.models import Agreement, AgreementParty, Delegation, DelegationMember, FollowUp, ItineraryItem, Venue
from meetings.models import Booking, Meeting, MeetingParticipant
from meetings.services import meeting_sync_bookings, meeting_validate
from sampledata.generator import LARGE_VISIT_SLUG, Sizes, checks_deferred_to_the_end, domain_tables
from tests import factories

# 5 visits, 100 organizations, 250 people, 150 items, 1,000 meetings, 25 agreements, 50 follow-ups.
TINY = 0.005


def generate(seed: int = 7, **options):
    call_command("generate_visits", scale=TINY, seed=seed, verbosity=0, **options)


def bookings():
    return set(Booking.objects.values_list("meeting_id", "resource", "starts_at", "ends_at"))


MEETING_COLUMNS = (
    "delegation__slug",
    "date",
    "start_time",
    "table",
    "delegation_organization__slug",
    "host_organization__slug",
    "status",
    "outcome_en",
)


def fingerprint():
    """The generated rows by their natural keys, without database ids."""
    return (
        list(Organization.objects.order_by("slug").values_list("slug", "name", "native_name", "kind", "city")),
        list(Person.objects.order_by("slug").values_list("slug", "native_name", "is_public")),
        list(Delegation.objects.order_by("slug").values_list("slug", "title_fr", "start_date", "is_published")),
        list(
            # Ordered by every column listed: untimed meetings of one day would otherwise tie.
            Meeting.objects.order_by(*MEETING_COLUMNS).values_list(*MEETING_COLUMNS)
        ),
        sorted((resource.split(":")[0], start) for _meeting, resource, start, _end in bookings()),
    )


@pytest.mark.django_db
def test_generate_visits_exact_counts():
    generate()

    assert Sizes.at(TINY) == Sizes(
        visits=5, organizations=100, people=250, itinerary_items=150, meetings=1000, agreements=25, follow_ups=50
    )
    assert Delegation.objects.count() == 5
    assert Organization.objects.count() == 100
    assert Person.objects.count() == 250
    assert ItineraryItem.objects.count() == 150
    assert Meeting.objects.count() == 1000
    assert Agreement.objects.count() == 25
    assert FollowUp.objects.count() == 50
    assert Sector.objects.count() == 16
    large = Delegation.objects.get(slug=LARGE_VISIT_SLUG)
    assert (large.itinerary_items.count(), large.meetings.count(), large.is_published) == (2, 10, True)


@pytest.mark.django_db
def test_generate_visits_rows_pass_validation():
    generate()

    samples = [
        *Organization.objects.order_by("pk")[:30],
        *Person.objects.order_by("pk")[:30],
        *Position.objects.order_by("pk")[:30],
        *Venue.objects.all(),
        *Delegation.objects.all(),
        *DelegationMember.objects.order_by("pk")[:30],
        *ItineraryItem.objects.select_related("delegation", "venue").order_by("pk")[:60],
        *Agreement.objects.select_related("signing_item"),
        *AgreementParty.objects.all(),
        *FollowUp.objects.select_related("itinerary_item", "agreement"),
        *Meeting.objects.select_related("delegation", "venue", "session").order_by("pk")[::10],
        *MeetingParticipant.objects.select_related("meeting", "person").order_by("pk")[::10],
    ]
    for row in samples:
        if isinstance(row, Meeting):
            meeting_validate(meeting=row)  # its own rules, and its slot free for its sides and table
        elif isinstance(row, MeetingParticipant):
            meeting_validate(meeting=row.meeting, participants=[row])
        else:
            row.full_clean()


@pytest.mark.django_db
def test_generate_visits_no_resource_booked_twice_at_once():
    generate()

    timed = Meeting.objects.exclude(status="cancelled").exclude(start_time=None)
    assert Booking.objects.values("meeting").distinct().count() == timed.count() > 400
    rows = Booking.objects.order_by("resource", "starts_at").values_list("resource", "starts_at", "ends_at")
    for _resource, held in groupby(rows, key=lambda row: row[0]):
        held = list(held)
        for (_r, _start, end), (_r2, next_start, _end2) in pairwise(held):
            assert end <= next_start


@pytest.mark.django_db
def test_generate_visits_bookings_as_the_app_writes_them():
    generate()
    before = bookings()

    for meeting in Meeting.objects.select_related("venue", "session__venue"):
        meeting_sync_bookings(meeting=meeting)

    assert bookings() == before


@pytest.mark.django_db
def test_generate_visits_saving_through_the_app_changes_nothing():
    """Folded search text, the original column of translated fields, places and instants are as save() makes them."""
    generate()
    models = (Organization, Person, Delegation, ItineraryItem, Meeting, Sector, Position, Agreement, FollowUp)
    samples = {model: list(model.objects.order_by("pk")[:40]) for model in models}
    before = {model: list(model.objects.order_by("pk").values()[:40]) for model in models}

    for rows in samples.values():
        for row in rows:
            row.save()

    for model in models:
        after = list(model.objects.order_by("pk").values()[:40])
        if model is Delegation:
            for row in (*before[model], *after):
                row.pop("updated_at")
        assert after == before[model], model


@pytest.mark.django_db
def test_generate_visits_mixes_scripts_time_zones_and_hostile_text():
    generate()

    native = Organization.objects.exclude(native_name="").values_list("native_name", flat=True)
    assert any("\u0400" <= char <= "\u04ff" for name in native for char in name)  # Cyrillic
    assert any("\u4e00" <= char <= "\u9fff" for name in native for char in name)  # Chinese
    assert any("\u0370" <= char <= "\u03ff" for name in native for char in name)  # Greek
    assert any("\u0600" <= char <= "\u06ff" for name in native for char in name)  # Arabic
    assert Meeting.objects.values("time_zone").distinct().count() >= 3
    assert Organization.objects.filter(name__contains='"').exists()
    assert (
        Meeting.objects.filter(outcome__contains="\n").exists()
        or Meeting.objects.filter(outcome__startswith="=").exists()
    )
    assert Person.objects.filter(is_public=False).exists() and Person.objects.filter(is_public=True).exists()
    assert 0 < Meeting.objects.filter(start_time=None).count() < 250  # tiny pools of organizations fill few slots


@pytest.mark.django_db
def test_generate_visits_same_seed_same_rows():
    generate(seed=11)
    first = fingerprint()

    generate(seed=11, flush=True)
    assert fingerprint() == first

    generate(seed=12, flush=True)
    assert fingerprint() != first


@pytest.mark.django_db
def test_generate_visits_refuses_a_database_with_data():
    factories.SectorFactory(name="Health", slug="health")

    with pytest.raises(CommandError, match=r"already holds .* Run with --flush"):
        generate()

    assert Sector.objects.get().slug == "health"
    assert not Delegation.objects.exists()


@pytest.mark.django_db
def test_generate_visits_flush_replaces_existing_data(demo):
    generate(flush=True)

    assert not Delegation.objects.filter(slug=demo.slug).exists()
    assert Delegation.objects.count() == 5


@pytest.mark.django_db
def test_generate_visits_dates_inside_visits():
    generate()

    for meeting in Meeting.objects.select_related("delegation"):
        assert meeting.delegation.start_date <= meeting.date <= meeting.delegation.end_date


def schema() -> list[tuple[str, str, str]]:
    """Every index and constraint of the domain tables, as PostgreSQL would recreate it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) "
            "UNION ALL SELECT indrelid::regclass::text, indexrelid::regclass::text, pg_get_indexdef(indexrelid) "
            "FROM pg_index WHERE indrelid = ANY(%s::regclass[]) ORDER BY 1, 2, 3",
            [domain_tables(), domain_tables()],
        )
        return cursor.fetchall()


@pytest.fixture
def on_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("The generator builds indexes and checks constraints after loading on PostgreSQL only.")


@pytest.mark.postgresql
def test_generate_visits_leaves_every_index_and_constraint_as_migrated(on_postgresql):
    before = schema()
    assert any("EXCLUDE USING gist" in definition for _table, _name, definition in before)

    generate()

    assert schema() == before
    booking = Booking.objects.first()
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        Booking.objects.create(
            meeting=booking.meeting, resource=booking.resource, starts_at=booking.starts_at, ends_at=booking.ends_at
        )


@pytest.mark.postgresql
@pytest.mark.parametrize(
    ("meeting_id", "constraint"),
    [(None, "booking_no_overlap"), (999_999, "meetings_booking_meeting_id")],
    ids=["overlapping booking", "booking of no meeting"],
)
def test_rows_loaded_without_checks_are_checked_all_at_the_end(on_postgresql, meeting_id, constraint):
    """A row loaded while the checks wait is refused when they come back, and nothing is left changed."""
    meeting = factories.MeetingFactory()
    booking = meeting.bookings.first()
    before = schema()

    with (
        pytest.raises(IntegrityError, match=constraint),
        transaction.atomic(),
        checks_deferred_to_the_end(domain_tables()),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO meetings_booking (meeting_id, resource, starts_at, ends_at) VALUES (%s, %s, %s, %s)",
            [meeting_id or meeting.pk, booking.resource, booking.starts_at, booking.ends_at],
        )

    assert schema() == before
    assert list(Booking.objects.all()) == list(meeting.bookings.all())
