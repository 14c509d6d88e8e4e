"""An itinerary item's folded detail on the visit's page: left out of the page until staff open it,
fetched then, posted back only when it was opened, and never lost when it was not."""

import re

import pytest
from django.urls import reverse

from tests.factories import DelegationFactory, ItineraryItemFactory, OrganizationFactory, PersonFactory
from tests.helpers import change_form_data, opened_item_detail

pytestmark = pytest.mark.django_db

DETAIL = ("description_en", "hosts", "new_hosts", "host_participants", "new_venue_country", "reported_meetings")


def change_url(visit) -> str:
    return reverse("admin:delegations_delegation_change", args=[visit.pk])


def detail_url(visit, item) -> str:
    return reverse("admin:delegations_delegation_item_detail", args=[visit.pk, item.pk])


@pytest.fixture
def item():
    visit = DelegationFactory()
    item = ItineraryItemFactory(delegation=visit, description="Talks on the forests.", reported_meetings=4)
    item.hosts.set([OrganizationFactory(name="Dalkia"), OrganizationFactory(name="French Senate")])
    item.host_participants.set([PersonFactory(name="Alexeï Mechkov")])
    return item


def test_an_existing_items_detail_is_left_out_of_the_page_and_a_new_rows_is_not(staff_client, item):
    page = staff_client.get(change_url(item.delegation)).content.decode()
    for name in DETAIL:
        assert f'name="itinerary_items-0-{name}"' not in page
        assert f'name="itinerary_items-1-{name}"' in page  # the extra row, typed from nothing
        assert f'name="itinerary_items-__prefix__-{name}"' in page  # rows added by "Add another"
    placeholder = re.search(r'<details data-detail-url="([^"]+)" data-prefix="([^"]+)"', page)
    assert placeholder.groups() == (detail_url(item.delegation, item), "itinerary_items-0")
    assert 'name="itinerary_items-0-title_en"' in page  # the row's main line is there


def test_the_fetched_detail_holds_the_items_values_and_says_it_was_loaded(staff_client, item):
    detail = opened_item_detail(staff_client, item.delegation, item, 0)
    assert detail["itinerary_items-0-description_en"] == "Talks on the forests."
    assert sorted(detail["itinerary_items-0-hosts"]) == sorted(str(host.pk) for host in item.hosts.all())
    assert detail["itinerary_items-0-host_participants"] == str(item.host_participants.get().pk)
    assert detail["itinerary_items-0-reported_meetings"] == "4"
    assert detail["itinerary_items-0-with_detail"] == "1"
    html = staff_client.get(detail_url(item.delegation, item), {"prefix": "itinerary_items-0"}).content.decode()
    assert ">Dalkia</option>" in html and ">Alexeï Mechkov</option>" in html  # the chosen ones, labelled


def test_a_row_saved_without_its_detail_keeps_its_detail(staff_client, item):
    data = change_form_data(staff_client.get(change_url(item.delegation)))
    data["itinerary_items-0-title_en"] = "Forest talks"
    response = staff_client.post(change_url(item.delegation), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title_en == "Forest talks"
    assert item.description_en == "Talks on the forests."
    assert item.reported_meetings == 4
    assert sorted(host.name for host in item.hosts.all()) == ["Dalkia", "French Senate"]
    assert [person.name for person in item.host_participants.all()] == ["Alexeï Mechkov"]


def test_a_row_saved_with_its_opened_detail_saves_what_was_changed_in_it(staff_client, item):
    data = change_form_data(staff_client.get(change_url(item.delegation)))
    data.update(opened_item_detail(staff_client, item.delegation, item, 0))
    data["itinerary_items-0-description_en"] = "Talks on investment in the forests."
    data["itinerary_items-0-hosts"] = [str(item.hosts.get(name="Dalkia").pk)]
    data["itinerary_items-0-new_hosts"] = "Irkutsk Oil | Иркутская нефтяная компания"
    response = staff_client.post(change_url(item.delegation), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.description_en == "Talks on investment in the forests."
    assert sorted(host.name for host in item.hosts.all()) == ["Dalkia", "Irkutsk Oil"]
    assert [person.name for person in item.host_participants.all()] == ["Alexeï Mechkov"]  # posted as it was


def test_a_form_shown_again_keeps_the_opened_detail_as_typed(staff_client, item):
    data = change_form_data(staff_client.get(change_url(item.delegation)))
    data.update(opened_item_detail(staff_client, item.delegation, item, 0))
    data["itinerary_items-0-description_en"] = "Typed, not saved yet."
    data["itinerary_items-0-new_hosts"] = "| Мэрия"  # no Latin name: refused
    response = staff_client.post(change_url(item.delegation), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Give each new host’s name in Latin script" in page
    assert "Typed, not saved yet." in page
    assert 'name="itinerary_items-0-with_detail" value="1"' in page  # posted again with the rest
    item.refresh_from_db()
    assert item.description_en == "Talks on the forests."


@pytest.mark.parametrize("prefix", ["", "members-0", "itinerary_items-x", "itinerary_items-0-hosts", "<b>"])
def test_a_detail_asked_for_an_unnamed_row_is_a_bad_request(staff_client, item, prefix):
    response = staff_client.get(detail_url(item.delegation, item), {"prefix": prefix})
    assert response.status_code == 400


def test_a_detail_of_another_visits_item_or_of_no_visit_is_not_found(staff_client, item):
    other = DelegationFactory()
    assert staff_client.get(detail_url(other, item), {"prefix": "itinerary_items-0"}).status_code == 404
    url = reverse("admin:delegations_delegation_item_detail", args=[987654, item.pk])
    assert staff_client.get(url, {"prefix": "itinerary_items-0"}).status_code in (302, 404)


def test_a_detail_is_for_staff_who_may_change_the_visit(client, viewer_client, item):
    url = detail_url(item.delegation, item)
    response = viewer_client.get(url, {"prefix": "itinerary_items-0"})
    assert response.status_code == 403
    client.logout()
    response = client.get(url, {"prefix": "itinerary_items-0"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_viewer_sees_the_whole_detail_on_the_page_read_only(viewer_client, item):
    page = viewer_client.get(change_url(item.delegation)).content.decode()
    assert "data-detail-url" not in page
    assert "Talks on the forests." in page


def row_field_names(page: str, row: str) -> set[str]:
    return set(re.findall(rf'name="itinerary_items-{row}-(\w+)"', page))


def test_russian_adds_no_field_to_an_items_compact_row_and_waits_in_its_detail(staff_client, item):
    """Issue 14 point 17: a long programme's page carries one compact row per item; a third language of the
    content must not make each row heavier, so its texts are fetched with the detail."""
    item.title_ru, item.description_ru = "Переговоры о лесах", "Переговоры о лесной отрасли."
    item.save()
    page = staff_client.get(change_url(item.delegation)).content.decode()
    assert row_field_names(page, "0") == {
        *("id", "delegation", "day", "start_time", "start_fold", "end_time", "end_fold", "kind"),
        *("title_en", "title_fr", "venue", "city", "time_zone", "DELETE"),
    }
    detail = opened_item_detail(staff_client, item.delegation, item, 0)
    assert (detail["itinerary_items-0-title_ru"], detail["itinerary_items-0-description_ru"]) == (
        "Переговоры о лесах",
        "Переговоры о лесной отрасли.",
    )
    assert {"title_ru", "description_ru", "agreements_without_detail_summary_ru"} <= row_field_names(page, "1")


def test_a_russian_title_typed_in_the_opened_detail_is_saved(staff_client, item):
    data = change_form_data(staff_client.get(change_url(item.delegation)))
    data.update(opened_item_detail(staff_client, item.delegation, item, 0))
    data["itinerary_items-0-title_ru"] = "Переговоры в Сенате"
    response = staff_client.post(change_url(item.delegation), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title_ru, item.description_en) == ("Переговоры в Сенате", "Talks on the forests.")
