"""People and host organizations typed new on the visit page: those known under another spelling are
offered first; choosing one keeps the typed spelling as theirs, ticking "new" creates the record."""

import html

import pytest

from contacts.models import Organization, Person
from delegations.models import DelegationMember, ItineraryItem
from tests.delegations.test_admin_visit_page import change_url, item_row, new_member_row, posted
from tests.factories import DelegationFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    return {
        "governor": PersonFactory(name="Sergueï Levtchenko", native_name="Сергей Левченко"),
        "government": OrganizationFactory(name="Government of the Irkutsk region"),
    }


def member_row(known, **fields) -> dict:
    return new_member_row(
        0, new_person_name="Sergej Lewtschenko", organization=known["government"].pk, title_en="Governor", **fields
    )


def test_new_person_known_under_another_spelling_is_offered_and_nothing_created(staff_client, known):
    visit = DelegationFactory()
    response = staff_client.post(change_url(visit), posted(staff_client, visit, **member_row(known)))

    assert response.status_code == 200
    assert (
        "Known already under another spelling, perhaps: Sergueï Levtchenko (Сергей Левченко). Choose the same one "
        "in the list beside (the spelling typed here is then kept as another name of theirs), or tick that it is "
        "a new one."
    ) in html.unescape(response.content.decode())
    assert Person.objects.count() == 1
    assert not DelegationMember.objects.filter(delegation=visit).exists()


def test_new_person_same_as_the_one_chosen_keeps_the_spelling(staff_client, known):
    visit = DelegationFactory()
    data = posted(staff_client, visit, **member_row(known, person=known["governor"].pk))
    response = staff_client.post(change_url(visit), data)

    assert response.status_code == 302, response.context["errors"]
    assert DelegationMember.objects.get(delegation=visit).person == known["governor"]
    known["governor"].refresh_from_db()
    assert known["governor"].other_names == "Sergej Lewtschenko"
    assert Person.objects.count() == 1


def test_new_person_ticked_new_is_created(staff_client, known):
    visit = DelegationFactory()
    data = posted(staff_client, visit, **member_row(known, new_person_confirmed="on"))
    response = staff_client.post(change_url(visit), data)

    assert response.status_code == 302, response.context["errors"]
    assert DelegationMember.objects.get(delegation=visit).person.name == "Sergej Lewtschenko"
    assert Person.objects.count() == 2


def host_row(**fields) -> dict:
    return item_row(
        0,
        day="2018-11-27",
        kind=ItineraryItem.Kind.OFFICIAL_MEETING,
        title_en="Meeting",
        city="Lyon",
        time_zone="Europe/Paris",
        new_hosts="ООО «Инситилаб»",
        **fields,
    )


def test_new_host_known_under_another_spelling_is_offered_then_created_when_ticked(staff_client):
    OrganizationFactory(name="Insitilab LLC")
    visit = DelegationFactory()
    organizations = Organization.objects.count()
    response = staff_client.post(change_url(visit), posted(staff_client, visit, **host_row()))

    assert response.status_code == 200
    assert "Known already under another spelling, perhaps: Insitilab LLC." in html.unescape(response.content.decode())
    assert Organization.objects.count() == organizations

    response = staff_client.post(change_url(visit), posted(staff_client, visit, **host_row(new_hosts_confirmed="on")))
    assert response.status_code == 302, response.context["errors"]
    assert Organization.objects.count() == organizations + 1
    assert [host.name for host in ItineraryItem.objects.get(delegation=visit).hosts.all()] == ["ООО «Инситилаб»"]
