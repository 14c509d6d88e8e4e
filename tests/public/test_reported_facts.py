"""What the sources report without detail, shown as reported: members known only by their office,
documents signed without names, meetings counted for the visit as a whole; and meeting figures that
add up to their total."""

import re

import pytest
from django.urls import reverse

from meetings.models import Meeting
from tests.factories import (
    DelegationFactory,
    DelegationMemberFactory,
    ItineraryItemFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(html: str, css_class: str) -> str:
    found = re.search(rf'<section class="{css_class}".*?</section>', html, flags=re.S)
    return text(found.group(0)) if found else ""


@pytest.fixture
def visit_with_an_office(db):
    committee = OrganizationFactory(name="Irkutsk Regional Executive Committee", slug="committee")
    visit = DelegationFactory(title="Irkutsk in Lyon", slug="irkutsk-lyon")
    DelegationMemberFactory(
        delegation=visit,
        person=None,
        role="head",
        title="Head of the Regional Executive Committee",
        organization=committee,
        order=1,
    )
    DelegationMemberFactory(
        delegation=visit,
        person=PersonFactory(name="Anna Petrova", slug="anna"),
        role="official",
        title="State Secretary of the Irkutsk region",
        order=2,
    )
    DelegationMemberFactory(
        delegation=visit, person=PersonFactory(name="Ivan Orlov", slug="ivan"), role="press", title="", order=3
    )
    DelegationMemberFactory(
        delegation=visit,
        person=PersonFactory(name="Hidden Person", is_public=False),
        role="minister",
        title="Minister of Economy",
        organization=committee,
        order=4,
    )
    return visit


def test_itinerary_names_the_office_never_a_person_and_the_title_stands_alone(client, visit_with_an_office):
    html = client.get(reverse("public:visit-detail", args=["irkutsk-lyon"])).content.decode()

    members = section(html, "members")
    assert members == (
        "Members of the delegation "
        "Head of the Regional Executive Committee, Irkutsk Regional Executive Committee Head of delegation "
        "Anna Petrova State Secretary of the Irkutsk region "
        "Ivan Orlov Press "
        "A representative of Irkutsk Regional Executive Committee Minister"
    )
    assert '<a href="/organizations/committee/">Irkutsk Regional Executive Committee</a>' in html
    facts = section(html, "visit-facts")
    assert "Head of delegation Head of the Regional Executive Committee, Irkutsk Regional Executive Committee" in facts
    assert "Hidden Person" not in html and "Minister of Economy" not in html
    assert "representative of Irkutsk Regional Executive Committee Head" not in html
    assert "Official" not in members


def test_itinerary_in_french_shows_the_french_title_of_the_office(client, visit_with_an_office):
    member = visit_with_an_office.members.get(person=None)
    member.title_fr = "Chef du comité exécutif régional"
    member.save()
    html = client.get(reverse("public:visit-detail", args=["irkutsk-lyon"]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Chef du comité exécutif régional, " in text(html)
    assert "Chef de délégation" in html


def test_outcomes_show_documents_reported_without_detail_without_parties(client, db):
    visit = DelegationFactory(
        slug="v",
        agreements_without_detail=3,
        agreements_without_detail_summary="several documents between companies of the two regions",
    )
    ItineraryItemFactory(
        delegation=visit,
        title="Signing ceremony",
        agreements_without_detail=None,
        agreements_without_detail_summary="agreements between universities",
    )
    ItineraryItemFactory(delegation=visit, title="Business forum", agreements_without_detail=1)

    agreements = section(
        client.get(reverse("public:visit-outcomes", args=["v"])).content.decode(), "outcomes__agreements"
    )

    assert agreements == (
        "Agreements "
        "Reported without detail Documents reported without detail: 3 — "
        "several documents between companies of the two regions "
        "Reported without detail Documents reported without detail, number not given — agreements between universities "
        "During Signing ceremony "
        "Reported without detail Documents reported without detail: 1 During Business forum"
    )
    assert "Parties" not in agreements and "No agreement recorded" not in agreements


def test_itinerary_item_shows_its_documents_reported_without_detail(client, db):
    visit = DelegationFactory(slug="v")
    ItineraryItemFactory(delegation=visit, agreements_without_detail=2, agreements_without_detail_summary="two MoUs")

    html = text(client.get(reverse("public:visit-detail", args=["v"])).content.decode())

    assert "Documents reported without detail 2 — two MoUs" in html


def figures(client, slug: str) -> str:
    return section(client.get(reverse("public:visit-outcomes", args=[slug])).content.decode(), "outcomes__meetings")


def test_two_held_meetings_read_as_two_not_four(client, db):
    visit = DelegationFactory(slug="v")
    MeetingFactory.create_batch(2, delegation=visit, status=Meeting.Status.HELD)

    assert figures(client, "v") == (
        "Meetings of the visit, by status "
        "Each meeting is counted once: under its status if recorded one by one, else as reported. "
        "Held 2 Total 2 "
        "Meetings recorded one by one, by sector Sector Recorded Of which held No sector given 2 2"
    )


def test_figures_add_up_with_every_status_and_the_reported_meetings(client, db):
    visit = DelegationFactory(slug="v", reported_meetings=15)
    ItineraryItemFactory(delegation=visit, title="B2B session", reported_meetings=12)
    for status, count in ((Meeting.Status.HELD, 3), (Meeting.Status.REQUESTED, 1), (Meeting.Status.CANCELLED, 2)):
        MeetingFactory.create_batch(count, delegation=visit, status=status)

    assert figures(client, "v") == (
        "Meetings of the visit, by status "
        "Each meeting is counted once: under its status if recorded one by one, else as reported. "
        "Awaiting confirmation 1 Held 3 Cancelled 2 Reported, not recorded one by one 15 Total 21 "
        "15 reported for the visit as a whole (those reported at its items included) 12 reported at B2B session "
        "Meetings recorded one by one, by sector Sector Recorded Of which held No sector given 6 3"
    )


def test_reported_meetings_of_items_beyond_the_visits_count_are_counted_once(client, db):
    visit = DelegationFactory(slug="v", reported_meetings=5)
    ItineraryItemFactory(delegation=visit, title="Forum", reported_meetings=4)
    ItineraryItemFactory(delegation=visit, title="Fair", reported_meetings=3)

    assert figures(client, "v") == (
        "Meetings of the visit, by status "
        "Each meeting is counted once: under its status if recorded one by one, else as reported. "
        "Reported, not recorded one by one 7 Total 7 "
        "5 reported for the visit as a whole 4 reported at Forum 3 reported at Fair"
    )


def test_visit_with_no_meeting_says_so(client, db):
    DelegationFactory(slug="v")

    assert figures(client, "v").endswith("No meeting recorded or reported.")
