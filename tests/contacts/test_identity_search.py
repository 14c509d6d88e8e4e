"""Search by any spelling: public search and the admin's, through the stored search_text."""

import pytest
from django.urls import reverse

from contacts.models import Organization, Person
from tests.factories import OrganizationFactory, PersonFactory


@pytest.mark.parametrize(
    "q",
    ["Levtchenko", "Сергей", "Lewtschenko", "Sergej Lewtschenko", "LEVCHENKO Sergey", "Левченко Сергей"],
)
def test_public_search_finds_a_person_by_any_spelling(client, demo, q):
    response = client.get(reverse("public:search"), {"q": q})

    assert [person.slug for person in response.context["people"]] == ["serguei-levtchenko"]


def test_public_search_never_finds_a_private_person_by_another_spelling(client, db):
    PersonFactory(name="Ivan Hidden", native_name="Иван Скрытов", other_names="Iwan Skrytow", is_public=False)

    for q in ("Skrytov", "Скрытов", "Iwan Skrytow"):
        response = client.get(reverse("public:search"), {"q": q})
        assert list(response.context["people"]) == []


def test_public_search_finds_an_organization_by_another_spelling(client, db):
    OrganizationFactory(name="Insitilab", slug="insitilab", native_name="Инситилаб", other_names="Insitilab LLC")

    for q in ("insitilab", "Инситилаб", "ИНСИТИЛАБ"):
        response = client.get(reverse("public:search"), {"q": q})
        assert [organization.slug for organization in response.context["organizations"]] == ["insitilab"]


def test_search_text_follows_the_other_spellings(db):
    organization = OrganizationFactory(name="Irkutskenergo")
    assert list(Organization.objects.search("Иркутскэнерго")) == [organization]
    assert list(Organization.objects.search("Irkoutskenergo")) == [organization]
    organization.other_names = "Energie d'Irkoutsk"
    organization.save()

    assert list(Organization.objects.search("energie irkoutsk")) == [organization]


def test_search_is_one_query_whatever_the_spelling(db, django_assert_num_queries):
    PersonFactory(name="Mikhail Gorbachev", native_name="Михаил Горбачёв")
    PersonFactory(name="Mikhail Gorbunov")

    with django_assert_num_queries(1):
        found = [person.name for person in Person.objects.search("Gorbatschow")]

    assert found == ["Mikhail Gorbachev"]


@pytest.mark.parametrize("q", ["Lewtschenko", "Сергей Левченко", "Sergey Levchenko"])
def test_admin_search_finds_a_person_by_any_spelling(admin_client, demo, q):
    response = admin_client.get(reverse("admin:contacts_person_changelist"), {"q": q})

    assert [person.name for person in response.context["cl"].result_list] == ["Sergueï Levtchenko"]


def test_admin_search_finds_an_organization_by_another_spelling(admin_client, demo):
    arbiom = Organization.objects.get(name="Arbiom")
    arbiom.other_names = "Арбиом\nArbiom SAS"
    arbiom.save()

    response = admin_client.get(reverse("admin:contacts_organization_changelist"), {"q": "Арбиом"})

    assert [organization.name for organization in response.context["cl"].result_list] == ["Arbiom"]
