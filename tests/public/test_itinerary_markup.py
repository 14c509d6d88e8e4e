"""The itinerary's items are written in Python (public.itinerary), their names by public.markup, with the markup
the name partials give on every other page: the same bytes for an organization (written once per page), a
person, and a list of public names in each language."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.timezone import template_localtime
from django.utils.translation import ngettext, npgettext

from contacts.privacy import PublicName, representatives
from delegations.models import Delegation
from delegations.programme import programme_build
from public.itinerary import ItineraryWriter
from public.markup import Addresses, person_link, public_names
from public.sharing import VisitLinks
from tests.factories import DelegationFactory, ItineraryItemFactory, OrganizationFactory, PersonFactory


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


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "Asia/Irkutsk"])
def test_writer_local_times_are_the_templates(db, zone):
    """The writer turns each instant into the page's zone as template_localtime did, across a change of the clocks."""
    night = datetime.datetime(2021, 10, 30, 23, 30, tzinfo=datetime.UTC)
    instants = [night + datetime.timedelta(minutes=30 * step) for step in range(8)]
    with timezone.override(zone):
        writer = ItineraryWriter(VisitLinks(DelegationFactory(is_published=True)))

        assert [writer.localtime(instant).isoformat() for instant in instants] == [
            template_localtime(instant).isoformat() for instant in instants
        ]


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
def test_writer_translates_each_number_of_its_plural_messages(db, language):
    """Plural messages are translated once per page for each number: 1, 2, 5 and 21 each take their own form
    (Russian has three), however often and in whatever order they come."""
    visit = DelegationFactory(is_published=True)
    sizes = (1, 2, 5, 21, 1, 5)
    for size in sizes:
        ItineraryItemFactory(delegation=visit, audience_size=size, reported_meetings=size)
    with translation.override(language):
        writer = ItineraryWriter(VisitLinks(visit))
        written = [writer.item(item) for item in programme_build(delegation=visit).items]

        for html, size in zip(written, sizes, strict=True):
            audience = ngettext("%(audience)s participant", "%(audience)s participants", size) % {"audience": size}
            reported = ngettext("%(counter)s meeting reported", "%(counter)s meetings reported", size)
            heading = npgettext("heading", "Meeting", "Meetings", size)
            assert f"<dd>{audience}</dd>" in html
            assert f"<dt>{heading}</dt><dd>{reported % {'counter': size}}</dd>" in html
