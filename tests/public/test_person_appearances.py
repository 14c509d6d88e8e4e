"""Host participants are named with the title they held that day, and a public person's page lists every published
appearance (member, participant on either side, meeting, signatory) with the title held then."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delegations.models import DelegationMember
from meetings.models import MeetingParticipant
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    DelegationFactory,
    DelegationMemberFactory,
    ItineraryItemFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
)

DAY_2021 = datetime.date(2021, 5, 17)
DAY_2022 = datetime.date(2022, 6, 8)


@pytest.fixture
def mayor(db):
    """Deputy mayor of Lyon until 2021, mayor since 2022, professor all along (dates unknown)."""
    person = PersonFactory(name="Anne Martin", native_name="", slug="anne-martin")
    lyon = OrganizationFactory(name="City of Lyon")
    university = OrganizationFactory(name="University of Lyon")
    PositionFactory(
        person=person,
        organization=lyon,
        title="Deputy Mayor",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 12, 31),
    )
    PositionFactory(person=person, organization=lyon, title="Mayor", start_date=datetime.date(2022, 1, 1))
    PositionFactory(person=person, organization=university, title="Professor")
    person.lyon, person.university = lyon, university
    return person


def visit_on(day, **kwargs):
    return DelegationFactory(start_date=day, end_date=day + datetime.timedelta(days=2), **kwargs)


def items_of(html: str) -> list[str]:
    """Each appearance line of a person page, tags stripped, spaces collapsed."""
    return [
        " ".join(re.sub(r"<[^>]+>", " ", li).split())
        for li in re.findall(r'<li class="appearance[^"]*">(.*?)</li>', html, re.S)
    ]


def test_host_participant_named_with_title_held_that_day_at_the_host(client, mayor):
    visit = visit_on(DAY_2021, title="Visit 2021")
    item = ItineraryItemFactory(delegation=visit, day=DAY_2021, title="Reception at the city hall")
    item.hosts.add(mayor.lyon)
    item.host_participants.add(mayor)

    html = client.get(reverse("public:visit-detail", args=[visit.slug])).content.decode()

    assert (
        '<dt>Host participants</dt><dd><a href="/people/anne-martin/">Anne Martin</a>, '
        '<span class="title">Deputy Mayor</span></dd>'
    ) in html


def test_host_title_prefers_the_items_host_then_any_position_held_then(client, mayor):
    visit = visit_on(DAY_2022, title="Visit 2022")
    at_city = ItineraryItemFactory(delegation=visit, day=DAY_2022, title="City")
    at_city.hosts.add(mayor.lyon)
    at_city.host_participants.add(mayor)
    at_university = ItineraryItemFactory(delegation=visit, day=DAY_2022, title="Campus", start_time=None, end_time=None)
    at_university.hosts.add(mayor.university)
    at_university.host_participants.add(mayor)
    elsewhere = ItineraryItemFactory(delegation=visit, day=DAY_2022, title="Elsewhere", start_time=None, end_time=None)
    elsewhere.hosts.add(OrganizationFactory())
    elsewhere.host_participants.add(mayor)

    html = client.get(reverse("public:visit-detail", args=[visit.slug])).content.decode()

    titles = re.findall(r'<dt>Host participants</dt><dd>.*?<span class="title">([^<]+)</span></dd>', html)
    # The latest started position held then wins where no host matches: Mayor (2022) over Professor (no date).
    assert titles == ["Mayor", "Professor", "Mayor"]


def test_host_participant_without_position_that_day_has_no_title(client, db):
    person = PersonFactory(name="Paul Roux")
    PositionFactory(person=person, title="Former Prefect", end_date=datetime.date(2000, 1, 1))
    visit = visit_on(DAY_2021)
    item = ItineraryItemFactory(delegation=visit, day=DAY_2021)
    item.host_participants.add(person)

    html = client.get(reverse("public:visit-detail", args=[visit.slug])).content.decode()

    assert f'<dt>Host participants</dt><dd><a href="/people/{person.slug}/">Paul Roux</a></dd>' in html
    assert "Former Prefect" not in html.split('id="programme-title"')[1]


def test_person_page_lists_every_published_appearance_with_title_then(client, mayor):
    early = visit_on(DAY_2021, title="Visit 2021")
    reception = ItineraryItemFactory(delegation=early, day=DAY_2021, title="Reception")
    reception.hosts.add(mayor.lyon)
    reception.host_participants.add(mayor)
    late = visit_on(DAY_2022, title="Visit 2022")
    DelegationMemberFactory(delegation=late, person=mayor, role=DelegationMember.Role.HEAD, title="Mayor of Lyon")
    tour = ItineraryItemFactory(delegation=late, day=DAY_2022 + datetime.timedelta(days=1), title="Tour")
    tour.delegation_participants.add(mayor)
    meeting = MeetingFactory(
        delegation=late,
        date=DAY_2022,
        delegation_organization=mayor.lyon,
        host_organization=OrganizationFactory(name="Siemens"),
    )
    MeetingParticipantFactory(meeting=meeting, person=mayor, side=MeetingParticipant.Side.DELEGATION)
    agreement = AgreementFactory(delegation=late, title="Twinning", signed_on=DAY_2022 + datetime.timedelta(days=2))
    AgreementPartyFactory(agreement=agreement, organization=mayor.lyon, signatory=mayor, signatory_title="")
    draft = visit_on(datetime.date(2023, 1, 10), title="Draft visit", is_published=False)
    DelegationMemberFactory(delegation=draft, person=mayor, title="Mayor")

    html = client.get(reverse("public:person-detail", args=[mayor.slug])).content.decode()

    assert re.findall(r'<h3><a href="/delegations/[^"]+/">([^<]+)</a>', html) == ["Visit 2022", "Visit 2021"]
    assert items_of(html) == [
        "Member of the delegation · Head of delegation — Mayor of Lyon",
        "8 June 2022 · In a meeting: City of Lyon / Siemens — Mayor of Lyon",
        "9 June 2022 · On the programme, with the delegation: Tour — Mayor of Lyon",
        "10 June 2022 · Signatory: Twinning — Mayor",
        "17 May 2021 · On the programme, as a host: Reception — Deputy Mayor",
    ]
    assert f'href="/meetings/?delegation={late.slug}#meeting-{meeting.pk}"' in html
    assert f'href="/delegations/{late.slug}/outcomes/#agreement-{agreement.pk}"' in html
    assert f'href="/delegations/{early.slug}/#item-{reception.pk}"' in html
    assert "Draft visit" not in html
    assert "None published." not in html


def test_private_person_has_no_page_and_drafts_never_count(client, mayor):
    hidden = PersonFactory(is_public=False)
    draft = visit_on(DAY_2021, is_published=False)
    DelegationMemberFactory(delegation=draft, person=mayor)

    assert client.get(reverse("public:person-detail", args=[hidden.slug])).status_code == 404
    html = client.get(reverse("public:person-detail", args=[mayor.slug])).content.decode()
    assert "None published." in html
    assert draft.title not in html


def appear_everywhere(person, visits: int) -> None:
    """`visits` published visits in which the person appears every way there is."""
    for n in range(visits):
        visit = visit_on(DAY_2021 + datetime.timedelta(days=10 * n))
        DelegationMemberFactory(delegation=visit, person=person)
        item = ItineraryItemFactory(delegation=visit, day=visit.start_date)
        item.delegation_participants.add(person)
        hosted = ItineraryItemFactory(delegation=visit, day=visit.start_date)
        hosted.hosts.add(person.lyon)
        hosted.host_participants.add(person)
        meeting = MeetingFactory(delegation=visit)
        MeetingParticipantFactory(meeting=meeting, person=person, side=MeetingParticipant.Side.HOST)
        AgreementPartyFactory(agreement=AgreementFactory(delegation=visit), signatory=person)


def queries_for_page(client, person) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("public:person-detail", args=[person.slug]))
    assert response.status_code == 200
    return len(queries)


def test_person_page_queries_do_not_grow_with_appearances(client, mayor):
    other = PersonFactory(slug="other")
    other.lyon = mayor.lyon
    PositionFactory(person=other, organization=mayor.lyon, title="Clerk")
    appear_everywhere(mayor, 1)
    appear_everywhere(other, 5)

    one, five = queries_for_page(client, mayor), queries_for_page(client, other)

    assert len(items_of(client.get(reverse("public:person-detail", args=[other.slug])).content.decode())) == 25
    assert one == five
