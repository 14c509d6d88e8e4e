"""The add forms of people and organizations offer candidates for the same one before saving."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from contacts.models import Organization, Person
from tests.factories import OrganizationFactory, PersonFactory, PositionFactory
from tests.helpers import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def governor():
    person = PersonFactory(name="Sergueï Levtchenko", slug="serguei-levtchenko", native_name="Сергей Левченко")
    PositionFactory(person=person, title="Governor", organization=OrganizationFactory(name="Irkutsk Region"))
    return person


def person_add_data(staff_client, **values) -> dict:
    data = change_form_data(staff_client.get(reverse("admin:contacts_person_add")))
    return {**data, **values}


def test_person_add_form_offers_the_same_person_under_another_spelling(staff_client, governor):
    url = reverse("admin:contacts_person_add")
    response = staff_client.post(url, person_add_data(staff_client, name="Sergej Lewtschenko", slug="sergej"))

    assert response.status_code == 200
    assert Person.objects.count() == 1
    change_url = reverse("admin:contacts_person_change", args=[governor.pk])
    assertContains(
        response,
        f'Same as Sergueï Levtchenko (Сергей Левченко) — Governor, Irkutsk Region <a href="{change_url}" '
        'target="_blank">open</a>',
    )
    assertContains(response, "Known already under another spelling, perhaps: Sergueï Levtchenko.")
    assertContains(response, f'value="same:{governor.pk}"')
    assertContains(response, 'value="new"')


def test_person_add_same_as_keeps_the_spelling_and_creates_nothing(staff_client, governor):
    data = person_add_data(staff_client, name="Sergej Lewtschenko", slug="sergej", identity=f"same:{governor.pk}")
    response = staff_client.post(reverse("admin:contacts_person_add"), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:contacts_person_change", args=[governor.pk])
    assert list(Person.objects.values_list("name", flat=True)) == ["Sergueï Levtchenko"]
    governor.refresh_from_db()
    assert governor.other_names == "Sergej Lewtschenko"
    assert governor.history.first().other_names == "Sergej Lewtschenko"
    assert list(Person.objects.search("Lewtschenko")) == [governor]
    page = staff_client.get(response["Location"])
    assertContains(page, "“Sergej Lewtschenko” kept as another spelling of “Sergueï Levtchenko”.")
    assertContains(page, "Sergej Lewtschenko</textarea>")


def test_person_add_new_record_creates_it_beside_the_candidate(staff_client, governor):
    data = person_add_data(staff_client, name="Sergej Lewtschenko", slug="sergej", identity="new")
    response = staff_client.post(reverse("admin:contacts_person_add"), data)

    assert response.status_code == 302
    assert sorted(Person.objects.values_list("name", flat=True)) == ["Sergej Lewtschenko", "Sergueï Levtchenko"]
    governor.refresh_from_db()
    assert governor.other_names == ""


def test_person_add_without_candidates_saves_at_once(staff_client, governor):
    data = person_add_data(staff_client, name="Sergei Levchenkov", slug="levchenkov")
    response = staff_client.post(reverse("admin:contacts_person_add"), data)

    assert response.status_code == 302
    assert Person.objects.filter(name="Sergei Levchenkov").exists()


def test_person_add_form_shows_no_choice_before_candidates(staff_client, governor):
    response = staff_client.get(reverse("admin:contacts_person_add"))

    assertNotContains(response, "Already known?")
    assertContains(response, 'type="hidden" name="identity"')


def test_person_add_same_as_a_record_that_is_no_candidate_is_refused(staff_client, governor):
    other = PersonFactory(name="Wang Jun")
    data = person_add_data(staff_client, name="Sergej Lewtschenko", slug="sergej", identity=f"same:{other.pk}")
    response = staff_client.post(reverse("admin:contacts_person_add"), data)

    assert response.status_code == 200
    assertContains(response, "Known already under another spelling, perhaps: Sergueï Levtchenko.")
    other.refresh_from_db()
    assert other.other_names == ""
    assert Person.objects.count() == 2


def organization_add_data(staff_client, **values) -> dict:
    data = change_form_data(staff_client.get(reverse("admin:contacts_organization_add")))
    return {**data, **values}


def test_organization_add_offers_the_same_company_under_its_legal_form_and_script(staff_client):
    insitilab = OrganizationFactory(name="Insitilab", slug="insitilab", city="Irkutsk", country="RU")
    url = reverse("admin:contacts_organization_add")

    response = staff_client.post(url, organization_add_data(staff_client, name="OOO Insitilab", slug="ooo"))
    assert response.status_code == 200
    assertContains(response, "Same as Insitilab — Irkutsk, Russia")
    assert Organization.objects.count() == 1

    data = organization_add_data(
        staff_client, name="OOO Insitilab", native_name="ООО «Инситилаб»", slug="ooo", identity=f"same:{insitilab.pk}"
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302
    insitilab.refresh_from_db()
    assert insitilab.other_names == "OOO Insitilab\nООО «Инситилаб»"
    assert Organization.objects.count() == 1


def test_organization_add_new_record_when_staff_say_so(staff_client):
    OrganizationFactory(name="Rosneft", slug="rosneft")
    url = reverse("admin:contacts_organization_add")

    response = staff_client.post(url, organization_add_data(staff_client, name="PAO Rosneft", slug="pao"))
    assert response.status_code == 200
    response = staff_client.post(
        url, organization_add_data(staff_client, name="PAO Rosneft", slug="pao", identity="new")
    )
    assert response.status_code == 302
    assert sorted(Organization.objects.values_list("name", flat=True)) == ["PAO Rosneft", "Rosneft"]
