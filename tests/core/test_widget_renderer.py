"""core.widgets.PythonWidgetRenderer writes inputs, selects and options byte for byte as Django's own
templates do (the renderer Django uses when none is set), for every kind of value and attribute."""

import datetime

import pytest
from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from core.widgets import PythonWidgetRenderer

HOSTILE = "<script>alert(\"x\")</script> & 'quotes' \n é Иркутск"

WIDGETS = [
    (forms.TextInput(), "title", HOSTILE),
    (forms.TextInput(attrs={"required": True, "disabled": False, "maxlength": 250}), "title", None),
    (forms.NumberInput(attrs={"min": 0}), "count", 1200),
    (forms.HiddenInput(), "id", 17),
    (forms.HiddenInput(), "opened_state", "a:b/c=="),
    (forms.DateInput(), "day", datetime.date(2026, 5, 18)),
    (forms.TimeInput(), "start", datetime.time(9, 30)),
    (forms.DateTimeInput(), "at", datetime.datetime(2026, 5, 18, 9, 30)),
    (forms.CheckboxInput(), "DELETE", True),
    (forms.CheckboxInput(), "DELETE", False),
    (forms.EmailInput(), "email", "a@example.org"),
    (forms.URLInput(), "site", "https://example.org/?a=1&b=2"),
    (forms.PasswordInput(), "secret", "shown-never"),
    (admin_widgets.AdminDateWidget(), "day", "2026-05-18"),
    (admin_widgets.AdminTimeWidget(), "start", "09:30"),
    (admin_widgets.AdminTextInputWidget(), "city", HOSTILE),
    (admin_widgets.AdminIntegerFieldWidget(), "reported", 12),
    (forms.Select(choices=[("", "---------"), ("a", HOSTILE), ("b", gettext_lazy("Other"))]), "kind", "a"),
    (forms.Select(choices=[(1, 1000), (2, 2000.5)]), "n", 2),
    (forms.Select(choices=[("x", mark_safe("<b>safe</b>"))]), "safe", None),
    (forms.Select(choices=[("Europe", [("paris", "Paris"), ("lyon", "Lyon")]), ("none", "None")]), "city", "lyon"),
    (forms.SelectMultiple(choices=[("a", "A"), ("b", "B"), ("c", "C")]), "many", ["a", "c"]),
    (forms.NullBooleanSelect(), "flag", None),
    (forms.Textarea(), "description", HOSTILE),
    (forms.RadioSelect(choices=[("a", "A")]), "radio", "a"),
]


@pytest.mark.parametrize(("widget", "name", "value"), WIDGETS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_same_html_as_django_templates(widget, name, value, language, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    attrs = {"id": f"id_{name}", "class": "vTextField", "data-x": HOSTILE}
    with override(language):
        expected = widget.render(name, value, attrs=attrs, renderer=DjangoTemplates())
        written = widget.render(name, value, attrs=attrs, renderer=PythonWidgetRenderer())
    assert written == expected
    assert type(written) is type(expected)


@pytest.mark.parametrize("errors", [[], ["Enter a valid date.", HOSTILE]])
def test_error_lists_as_django_templates_write_them(errors):
    from django.forms.utils import ErrorList

    for renderer in (PythonWidgetRenderer(), NoTemplates()) if not errors else (PythonWidgetRenderer(),):
        written = ErrorList(errors, renderer=renderer)
        assert (written.as_ul(), str(written)) == (
            ErrorList(errors, renderer=DjangoTemplates()).as_ul(),
            str(ErrorList(errors, renderer=DjangoTemplates())),
        )


def test_the_site_uses_it(settings):
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "core.widgets.PythonWidgetRenderer"
    assert isinstance(get_default_renderer(), PythonWidgetRenderer)


class NoTemplates(PythonWidgetRenderer):
    def get_template(self, template_name):
        raise AssertionError(f"{template_name} was loaded")


@pytest.mark.parametrize(
    "widget",
    [
        forms.TextInput(),
        forms.HiddenInput(),
        forms.CheckboxInput(),
        admin_widgets.AdminTextInputWidget(),
        admin_widgets.AdminDateWidget(),
        admin_widgets.AdminTimeWidget(),
        forms.Select(choices=[("a", "A"), ("b", "B")]),
        forms.SelectMultiple(choices=[("a", "A")]),
    ],
    ids=lambda w: type(w).__name__,
)
def test_inputs_and_selects_load_no_template(widget):
    assert widget.render("field", "a", renderer=NoTemplates()).startswith(("<input", "<select", "<p class="))


@pytest.mark.parametrize("label", ["Title", HOSTILE, mark_safe("<b>Bold</b>"), gettext_lazy("Other")])
@pytest.mark.parametrize("attrs", [None, {"class": "required", "data-x": HOSTILE}, {"hidden": True, "off": False}])
@pytest.mark.parametrize("tag", [None, "legend"])
@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_labels_as_django_templates_write_them(label, attrs, tag, auto_id):
    def written(renderer):
        form = forms.Form(auto_id=auto_id, renderer=renderer)
        form.fields["title"] = forms.CharField(label=label)
        return form["title"].label_tag(attrs=attrs, tag=tag)

    expected, ours = written(DjangoTemplates()), written(PythonWidgetRenderer())
    assert ours == expected
    assert type(ours) is type(expected)


def related_fields(response):
    """The bound fields of an admin page whose widget the admin wraps with its add, change and view links."""
    forms_ = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", ()):
        forms_.extend(inline.formset.forms)
    return [
        form[name]
        for form in forms_
        for name, field in form.fields.items()
        if isinstance(field.widget, admin_widgets.RelatedFieldWidgetWrapper)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("who", ["staff_client", "viewer_client"])
def test_related_widget_links_as_django_templates_write_them(request, language, who):
    from django.urls import reverse

    from tests.factories import MeetingFactory

    client = request.getfixturevalue(who)
    meeting = MeetingFactory()
    pages = [
        reverse("admin:delegations_delegation_change", args=[meeting.delegation_id]),
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),  # a session limited to B2B sessions
        reverse("admin:meetings_meeting_add"),
    ]
    compared = 0
    with override(language):
        for page in pages:
            response = client.get(page, HTTP_ACCEPT_LANGUAGE=language)
            if response.status_code != 200:
                continue  # a Viewer adds nothing
            for bound in related_fields(response):
                widget, value = bound.field.widget, bound.value()
                expected = widget.render(bound.html_name, value, {"id": bound.auto_id}, renderer=DjangoTemplates())
                ours = widget.render(bound.html_name, value, {"id": bound.auto_id}, renderer=PythonWidgetRenderer())
                assert ours == expected
                compared += 1
    assert compared >= 5
