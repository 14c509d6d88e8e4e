"""The media of an inline on a change page, gathered once for each set of fields its rows have
(core.admin.RowsMedia), are Django's own sum over every row: the same scripts and style sheets, in the
same order, whoever looks (may add rows or not) and whatever the rows hold."""

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from bench.admin_visit import admin_visit
from core.admin import RowsMedia


def django_media(inline_admin_formset) -> tuple[list, list]:
    media = helpers.InlineAdminFormSet.media.fget(inline_admin_formset)
    return media._css_lists, media._js_lists


def inline_formsets(client, visit):
    response = client.get(reverse("admin:delegations_delegation_change", args=[visit.pk]))
    assert response.status_code == 200
    return response.context["inline_admin_formsets"]


def test_each_inline_has_djangos_media_on_a_visit_with_rows(staff_client):
    visit = admin_visit("media-visit", items=4, members=3)

    formsets = inline_formsets(staff_client, visit)

    assert [type(formset) for formset in formsets] == [RowsMedia] * len(formsets)
    for formset in formsets:
        ours = formset.media
        assert (ours._css_lists, ours._js_lists) == django_media(formset)
        assert str(ours) == str(helpers.InlineAdminFormSet.media.fget(formset))
    # The rows' widgets bring their scripts: the autocompletes' select2 and the pickers' own.
    scripts = str(formsets[0].media) + str(formsets[1].media)
    assert "select2" in scripts and "delegations/pickers.js" in scripts


def test_rows_of_different_fields_still_add_their_own_media(staff_client):
    # An item whose detail is folded has no hosts or participants fields; the added row and the empty one do.
    visit = admin_visit("media-shapes", items=2, members=1)

    formsets = inline_formsets(staff_client, visit)

    items = next(formset for formset in formsets if formset.formset.prefix == "itinerary_items")
    shapes = {tuple(form.fields) for form in [*items.formset.forms, items.formset.empty_form]}
    assert len(shapes) > 1
    assert (items.media._css_lists, items.media._js_lists) == django_media(items)


@pytest.mark.django_db
def test_a_viewer_gets_djangos_media_without_the_added_rows(member_client):
    visit = admin_visit("media-viewer", items=3, members=2)
    client = member_client("Viewers")

    formsets = inline_formsets(client, visit)

    assert formsets
    for formset in formsets:
        assert not formset.has_add_permission
        assert (formset.media._css_lists, formset.media._js_lists) == django_media(formset)
