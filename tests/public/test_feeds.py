"""iCalendar feeds (RFC 5545), parsed back: exact instants, zones, all-day entries, stable UIDs."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from core.ical import calendar_bytes, vtimezone
from meetings.models import Meeting
from public.feeds import delegation_calendar
from tests.builders import built_quietly
from tests.factories import (
    DelegationFactory,
    DelegationMemberFactory,
    ItineraryItemFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    VenueFactory,
)

UTC = datetime.UTC
NOV_26 = datetime.date(2018, 11, 26)


def fetch(client, name: str, slug: str) -> Calendar:
    response = client.get(reverse(name, kwargs={"slug": slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def delegation_feed(client, delegation) -> Calendar:
    return fetch(client, "public:visit-calendar", delegation.slug)


def organization_feed(client, organization) -> Calendar:
    return fetch(client, "public:organization-calendar", organization.slug)


def events(calendar: Calendar) -> dict[str, object]:
    """Events by summary."""
    found = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert len(found) == len(calendar.walk("VEVENT")), "summaries are unique in these tests"
    return found


@pytest.fixture
def paris(db):
    return VenueFactory(
        name="Palais du Luxembourg", address="15 rue de Vaugirard, 75006", city="Paris", time_zone="Europe/Paris"
    )


@pytest.fixture
def shanghai(db):
    return VenueFactory(
        name="Expo Centre", address="1099 Guozhan Road", city="Shanghai", country="CN", time_zone="Asia/Shanghai"
    )


@pytest.fixture
def visit(db):
    return DelegationFactory(title="Irkutsk in Paris", slug="irkutsk-paris")


def test_feed_places_a_paris_item_at_its_instant(client, visit, paris):
    ItineraryItemFactory(
        delegation=visit, venue=paris, title="Senate", day=NOV_26, start_time=datetime.time(10), end_time=None
    )

    event = events(delegation_feed(client, visit))["Senate"]

    start = event["DTSTART"]
    assert start.params["TZID"] == "Europe/Paris"
    assert start.dt.replace(tzinfo=None) == datetime.datetime(2018, 11, 26, 10, 0)
    assert start.dt == datetime.datetime(2018, 11, 26, 9, 0, tzinfo=UTC)
    assert "DTEND" not in event


def test_feed_item_end_in_the_same_zone(client, visit, paris):
    ItineraryItemFactory(
        delegation=visit,
        venue=paris,
        title="Senate",
        day=NOV_26,
        start_time=datetime.time(10),
        end_time=datetime.time(11, 30),
    )

    event = events(delegation_feed(client, visit))["Senate"]

    assert event["DTEND"].params["TZID"] == "Europe/Paris"
    assert event["DTEND"].dt == datetime.datetime(2018, 11, 26, 10, 30, tzinfo=UTC)


def test_feed_places_a_summer_item_at_the_summer_offset(client, paris):
    summer = DelegationFactory(start_date=datetime.date(2019, 7, 1), end_date=datetime.date(2019, 7, 3))
    ItineraryItemFactory(
        delegation=summer, venue=paris, title="Summer", day=datetime.date(2019, 7, 2), start_time=datetime.time(10)
    )

    event = events(delegation_feed(client, summer))["Summer"]

    assert event["DTSTART"].dt == datetime.datetime(2019, 7, 2, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("server_zone", ["UTC", "America/New_York", "Asia/Tokyo"])
def test_feed_places_a_shanghai_meeting_at_its_instant(client, visit, shanghai, settings, server_zone):
    settings.TIME_ZONE = server_zone
    MeetingFactory(
        delegation=visit,
        venue=shanghai,
        date=datetime.date(2018, 11, 27),
        start_time=datetime.time(10),
        end_time=datetime.time(10, 45),
        delegation_organization=OrganizationFactory(name="Irkutsk Oil"),
        host_organization=OrganizationFactory(name="Shanghai Port"),
        table="A4",
    )

    event = events(delegation_feed(client, visit))["B2B meeting: Irkutsk Oil / Shanghai Port"]

    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event["DTSTART"].dt.replace(tzinfo=None) == datetime.datetime(2018, 11, 27, 10, 0)
    assert event["DTSTART"].dt == datetime.datetime(2018, 11, 27, 2, 0, tzinfo=UTC)
    assert event["DTEND"].dt == datetime.datetime(2018, 11, 27, 2, 45, tzinfo=UTC)
    assert str(event["LOCATION"]) == "Expo Centre, 1099 Guozhan Road, Shanghai, China, table A4"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_feed_date_only_item_is_an_all_day_event(client, visit, paris):
    ItineraryItemFactory(delegation=visit, venue=paris, title="Some day", day=NOV_26, start_time=None, end_time=None)

    event = events(delegation_feed(client, visit))["Some day"]

    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert event["DTSTART"].dt == NOV_26
    assert event["DTEND"].params["VALUE"] == "DATE"
    assert event["DTEND"].dt == datetime.date(2018, 11, 27)
    assert "Time not announced." in str(event["DESCRIPTION"])


def test_feed_date_only_meeting_is_an_all_day_event(client, visit, paris):
    MeetingFactory(
        delegation=visit,
        venue=paris,
        date=NOV_26,
        start_time=None,
        end_time=None,
        delegation_organization=OrganizationFactory(name="A"),
        host_organization=OrganizationFactory(name="B"),
    )

    event = events(delegation_feed(client, visit))["B2B meeting: A / B"]

    assert (event["DTSTART"].dt, event["DTEND"].dt) == (NOV_26, datetime.date(2018, 11, 27))
    assert event["DTSTART"].params["VALUE"] == "DATE"


def test_feed_location_is_the_venue_address(client, visit, paris):
    ItineraryItemFactory(delegation=visit, venue=paris, title="Senate")
    ItineraryItemFactory(delegation=visit, venue=None, city="Lyon", time_zone="Europe/Paris", title="Somewhere")

    found = events(delegation_feed(client, visit))

    assert str(found["Senate"]["LOCATION"]) == "Palais du Luxembourg, 15 rue de Vaugirard, 75006, Paris, France"
    assert str(found["Somewhere"]["LOCATION"]) == "Lyon"


def test_feed_has_a_vtimezone_for_each_zone_used(client, visit, paris, shanghai):
    ItineraryItemFactory(delegation=visit, venue=paris, title="Paris item")
    ItineraryItemFactory(delegation=visit, venue=paris, title="All day", start_time=None, end_time=None)
    MeetingFactory(delegation=visit, venue=shanghai, date=datetime.date(2018, 11, 27))

    calendar = delegation_feed(client, visit)

    used = {
        event[prop].params["TZID"]
        for event in calendar.walk("VEVENT")
        for prop in ("DTSTART", "DTEND")
        if prop in event and "TZID" in event[prop].params
    }
    defined = {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}
    assert used == {"Europe/Paris", "Asia/Shanghai"}
    assert defined == used


def test_feed_bytes_are_icalendar_own_serialization(client, visit, paris, shanghai):
    """The feed writes each zone's VTIMEZONE once per process, and must still write what icalendar writes."""
    ItineraryItemFactory(delegation=visit, venue=paris, title="Paris item", description="A; b, c\\d\n" + "long " * 40)
    ItineraryItemFactory(delegation=visit, venue=paris, title="All day", start_time=None, end_time=None)
    MeetingFactory(delegation=visit, venue=shanghai, date=datetime.date(2018, 11, 27))

    calendar = delegation_calendar(visit)

    assert any(component is vtimezone("Asia/Shanghai") for component in calendar.subcomponents)
    assert calendar_bytes(calendar) == calendar.to_ical()
    assert calendar_bytes(calendar) == calendar.to_ical()  # the zones' bytes kept from the first


def test_feed_uids_stable_across_fetches_and_unique(client, visit, paris):
    ItineraryItemFactory.create_batch(3, delegation=visit, venue=paris)
    MeetingFactory.create_batch(3, delegation=visit, venue=paris)

    first = [str(event["UID"]) for event in delegation_feed(client, visit).walk("VEVENT")]
    second = [str(event["UID"]) for event in delegation_feed(client, visit).walk("VEVENT")]

    assert len(first) == 6
    assert len(set(first)) == 6
    assert sorted(first) == sorted(second)


def test_feed_calendar_and_events_carry_required_properties(client, visit, paris):
    ItineraryItemFactory(delegation=visit, venue=paris)

    calendar = delegation_feed(client, visit)

    assert (str(calendar["VERSION"]), str(calendar["X-WR-CALNAME"])) == ("2.0", "Irkutsk in Paris")
    assert str(calendar["PRODID"])
    for event in calendar.walk("VEVENT"):
        assert event["DTSTAMP"].dt.tzinfo is not None
        assert str(event["URL"]).startswith("http://testserver/delegations/irkutsk-paris/")


@pytest.mark.parametrize(
    ("status", "listed"),
    [
        (Meeting.Status.REQUESTED, False),
        (Meeting.Status.CONFIRMED, True),
        (Meeting.Status.HELD, True),
        (Meeting.Status.CANCELLED, False),
        (Meeting.Status.NO_SHOW, False),
    ],
)
def test_feed_lists_confirmed_and_held_meetings_only(client, visit, paris, status, listed):
    meeting = MeetingFactory(delegation=visit, venue=paris, status=status)

    uids = {str(event["UID"]) for event in delegation_feed(client, visit).walk("VEVENT")}

    assert (f"meeting-{meeting.pk}@delegation-visits" in uids) is listed


def test_feed_names_private_delegates_by_the_organization_they_represent(client, visit, paris):
    dalkia = OrganizationFactory(name="Dalkia")
    hidden = PersonFactory(name="Hidden Person", is_public=False)
    PositionFactory(person=hidden, organization=OrganizationFactory(name="Former employer"))
    DelegationMemberFactory(delegation=visit, person=hidden, organization=dalkia)
    item = ItineraryItemFactory(delegation=visit, venue=paris, title="Talks")
    item.delegation_participants.add(hidden, PersonFactory(name="Public Governor"))

    description = str(events(delegation_feed(client, visit))["Talks"]["DESCRIPTION"])

    assert "Participants: Public Governor, a representative of Dalkia" in description
    assert "Hidden Person" not in description


def test_feed_of_a_draft_visit_is_404(client, db):
    draft = DelegationFactory(is_published=False)
    ItineraryItemFactory(delegation=draft)

    assert client.get(reverse("public:visit-calendar", kwargs={"slug": draft.slug})).status_code == 404


def test_feed_of_the_demo_has_every_item_and_held_meeting_as_all_day_events(client, demo):
    calendar = delegation_feed(client, demo)
    found = calendar.walk("VEVENT")

    assert len(found) == 17
    assert sum(str(event["UID"]).startswith("item-") for event in found) == 12
    assert sum(str(event["UID"]).startswith("meeting-") for event in found) == 5
    assert all(event["DTSTART"].params["VALUE"] == "DATE" for event in found)
    assert sorted({event["DTSTART"].dt for event in found}) == [
        datetime.date(2018, 11, day) for day in (26, 27, 28, 29)
    ]
    assert calendar.walk("VTIMEZONE") == []
    senate = next(event for event in found if str(event["SUMMARY"]).startswith("Investment discussion"))
    assert "15 rue de Vaugirard, 75006, Paris, France" in str(senate["LOCATION"])


# The organization feed


@pytest.fixture
def host(db):
    return OrganizationFactory(name="Centre Léon-Bérard", slug="centre-leon-berard")


def test_organization_feed_has_its_items_and_meetings_across_published_visits(client, host, paris):
    first = DelegationFactory(title="First visit")
    second = DelegationFactory(
        title="Second visit", start_date=datetime.date(2019, 5, 6), end_date=datetime.date(2019, 5, 8)
    )
    draft = DelegationFactory(title="Draft visit", is_published=False)
    ItineraryItemFactory(delegation=first, venue=paris, title="Hosted in 2018").hosts.add(host)
    ItineraryItemFactory(delegation=second, venue=paris, title="Hosted in 2019").hosts.add(host)
    ItineraryItemFactory(delegation=draft, venue=paris, title="Hosted in a draft").hosts.add(host)
    ItineraryItemFactory(delegation=first, venue=paris, title="Hosted by others").hosts.add(OrganizationFactory())
    other = OrganizationFactory(name="Other")
    for visit, hour, status in ((first, 10, "held"), (draft, 12, "held"), (first, 16, "cancelled")):
        MeetingFactory(
            delegation=visit,
            venue=paris,
            host_organization=host,
            delegation_organization=other,
            status=status,
            start_time=datetime.time(hour),
            end_time=datetime.time(hour, 30),
        )
    MeetingFactory(delegation=second, venue=paris, delegation_organization=host, host_organization=other)

    found = events(organization_feed(client, host))

    assert sorted(found) == [
        "B2B meeting: Centre Léon-Bérard / Other",
        "B2B meeting: Other / Centre Léon-Bérard",
        "Hosted in 2018",
        "Hosted in 2019",
    ]
    assert found["Hosted in 2019"]["DTSTART"].dt == datetime.datetime(2019, 5, 6, 8, 0, tzinfo=UTC)


def test_organization_feed_of_the_demo_centre(client, demo):
    calendar = fetch(client, "public:organization-calendar", "centre-leon-berard")

    assert [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")] == ["Visit to the Centre Léon-Bérard"]
    assert str(calendar["X-WR-CALNAME"]) == "Centre Léon-Bérard"


def test_organization_feed_of_the_demo_government_has_its_meetings(client, demo):
    calendar = fetch(client, "public:organization-calendar", "government-irkutsk-region")

    assert sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT")) == [
        f"B2B meeting: Government of the Irkutsk region / {name}"
        for name in ("ATF Implants", "Dedienne Santé", "Eastmed", "Luxilon", "Symbios")
    ]


def test_organization_feed_unknown_is_404(client, db):
    assert client.get(reverse("public:organization-calendar", kwargs={"slug": "nope"})).status_code == 404


# Query counts at two sizes


@built_quietly()
def build_feed(size: int, host):
    visit = DelegationFactory(slug="big")
    venue = VenueFactory()
    for rank in range(size):
        member = DelegationMemberFactory(delegation=visit, person=PersonFactory(is_public=rank % 2 == 0))
        PositionFactory(person=member.person)
        item = ItineraryItemFactory(delegation=visit, venue=venue)
        item.hosts.add(host, OrganizationFactory())
        item.delegation_participants.add(member.person)
        item.host_participants.add(PersonFactory(is_public=rank % 2 == 1))
        start = datetime.datetime(2018, 1, 1, 8) + datetime.timedelta(minutes=15 * rank)
        meeting = MeetingFactory(
            delegation=visit,
            venue=venue,
            host_organization=host,
            start_time=start.time(),
            end_time=(start + datetime.timedelta(minutes=15)).time(),
        )
        meeting.participants.create(person=member.person, side="delegation")
    return visit


@pytest.mark.parametrize("size", [3, 30])
def test_queries_delegation_feed(client, host, django_assert_num_queries, size):
    visit = build_feed(size, host)

    # With the page cache's lookup of the visit the address names (public.cache).
    with django_assert_num_queries(11):
        calendar = delegation_feed(client, visit)

    assert len(calendar.walk("VEVENT")) == 2 * size


@pytest.mark.parametrize("size", [3, 30])
def test_queries_organization_feed(client, host, django_assert_num_queries, size):
    build_feed(size, host)

    # With the page cache's lookups: the organization the address names, the visits it appears in.
    with django_assert_num_queries(12):
        calendar = organization_feed(client, host)

    assert len(calendar.walk("VEVENT")) == 2 * size
