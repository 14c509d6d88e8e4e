"""The visit's admin change page costs the same number of queries however many members and itinerary
items the visit has, to open and to save unchanged (the stale-form fingerprint included): each inline's
autocomplete values, row keys and related objects are read once per formset, and an unchanged row is not
checked against the database one query at a time. `make bench` times the same page (docs/benchmarks.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.admin_visit import admin_visit, change_form_fields
from delegations.models import Delegation, DelegationMember, ItineraryItem


def open_and_save(client, visit) -> tuple[int, int, list[tuple[str, str]]]:
    """The queries of opening the visit's change page and of posting its form back unchanged."""
    url = reverse("admin:delegations_delegation_change", args=[visit.pk])
    client.get(url)  # once before counting: caches filled on the first request (content types…) are not the rows'
    with CaptureQueriesContext(connection) as opened:
        response = client.get(url)
    assert response.status_code == 200
    fields = change_form_fields(response.content.decode(), "delegation_form")
    with CaptureQueriesContext(connection) as saved:
        response = client.post(url, _as_post([*fields, ("_save", "Save")]))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("admin:delegations_delegation_changelist")
    return len(opened), len(saved), fields


def _as_post(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


def test_open_and_save_cost_the_same_queries_for_a_small_and_a_large_visit(staff_client):
    small = admin_visit("small-visit", items=3, members=2)
    large = admin_visit("large-visit", items=15, members=10)

    small_open, small_save, _ = open_and_save(staff_client, small)
    large_open, large_save, large_fields = open_and_save(staff_client, large)

    # The form posted back is the whole page: every row of both inlines, with its stale-form fingerprint.
    assert dict(large_fields)["members-INITIAL_FORMS"] == "10"
    assert dict(large_fields)["itinerary_items-INITIAL_FORMS"] == "15"
    assert dict(large_fields)["opened_state"]
    assert (large_open, large_save) == (small_open, small_save)


def test_unchanged_save_writes_no_row_and_a_changed_row_is_still_checked(staff_client):
    visit = admin_visit("checked-visit", items=3, members=2)
    url = reverse("admin:delegations_delegation_change", args=[visit.pk])
    fields = change_form_fields(staff_client.get(url).content.decode(), "delegation_form")
    items_before = list(ItineraryItem.objects.filter(delegation=visit).values())

    response = staff_client.post(url, _as_post([*fields, ("_save", "Save")]))

    assert response.status_code == 302
    assert list(ItineraryItem.objects.filter(delegation=visit).values()) == items_before
    # A row that is changed is checked as before: a day outside the visit is refused, nothing saved.
    fields = change_form_fields(staff_client.get(url).content.decode(), "delegation_form")
    changed = [(name, "2030-01-01" if name == "itinerary_items-0-day" else value) for name, value in fields]
    response = staff_client.post(url, _as_post([*changed, ("_save", "Save")]))
    assert response.status_code == 200
    assert "is outside the visit" in response.content.decode()
    assert list(ItineraryItem.objects.filter(delegation=visit).values()) == items_before


def test_unchanged_rows_are_still_checked_against_the_visit(staff_client):
    """Moving the visit's days re-checks every item, changed or not: an unchanged item now outside is refused."""
    visit = admin_visit("moved-visit", items=3, members=2)
    url = reverse("admin:delegations_delegation_change", args=[visit.pk])
    fields = change_form_fields(staff_client.get(url).content.decode(), "delegation_form")
    moved = [(name, "2026-05-19" if name == "start_date" else value) for name, value in fields]

    response = staff_client.post(url, _as_post([*moved, ("_save", "Save")]))

    assert response.status_code == 200
    assert "is outside the visit" in response.content.decode()
    assert Delegation.objects.get(pk=visit.pk).start_date.isoformat() == "2026-05-18"


@pytest.mark.parametrize("posted", ["999999", "abc"])
def test_a_posted_person_that_is_no_record_is_refused_as_before(staff_client, posted):
    visit = admin_visit("keyed-visit", items=3, members=2)
    url = reverse("admin:delegations_delegation_change", args=[visit.pk])
    fields = change_form_fields(staff_client.get(url).content.decode(), "delegation_form")
    tampered = [(name, posted if name == "members-0-person" else value) for name, value in fields]

    response = staff_client.post(url, _as_post([*tampered, ("_save", "Save")]))

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_long_programme_saves_although_it_posts_more_fields_than_djangos_default_allows(staff_client):
    visit = admin_visit("long-visit", items=60, members=20)
    url = reverse("admin:delegations_delegation_change", args=[visit.pk])
    fields = change_form_fields(staff_client.get(url).content.decode(), "delegation_form")
    assert len(fields) > 1_000  # Django's default DATA_UPLOAD_MAX_NUMBER_FIELDS, which answered 400
    response = staff_client.post(url, _as_post([*fields, ("_save", "Save")]))
    assert response.status_code == 302


def writes(queries) -> list[str]:
    """The statements of a request that write, but the admin's own log of the action."""
    return [
        query["sql"]
        for query in queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_admin_log" not in query["sql"]
    ]


def history_counts(visit) -> tuple[int, int, int]:
    return (
        Delegation.history.filter(id=visit.pk).count(),
        ItineraryItem.history.filter(delegation_id=visit.pk).count(),
        DelegationMember.history.filter(delegation_id=visit.pk).count(),
    )


def test_an_unchanged_save_writes_no_row_no_history_and_keeps_the_visits_update_time(staff_client):
    visit = admin_visit("unchanged-visit", items=4, members=3)
    url = reverse("admin:delegations_delegation_change", args=[visit.pk])
    fields = change_form_fields(staff_client.get(url).content.decode(), "delegation_form")
    before = history_counts(visit)

    with CaptureQueriesContext(connection) as saved:
        response = staff_client.post(url, _as_post([*fields, ("_save", "Save")]))

    assert response.status_code == 302
    assert writes(saved.captured_queries) == []
    assert history_counts(visit) == before
    assert Delegation.objects.get(pk=visit.pk).updated_at == visit.updated_at


def test_a_changed_visit_field_is_saved_with_its_history_and_its_rows_are_not(staff_client):
    visit = admin_visit("retitled-visit", items=3, members=2)
    url = reverse("admin:delegations_delegation_change", args=[visit.pk])
    fields = change_form_fields(staff_client.get(url).content.decode(), "delegation_form")
    before = history_counts(visit)

    changed = [(name, "Retitled visit" if name == "title_en" else value) for name, value in fields]
    response = staff_client.post(url, _as_post([*changed, ("_save", "Save")]))

    assert response.status_code == 302
    assert Delegation.objects.get(pk=visit.pk).title_en == "Retitled visit"
    assert history_counts(visit) == (before[0] + 1, before[1], before[2])


def test_a_changed_row_of_an_unchanged_visit_is_saved_with_its_history(staff_client):
    visit = admin_visit("row-changed-visit", items=3, members=2)
    url = reverse("admin:delegations_delegation_change", args=[visit.pk])
    fields = change_form_fields(staff_client.get(url).content.decode(), "delegation_form")
    before = history_counts(visit)
    item_id = dict(fields)["itinerary_items-1-id"]

    changed = [
        (name, "Lunch at the Senate" if name == "itinerary_items-1-title_en" else value) for name, value in fields
    ]
    with CaptureQueriesContext(connection) as saved:
        response = staff_client.post(url, _as_post([*changed, ("_save", "Save")]))

    assert response.status_code == 302
    assert ItineraryItem.objects.get(pk=item_id).title_en == "Lunch at the Senate"
    assert history_counts(visit) == (before[0], before[1] + 1, before[2])
    assert not any('UPDATE "delegations_delegation"' in sql for sql in writes(saved.captured_queries))


def test_an_items_hosts_are_kept_when_its_row_is_saved_without_its_detail(staff_client):
    """The rows' hosts and participants are no longer read for the page: a row saved with its detail
    left out keeps them as they are."""
    visit = admin_visit("hosts-kept-visit", items=3, members=2)
    url = reverse("admin:delegations_delegation_change", args=[visit.pk])
    fields = change_form_fields(staff_client.get(url).content.decode(), "delegation_form")
    item = ItineraryItem.objects.get(pk=dict(fields)["itinerary_items-2-id"])
    hosts = sorted(item.hosts.values_list("pk", flat=True))
    assert len(hosts) == 2

    changed = [(name, "Moved" if name == "itinerary_items-2-title_en" else value) for name, value in fields]
    response = staff_client.post(url, _as_post([*changed, ("_save", "Save")]))

    assert response.status_code == 302
    assert ItineraryItem.objects.get(pk=item.pk).title_en == "Moved"
    assert sorted(item.hosts.values_list("pk", flat=True)) == hosts
