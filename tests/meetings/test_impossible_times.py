"""Local times that do not exist or exist twice, unknown zones: a clear form error or an explicit choice,
never a server error. Both daylight-saving transitions, in several zones and both hemispheres."""

import datetime

import pytest
from django.urls import reverse
from django.utils.formats import date_format
from pytest_django.asserts import assertContains

from core.dates import check_wall_clock, gap_around, wall_clock_instant
from delegations.models import ItineraryItem
from meetings.models import Booking, Meeting
from meetings.services import itinerary_item_update
from tests.factories import (
    DelegationFactory,
    ItineraryItemFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    VenueFactory,
)
from tests.helpers import change_form_data

# (zone, day the clocks go forward, a time that does not exist then, the jump, that time's next day)
SPRING_GAPS = [
    pytest.param("Europe/Paris", datetime.date(2026, 3, 29), datetime.time(2, 30), ("02:00", "03:00"), id="paris"),
    pytest.param(
        "America/New_York", datetime.date(2026, 3, 8), datetime.time(2, 15), ("02:00", "03:00"), id="new-york"
    ),
    pytest.param("Australia/Sydney", datetime.date(2026, 10, 4), datetime.time(2, 45), ("02:00", "03:00"), id="sydney"),
    pytest.param(
        "Australia/Lord_Howe", datetime.date(2026, 10, 4), datetime.time(2, 10), ("02:00", "02:30"), id="lord-howe"
    ),
]

# (zone, day the clocks go back, a time shown twice then, its first and second offsets)
AUTUMN_OVERLAPS = [
    pytest.param("Europe/Paris", datetime.date(2026, 10, 25), datetime.time(2, 30), ("UTC+2", "UTC+1"), id="paris"),
    pytest.param(
        "America/New_York", datetime.date(2026, 11, 1), datetime.time(1, 30), ("UTC−4", "UTC−5"), id="new-york"
    ),
    pytest.param(
        "Australia/Sydney", datetime.date(2026, 4, 5), datetime.time(2, 30), ("UTC+11", "UTC+10"), id="sydney"
    ),
    pytest.param(
        "Australia/Lord_Howe", datetime.date(2026, 4, 5), datetime.time(1, 45), ("UTC+11", "UTC+10:30"), id="lord-howe"
    ),
]


def visit_on(day: datetime.date):
    return DelegationFactory(start_date=day, end_date=day)


def meeting_form(client, meeting: Meeting) -> tuple[str, dict]:
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    return url, change_form_data(client.get(url))


@pytest.mark.parametrize(("zone", "day", "time", "jump"), SPRING_GAPS)
def test_gap_found_with_the_jump_of_the_clocks(zone, day, time, jump):
    import zoneinfo

    start, end = gap_around(day, time, zoneinfo.ZoneInfo(zone))

    assert (f"{start:%H:%M}", f"{end:%H:%M}") == jump
    assert wall_clock_instant(day, time, zone) is None


@pytest.mark.parametrize(("zone", "day", "time", "jump"), SPRING_GAPS)
def test_meeting_in_a_spring_gap_refused_by_the_admin_naming_the_gap(staff_client, zone, day, time, jump):
    venue = VenueFactory(time_zone=zone)
    meeting = MeetingFactory(delegation=visit_on(day), venue=venue, date=day, start_time=datetime.time(9, 0))
    url, data = meeting_form(staff_client, meeting)
    end = (datetime.datetime.combine(day, time) + datetime.timedelta(minutes=45)).time()
    data.update(start_time=f"{time:%H:%M}", end_time=f"{end:%H:%M}")

    response = staff_client.post(url, data)

    assert response.status_code == 200
    day_text = date_format(day, "DATE_FORMAT")
    assertContains(
        response,
        f"{time:%H:%M} does not exist on {day_text} in {zone}: clocks go forward from {jump[0]} to {jump[1]}.",
    )
    meeting.refresh_from_db()
    assert meeting.start_time == datetime.time(9, 0)


def test_paris_gap_message_in_french():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("fr"), pytest.raises(ValidationError) as excinfo:
        check_wall_clock(datetime.date(2026, 3, 29), datetime.time(2, 30), "Europe/Paris", "start_time")

    assert excinfo.value.message_dict == {
        "start_time": [
            "02:30 n’existe pas le 29 mars 2026 dans le fuseau Europe/Paris\u202f: "
            "les horloges passent de 02:00 à 03:00."
        ]
    }


@pytest.mark.parametrize(("zone", "day", "time", "jump"), SPRING_GAPS)
def test_item_in_a_spring_gap_refused_by_the_service(db, zone, day, time, jump):
    item = ItineraryItemFactory.build(
        delegation=visit_on(day), venue=VenueFactory(time_zone=zone), day=day, start_time=time, end_time=None
    )

    with pytest.raises(Exception, match="does not exist") as excinfo:
        itinerary_item_update(item=item)

    assert excinfo.type.__name__ == "ValidationError"
    assert not ItineraryItem.objects.exists()


def test_item_in_the_paris_gap_refused_by_the_admin(staff_client):
    day = datetime.date(2026, 3, 29)
    item = ItineraryItemFactory(delegation=visit_on(day), venue=VenueFactory(), day=day)
    url = reverse("admin:delegations_itineraryitem_change", args=[item.pk])
    data = change_form_data(staff_client.get(url))
    data.update(start_time="02:30", end_time="03:15")

    response = staff_client.post(url, data)

    assertContains(response, "02:30 does not exist on 29 March 2026 in Europe/Paris")
    item.refresh_from_db()
    assert item.start_time == datetime.time(10, 0)


@pytest.mark.parametrize(("zone", "day", "time", "offsets"), AUTUMN_OVERLAPS)
@pytest.mark.parametrize("fold", [False, True])
def test_meeting_in_the_repeated_hour_takes_the_chosen_occurrence(staff_client, zone, day, time, offsets, fold):
    meeting = MeetingFactory(
        delegation=visit_on(day), venue=VenueFactory(time_zone=zone), date=day, start_time=datetime.time(9, 0)
    )
    url, data = meeting_form(staff_client, meeting)
    end = (datetime.datetime.combine(day, time) + datetime.timedelta(minutes=10)).time()
    data.update(start_time=f"{time:%H:%M}", end_time=f"{end:%H:%M}")
    if fold:
        data.update(start_fold="on", end_fold="on")

    response = staff_client.post(url, data)

    assert response.status_code == 302
    meeting.refresh_from_db()
    expected = wall_clock_instant(day, time, zone, fold)
    assert (meeting.start_time, meeting.start_fold, meeting.starts_at) == (time, fold, expected)
    assert {(booking.starts_at, booking.ends_at) for booking in meeting.bookings.all()} == {
        (expected, expected + datetime.timedelta(minutes=10))
    }
    changelist = staff_client.get(reverse("admin:meetings_meeting_changelist"))
    assertContains(changelist, f"{zone} ({offsets[int(fold)]})")
    change_page = staff_client.get(url)
    assert change_page.context["adminform"].form.fields["start_fold"].widget.input_type == "checkbox"


def test_meeting_choice_of_occurrence_hidden_for_an_ordinary_time(staff_client):
    meeting = MeetingFactory(start_time=datetime.time(10, 0), end_time=datetime.time(10, 30))

    response = staff_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))

    assert response.context["adminform"].form.fields["start_fold"].widget.input_type == "hidden"


def test_meeting_from_the_second_0215_to_0245_ends_before_it_starts_in_utc(staff_client):
    """02:15 (second, 01:15 UTC) to 02:45 (first, 00:45 UTC): the wall clocks are in order, the instants not."""
    day = datetime.date(2026, 10, 25)
    meeting = MeetingFactory(delegation=visit_on(day), venue=VenueFactory(), date=day, start_time=datetime.time(9, 0))
    url, data = meeting_form(staff_client, meeting)
    data.update(start_time="02:15", start_fold="on", end_time="02:45")

    response = staff_client.post(url, data)

    assertContains(response, "The meeting must end after it starts.")
    meeting.refresh_from_db()
    assert meeting.start_time == datetime.time(9, 0)


def test_meeting_from_the_first_0245_to_the_second_0215_is_half_an_hour(staff_client):
    """02:45 (first, 00:45 UTC) to 02:15 (second, 01:15 UTC): the wall clocks are out of order, the instants
    not; the form and the database's constraint compare the instants."""
    day = datetime.date(2026, 10, 25)
    meeting = MeetingFactory(delegation=visit_on(day), venue=VenueFactory(), date=day, start_time=datetime.time(9, 0))
    url, data = meeting_form(staff_client, meeting)
    data.update(start_time="02:45", end_time="02:15", end_fold="on")

    response = staff_client.post(url, data)

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.start_time, meeting.end_time, meeting.ends_at - meeting.starts_at) == (
        datetime.time(2, 45),
        datetime.time(2, 15),
        datetime.timedelta(minutes=30),
    )


def test_item_from_the_first_0245_to_the_second_0215_is_accepted_by_the_database(db):
    day = datetime.date(2026, 10, 25)
    item = ItineraryItemFactory(
        delegation=visit_on(day),
        day=day,
        venue=None,
        city="Paris",
        time_zone="Europe/Paris",
        start_time=datetime.time(2, 45),
        end_time=datetime.time(2, 15),
        end_fold=True,
    )

    item.refresh_from_db()
    assert item.ends_at - item.starts_at == datetime.timedelta(minutes=30)


def test_booking_overlap_compares_instants_across_the_repeated_hour(db):
    """The first 02:30-02:50 and the second 02:30-02:50 of one night are an hour apart: no conflict."""
    day = datetime.date(2026, 10, 25)
    visit, venue, delegate = visit_on(day), VenueFactory(), OrganizationFactory()
    first = MeetingFactory(
        delegation=visit,
        venue=venue,
        date=day,
        start_time=datetime.time(2, 30),
        end_time=datetime.time(2, 50),
        delegation_organization=delegate,
    )
    second = MeetingFactory(
        delegation=visit,
        venue=venue,
        date=day,
        start_time=datetime.time(2, 30),
        end_time=datetime.time(2, 50),
        start_fold=True,
        end_fold=True,
        delegation_organization=delegate,
    )

    assert second.starts_at - first.starts_at == datetime.timedelta(hours=1)
    assert Booking.objects.filter(resource=f"org:{delegate.pk}").count() == 2


UNKNOWN_ZONES = ["Mars/Base", "../../etc/passwd", "/etc/passwd", "", "Europe/" + "x" * 5000, "Europe/Paris\x00"]


@pytest.mark.parametrize("zone", UNKNOWN_ZONES)
def test_meeting_admin_unknown_zone_is_a_field_error(staff_client, zone):
    meeting = MeetingFactory(venue=None, city="Paris", time_zone="Europe/Paris")
    url, data = meeting_form(staff_client, meeting)
    data.update(
        time_zone=zone,
        **{"participants-TOTAL_FORMS": "1", "participants-0-person": str(PersonFactory().pk)},
        **{"participants-0-side": "host"},
    )

    for address in (url, reverse("admin:meetings_meeting_add")):
        response = staff_client.post(address, data)

        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert list(errors) == ["time_zone"], errors
    meeting.refresh_from_db()
    assert meeting.time_zone == "Europe/Paris"


@pytest.mark.parametrize(
    ("admin_name", "field"),
    [
        ("delegations_venue", "time_zone"),
        ("delegations_itineraryitem", "time_zone"),
        ("delegations_delegation", "home_time_zone"),
    ],
)
@pytest.mark.parametrize("zone", ["Mars/Base", "../../etc/passwd"])
def test_every_zone_field_answers_an_unknown_zone_with_a_field_error(staff_client, admin_name, field, zone):
    item = ItineraryItemFactory()
    obj = {"delegations_venue": item.venue, "delegations_itineraryitem": item}.get(admin_name, item.delegation)
    url = reverse(f"admin:{admin_name}_change", args=[obj.pk])
    data = change_form_data(staff_client.get(url))
    data[field] = zone

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
