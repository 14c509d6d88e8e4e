import xml.etree.ElementTree as ElementTree

import pytest

from tests.factories import DelegationFactory, OrganizationFactory, PersonFactory

NAMESPACE = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ElementTree.fromstring(response.content)
    return [element.text for element in root.iterfind(".//sm:loc", NAMESPACE)]


def test_sitemap_index_lists_each_section(client, db):
    assert locations(client, "/sitemap.xml") == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-visits.xml",
        "http://testserver/sitemap-organizations.xml",
        "http://testserver/sitemap-people.xml",
    ]


def test_sitemap_lists_published_visits_only(client, db):
    DelegationFactory(slug="shown")
    DelegationFactory(slug="draft", is_published=False)

    assert locations(client, "/sitemap-visits.xml") == [
        "http://testserver/delegations/shown/",
        "http://testserver/delegations/shown/outcomes/",
    ]


def test_sitemap_lists_organizations_and_public_people_only(client, db):
    OrganizationFactory(slug="dalkia")
    PersonFactory(slug="gerard-longuet")
    PersonFactory(slug="private-person", is_public=False)

    assert locations(client, "/sitemap-organizations.xml") == ["http://testserver/organizations/dalkia/"]
    assert locations(client, "/sitemap-people.xml") == ["http://testserver/people/gerard-longuet/"]


def test_sitemap_pages(client, db):
    assert locations(client, "/sitemap-pages.xml") == [
        "http://testserver/",
        "http://testserver/delegations/",
        "http://testserver/organizations/",
        "http://testserver/meetings/",
        "http://testserver/results/",
    ]


def test_sitemap_unknown_section_is_404(client, db):
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.parametrize("size", [2, 20])
def test_sitemap_queries_do_not_grow_with_the_data(client, db, django_assert_num_queries, size):
    DelegationFactory.create_batch(size)
    OrganizationFactory.create_batch(size)
    PersonFactory.create_batch(size)
    # A list of visits is read in one query; a queryset is counted for the sitemap's pages, then read.
    for section, queries in (("visits", 1), ("organizations", 2), ("people", 2)):
        with django_assert_num_queries(queries):
            client.get(f"/sitemap-{section}.xml")
