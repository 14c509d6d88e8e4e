"""Each form of a row copies its class's fields with core.form_copies (RowFields), as copy.deepcopy would:
the same classes and values, its own widget, attributes, error messages, validators and widget choices,
and anything else deep-copied by Django's own methods."""

import copy

from django import forms
from django.urls import reverse

from bench.admin_visit import admin_visit
from core.form_copies import RowFields, field_copy
from core.widgets import RowTypedChoiceField


def assert_same_copy(ours, djangos, original):
    """`ours` holds what `djangos` (copy.deepcopy's) holds: the original's own values where Django's copy
    shares them, equal values of its own where Django's copy has its own."""
    assert type(ours) is type(djangos) is type(original)
    assert ours is not original
    assert vars(ours).keys() == vars(djangos).keys()
    for name, value in vars(djangos).items():
        mine, before = vars(ours)[name], vars(original).get(name)
        if value is before:
            assert mine is before, name
        elif name == "widget":
            assert_same_copy(mine, value, before)
        else:
            assert mine is not before, name
            assert type(mine) is type(value), name
            if isinstance(value, dict | list | tuple | str):
                assert mine == value, name


def test_every_row_field_of_the_visit_page_is_copied_as_deepcopy_copies_it(staff_client):
    visit = admin_visit("copies-visit", items=3, members=2)
    response = staff_client.get(reverse("admin:delegations_delegation_change", args=[visit.pk]))

    checked = 0
    for inline_admin_formset in response.context["inline_admin_formsets"]:
        base_fields = inline_admin_formset.formset.form.base_fields
        assert isinstance(base_fields, RowFields)
        for field in base_fields.values():
            assert_same_copy(field_copy(field, {}), copy.deepcopy(field), field)
            checked += 1
        # A form's fields are its own: changing them leaves the class's and the other rows' alone.
        rows = inline_admin_formset.formset.forms
        if len(rows) < 2:
            continue  # the follow-ups: none on this visit
        first, second = rows[:2]
        name = next(name for name, field in first.fields.items() if isinstance(field.widget, forms.TextInput))
        first.fields[name].widget.attrs["data-test"] = "1"
        first.fields[name].error_messages["required"] = "changed"
        assert "data-test" not in second.fields[name].widget.attrs
        assert "data-test" not in base_fields[name].widget.attrs
        assert base_fields[name].error_messages.get("required") != "changed"
    assert checked > 40


def test_fields_with_copies_of_their_own_are_deep_copied_and_a_shared_widget_once():
    from django.contrib.auth import get_user_model

    users = forms.ModelChoiceField(get_user_model().objects.all())
    widget = forms.TextInput(attrs={"size": 10})
    fields = RowFields(
        first=forms.CharField(widget=widget),
        kind=RowTypedChoiceField(choices=[("a", "A"), ("b", "B")]),
        users=users,
    )
    fields["second"] = fields["first"]  # the same field twice: one copy, as deepcopy's memo gives

    copied = copy.deepcopy(fields)

    assert type(copied) is dict and list(copied) == ["first", "kind", "users", "second"]
    assert copied["second"] is copied["first"] and copied["first"] is not fields["first"]
    assert copied["first"].widget.attrs == fields["first"].widget.attrs
    assert copied["first"].widget is not widget and copied["first"].widget.attrs is not widget.attrs
    assert copied["kind"].choices is fields["kind"].choices  # shared: never changed in place
    assert copied["users"].queryset is not users.queryset  # Django's own copy: a queryset of its own
    assert copied["users"].widget.choices.field is copied["users"]
