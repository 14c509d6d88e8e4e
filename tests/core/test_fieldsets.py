"""The admin's fieldsets written in Python (core.fieldsets) say what Django's admin/includes/fieldset.html
says, on real admin pages: fields side by side and alone, labels, help, errors, read-only values,
check boxes, hidden fields, folded fieldsets."""

import re
from pathlib import Path

import django.contrib.admin
import pytest
from django.template import Context, Engine
from django.urls import reverse

from core.fieldsets import render_fieldset
from tests.factories import DelegationFactory, ItineraryItemFactory, MeetingFactory, PersonFactory
from tests.helpers import change_form_data

pytestmark = pytest.mark.django_db

DJANGO_FIELDSET = Path(django.contrib.admin.__file__).parent / "templates" / "admin" / "includes" / "fieldset.html"


def djangos(fieldset, **parameters) -> str:
    engine = Engine(libraries={"i18n": "django.templatetags.i18n", "static": "django.templatetags.static"})
    template = engine.from_string(DJANGO_FIELDSET.read_text())
    return template.render(Context({"fieldset": fieldset, **parameters}))


def plain(html: str) -> str:
    """Whitespace between tags, and runs of it, do not change what the page says."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def fieldsets_of(response):
    """Each fieldset of an admin change page with the parameters its template includes it with."""
    for index, fieldset in enumerate(response.context["adminform"]):
        yield fieldset, {"heading_level": 2, "prefix": "fieldset", "id_prefix": 0, "id_suffix": index}
    for inline in response.context["inline_admin_formsets"]:
        for row, inline_form in enumerate(inline):
            for index, fieldset in enumerate(inline_form):
                yield (
                    fieldset,
                    {"heading_level": 4, "prefix": inline.formset.prefix, "id_prefix": row, "id_suffix": index},
                )


def assert_same(response) -> int:
    compared = 0
    for fieldset, parameters in fieldsets_of(response):
        if any(
            name not in fieldset.form.fields
            for line in fieldset.fields
            for name in ((line,) if isinstance(line, str) else line)
            if name not in fieldset.readonly_fields
        ):
            continue  # an item's detail left out of the page (tests/delegations/test_item_detail.py)
        assert plain(render_fieldset(fieldset, **parameters)) == plain(djangos(fieldset, **parameters))
        compared += 1
    return compared


@pytest.fixture
def visit():
    visit = DelegationFactory()
    ItineraryItemFactory(delegation=visit, description="<b>Talks</b> & “lunch”")
    return visit


def test_a_visits_page_as_staff_see_it(staff_client, visit):
    response = staff_client.get(reverse("admin:delegations_delegation_change", args=[visit.pk]))
    assert assert_same(response) > 10


def test_a_visits_page_shown_again_with_its_errors(staff_client, visit):
    url = reverse("admin:delegations_delegation_change", args=[visit.pk])
    data = change_form_data(staff_client.get(url))
    data.update({"title_en": "", "end_date": "not a date", "itinerary_items-0-start_time": "25:99"})
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "errorlist" in plain(render_fieldset(next(iter(response.context["adminform"]))))
    assert assert_same(response) > 10


def test_a_visits_page_read_only_for_a_viewer(viewer_client, visit):
    response = viewer_client.get(reverse("admin:delegations_delegation_change", args=[visit.pk]))
    assert assert_same(response) >= 8  # the visit's, its item's and its share links' (no rows to add)


def test_a_meetings_and_a_persons_pages(staff_client):
    meeting = MeetingFactory()
    person = PersonFactory()
    for url in (
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        reverse("admin:contacts_person_change", args=[person.pk]),  # check boxes
        reverse("admin:contacts_person_add"),
        reverse("admin:delegations_itineraryitem_change", args=[meeting.delegation.itinerary_items.first().pk])
        if meeting.delegation.itinerary_items.exists()
        else reverse("admin:delegations_itineraryitem_add"),
    ):
        assert assert_same(staff_client.get(url)) > 0
