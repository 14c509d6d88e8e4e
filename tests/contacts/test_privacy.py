"""Who may be named: contacts.privacy, which every public page, export, feed and programme goes through."""

import datetime

from django.utils import translation

from contacts.privacy import PublicName, organization_on, public_label, public_names, representatives
from tests.factories import OrganizationFactory, PersonFactory, PositionFactory


def test_public_names_name_public_people_in_order_and_count_the_others_per_organization(db):
    dalkia, senate = OrganizationFactory(name="Dalkia"), OrganizationFactory(name="French Senate")
    longuet = PersonFactory(name="Gérard Longuet")
    thomas = PersonFactory(name="Jean-Pierre Thomas")
    hidden = PersonFactory.create_batch(3, is_public=False)

    names = public_names(
        [(hidden[0], dalkia), (longuet, senate), (hidden[1], dalkia), (thomas, None), (hidden[2], senate)]
    )

    assert names == [
        PublicName("Gérard Longuet", longuet),
        PublicName("Jean-Pierre Thomas", thomas),
        PublicName("2 representatives of Dalkia", organization=dalkia),
        PublicName("a representative of French Senate", organization=senate),
    ]


def test_representatives_without_organization_and_in_french(db):
    dalkia = OrganizationFactory(name="Dalkia")

    assert representatives(None) == "a representative"
    assert representatives(None, 4) == "4 representatives"
    with translation.override("fr"):
        assert representatives(dalkia) == "un représentant de Dalkia"
        assert representatives(dalkia, 2) == "2 représentants de Dalkia"


def test_public_label_never_names_a_private_person(db):
    dalkia = OrganizationFactory(name="Dalkia")

    assert public_label(PersonFactory(name="Named")) == "Named"
    assert public_label(PersonFactory(name="Hidden", is_public=False), dalkia) == "a representative of Dalkia"


def test_organization_on_a_day_is_the_position_held_then_else_the_latest(db):
    person = PersonFactory()
    ministry = PositionFactory(
        person=person, start_date=datetime.date(2015, 1, 1), end_date=datetime.date(2019, 12, 31)
    ).organization
    fund = PositionFactory(person=person, start_date=datetime.date(2020, 1, 1)).organization
    person = type(person).objects.with_positions().get(pk=person.pk)

    assert organization_on(person, datetime.date(2018, 11, 27)) == ministry
    assert organization_on(person, datetime.date(2021, 3, 1)) == fund
    assert organization_on(person, datetime.date(2010, 1, 1)) == fund
    assert organization_on(person, None) == fund
