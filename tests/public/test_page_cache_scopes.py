"""An edit empties the cached pages that show what it changed, and only those: the pages of other visits,
organizations and people stay in the cache (public.scopes)."""

import datetime

import pytest
from django.urls import reverse

from contacts.models import Sector
from public.scopes import ORGANIZATION, PERSON, VISIT, scopes_of, visits_of
from tests.factories import (
    DelegationFactory,
    DelegationMemberFactory,
    ItineraryItemFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db


def visit_page(visit) -> str:
    return reverse("public:visit-detail", kwargs={"slug": visit.slug})


def organization_page(organization) -> str:
    return reverse("public:organization-detail", kwargs={"slug": organization.slug})


def person_page(person) -> str:
    return reverse("public:person-detail", kwargs={"slug": person.slug})


def cached(client, url, django_assert_num_queries) -> str:
    """The page as served from the cache: it asks the database nothing."""
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def fresh(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def world():
    """Two published visits with a meeting each, between organizations of their own, and a public person
    who travels with the first."""
    first, second = DelegationFactory(title="First visit"), DelegationFactory(title="Second visit")
    person = PersonFactory(name="Anna Travelling", is_public=True)
    DelegationMemberFactory(delegation=first, person=person, title="Minister of trade")
    meetings = [
        MeetingFactory(delegation=visit, delegation_organization=OrganizationFactory(name=f"{visit.title} guest"))
        for visit in (first, second)
    ]
    return first, second, person, meetings


def test_an_edit_of_one_visit_leaves_another_visits_page_in_the_cache(client, world, django_assert_num_queries):
    first, second, _person, _meetings = world
    fresh(client, visit_page(first))
    fresh(client, visit_page(second))

    first.title_en = "First visit, renamed"
    first.save()

    assert "First visit, renamed" in fresh(client, visit_page(first))
    assert "Second visit" in cached(client, visit_page(second), django_assert_num_queries)


def test_a_new_item_changes_its_visits_page_only(client, world, django_assert_num_queries):
    first, second, _person, _meetings = world
    fresh(client, visit_page(first))
    fresh(client, visit_page(second))

    ItineraryItemFactory(delegation=second, title="Visit of a new plant")

    assert "Visit of a new plant" in fresh(client, visit_page(second))
    cached(client, visit_page(first), django_assert_num_queries)


def test_an_edit_of_a_visit_changes_the_pages_of_its_people_and_organizations(client, world, django_assert_num_queries):
    first, _second, person, meetings = world
    first_guest, second_guest = (meeting.delegation_organization for meeting in meetings)
    for url in (person_page(person), organization_page(first_guest), organization_page(second_guest)):
        fresh(client, url)

    first.title_en = "First visit, renamed"
    first.save()

    assert "First visit, renamed" in fresh(client, person_page(person))
    assert "First visit, renamed" in fresh(client, organization_page(first_guest))
    cached(client, organization_page(second_guest), django_assert_num_queries)


def test_a_renamed_organization_changes_every_page_that_names_it(client, world, django_assert_num_queries):
    first, second, _person, meetings = world
    guest = meetings[0].delegation_organization
    meeting_list = reverse("public:meeting-list")
    for url in (visit_page(first), visit_page(second), organization_page(guest), meeting_list):
        fresh(client, url)

    guest.name = "Guest company, renamed"
    guest.save()

    assert "Guest company, renamed" in fresh(client, organization_page(guest))
    assert "Guest company, renamed" in fresh(client, meeting_list)
    cached(client, visit_page(second), django_assert_num_queries)


def test_a_person_in_a_new_meeting_finds_it_on_their_page(client, world):
    _first, second, person, _meetings = world
    assert "Second visit" not in fresh(client, person_page(person))

    DelegationMemberFactory(delegation=second, person=person, title="Adviser")

    assert "Second visit" in fresh(client, person_page(person))


def test_a_new_position_shows_on_the_person_and_organization_pages(client, world):
    _first, _second, person, meetings = world
    employer = meetings[1].host_organization
    fresh(client, person_page(person))
    fresh(client, organization_page(employer))

    PositionFactory(person=person, organization=employer, title="Chief economist")

    assert "Chief economist" in fresh(client, person_page(person))
    assert "Anna Travelling" in fresh(client, organization_page(employer))


def test_a_slug_given_to_another_visit_shows_that_visit(client, world):
    first, _second, _person, _meetings = world
    old_slug = first.slug
    fresh(client, visit_page(first))
    first.slug = "first-visit-moved"
    first.save()

    newcomer = DelegationFactory(title="A newcomer visit", slug=old_slug)

    page = fresh(client, visit_page(newcomer))
    assert "A newcomer visit" in page
    assert "First visit" not in page


def test_scopes_of_a_meeting_name_its_visit_and_both_sides(world):
    first, _second, _person, meetings = world
    meeting = meetings[0]

    assert scopes_of(type(meeting), instance=meeting) == {
        (VISIT, first.pk),
        (ORGANIZATION, meeting.delegation_organization_id),
        (ORGANIZATION, meeting.host_organization_id),
    }


def test_scopes_of_a_sector_are_everything():
    sector = Sector.objects.create(slug="aerospace", name="Aerospace")

    assert scopes_of(Sector, instance=sector) is None


def test_visits_of_a_person_and_an_organization_include_drafts(world):
    first, _second, person, meetings = world
    draft = DelegationFactory(is_published=False)
    DelegationMemberFactory(delegation=draft, person=person)
    MeetingFactory(
        delegation=draft,
        host_organization=meetings[0].delegation_organization,
        start_time=datetime.time(16, 0),
        end_time=datetime.time(16, 30),
    )

    assert visits_of(PERSON, person.pk) == sorted([first.pk, draft.pk])
    assert visits_of(ORGANIZATION, meetings[0].delegation_organization_id) == sorted([first.pk, draft.pk])
