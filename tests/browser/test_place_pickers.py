"""The admin's place pickers in a real browser, under the site's CSP: host countries searched and saved in the
order picked (the route), a venue filling its row's city and zone before any save, a zone suggested from a
city or country, and a zone found by typing, with the page holding the chosen zones only."""

from playwright.sync_api import expect

from delegations.models import Delegation, ItineraryItem, Venue
from tests.factories import DelegationFactory, VenueFactory

from .helpers import admin_login, pick, save, success_message
from .test_csp import RECORD_VIOLATIONS


def editor_page(new_page, staff_member):
    staff_member("editor", "Editors")
    page = new_page(width=1280)
    page.context.add_init_script(RECORD_VIOLATIONS)
    admin_login(page, "editor")
    return page


def csp_violations(page) -> list[str]:
    return page.evaluate("window.cspViolations")


def test_host_countries_are_searched_and_kept_in_route_order(new_page, staff_member):
    visit = DelegationFactory(title="Novosibirsk region in Europe", host_countries=["FR"])
    page = editor_page(new_page, staff_member)
    page.goto(f"/admin/delegations/delegation/{visit.pk}/change/")

    # A picker, not a list of 249 lines: France is removed with its cross, the route picked by typing.
    picker = page.locator("#id_host_countries + .select2")
    picker.locator(".select2-selection__choice__remove").click()
    page.keyboard.press("Escape")
    for search, country in (("germ", "Germany"), ("gree", "Greece"), ("switz", "Switzerland")):
        pick(page, "id_host_countries", search, country)
    expect(picker.locator(".select2-selection__choice")).to_have_text(["×Germany", "×Greece", "×Switzerland"])
    save(page, "Save and continue editing")

    assert "was changed successfully" in success_message(page)
    assert [country.code for country in Delegation.objects.get(pk=visit.pk).host_countries] == ["DE", "GR", "CH"]
    # Read back in the same order, in the picker and on the public pages.
    expect(picker.locator(".select2-selection__choice")).to_have_text(["×Germany", "×Greece", "×Switzerland"])
    assert csp_violations(page) == []
    for path in ("/", "/delegations/", f"/delegations/{visit.slug}/"):
        page.goto(path)
        expect(page.get_by_text("Germany, Greece, Switzerland").first).to_be_visible()


def test_a_venue_fills_its_row_and_zones_are_suggested_and_searched(new_page, staff_member):
    visit = DelegationFactory(title="Novosibirsk region in Europe", host_countries=["DE", "GR", "CH"])
    VenueFactory(name="Messe Frankfurt", city="Frankfurt am Main", country="DE", time_zone="Europe/Berlin")
    page = editor_page(new_page, staff_member)
    page.goto(f"/admin/delegations/delegation/{visit.pk}/change/")
    row = "id_itinerary_items-0"

    # The new row's zone select holds no zone at all: the others come from the search.
    assert page.locator(f"#{row}-time_zone option").count() == 1
    pick(page, f"{row}-venue", "Messe", "Messe Frankfurt")
    expect(page.locator(f"#{row}-city")).to_have_value("Frankfurt am Main")
    expect(page.locator(f"#{row}-time_zone")).to_have_value("Europe/Berlin")
    expect(page.locator(f"#{row}-time_zone + .select2")).to_contain_text("Europe/Berlin")
    page.locator(f"#{row}-day").fill("2018-11-26")
    page.locator(f"#{row}-kind").select_option("trade_fair")
    page.locator(f"#{row}-title_en").fill("Visit to the Frankfurt fair")

    # No venue: the city suggests the zone (Athens is a zone's city).
    page.locator("#itinerary_items-group .add-row a").click()
    row = "id_itinerary_items-1"
    page.locator(f"#{row}-city").fill("Athens")
    page.locator(f"#{row}-city").press("Tab")
    expect(page.locator(f"#{row}-time_zone")).to_have_value("Europe/Athens")

    # A third row: Lugano is no zone's city, so staff type the zone and pick it.
    page.locator("#itinerary_items-group .add-row a").click()
    row3 = "id_itinerary_items-2"
    page.locator(f"#{row3}-city").fill("Lugano")
    page.locator(f"#{row3}-city").press("Tab")
    pick(page, f"{row3}-time_zone", "zur", "Europe/Zurich")
    for prefix, title in ((row, "Investment presentation in Athens"), (row3, "Meeting in Lugano")):
        page.locator(f"#{prefix}-day").fill("2018-11-27")
        page.locator(f"#{prefix}-kind").select_option("conference")
        page.locator(f"#{prefix}-title_en").fill(title)
    assert csp_violations(page) == []
    save(page, "Save and continue editing")

    assert "was changed successfully" in success_message(page)
    saved = {item.title: (item.city, item.time_zone) for item in ItineraryItem.objects.filter(delegation=visit)}
    assert saved == {
        "Visit to the Frankfurt fair": ("Frankfurt am Main", "Europe/Berlin"),
        "Investment presentation in Athens": ("Athens", "Europe/Athens"),
        "Meeting in Lugano": ("Lugano", "Europe/Zurich"),
    }
    # Four rows (three saved, one new), each holding its own zone only, not 597.
    assert page.locator("#itinerary_items-group select.zone-picker:not([name*=__prefix__]) option").count() == 4 + 3
    assert csp_violations(page) == []


def test_the_item_page_fills_city_and_zone_from_the_venue(new_page, staff_member):
    DelegationFactory(title="Novosibirsk region in Europe", host_countries=["GR"])
    VenueFactory(name="Megaron Athens", city="Athens", country="GR", time_zone="Europe/Athens")
    page = editor_page(new_page, staff_member)
    page.goto("/admin/delegations/itineraryitem/add/")
    pick(page, "id_venue", "Megaron", "Megaron Athens")
    expect(page.locator("#id_city")).to_have_value("Athens")
    expect(page.locator("#id_time_zone")).to_have_value("Europe/Athens")
    assert csp_violations(page) == []


def test_the_venue_page_suggests_the_zone_from_country_and_city(new_page, staff_member):
    page = editor_page(new_page, staff_member)
    page.goto("/admin/delegations/venue/add/")
    page.locator("#id_name").fill("Megaron")
    page.locator("#id_country").select_option("GR")  # one zone in Greece
    expect(page.locator("#id_time_zone")).to_have_value("Europe/Athens")
    page.locator("#id_country").select_option("RU")  # eleven zones: the city tells
    page.locator("#id_city").fill("Irkutsk")
    page.locator("#id_city").press("Tab")
    expect(page.locator("#id_time_zone")).to_have_value("Asia/Irkutsk")
    save(page)
    assert Venue.objects.get(name="Megaron").time_zone == "Asia/Irkutsk"
    assert csp_violations(page) == []
