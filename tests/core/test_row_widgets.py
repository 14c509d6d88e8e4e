"""The widgets an inline draws on each of its rows, written once for all rows: a select of fixed
choices (RowSelect), the admin's links beside a related field, and the posted form each inline copies.
Each writes what Django's own would."""

import copy

import pytest
from django import forms
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.forms.renderers import DjangoTemplates
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy, override

from core.admin import RelatedLinksWidgetWrapper, posted_copy
from core.widgets import RowSelect
from delegations.models import ItineraryItem

CHOICES = [("", "---------"), ("meeting", gettext_lazy("Other")), ("<b>", "<script>x</script> & é")]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("value", ["meeting", "<b>", "", None, "unknown"])
def test_row_select_writes_what_djangos_select_writes(language, value):
    row_select = RowSelect(attrs={"class": "kind"}, choices=CHOICES)
    with override(language):
        expected = forms.Select(attrs={"class": "kind"}, choices=CHOICES).render(
            "items-0-kind", value, {"id": "id_items-0-kind", "required": True}, renderer=DjangoTemplates()
        )
        for row in (row_select, copy.deepcopy(row_select), copy.deepcopy(row_select)):  # written once, then reused
            assert row.render("items-0-kind", value, {"id": "id_items-0-kind", "required": True}) == expected


def test_row_select_rows_share_the_options_of_their_language_and_a_row_may_have_its_own():
    widget = RowSelect(choices=CHOICES)
    first, second = copy.deepcopy(widget), copy.deepcopy(widget)
    assert first.choices is second.choices is widget.choices
    with override("en"):
        first.render("a", "meeting")
    assert len(second.written_by_language) == 1  # the second row reuses what the first wrote

    second.choices = [("only", "Only")]
    with override("en"):
        assert 'value="only"' in second.render("b", "only")
        assert 'value="only"' not in first.render("a", "meeting")


@pytest.mark.django_db
@pytest.mark.parametrize("field_name", ["venue", "hosts", "delegation"])
def test_related_links_reversed_once_are_djangos_links(field_name):
    from django.contrib import admin

    field = ItineraryItem._meta.get_field(field_name)
    stock = RelatedFieldWidgetWrapper(
        forms.Select(),
        field.remote_field,
        admin.site,
        can_add_related=True,
        can_change_related=True,
        can_delete_related=True,
        can_view_related=True,
    )
    ours = copy.copy(stock)
    ours.__class__ = RelatedLinksWidgetWrapper
    ours.related_urls = {}
    rows = [copy.deepcopy(ours) for _ in range(3)]
    for index, row in enumerate(rows):
        name = f"items-{index}-{field_name}"
        assert row.get_context(name, None, {"id": f"id_{name}"}) == stock.get_context(name, None, {"id": f"id_{name}"})
    assert rows[0].related_urls is rows[2].related_urls
    assert reverse(f"admin:{field.related_model._meta.app_label}_{field.related_model._meta.model_name}_add") in {
        *ours.related_urls.values()
    }


def test_posted_copy_is_a_mutable_copy_of_every_value():
    posted = QueryDict("a=1&a=2&b=%C3%A9&c=", mutable=False)
    copied = posted_copy(posted)
    assert list(copied.lists()) == list(posted.lists()) == list(posted.copy().lists())
    copied.setlist("a", ["3"])
    copied.getlist("b").append("x")
    assert posted.getlist("a") == ["1", "2"]
    assert posted.getlist("b") == ["é"]
    assert copied.encoding == posted.encoding


def test_lazy_text_follows_the_active_language():
    from core.widgets import escaped, lazy_text

    label = gettext_lazy("Change")
    for _round in range(2):  # the second round reads what the first kept
        with override("fr"):
            assert lazy_text(label) == "Modifier"
        with override("en"):
            assert lazy_text(label) == "Change"
    untranslated = "<%(x)s>"  # a variable, so that makemessages does not take it into the catalogues
    with override("fr"):
        assert escaped(gettext_lazy(untranslated)) == "&lt;%(x)s&gt;"


@pytest.mark.django_db
def test_an_inlines_labels_are_those_of_each_pages_language(staff_client):
    from tests.factories import DelegationFactory

    url = reverse("admin:delegations_delegation_change", args=[DelegationFactory().pk])
    for language, label, other in (
        ("fr", "ou une nouvelle personne", "or a new person"),
        ("en", "or a new person", "ou une nouvelle personne"),
        ("fr", "ou une nouvelle personne", "or a new person"),
    ):
        page = staff_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'for="id_members-0-new_person_name">{label}' in page
        assert other not in page
