"""Widgets written straight from their values (core.bound_widgets) say byte for byte what Django's own
widget templates say: one widget of each kind with awkward values, and a visit's whole change page,
opened and shown again with its errors, rendered both ways."""

import datetime
import re
from pathlib import Path

import django.contrib.admin
import pytest
from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.forms.renderers import DjangoTemplates
from django.template import Context, engines
from django.urls import reverse

import core.bound_widgets
from contacts.models import Sector
from core.bound_widgets import widget_attrs, written
from core.inline_rows import render_rows
from core.templatetags.admin_fieldsets import included_fieldset
from delegations.admin_detail import item_detail_fieldset
from delegations.admin_programme import FollowUpInline, ItineraryItemInline, MemberInline
from delegations.models import DelegationMember, ItineraryItem
from tests.factories import (
    DelegationFactory,
    DelegationMemberFactory,
    FollowUpFactory,
    ItineraryItemFactory,
    OrganizationFactory,
    VenueFactory,
)
from tests.helpers import change_form_data

pytestmark = pytest.mark.django_db

AWKWARD = ["", None, 0, "plain", "<b>\"quoted\" & 'single'</b>", "\nstarts with a line feed", "é — ё"]
ATTRS = [{}, {"id": "id_x", "required": True, "aria-describedby": "id_x_helptext", "aria-invalid": "true"}]


def djangos(widget, value, attrs) -> str:
    return widget.render("rows-0-x", value, attrs, renderer=DjangoTemplates())


@pytest.mark.parametrize("value", AWKWARD)
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize(
    "widget",
    [
        forms.TextInput(),
        forms.HiddenInput(),
        forms.NumberInput(attrs={"min": 0}),
        admin_widgets.AdminTextInputWidget(),
        admin_widgets.AdminIntegerFieldWidget(),
        forms.Textarea(attrs={"rows": 2}),
        admin_widgets.AdminTextareaWidget(),
    ],
    ids=lambda widget: type(widget).__name__,
)
def test_inputs_and_textareas_as_djangos(widget, value, attrs):
    assert written(widget, "rows-0-x", value, attrs) == djangos(widget, value, attrs)


@pytest.mark.parametrize("value", [True, False, None, "", "on", "<x>"])
def test_checkbox_as_djangos(value):
    widget = forms.CheckboxInput()
    for attrs in ATTRS:
        assert written(widget, "rows-0-x", value, attrs) == djangos(widget, value, attrs)


@pytest.mark.parametrize(
    "value", [None, "", datetime.date(2026, 5, 18), datetime.time(8, 5), "2026-05-18", "not a <date>"]
)
@pytest.mark.parametrize("widget_class", [admin_widgets.AdminDateWidget, admin_widgets.AdminTimeWidget])
def test_admin_dates_and_times_as_djangos(widget_class, value):
    widget = widget_class()
    for attrs in ATTRS:
        assert written(widget, "rows-0-x", value, attrs) == djangos(widget, value, attrs)


def test_a_widget_drawn_its_own_way_is_left_to_django():
    class Marked(forms.TextInput):
        def get_context(self, name, value, attrs):
            context = super().get_context(name, value, attrs)
            context["widget"]["attrs"]["data-marked"] = "yes"
            return context

    class OwnOptions(forms.Select):
        def create_option(self, *args, **kwargs):
            option = super().create_option(*args, **kwargs)
            option["attrs"]["data-marked"] = "yes"
            return option

    assert written(Marked(), "x", "1", {}) is None
    assert written(OwnOptions(choices=[("a", "A")]), "x", "a", {}) is None


@pytest.mark.parametrize("value", [None, "", "a", "<b>", ["a", "<b>"], "missing"])
@pytest.mark.parametrize(
    "widget",
    [
        forms.Select(choices=[("", "---"), ("a", "A & co"), ("<b>", "<i>")]),
        forms.Select(choices=[("Group <1>", [("a", "A"), ("<b>", "B")]), ("c", "C")], attrs={"class": "x"}),
        forms.SelectMultiple(choices=[("a", "A"), ("<b>", "B"), ("c", "C")]),
    ],
)
def test_selects_drawn_from_their_own_options_as_djangos(widget, value):
    # Any select whose options are Django's own (time zones, the visit's own autocompletes): its context,
    # written by the Python renderer's select, without BoundField.as_widget around it.
    for attrs in ATTRS:
        assert written(widget, "rows-0-x", value, attrs) == djangos(widget, value, attrs)


def same_page(html: bytes) -> str:
    """The page without what differs on every rendering: the CSRF token and the signed opened state."""
    return re.sub(r'(name="(?:csrfmiddlewaretoken|opened_state)" value=")[^"]*"', r'\1"', html.decode())


@pytest.fixture
def visit():
    """A visit with a value in every kind of field its page draws, some needing escapes."""
    visit = DelegationFactory(
        title='Irkutsk <to> "France" & co',
        description="<script>alert(1)</script>\nsecond line",
        reported_meetings=3,
    )
    hosts = [OrganizationFactory(name=f"Host <{rank}> & “co”") for rank in range(3)]
    visit.supporting_organizations.set(hosts[:2])
    visit.priority_sectors.set([Sector.objects.create(name="Energy & <water>", slug="energy")])
    DelegationMemberFactory(
        delegation=visit, role=DelegationMember.Role.HEAD, title="Governor & <chair>", organization=hosts[0]
    )
    DelegationMemberFactory(delegation=visit, title="", person=None, organization=hosts[1], title_en="Adviser")
    venue = VenueFactory(name='Hôtel "<de> Ville"')
    item = ItineraryItemFactory(
        delegation=visit,
        title="Talks <b>&</b>",
        title_fr="Entretiens « bis »",
        kind=ItineraryItem.Kind.OFFICIAL_MEETING,
        venue=venue,
        city="Paris",
        time_zone="Europe/Paris",
        reported_meetings=2,
        description="<b>Talks</b> & “lunch”",
    )
    item.hosts.set(hosts)
    ItineraryItemFactory(delegation=visit, venue=None, city="Lyon", start_time=datetime.time(8, 5), end_time=None)
    follow_up = FollowUpFactory(delegation=visit, title="Plant <b>", due_date=datetime.date(2019, 1, 31))
    follow_up.organizations.set(hosts[1:])
    return visit


def rendered_both_ways(client, settings, monkeypatch, request) -> tuple[str, str, int]:
    """The page through the widgets written here, then through Django's templates only, and how many
    widgets were written here."""
    written_here = []

    def counted(*args):
        html = written(*args)
        written_here.append(html is not None)
        return html

    monkeypatch.setattr(core.bound_widgets, "written", counted)
    fast = request()
    monkeypatch.undo()
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"  # every widget through its templates
    stock = request()
    return same_page(fast.content), same_page(stock.content), sum(written_here)


def test_a_visits_page_opened_is_djangos(staff_client, settings, monkeypatch, visit):
    url = reverse("admin:delegations_delegation_change", args=[visit.pk])
    fast, stock, count = rendered_both_ways(staff_client, settings, monkeypatch, lambda: staff_client.get(url))
    assert count > 100
    assert fast == stock
    assert "Talks &lt;b&gt;&amp;&lt;/b&gt;" in fast


def test_a_visits_page_shown_again_with_its_errors_is_djangos(staff_client, settings, monkeypatch, visit):
    url = reverse("admin:delegations_delegation_change", args=[visit.pk])
    data = change_form_data(staff_client.get(url))
    data.update(
        {
            "title_en": "",
            "end_date": "not a <date>",
            "reported_meetings": "-x",
            "itinerary_items-0-start_time": "25:99",
            "itinerary_items-0-title_fr": 'typed <again> "here"',
            "itinerary_items-1-venue": "999999",
            "members-0-new_person_native_name": "Без имени",
            "follow_ups-0-due_date": "31/31/2019",
        }
    )
    data.pop("itinerary_items-0-city", None)
    fast, stock, count = rendered_both_ways(staff_client, settings, monkeypatch, lambda: staff_client.post(url, data))
    assert count > 100
    assert fast == stock
    assert fast.count('class="errorlist') >= 5
    assert 'value="typed &lt;again&gt; &quot;here&quot;"' in fast
    assert 'value="not a &lt;date&gt;"' in fast
    assert 'value="25:99"' in fast


def test_widget_attributes_are_those_as_widget_gives(staff_client, visit):
    url = reverse("admin:delegations_delegation_change", args=[visit.pk])
    data = change_form_data(staff_client.get(url))
    data.update({"title_en": "", "itinerary_items-0-start_time": "25:99", "members-0-title_en": ""})
    response = staff_client.post(url, data)
    forms_shown = [response.context["adminform"].form]
    forms_shown += [form for inline in response.context["inline_admin_formsets"] for form in inline.formset.forms]
    compared = 0
    for form in forms_shown:
        for bound in form:
            widget = bound.field.widget
            expected = bound.build_widget_attrs({}, widget)
            if bound.auto_id and "id" not in widget.attrs:
                expected.setdefault("id", bound.auto_id)
            assert list(widget_attrs(bound, widget).items()) == list(expected.items()), bound.html_name
            compared += 1
    assert compared > 50
    assert any(form.errors for form in forms_shown)


DJANGO_STACKED = Path(django.contrib.admin.__file__).parent / "templates" / "admin" / "edit_inline" / "stacked.html"
INCLUDED_FIELDSET = (
    '{% include "admin/includes/fieldset.html" with heading_level=4 prefix=fieldset.formset.prefix '
    "id_prefix=parent_counter id_suffix=forloop.counter0 %}"
)
PROGRAMME_FIELDSET = (
    "{% programme_fieldset fieldset inline_admin_form.form 4 fieldset.formset.prefix parent_counter forloop.counter0 %}"
)


def djangos_rows(inline_admin_formset) -> str:
    """The rows as the loop of Django's stacked.html writes them; an item's fieldsets by the tag that
    draws its detail as a placeholder, as the visit page's template did before its rows were written in
    Python."""
    source = DJANGO_STACKED.read_text()
    loop = source[source.index("{% for inline_admin_form") : source.rindex("{% endfor %}") + len("{% endfor %}")]
    if isinstance(inline_admin_formset.opts, ItineraryItemInline):
        loop = loop.replace(INCLUDED_FIELDSET, PROGRAMME_FIELDSET)
    assert INCLUDED_FIELDSET not in loop or not isinstance(inline_admin_formset.opts, ItineraryItemInline)
    template = engines["django"].engine.from_string("{% load i18n admin_urls programme_admin %}" + loop)
    return template.render(Context({"inline_admin_formset": inline_admin_formset}))


def pythons_rows(inline_admin_formset) -> str:
    if isinstance(inline_admin_formset.opts, ItineraryItemInline):
        return render_rows(inline_admin_formset, item_detail_fieldset)
    return render_rows(inline_admin_formset, included_fieldset)


@pytest.mark.parametrize("shown_again", [False, True], ids=["opened", "shown again with errors"])
def test_inline_rows_written_in_python_are_djangos_loop(staff_client, visit, shown_again):
    url = reverse("admin:delegations_delegation_change", args=[visit.pk])
    response = staff_client.get(url)
    if shown_again:
        data = change_form_data(response)
        data.update({"members-0-new_person_name": "Typed <new>", "members-0-title_en": "", "title_en": ""})
        response = staff_client.post(url, data)
        assert response.status_code == 200
    inlines = response.context["inline_admin_formsets"]
    kinds = (MemberInline, ItineraryItemInline, FollowUpInline)
    assert [next(kind for kind in kinds if isinstance(inline.opts, kind)) for inline in inlines] == list(kinds)
    for inline in inlines:
        assert pythons_rows(inline) == djangos_rows(inline)
    page = response.content.decode()
    assert 'class="inlinechangelink"' in page  # a follow-up's link to its own page
    assert '<span class="delete"><input type="checkbox" name="members-0-DELETE"' in page
    if shown_again:
        assert "errornote" in page or "errorlist nonfield" in page
