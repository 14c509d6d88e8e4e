"""Every anonymous public page and feed is cached, keyed by its filters, and never shown out of date."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from meetings.models import Meeting, MeetingParticipant
from tests.factories import (
    DelegationFactory,
    ItineraryItemFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
)


@pytest.fixture
def world(db):
    visit = DelegationFactory(title="Visit to Lyon", slug="visit-to-lyon")
    host = OrganizationFactory(name="Host Company", slug="host-company")
    person = PersonFactory(name="Jeanne Publique", slug="jeanne-publique")
    PositionFactory(person=person, organization=host)
    item = ItineraryItemFactory(delegation=visit, title="Factory tour")
    item.hosts.add(host)
    item.host_participants.add(person)
    confirmed = MeetingFactory(delegation=visit, host_organization=host, status=Meeting.Status.CONFIRMED)
    held = MeetingFactory(
        delegation=visit,
        host_organization=host,
        status=Meeting.Status.HELD,
        start_time=datetime.time(16, 0),
        end_time=datetime.time(16, 30),
    )
    MeetingParticipantFactory(meeting=confirmed, person=person, side=MeetingParticipant.Side.HOST)
    return SimpleNamespace(visit=visit, host=host, person=person, confirmed=confirmed, held=held)


def home(world):
    return reverse("public:home")


def visits(world):
    return reverse("public:visit-list")


def meetings(world):
    return reverse("public:meeting-list")


def held_meetings(world):
    return reverse("public:meeting-list") + "?status=held"


def results(world):
    return reverse("public:results") + "?year=2018"


def directory(world):
    return reverse("public:organization-list")


def organization(world):
    return reverse("public:organization-detail", kwargs={"slug": world.host.slug})


def agenda(world):
    return reverse("public:organization-agenda", kwargs={"slug": world.host.slug})


def person(world):
    return reverse("public:person-detail", kwargs={"slug": world.person.slug})


def visit_feed(world):
    return reverse("public:visit-calendar", kwargs={"slug": world.visit.slug})


def organization_feed(world):
    return reverse("public:organization-calendar", kwargs={"slug": world.host.slug})


def page(client, url: str, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def without_token(html: str) -> str:
    """The page but its CSRF token, which every response masks differently."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def mark_meeting_held(world):
    world.confirmed.status = Meeting.Status.HELD
    world.confirmed.save()
    # Both of the visit's meetings held now: the organization's figure in the results' table.
    return '<td class="num">2</td>'


def rename_visit(world):
    world.visit.title_en = "Renamed visit"
    world.visit.save()
    return "Renamed visit"


def rename_host(world):
    world.host.name = "Renamed host"
    world.host.save()
    return "Renamed host"


@pytest.mark.parametrize(
    ("url", "edit"),
    [
        (home, rename_visit),
        (visits, rename_visit),
        (meetings, rename_host),
        (held_meetings, rename_host),
        (results, rename_host),
        (results, mark_meeting_held),
        (directory, rename_host),
        (organization, rename_host),
        (agenda, rename_host),
        (person, rename_host),
        (visit_feed, rename_visit),
        (organization_feed, rename_host),
    ],
)
def test_cached_public_page_changes_right_after_an_edit(client, world, django_assert_num_queries, url, edit):
    page(client, url(world))
    with django_assert_num_queries(0):
        cached = page(client, url(world))

    expected = edit(world)

    assert expected not in cached
    assert expected in page(client, url(world))


def test_cached_feed_keeps_its_content_type_and_file_name(client, world):
    first = client.get(visit_feed(world))
    second = client.get(visit_feed(world))

    assert second["Content-Type"] == first["Content-Type"] == "text/calendar; charset=utf-8"
    assert second["Content-Disposition"] == 'inline; filename="visit-to-lyon.ics"'
    assert second.content == first.content


def test_cached_meeting_list_keyed_by_its_filters(client, world, django_assert_num_queries):
    held = page(client, meetings(world) + "?status=held")
    confirmed = page(client, meetings(world) + "?status=confirmed")

    with django_assert_num_queries(0):
        assert without_token(page(client, meetings(world) + "?status=held")) == without_token(held)
        assert without_token(page(client, meetings(world) + "?status=confirmed")) == without_token(confirmed)
    assert f'id="meeting-{world.held.pk}"' in held and f'id="meeting-{world.confirmed.pk}"' not in held
    assert f'id="meeting-{world.confirmed.pk}"' in confirmed and f'id="meeting-{world.held.pk}"' not in confirmed


def test_cached_meeting_list_shares_an_entry_for_filters_in_another_order(client, world, django_assert_num_queries):
    page(client, meetings(world) + "?status=held&city=Paris")

    with django_assert_num_queries(0):
        html = page(client, meetings(world) + "?city=Paris&status=held")

    assert f'id="meeting-{world.held.pk}"' in html


def test_list_with_an_unknown_parameter_is_not_cached(client, world, django_assert_max_num_queries):
    page(client, meetings(world) + "?status=held&utm_source=newsletter")

    with django_assert_max_num_queries(100) as captured:
        page(client, meetings(world) + "?status=held&utm_source=newsletter")

    assert len(captured) > 0


def test_cached_public_pages_keep_english_and_french_apart(client, world):
    english = page(client, meetings(world), accept_language="en")
    french = page(client, meetings(world), accept_language="fr")

    assert '<html lang="en">' in page(client, meetings(world), accept_language="en")
    assert '<html lang="fr">' in page(client, meetings(world), accept_language="fr")
    assert '<html lang="en">' in english and '<html lang="fr">' in french


def test_staff_requests_neither_fill_nor_read_the_public_cache(client, world, superuser, django_assert_max_num_queries):
    staff = Client()
    staff.force_login(superuser)
    page(client, organization(world))

    staffs = page(staff, organization(world))
    with django_assert_max_num_queries(100) as captured:
        page(staff, organization(world))

    assert len(captured) > 0
    assert reverse("admin:index") in staffs
    assert reverse("admin:index") not in page(client, organization(world))


def test_cached_organization_page_and_feed_drop_a_person_made_private(client, world):
    assert "Jeanne Publique" in page(client, organization(world))
    assert "Jeanne Publique" in page(client, organization_feed(world))
    assert "Jeanne Publique" in page(client, person(world))

    world.person.is_public = False
    world.person.save()

    assert "Jeanne Publique" not in page(client, organization(world))
    assert "Jeanne Publique" not in page(client, organization_feed(world))
    assert client.get(person(world)).status_code == 404


def test_not_found_page_is_not_cached(client, world):
    url = reverse("public:organization-detail", kwargs={"slug": "later-company"})
    assert client.get(url).status_code == 404

    OrganizationFactory(name="Later Company", slug="later-company")

    assert "Later Company" in page(client, url)


def test_page_number_beyond_the_last_is_not_cached(client, world):
    assert client.get(meetings(world) + "?page=9").status_code == 404
    assert client.get(meetings(world) + "?page=9").status_code == 404
