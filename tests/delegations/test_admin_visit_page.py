"""The visit's change page as a working day: its breadcrumb, and people, venues, host organizations and
follow-ups entered from its rows, created through services, or refused with a form error and nothing
created."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from contacts.models import Organization, Person, Position
from delegations.models import DelegationMember, FollowUp, ItineraryItem, Venue
from tests.factories import (
    DelegationFactory,
    ItineraryItemFactory,
    OrganizationFactory,
    PersonFactory,
    VenueFactory,
)
from tests.helpers import change_form_data, opened_item_detail

pytestmark = pytest.mark.django_db


def change_url(visit) -> str:
    return reverse("admin:delegations_delegation_change", args=[visit.pk])


def breadcrumb(page: str) -> str:
    crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', page, re.S).group(1)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", crumbs)).split())


def test_visit_page_breadcrumb_names_the_app_and_the_model_apart(staff_client):
    visit = DelegationFactory(title="Irkutsk to France")
    response = staff_client.get(change_url(visit))
    assert breadcrumb(response.content.decode()) == "Home › Visits and outcomes › Delegation visits › Irkutsk to France"


def test_visit_page_breadcrumb_in_french(staff_client):
    visit = DelegationFactory(title="Irkutsk to France")
    with translation.override("fr"):
        response = staff_client.get(change_url(visit), HTTP_ACCEPT_LANGUAGE="fr")
    assert breadcrumb(response.content.decode()) == (
        "Accueil › Visites et résultats › Visites de délégations › Irkutsk to France"
    )


def test_visit_page_breadcrumb_in_russian(staff_client):
    visit = DelegationFactory(title="Irkutsk to France", title_ru="Делегация Иркутской области во Франции")
    with translation.override("ru"):
        response = staff_client.get(change_url(visit), HTTP_ACCEPT_LANGUAGE="ru")
    assert breadcrumb(response.content.decode()) == (
        "Главная › Визиты и результаты › Визиты делегаций › Делегация Иркутской области во Франции"
    )


def posted(staff_client, visit, **rows) -> dict:
    """The change form as the browser sends it back, with `rows` ({"members-1-…": value}) typed in."""
    data = change_form_data(staff_client.get(change_url(visit)))
    data.update(rows)
    return data


def new_member_row(row: int, **fields) -> dict:
    return {f"members-{row}-{name}": value for name, value in fields.items()}


def test_member_row_creates_a_new_person_with_their_position(staff_client):
    visit = DelegationFactory()
    ministry = OrganizationFactory(name="Ministry of Health of the Irkutsk region")
    data = posted(
        staff_client,
        visit,
        **new_member_row(
            0,
            new_person_name="Oleg Iarochenko",
            new_person_native_name="Олег Ярошенко",
            organization=ministry.pk,
            title_en="Minister of Health",
            role=DelegationMember.Role.MINISTER,
            order=1,
        ),
    )
    response = staff_client.post(change_url(visit), data)
    assert response.status_code == 302, response.context["errors"]
    member = DelegationMember.objects.get(delegation=visit)
    assert (member.person.name, member.person.native_name, member.person.slug) == (
        "Oleg Iarochenko",
        "Олег Ярошенко",
        "oleg-iarochenko",
    )
    assert (member.title, member.organization) == ("Minister of Health", ministry)
    position = Position.objects.get(person=member.person)
    assert (position.organization, position.title) == (ministry, "Minister of Health")


def test_member_row_new_person_without_organization_is_a_form_error_and_creates_nothing(staff_client):
    visit = DelegationFactory()
    people = Person.objects.count()
    data = posted(staff_client, visit, **new_member_row(0, new_person_name="Oleg Iarochenko", title_en="Minister"))
    response = staff_client.post(change_url(visit), data)
    assert response.status_code == 200
    assert "A new person’s position needs the organization they represent." in html.unescape(response.content.decode())
    assert Person.objects.count() == people
    assert not DelegationMember.objects.filter(delegation=visit).exists()


def test_member_row_both_a_person_and_a_new_one_is_a_form_error(staff_client):
    visit = DelegationFactory()
    someone = PersonFactory()
    organization = OrganizationFactory()
    data = posted(
        staff_client,
        visit,
        **new_member_row(0, person=someone.pk, new_person_name="Oleg", organization=organization.pk, title_en="M"),
    )
    response = staff_client.post(change_url(visit), data)
    assert response.status_code == 200
    assert "Choose a person or type a new one, not both." in response.content.decode()
    assert not Person.objects.filter(name="Oleg").exists()


def item_row(row: int, **fields) -> dict:
    return {f"itinerary_items-{row}-{name}": value for name, value in fields.items()}


def test_item_row_creates_its_new_venue_and_hosts(staff_client):
    visit = DelegationFactory()
    known_host = OrganizationFactory(name="Berlin Partner")
    data = posted(
        staff_client,
        visit,
        **item_row(
            0,
            day="2018-11-27",
            start_time="09:00",
            kind=ItineraryItem.Kind.OFFICIAL_MEETING,
            title_en="Meeting at the Chamber",
            city="Lyon",
            time_zone="Europe/Paris",
            new_venue_name="Chamber of Commerce",
            new_venue_address="Place de la Bourse",
            new_venue_country="FR",
            hosts=[str(known_host.pk)],
            new_hosts="CCI Lyon Métropole\nMairie de Lyon | Ville de Lyon",
            description_en="Talks on trade.",
        ),
    )
    response = staff_client.post(change_url(visit), data)
    assert response.status_code == 302, response.context["errors"]
    item = ItineraryItem.objects.get(delegation=visit)
    assert (item.venue.name, item.venue.address, item.venue.city, str(item.venue.country), item.venue.time_zone) == (
        "Chamber of Commerce",
        "Place de la Bourse",
        "Lyon",
        "FR",
        "Europe/Paris",
    )
    assert sorted((host.name, host.native_name) for host in item.hosts.all()) == [
        ("Berlin Partner", ""),
        ("CCI Lyon Métropole", ""),
        ("Mairie de Lyon", "Ville de Lyon"),
    ]
    assert item.description == "Talks on trade."


def test_item_row_new_venue_already_known_is_a_form_error_and_creates_nothing(staff_client):
    visit = DelegationFactory()
    VenueFactory(name="Chamber of Commerce", city="Lyon")
    organizations = Organization.objects.count()
    data = posted(
        staff_client,
        visit,
        **item_row(
            0,
            day="2018-11-27",
            kind=ItineraryItem.Kind.OFFICIAL_MEETING,
            title_en="Meeting at the Chamber",
            city="Lyon",
            time_zone="Europe/Paris",
            new_venue_name="Chamber of Commerce",
            new_venue_country="FR",
            new_hosts="CCI Lyon Métropole",
        ),
    )
    response = staff_client.post(change_url(visit), data)
    assert response.status_code == 200
    assert "There is already a venue of that name in that city." in response.content.decode()
    assert Venue.objects.count() == 1
    assert Organization.objects.count() == organizations
    assert not ItineraryItem.objects.filter(delegation=visit).exists()


def test_item_row_new_host_without_latin_name_is_a_form_error(staff_client):
    visit = DelegationFactory()
    item = ItineraryItemFactory(delegation=visit)
    organizations = Organization.objects.count()
    data = posted(staff_client, visit, **opened_item_detail(staff_client, visit, item, 0))
    data.update(item_row(0, new_hosts="| Мэрия"))
    response = staff_client.post(change_url(visit), data)
    assert response.status_code == 200
    assert "Give each new host’s name in Latin script, before the “|”." in response.content.decode()
    assert Organization.objects.count() == organizations
    assert not item.hosts.exists()


def test_follow_up_added_on_the_visit_page(staff_client):
    visit = DelegationFactory()
    partner = OrganizationFactory(name="Dalkia")
    data = posted(
        staff_client,
        visit,
        **{
            "follow_ups-TOTAL_FORMS": "1",
            "follow_ups-0-kind": FollowUp.Kind.PARTNERSHIP,
            "follow_ups-0-status": FollowUp.Status.PROPOSED,
            "follow_ups-0-title_en": "Heating network study",
            "follow_ups-0-organizations": [str(partner.pk)],
        },
    )
    response = staff_client.post(change_url(visit), data)
    assert response.status_code == 302, response.context["errors"]
    follow_up = FollowUp.objects.get(delegation=visit)
    assert (follow_up.title, list(follow_up.organizations.all())) == ("Heating network study", [partner])


def test_item_rows_typing_the_same_new_venue_and_host_share_them(staff_client):
    visit = DelegationFactory()
    typed = {
        "day": "2018-11-27",
        "kind": ItineraryItem.Kind.OFFICIAL_MEETING,
        "city": "Lyon",
        "time_zone": "Europe/Paris",
        "new_venue_name": "Chamber of Commerce",
        "new_venue_country": "FR",
        "new_hosts": "CCI Lyon Métropole",
    }
    data = posted(
        staff_client,
        visit,
        **{"itinerary_items-TOTAL_FORMS": "2"},
        **item_row(0, title_en="Talks", **typed),
        **item_row(1, title_en="Lunch", **typed),
    )
    response = staff_client.post(change_url(visit), data)
    assert response.status_code == 302, response.context["errors"]
    assert [(item.title, item.venue.name) for item in visit.itinerary_items.order_by("title")] == [
        ("Lunch", "Chamber of Commerce"),
        ("Talks", "Chamber of Commerce"),
    ]
    assert Venue.objects.count() == 1
    assert Organization.objects.filter(name="CCI Lyon Métropole").count() == 1
