"""Host countries in the route's order, and the admin's place pickers: the zone search, the venue's
place and the suggested zone (staff only), and the widgets' HTML (the chosen zone only, no inline code)."""

import re

import pytest
from django.urls import reverse

from delegations.models import Delegation
from delegations.places import suggested_zone
from tests.factories import DelegationFactory, ItineraryItemFactory, VenueFactory
from tests.helpers import blocked_inline_code, change_form_data

ROUTE = ["DE", "GR", "CH"]


def codes(visit) -> list[str]:
    return [country.code for country in Delegation.objects.get(pk=visit.pk).host_countries]


@pytest.mark.django_db
def test_host_countries_keep_the_order_given_to_the_model():
    visit = DelegationFactory(host_countries=ROUTE)
    assert codes(visit) == ROUTE
    visit.host_countries = ["GR", "DE", "GR"]
    visit.save()
    assert codes(visit) == ["GR", "DE"]  # each once, in the order given


def test_host_countries_keep_the_order_posted_by_the_admin_form_and_every_page_shows_it(staff_client):
    visit = DelegationFactory(title="Novosibirsk region in Europe", host_countries=["FR"])
    url = reverse("admin:delegations_delegation_change", args=[visit.pk])
    data = {**change_form_data(staff_client.get(url)), "host_countries": ROUTE}
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert codes(visit) == ROUTE

    # The picker holds the chosen countries last, in the route's order: the order a browser posts back.
    page = staff_client.get(url).content.decode()
    picked = [page.index(f'<option value="{code}" selected>') for code in ROUTE]
    assert picked == sorted(picked) and page.index('<option value="AF">') < picked[0]
    staff_client.logout()
    for path in ("/", reverse("public:visit-list"), reverse("public:visit-detail", args=[visit.slug])):
        assert "Germany, Greece, Switzerland" in staff_client.get(path).content.decode(), path


@pytest.mark.parametrize(
    ("city", "countries", "zone"),
    [
        ("Frankfurt", ("DE",), "Europe/Berlin"),  # Germany's zones keep one clock: the country's own
        ("Lyon", ("FR",), "Europe/Paris"),
        ("", ("GR",), "Europe/Athens"),
        ("Berlin", (), "Europe/Berlin"),  # a zone's own city
        ("São Paulo", (), "America/Sao_Paulo"),
        ("irkutsk", ("RU",), "Asia/Irkutsk"),
        ("Kazan", ("RU",), ""),  # Russia has eleven zones and Kazan names none
        ("", ("ES",), ""),  # Madrid and the Canaries differ
        ("", ("DE", "GR"), ""),  # two countries, two clocks
        ("Athens", ("DE", "CH"), ""),  # a zone's city, but not in the visit's countries
    ],
)
def test_suggested_zone(city, countries, zone):
    assert suggested_zone(city, countries, year=2026) == zone


def test_zone_search_finds_zones_by_any_part_in_pages(staff_client):
    url = reverse("admin:delegations_venue_time_zones")
    assert staff_client.get(url, {"term": "new york"}).json() == {
        "results": [{"id": "America/New_York", "text": "America/New York"}],
        "pagination": {"more": False},
    }
    first = staff_client.get(url, {"term": ""}).json()
    assert len(first["results"]) == 50 and first["pagination"]["more"] is True
    assert staff_client.get(url, {"term": "", "page": "abc"}).json() == first


def test_place_of_a_venue_and_a_suggestion_for_a_city(staff_client):
    venue = VenueFactory(name="Messe Frankfurt", city="Frankfurt am Main", country="DE", time_zone="Europe/Berlin")
    visit = DelegationFactory(host_countries=["GR"])
    url = reverse("admin:delegations_venue_place")
    assert staff_client.get(url, {"venue": venue.pk}).json() == {
        "venue": True,
        "city": "Frankfurt am Main",
        "time_zone": "Europe/Berlin",
        "time_zone_label": "Europe/Berlin",
    }
    suggestion = {"venue": False, "time_zone": "Europe/Athens", "time_zone_label": "Europe/Athens"}
    assert staff_client.get(url, {"city": "Thessaloniki", "delegation": visit.pk}).json() == suggestion
    assert staff_client.get(url, {"city": "Thessaloniki", "countries": "gr"}).json() == suggestion
    # Unknown or malformed ids are no venue, never a server error.
    for value in ("abc", "99999999999999999999", "0"):
        assert staff_client.get(url, {"venue": value, "delegation": value}).json()["venue"] is False


def test_place_pickers_answer_staff_only(client):
    for name in ("admin:delegations_venue_place", "admin:delegations_venue_time_zones"):
        response = client.get(reverse(name), {"term": "paris"})
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_zone_selects_hold_the_chosen_zone_only_and_no_inline_code(staff_client):
    item = ItineraryItemFactory(venue=None, city="Lugano", time_zone="Europe/Zurich")
    response = staff_client.get(reverse("admin:delegations_delegation_change", args=[item.delegation.pk]))
    page = response.content.decode()
    assert page.count('<option value="Europe/Zurich" selected>Europe/Zurich</option>') == 1
    assert "Europe/Paris" not in page  # one of 597 zones that no row has chosen
    assert "delegations/pickers.js" in page
    assert blocked_inline_code(response) == []


@pytest.mark.parametrize("debug", [False, True])
def test_the_pickers_load_the_admins_own_jquery_and_select2_once(staff_client, settings, debug):
    # A second copy of jQuery (jquery.js beside the admin's jquery.min.js) broke the first's select2s:
    # removing a chosen participant did nothing.
    settings.DEBUG = debug
    visit = DelegationFactory()
    ItineraryItemFactory(delegation=visit)
    page = staff_client.get(reverse("admin:delegations_delegation_change", args=[visit.pk])).content.decode()
    scripts = re.findall(r"/(jquery(?:\.min)?|select2\.full(?:\.min)?)\.js\"", page)
    assert sorted(scripts) == sorted(["jquery" + ("" if debug else ".min"), "select2.full" + ("" if debug else ".min")])


COUNTRY_CHOICES = [("AF", "Afghanistan"), ("CH", "Switzerland"), ("DE", "Germany"), ("GR", "Greece"), ("X&", "<b>")]


@pytest.mark.parametrize(
    "value", [None, [], ["DE"], ["GR", "DE", "CH"], ["CH", "GR", "CH"], ["ZZ", "AF"], ["", "DE"], ["X&"]]
)
def test_the_ordered_country_picker_writes_its_options_as_djangos_select_would(value):
    # With a fixed list, the picker writes its options once per language; given the same choices lazily, it
    # goes through Django's optgroups and options: the same HTML, the chosen ones last in the value's order.
    from core.widgets import KnownChoices
    from delegations.widgets import OrderedSelectMultiple

    written = OrderedSelectMultiple(attrs={"id": "id_host_countries"}, choices=KnownChoices(COUNTRY_CHOICES))
    through_django = OrderedSelectMultiple(attrs={"id": "id_host_countries"}, choices=lambda: COUNTRY_CHOICES)
    assert written.has_plain_choices() and not through_django.has_plain_choices()

    html = written.render("host_countries", value, {"required": True})

    assert html == through_django.render("host_countries", value, {"required": True})
    chosen = [code for code in dict.fromkeys(value or []) if code in dict(COUNTRY_CHOICES)]
    assert re.findall(r'<option value="([^"]*)" selected>', html) == [code.replace("&", "&amp;") for code in chosen]


def test_the_visit_form_reads_its_countries_once_per_language_in_the_language_shown(staff_client):
    visit = DelegationFactory(origin_country="RU", host_countries=["DE", "FR"])
    url = reverse("admin:delegations_delegation_change", args=[visit.pk])

    english = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert '<option value="DE">Germany</option>' in english and '<option value="RU" selected>Russia</option>' in english
    assert '<option value="FR" selected>France</option>' in english
    assert '<option value="DE">Allemagne</option>' in french and '<option value="RU" selected>Russie</option>' in french
    # The countries still check what is posted: an unknown code is a field error, not a saved value.
    data = {**change_form_data(staff_client.get(url)), "host_countries": ["DE", "ZZ"]}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "host_countries" in response.context["adminform"].form.errors
