"""Admin pickers for places: host countries searched and kept in the order picked, time zones searched
(the page holds the chosen zone only, not 597 options a row), a row's city and zone filled from its venue
or suggested from its city. Everything is driven by static scripts: the site's CSP allows no inline one."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.admin import reversed_once
from core.widgets import LongSelect

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
        elif isinstance(db_field, CountryField) and db_field.multiple:
            kwargs["widget"] = OrderedSelectMultiple
        return super().formfield_for_dbfield(db_field, request, **kwargs)
