"""Admin pickers for places: host countries searched and kept in the order picked, time zones searched
(the page holds the chosen zone only, not 597 options a row), a row's city and zone filled from its venue
or suggested from its city. Everything is driven by static scripts: the site's CSP allows no inline one."""

from django import forms
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.admin import reversed_once
from core.widgets import KnownChoices, LongSelect, attributes, escaped

from .fields import TimeZoneField, known_time_zones
from .places import zone_label


def select2_js() -> tuple[str, ...]:
    """The admin's own jQuery and select2, by the names its autocomplete widgets use (minified unless
    DEBUG): two names for one library load it twice, and a second jQuery breaks the first's select2s
    (removing a chosen person from a participants box did nothing)."""
    extra = "" if settings.DEBUG else ".min"
    return (
        f"admin/js/vendor/jquery/jquery{extra}.js",
        f"admin/js/vendor/select2/select2.full{extra}.js",
        "admin/js/jquery.init.js",
    )


SELECT2_CSS = ("admin/css/vendor/select2/select2.css", "admin/css/autocomplete.css")


class OrderedSelectMultiple(LongSelect, forms.SelectMultiple):
    """A searchable multiple choice that keeps the order of the picks: the chosen options come last, in the
    order of the value, and the script moves each new pick after them. A form posts the options of a
    select in the page's order, so the order picked is the order saved."""

    def __init__(self, attrs=None, choices=()):
        attrs = {"class": "ordered-picker", "data-placeholder": _("Type to search"), **(attrs or {})}
        super().__init__(attrs, choices)

    def render(self, name, value, attrs=None, renderer=None):
        """As the options of `optgroups` write, each option written once per language (LongSelect)."""
        if not self.has_plain_choices():
            return super().render(name, value, attrs, renderer)
        chosen = [str(item) for item in self.format_value(value) if item not in (None, "")]
        written = self.written_options()
        by_value = {choice: selected for choice, _plain, selected in written}
        final_attrs = {**self.build_attrs(self.attrs, attrs), "multiple": True}
        parts = [f'<select name="{escaped(name)}"', attributes(final_attrs), ">"]
        parts.extend(plain for choice, plain, _selected in written if choice not in chosen)
        parts.extend(by_value[item] for item in dict.fromkeys(chosen) if item in by_value)
        parts.append("\n</select>")
        return mark_safe("".join(parts))

    def optgroups(self, name, value, attrs=None):
        chosen = [str(item) for item in value if item not in (None, "")]
        groups = super().optgroups(name, chosen, attrs)
        options = [option for _name, group, _index in groups for option in group]
        by_value = {str(option["value"]): option for option in options}
        rest = [option for option in options if str(option["value"]) not in chosen]
        picked = [by_value[item] for item in dict.fromkeys(chosen) if item in by_value]
        return [(None, rest + picked, 0)]

    @property
    def media(self):
        return forms.Media(js=(*select2_js(), "delegations/pickers.js"), css={"screen": SELECT2_CSS})


class TimeZoneAutocomplete(forms.Select):
    """A time zone picked by typing part of its name: the page holds the chosen zone only, the others come
    from the admin's zone search. The form field still checks the posted name against every zone."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "zone-picker", "data-placeholder": _("Type a city or zone"), **(attrs or {})})
        self.urls = {}  # shared by every row's copy of the widget

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-zones-url": reversed_once(self.urls, "admin:delegations_venue_time_zones"),
                "data-place-url": reversed_once(self.urls, "admin:delegations_venue_place"),
            }
        )
        return context

    def optgroups(self, name, value, attrs=None):
        known = known_time_zones()
        chosen = next((item for item in value if item in known), "")
        options = [self.create_option(name, "", "", not chosen, 0)]
        if chosen:
            options.append(self.create_option(name, chosen, zone_label(chosen), True, 1))
        return [(None, options, 0)]

    @property
    def media(self):
        return forms.Media(js=(*select2_js(), "delegations/pickers.js"), css={"screen": SELECT2_CSS})


class PlacePickersMixin:
    """A ModelAdmin or inline whose time zones are searched, and whose multiple countries keep their order."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, TimeZoneField):
            kwargs["widget"] = TimeZoneAutocomplete
        elif isinstance(db_field, CountryField):
            kwargs["widget"] = OrderedSelectMultiple if db_field.multiple else LongSelect
            field = super().formfield_for_dbfield(db_field, request, **kwargs)
            # The same countries, translated and sorted once per language (the field's own choices do it
            # each time they are read: to draw the select, then to check each value posted).
            field.choices = KnownChoices(translated_choices(field, db_field, get_language()))
            return field
        return super().formfield_for_dbfield(db_field, request, **kwargs)


_translated_choices: dict = {}  # (model field, language) -> its form field's choices, as plain text


def translated_choices(field, db_field, language: str | None) -> list[tuple[str, str]]:
    """`field`'s choices in `language`, read once for each model field and language."""
    key = (db_field, language)
    if key not in _translated_choices:
        _translated_choices[key] = [(value, str(label)) for value, label in field.choices]
    return _translated_choices[key]
