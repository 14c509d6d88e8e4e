"""Organizations' native-script names stand beside their Latin names wherever a visit's pages name them, as
people's do."""

import re

import pytest
from django.urls import reverse

from delegations.models import DelegationMember
from meetings.models import MeetingParticipant
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    DelegationFactory,
    DelegationMemberFactory,
    FollowUpFactory,
    ItineraryItemFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
)

NATIVE = {
    "Government of the Irkutsk region": "Правительство Иркутской области",
    "Irkutsk Chamber of Commerce": "Торгово-промышленная палата Иркутской области",
    "Baikal Water": "Байкальская вода",
    "Khentii Aimag": "Хэнтий аймаг",
}


def shown(name: str) -> str:
    """How an organization named on a visit's pages reads: its Latin name linked, its native name after it."""
    return f'">{name}</a> <span class="native">({NATIVE[name]})</span>'


@pytest.fixture
def visit(db):
    government, chamber, water, aimag = (
        OrganizationFactory(name=name, native_name=native) for name, native in NATIVE.items()
    )
    visit = DelegationFactory(leading_body=government, organiser=chamber)
    visit.supporting_organizations.add(aimag)
    item = ItineraryItemFactory(delegation=visit, title="Water forum")
    item.hosts.add(water)
    private = PersonFactory(name="Private Person", is_public=False)
    DelegationMemberFactory(delegation=visit, person=private, organization=chamber, role=DelegationMember.Role.STAFF)
    item.delegation_participants.add(private)
    agreement = AgreementFactory(delegation=visit, title="Water agreement", signing_item=item, signed_on=item.day)
    AgreementPartyFactory(agreement=agreement, organization=government, order=1)
    AgreementPartyFactory(agreement=agreement, organization=water, order=2)
    follow_up = FollowUpFactory(delegation=visit, title="Water plant")
    follow_up.organizations.add(aimag)
    meeting = MeetingFactory(delegation=visit, delegation_organization=chamber, host_organization=water)
    host = PersonFactory(name="Hidden Host", is_public=False)
    PositionFactory(person=host, organization=water)
    MeetingParticipantFactory(meeting=meeting, person=host, side=MeetingParticipant.Side.HOST)
    return visit


def page(client, name, visit, **query):
    if name == "meetings":
        return client.get(reverse("public:meeting-list"), {"delegation": visit.slug}).content.decode()
    return client.get(reverse(name, args=[visit.slug])).content.decode()


def test_itinerary_shows_native_names_of_leading_body_organiser_supporters_and_hosts(client, visit):
    html = page(client, "public:visit-detail", visit)

    facts = html[html.index('class="visit-facts"') : html.index('class="members"')]
    assert shown("Government of the Irkutsk region") in facts  # sent by
    assert shown("Irkutsk Chamber of Commerce") in facts  # organised by
    assert shown("Khentii Aimag") in facts  # with the support of
    item = html[html.index('id="item-') :]
    assert f'<dt>Hosted by</dt><dd><a href="/organizations/{visit.itinerary_items.get().hosts.get().slug}/">' in item
    assert shown("Baikal Water") in item


def test_private_members_stand_for_their_organization_in_both_scripts(client, visit):
    html = page(client, "public:visit-detail", visit)

    members = html[html.index('class="members"') : html.index('class="programme"')]
    assert (
        '<span class="member-name">A representative of Irkutsk Chamber of Commerce'
        ' <span class="native">(Торгово-промышленная палата Иркутской области)</span></span>'
    ) in members
    item = html[html.index('id="item-') :]
    assert (
        "<dt>From the delegation</dt><dd>a representative of Irkutsk Chamber of Commerce"
        ' <span class="native">(Торгово-промышленная палата Иркутской области)</span></dd>'
    ) in item


def test_outcomes_show_native_names_of_parties_and_follow_up_organizations(client, visit):
    html = page(client, "public:visit-outcomes", visit)

    agreements = html[html.index('class="outcomes__agreements"') : html.index('class="outcomes__follow-ups"')]
    assert re.findall(
        r'<li><a href="/organizations/[^"]+/">([^<]+)</a> <span class="native">\(([^)]+)\)</span>', agreements
    ) == [
        ("Government of the Irkutsk region", NATIVE["Government of the Irkutsk region"]),
        ("Baikal Water", NATIVE["Baikal Water"]),
    ]
    follow_ups = html[html.index('class="outcomes__follow-ups"') : html.index('class="outcomes__meetings"')]
    assert shown("Khentii Aimag") in follow_ups


def test_meeting_table_shows_native_names_of_both_sides(client, visit):
    html = page(client, "meetings", visit)

    assert shown("Irkutsk Chamber of Commerce") in html
    assert shown("Baikal Water") in html
    assert 'a representative of Baikal Water <span class="native">(Байкальская вода)</span>' in html


def test_organization_without_native_name_reads_its_latin_name_alone(client, db):
    organization = OrganizationFactory(name="Dalkia", native_name="")
    visit = DelegationFactory(organiser=organization)

    html = page(client, "public:visit-detail", visit)

    assert f'<a href="/organizations/{organization.slug}/">Dalkia</a></dd>' in html
    assert 'class="native"' not in html


def test_person_and_organization_native_names_read_alike(client, db):
    government = OrganizationFactory(
        name="Government of the Irkutsk region", native_name=NATIVE["Government of the Irkutsk region"]
    )
    head = PersonFactory(name="Igor Kobzev", native_name="Игорь Кобзев")
    visit = DelegationFactory(leading_body=government)
    DelegationMemberFactory(delegation=visit, person=head, role=DelegationMember.Role.HEAD, title="Governor")

    html = page(client, "public:visit-detail", visit)

    assert '">Igor Kobzev</a> <span class="native">(Игорь Кобзев)</span>' in html
    assert shown("Government of the Irkutsk region") in html
