"""Dates at the edges of the range (core.dates: 1 January 1900 to 31 December 2200), at the farthest
zones: every public page, feed and CSV, and every admin list and change page, shows them; the meeting
can be deleted. Beyond the range, forms, services and the database refuse them."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from core.dates import EARLIEST, LATEST
from delegations.models import Delegation
from delegations.services import share_link_create
from meetings.models import Meeting
from meetings.services import itinerary_item_update, meeting_schedule
from tests.factories import (
    AgreementFactory,
    DelegationFactory,
    FollowUpFactory,
    ItineraryItemFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    VenueFactory,
)
from tests.helpers import change_form_data

# (day, the venue's zone, the visit's home zone, local start and end): the far ends of the earth.
EDGES = [
    pytest.param((EARLIEST, "Pacific/Kiritimati", "Etc/GMT+12", (0, 0), (0, 30)), id="1900-kiritimati-home-minus-12"),
    pytest.param((EARLIEST, "Etc/GMT+12", "Pacific/Kiritimati", (0, 0), (0, 30)), id="1900-minus-12-home-kiritimati"),
    pytest.param((LATEST, "America/Los_Angeles", "Pacific/Kiritimati", (23, 0), (23, 59)), id="2200-los-angeles"),
    pytest.param((LATEST, "Pacific/Pago_Pago", "Pacific/Kiritimati", (23, 0), (23, 59)), id="2200-pago-pago"),
    pytest.param((LATEST, "Pacific/Kiritimati", "Etc/GMT+12", (23, 0), (23, 59)), id="2200-kiritimati"),
]


@pytest.fixture
def edge_visit(request, db):
    day, zone, home, start, end = request.param
    organization, host = OrganizationFactory(slug="edge-delegate"), OrganizationFactory(slug="edge-host")
    visit = DelegationFactory(slug="edge", start_date=day, end_date=day, home_time_zone=home)
    venue = VenueFactory(time_zone=zone)
    times = {"start_time": datetime.time(*start), "end_time": datetime.time(*end)}
    ItineraryItemFactory(delegation=visit, venue=venue, day=day, **times)
    item = ItineraryItemFactory(delegation=visit, venue=venue, day=day, start_time=None, end_time=None)
    item.hosts.add(host)
    meeting = MeetingFactory(
        delegation=visit,
        venue=venue,
        date=day,
        delegation_organization=organization,
        host_organization=host,
        status=Meeting.Status.CONFIRMED,
        **times,
    )
    AgreementFactory(delegation=visit, signed_on=day)
    FollowUpFactory(delegation=visit, due_date=day)
    person = PersonFactory(slug="edge-person")
    PositionFactory(person=person, organization=host, start_date=day, end_date=day)
    _link, token = share_link_create(
        delegation=visit,
        label="edge",
        expires_at=datetime.datetime.combine(LATEST, datetime.time(23, 0), tzinfo=datetime.UTC),
        created_by=None,
    )
    return visit, meeting, token


def public_addresses(token: str) -> list[str]:
    return [
        "/",
        "/delegations/",
        "/delegations/edge/",
        "/delegations/edge/outcomes/",
        "/delegations/edge/calendar.ics",
        "/organizations/",
        "/organizations/edge-host/",
        "/organizations/edge-host/meetings/",
        "/organizations/edge-host/calendar.ics",
        "/organizations/edge-delegate/calendar.ics",
        "/people/edge-person/",
        "/meetings/",
        "/meetings/?date_from=1900-01-01&date_to=2200-12-31",
        "/meetings/export.csv",
        "/sitemap.xml",
        f"/share/{token}/",
        f"/share/{token}/calendar.ics",
    ]


@pytest.mark.parametrize("edge_visit", EDGES, indirect=True)
def test_every_public_page_feed_and_csv_shows_a_visit_at_the_edge_of_the_range(client, edge_visit):
    _visit, meeting, token = edge_visit

    for address in public_addresses(token):
        response = client.get(address)

        assert response.status_code == 200, address
        if address.endswith(".ics"):
            calendar = Calendar.from_ical(response.content)
            starts = [event.decoded("dtstart") for event in calendar.walk("VEVENT")]
            assert starts, address
    feed = Calendar.from_ical(client.get("/delegations/edge/calendar.ics").content)
    meeting_start = next(
        event.decoded("dtstart") for event in feed.walk("VEVENT") if str(event["uid"]).startswith("meeting-")
    )
    assert meeting_start == meeting.starts_at


@pytest.mark.parametrize("edge_visit", EDGES, indirect=True)
def test_every_admin_list_and_change_page_shows_a_visit_at_the_edge_and_deletes_its_meeting(staff_client, edge_visit):
    visit, meeting, _token = edge_visit
    pages = {
        "delegation": visit,
        "itineraryitem": visit.itinerary_items.first(),
        "agreement": visit.agreements.get(),
        "followup": visit.follow_ups.get(),
        "sharelink": visit.share_links.get(),
    }
    for model, obj in pages.items():
        assert staff_client.get(reverse(f"admin:delegations_{model}_changelist")).status_code == 200, model
        assert staff_client.get(reverse(f"admin:delegations_{model}_change", args=[obj.pk])).status_code == 200
    assert staff_client.get(reverse("admin:contacts_position_changelist")).status_code == 200
    for address in (
        reverse("admin:meetings_meeting_changelist"),
        reverse("admin:meetings_meeting_changelist") + f"?delegation__id__exact={visit.pk}",
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        reverse("admin:meetings_meeting_history", args=[meeting.pk]),
    ):
        assert staff_client.get(address).status_code == 200, address

    response = staff_client.post(reverse("admin:meetings_meeting_delete", args=[meeting.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()


def test_meeting_in_year_9999_refused_by_the_admin_with_a_message(staff_client):
    """The finding: a visit dated 9999-12-31 with a meeting at 23:00 in Los Angeles was accepted."""
    meeting = MeetingFactory(venue=VenueFactory(time_zone="America/Los_Angeles"))
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = change_form_data(staff_client.get(url))
    data.update(date="9999-12-31", start_time="23:00", end_time="23:30")

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"][0] == (
        "Give a date between 1 January 1900 and 31 December 2200."
    )
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2018, 11, 26)


def test_visit_in_year_9999_refused_by_the_admin(staff_client):
    visit = DelegationFactory()
    url = reverse("admin:delegations_delegation_change", args=[visit.pk])
    data = change_form_data(staff_client.get(url))
    data.update(end_date="9999-12-31")

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "end_date" in response.context["adminform"].form.errors
    assert Delegation.objects.get().end_date == datetime.date(2018, 11, 29)


def test_meeting_service_refuses_a_date_beyond_the_range(db):
    visit = DelegationFactory(end_date=LATEST)
    meeting = MeetingFactory.build(
        delegation=visit,
        venue=VenueFactory(time_zone="America/Los_Angeles"),
        date=LATEST + datetime.timedelta(days=1),
        start_time=datetime.time(23, 0),
        end_time=datetime.time(23, 30),
        delegation_organization=OrganizationFactory(),
        host_organization=OrganizationFactory(),
    )

    with pytest.raises(Exception, match="Give a date between") as excinfo:
        meeting_schedule(meeting=meeting)

    assert excinfo.type.__name__ == "ValidationError"
    assert not Meeting.objects.exists()


def test_item_service_refuses_a_day_beyond_the_range(db):
    item = ItineraryItemFactory.build(
        delegation=DelegationFactory(),
        venue=VenueFactory(time_zone="Pacific/Kiritimati"),
        day=datetime.date(9999, 12, 31),
    )

    with pytest.raises(Exception, match="Give a date between"):
        itinerary_item_update(item=item)
