"""Times are the wall-clock time of the place; the server's own zone changes nothing."""

import datetime

import pytest

from meetings.models import Booking, Meeting
from meetings.services import itinerary_item_update, venue_update
from tests.factories import (
    DelegationFactory,
    ItineraryItemFactory,
    MeetingFactory,
    OrganizationFactory,
    VenueFactory,
)
from tests.helpers import change_form_data, opened_state

SERVER_ZONES = ["UTC", "America/New_York", "Asia/Tokyo"]


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


@pytest.fixture(params=SERVER_ZONES)
def server_zone(request, db, settings):
    settings.TIME_ZONE = request.param
    return request.param


@pytest.fixture
def shanghai(db):
    return VenueFactory(name="Expo Centre", city="Shanghai", country="CN", time_zone="Asia/Shanghai")


@pytest.fixture
def paris(db):
    return VenueFactory(name="Sénat", city="Paris", country="FR", time_zone="Europe/Paris")


def test_meeting_in_shanghai_stored_at_its_instant(server_zone, shanghai):
    meeting = MeetingFactory(
        venue=shanghai,
        date=datetime.date(2018, 11, 27),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(10, 30),
    )

    meeting.refresh_from_db()

    assert meeting.start_time == datetime.time(10, 0)
    assert meeting.starts_at == utc(2018, 11, 27, 2, 0)
    assert (meeting.city, meeting.time_zone) == ("Shanghai", "Asia/Shanghai")


def test_item_in_paris_in_november_stored_at_winter_offset(server_zone, paris):
    item = ItineraryItemFactory(
        venue=paris, day=datetime.date(2018, 11, 26), start_time=datetime.time(10, 0), end_time=datetime.time(11, 30)
    )

    item.refresh_from_db()

    assert (item.start_time, item.end_time) == (datetime.time(10, 0), datetime.time(11, 30))
    assert (item.starts_at, item.ends_at) == (utc(2018, 11, 26, 9, 0), utc(2018, 11, 26, 10, 30))


def test_item_in_paris_in_july_stored_at_summer_offset(server_zone, paris):
    summer_visit = DelegationFactory(start_date=datetime.date(2019, 7, 1), end_date=datetime.date(2019, 7, 3))
    item = ItineraryItemFactory(
        delegation=summer_visit, venue=paris, day=datetime.date(2019, 7, 2), start_time=datetime.time(10, 0)
    )

    item.refresh_from_db()

    assert item.start_time == datetime.time(10, 0)
    assert item.starts_at == utc(2019, 7, 2, 8, 0)


def test_item_date_only_has_no_instant(server_zone, paris):
    item = ItineraryItemFactory(venue=paris, start_time=None, end_time=None)

    item.refresh_from_db()

    assert (item.starts_at, item.ends_at) == (None, None)


def test_meeting_without_venue_given_zone_stored_at_its_instant(server_zone):
    meeting = MeetingFactory(
        venue=None,
        city="Irkutsk",
        time_zone="Asia/Irkutsk",
        date=datetime.date(2018, 11, 27),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(10, 30),
    )

    meeting.refresh_from_db()

    assert (meeting.starts_at, meeting.ends_at) == (utc(2018, 11, 27, 2, 0), utc(2018, 11, 27, 2, 30))


def test_meeting_in_session_takes_session_zone(server_zone, shanghai):
    session = ItineraryItemFactory(venue=shanghai, kind="b2b_session", day=datetime.date(2018, 11, 27))
    meeting = MeetingFactory(
        delegation=session.delegation,
        session=session,
        venue=None,
        date=datetime.date(2018, 11, 27),
        start_time=datetime.time(10, 0),
    )

    assert (meeting.city, meeting.time_zone) == ("Shanghai", "Asia/Shanghai")
    assert meeting.starts_at == utc(2018, 11, 27, 2, 0)


def meeting_form(delegation, venue, **values) -> dict[str, str]:
    return {
        "delegation": str(delegation.pk),
        "session": "",
        "status": Meeting.Status.CONFIRMED,
        "date": "2018-11-27",
        "start_time": "10:00",
        "end_time": "10:30",
        "venue": str(venue.pk),
        "table": "A1",
        "city": "",
        "time_zone": "",
        "delegation_organization": str(OrganizationFactory().pk),
        "host_organization": str(OrganizationFactory().pk),
        "sector": "",
        "outcome": "",
        "private_notes": "",
        "participants-TOTAL_FORMS": "0",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
        **values,
    }


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Tokyo"])
def test_meeting_admin_entered_and_shown_in_venue_time(staff_client, settings, shanghai, zone):
    settings.TIME_ZONE = zone
    delegation = DelegationFactory()

    response = staff_client.post("/admin/meetings/meeting/add/", meeting_form(delegation, shanghai))

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert (meeting.start_time, meeting.end_time) == (datetime.time(10, 0), datetime.time(10, 30))
    assert (meeting.starts_at, meeting.ends_at) == (utc(2018, 11, 27, 2, 0), utc(2018, 11, 27, 2, 30))
    assert (meeting.city, meeting.time_zone) == ("Shanghai", "Asia/Shanghai")

    page = staff_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/")

    assert 'name="start_time" value="10:00:00"' in page.text
    assert 'name="end_time" value="10:30:00"' in page.text

    listing = staff_client.get("/admin/meetings/meeting/")

    assert '27 November 2018<br>10:00–10:30 <span class="quiet">Asia/Shanghai</span>' in listing.text


def test_venue_zone_change_moves_item_and_meeting_instants(server_zone, paris):
    item = ItineraryItemFactory(venue=paris, day=datetime.date(2018, 11, 27), start_time=datetime.time(10, 0))
    meeting = MeetingFactory(
        venue=paris, date=datetime.date(2018, 11, 27), start_time=datetime.time(14, 0), end_time=datetime.time(14, 30)
    )
    assert (item.starts_at, meeting.starts_at) == (utc(2018, 11, 27, 9, 0), utc(2018, 11, 27, 13, 0))

    paris.city, paris.country, paris.time_zone = "Shanghai", "CN", "Asia/Shanghai"
    venue_update(venue=paris)
    item.refresh_from_db()
    meeting.refresh_from_db()

    assert (item.city, item.time_zone, item.start_time) == ("Shanghai", "Asia/Shanghai", datetime.time(10, 0))
    assert item.starts_at == utc(2018, 11, 27, 2, 0)
    assert (meeting.city, meeting.time_zone, meeting.start_time) == ("Shanghai", "Asia/Shanghai", datetime.time(14, 0))
    assert meeting.starts_at == utc(2018, 11, 27, 6, 0)


def test_venue_zone_change_through_admin_moves_instants(staff_client, paris):
    item = ItineraryItemFactory(venue=paris, day=datetime.date(2018, 11, 27), start_time=datetime.time(10, 0))
    meeting = MeetingFactory(venue=paris, date=datetime.date(2018, 11, 27), start_time=datetime.time(14, 0))

    url = f"/admin/delegations/venue/{paris.pk}/change/"
    response = staff_client.post(
        url,
        {
            **opened_state(staff_client, url),
            "name": paris.name,
            "address": paris.address,
            "city": paris.city,
            "country": "FR",
            "time_zone": "Europe/London",
            "organization": "",
        },
    )
    item.refresh_from_db()
    meeting.refresh_from_db()

    assert response.status_code == 302
    assert (item.time_zone, item.starts_at) == ("Europe/London", utc(2018, 11, 27, 10, 0))
    assert (meeting.time_zone, meeting.starts_at) == ("Europe/London", utc(2018, 11, 27, 14, 0))


@pytest.fixture
def session_meeting(paris):
    session = ItineraryItemFactory(venue=paris, kind="b2b_session", day=datetime.date(2018, 11, 27))
    return MeetingFactory(
        delegation=session.delegation,
        session=session,
        venue=None,
        date=datetime.date(2018, 11, 27),
        start_time=datetime.time(14, 0),
    )


def test_venue_zone_change_moves_meetings_of_its_sessions(server_zone, paris, session_meeting):
    paris.time_zone = "Europe/London"
    venue_update(venue=paris)
    session_meeting.refresh_from_db()

    assert (session_meeting.time_zone, session_meeting.starts_at) == ("Europe/London", utc(2018, 11, 27, 14, 0))


def test_session_moved_to_another_zone_moves_its_meetings(server_zone, session_meeting, shanghai):
    session = session_meeting.session
    session.venue = shanghai
    itinerary_item_update(item=session)
    session_meeting.refresh_from_db()

    assert (session_meeting.city, session_meeting.time_zone) == ("Shanghai", "Asia/Shanghai")
    assert session_meeting.starts_at == utc(2018, 11, 27, 6, 0)


def test_session_moved_to_another_zone_rebooks_its_meetings(server_zone, session_meeting, shanghai):
    session = session_meeting.session
    session.venue = shanghai
    itinerary_item_update(item=session)

    assert set(Booking.objects.values_list("meeting", "starts_at", "ends_at")) == {
        (session_meeting.pk, utc(2018, 11, 27, 6, 0), utc(2018, 11, 27, 6, 30))
    }


def test_venue_zone_change_rebooks_its_meetings_and_those_of_its_sessions(server_zone, paris, session_meeting):
    at_venue = MeetingFactory(
        venue=paris, date=datetime.date(2018, 11, 27), start_time=datetime.time(9, 0), end_time=datetime.time(9, 30)
    )
    elsewhere = MeetingFactory(
        date=datetime.date(2018, 11, 27), start_time=datetime.time(9, 0), end_time=datetime.time(9, 30)
    )
    before = set(Booking.objects.filter(meeting=elsewhere).values_list("pk", "resource", "starts_at"))

    paris.time_zone = "Europe/London"
    moved = venue_update(venue=paris)

    assert {meeting.pk for meeting in moved} == {at_venue.pk, session_meeting.pk}
    assert set(Booking.objects.exclude(meeting=elsewhere).values_list("meeting", "starts_at", "ends_at")) == {
        (at_venue.pk, utc(2018, 11, 27, 9, 0), utc(2018, 11, 27, 9, 30)),
        (session_meeting.pk, utc(2018, 11, 27, 14, 0), utc(2018, 11, 27, 14, 30)),
    }
    assert Booking.objects.filter(meeting=at_venue).count() == 3  # both sides and the table
    assert set(Booking.objects.filter(meeting=elsewhere).values_list("pk", "resource", "starts_at")) == before


def test_venue_zone_change_onto_a_taken_slot_refused_with_message(staff_client, paris):
    """London 10:00 is Paris 11:00; moving the London venue to Paris time puts its meeting on Dalkia's 10:00."""
    london = VenueFactory(name="Lancaster House", city="London", country="GB", time_zone="Europe/London")
    dalkia = OrganizationFactory(name="Dalkia")
    day = datetime.date(2018, 11, 27)
    in_paris = MeetingFactory(
        venue=paris,
        date=day,
        start_time=datetime.time(10, 0),
        end_time=datetime.time(10, 30),
        delegation_organization=dalkia,
    )
    in_london = MeetingFactory(
        delegation=in_paris.delegation,
        venue=london,
        date=day,
        start_time=datetime.time(10, 0),
        end_time=datetime.time(10, 30),
        delegation_organization=dalkia,
    )
    url = f"/admin/delegations/venue/{london.pk}/change/"
    form = {"name": london.name, "address": "", "city": "London", "country": "GB", "organization": ""}

    response = staff_client.post(url, {**opened_state(staff_client, url), **form, "time_zone": "Europe/Paris"})

    london.refresh_from_db()
    in_london.refresh_from_db()
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        f"Nothing was saved: Dalkia is already in “{in_paris}” at that time."
    ]
    assert response.context["adminform"].form["time_zone"].value() == "Europe/Paris"
    assert (london.time_zone, in_london.starts_at) == ("Europe/London", utc(2018, 11, 27, 10, 0))


def session_moved_in_admin(client, session, venue, page_url: str, prefix: str = "") -> None:
    """Post the change page back with the session's venue changed (inline under `prefix` when given)."""
    page = client.get(page_url)
    data = change_form_data(page)
    if prefix:
        forms = next(
            inline.formset for inline in page.context["inline_admin_formsets"] if inline.formset.prefix == prefix
        )
        index = next(index for index, form in enumerate(forms.forms) if form.instance.pk == session.pk)
        data[f"{prefix}-{index}-venue"] = str(venue.pk)
    else:
        data["venue"] = str(venue.pk)
    response = client.post(page_url, data)
    assert response.status_code == 302, response.context and response.context["errors"]


def test_session_moved_in_its_admin_page_moves_and_rebooks_its_meetings(staff_client, session_meeting, shanghai):
    session = session_meeting.session

    session_moved_in_admin(staff_client, session, shanghai, f"/admin/delegations/itineraryitem/{session.pk}/change/")

    session_meeting.refresh_from_db()
    assert (session_meeting.time_zone, session_meeting.starts_at) == ("Asia/Shanghai", utc(2018, 11, 27, 6, 0))
    assert set(Booking.objects.values_list("starts_at", flat=True)) == {utc(2018, 11, 27, 6, 0)}


def test_session_moved_in_the_visits_itinerary_inline_moves_and_rebooks_its_meetings(
    staff_client, session_meeting, shanghai
):
    session = session_meeting.session
    visit_url = f"/admin/delegations/delegation/{session.delegation_id}/change/"

    session_moved_in_admin(staff_client, session, shanghai, visit_url, prefix="itinerary_items")

    session_meeting.refresh_from_db()
    assert (session_meeting.time_zone, session_meeting.starts_at) == ("Asia/Shanghai", utc(2018, 11, 27, 6, 0))
    assert set(Booking.objects.values_list("starts_at", flat=True)) == {utc(2018, 11, 27, 6, 0)}
