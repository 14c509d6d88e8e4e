"""Deleting what others still refer to is refused, with the referring rows named; nothing goes silently."""

import re

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.html import escape

from contacts.models import Organization, Person
from delegations.models import Venue
from tests.factories import (
    AgreementPartyFactory,
    ItineraryItemFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
    SectorFactory,
    VenueFactory,
)


def protected_by(instance) -> set:
    # A savepoint, as a caller's own transaction would have: a refusal during deletion marks it failed.
    with pytest.raises(ProtectedError) as excinfo, transaction.atomic():
        instance.delete()
    return set(excinfo.value.protected_objects)


def test_organization_with_meetings_delete_refused(db):
    organization = OrganizationFactory(name="Irkutsk Oil Company")
    as_delegate = MeetingFactory(delegation_organization=organization)
    # Awaiting its slot: the organization cannot be in two meetings at the factory's 14:00.
    as_host = MeetingFactory(host_organization=organization, start_time=None, end_time=None)
    MeetingFactory()

    assert protected_by(organization) == {as_delegate, as_host}
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_organization_party_to_agreement_delete_refused(db):
    party = AgreementPartyFactory()
    AgreementPartyFactory(agreement=party.agreement)

    assert protected_by(party.organization) == {party}
    assert Organization.objects.filter(pk=party.organization.pk).exists()


def test_venue_with_items_delete_refused(db):
    venue = VenueFactory(name="Eurexpo", city="Lyon")
    items = set(ItineraryItemFactory.create_batch(2, venue=venue))
    ItineraryItemFactory()

    assert protected_by(venue) == items
    assert Venue.objects.filter(pk=venue.pk).exists()


def test_venue_with_meetings_delete_refused(db):
    venue = VenueFactory(name="Eurexpo", city="Lyon")
    meeting = MeetingFactory(venue=venue)

    assert protected_by(venue) == {meeting}


def test_organization_unreferenced_delete_allowed(db):
    organization = OrganizationFactory()

    organization.delete()

    assert not Organization.objects.filter(pk=organization.pk).exists()


def admin_link(instance, label: str) -> str:
    """How the admin's refusal page lists a referring row: kind, then a link to it."""
    opts = instance._meta
    return f'{label}: <a href="/admin/{opts.app_label}/{opts.model_name}/{instance.pk}/change/">{escape(instance)}</a>'


def listed_objects(html: str) -> list[str]:
    listing = re.search(r'<ul id="deleted-objects">(.*?)</ul>', html, re.DOTALL).group(1)
    return sorted(re.findall(r"<li>(.*?)</li>", listing))


def test_organization_with_meeting_admin_delete_refused(staff_client):
    organization = OrganizationFactory(name="Irkutsk Oil Company")
    meeting = MeetingFactory(delegation_organization=organization)
    url = f"/admin/contacts/organization/{organization.pk}/delete/"

    page = staff_client.get(url)
    posted = staff_client.post(url, {"post": "yes"})

    assert page.status_code == 200
    assert "<h1>Cannot delete organization</h1>" in page.text
    assert listed_objects(page.text) == [admin_link(meeting, "B2B meeting")]
    assert posted.status_code == 200
    assert "<h1>Cannot delete organization</h1>" in posted.text
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_organization_party_to_agreement_admin_delete_refused(staff_client):
    party = AgreementPartyFactory(organization__name="Irkutsk Oil Company")
    url = f"/admin/contacts/organization/{party.organization.pk}/delete/"

    page = staff_client.get(url)
    posted = staff_client.post(url, {"post": "yes"})

    assert "<h1>Cannot delete organization</h1>" in page.text
    assert listed_objects(page.text) == [admin_link(party, "Party")]
    assert "<h1>Cannot delete organization</h1>" in posted.text
    assert Organization.objects.filter(pk=party.organization.pk).exists()


def test_venue_with_items_admin_delete_refused(staff_client):
    venue = VenueFactory(name="Eurexpo", city="Lyon")
    items = ItineraryItemFactory.create_batch(2, venue=venue)
    url = f"/admin/delegations/venue/{venue.pk}/delete/"

    page = staff_client.get(url)
    posted = staff_client.post(url, {"post": "yes"})

    assert "<h1>Cannot delete venue</h1>" in page.text
    assert listed_objects(page.text) == sorted(admin_link(item, "Itinerary item") for item in items)
    assert "<h1>Cannot delete venue</h1>" in posted.text
    assert Venue.objects.filter(pk=venue.pk).exists()


# Many-to-many lists: hosts and participants of items, supporters of visits, sectors of organizations


def test_organization_listed_as_host_delete_refused(db):
    organization = OrganizationFactory(name="Dalkia")
    item = ItineraryItemFactory(title="Meeting at the Senate")
    item.hosts.add(organization)

    assert protected_by(organization) == {item}
    assert list(item.hosts.all()) == [organization]


def test_person_listed_as_participant_delete_refused(db):
    person = PersonFactory(name="Gérard Longuet")
    item = ItineraryItemFactory(title="Meeting at the Senate")
    item.host_participants.add(person)

    assert protected_by(person) == {item}
    assert Person.objects.filter(pk=person.pk).exists()


def test_sector_listed_by_organization_delete_refused(db):
    sector = SectorFactory(name="Health")
    organization = OrganizationFactory(name="Symbios")
    organization.sectors.add(sector)

    assert protected_by(sector) == {organization}


def test_organization_listed_as_host_admin_delete_refused(staff_client):
    organization = OrganizationFactory(name="Dalkia")
    item = ItineraryItemFactory(title="Meeting at the Senate")
    item.hosts.add(organization)
    url = f"/admin/contacts/organization/{organization.pk}/delete/"

    page = staff_client.get(url)
    posted = staff_client.post(url, {"post": "yes"})

    assert "<h1>Cannot delete organization</h1>" in page.text
    assert listed_objects(page.text) == [admin_link(item, "Itinerary item")]
    assert "<h1>Cannot delete organization</h1>" in posted.text
    assert list(item.hosts.all()) == [organization]
