"""The itinerary's items are written in Python (public.itinerary), their names by public.markup, with the markup
the name partials give on every other page: the same bytes for an organization (written once per page), a
person, and a list of public names in each language."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from contacts.privacy import PublicName, representatives
from delegations.models import Delegation
from public.itinerary import ItineraryWriter
from public.markup import Addresses, person_link, public_names
from public.sharing import VisitLinks
from tests.factories import DelegationFactory, OrganizationFactory, PersonFactory


@pytest.fixture
def writer(db):
    return ItineraryWriter(VisitLinks(DelegationFactory(is_published=True)))


@pytest.mark.parametrize("native_name", ["", "Байкальская вода & <Co>"])
def test_organization_link_is_the_partials(writer, native_name):
    organization = OrganizationFactory(name="Baikal <Water> & Sons", native_name=native_name)

    assert writer.organization(organization) == render_to_string(
        "public/_organization_link.html", {"organization": organization}
    )


@pytest.mark.parametrize("is_public", [True, False])
def test_person_name_is_the_partials(db, is_public):
    person = PersonFactory(name="Sergey <Levchenko>", native_name="Сергей Левченко", is_public=is_public)

    assert person_link(person, Addresses()) == render_to_string("public/_person_name.html", {"person": person})


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
@pytest.mark.parametrize("titled", [True, False])
def test_public_names_are_the_partials(db, language, titled):
    water = OrganizationFactory(name="Baikal Water", native_name="Байкальская вода")
    person = PersonFactory(name="Anna Smith", native_name="", is_public=True)
    other = PersonFactory(name="Li Wei", native_name="李伟", is_public=True)
    with translation.override(language):
        names = (
            PublicName(person.name, person, title="Governor & <chair>" if titled else ""),
            PublicName(other.name, other),
            PublicName(representatives(water, 2), organization=water),
            PublicName(representatives(None)),
        )

        assert public_names(names, Addresses()) == render_to_string("public/_public_names.html", {"names": names})


def test_writer_needs_no_visit_of_its_own(db):
    """A share link's page writes its items with the link's addresses (see public.sharing.VisitLinks)."""
    visit = DelegationFactory(is_published=False)
    writer = ItineraryWriter(VisitLinks(Delegation.objects.get(pk=visit.pk), token="abc"))

    assert writer.outcomes == "/share/abc/outcomes/"
