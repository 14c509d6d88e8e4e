import zoneinfo
from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.widgets import KnownChoices, SharedChoicesMixin


@cache
def time_zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones() - {"Factory", "localtime", "posixrules"}))


@cache
def known_time_zones() -> frozenset[str]:
    return frozenset(time_zone_names())


@cache
def zone_choices(blank: bool) -> KnownChoices:
    """Every zone as a choice (and a blank one first when `blank`), made and normalized once."""
    choices = [(name, name.replace("_", " ")) for name in time_zone_names()]
    return KnownChoices([("", "---------"), *choices] if blank else choices)


def validate_time_zone(value: str) -> None:
    if value not in known_time_zones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone. Use an IANA name such as Europe/Paris or Asia/Irkutsk."),
            code="invalid_time_zone",
            params={"value": value},
        )


class TimeZoneChoiceField(SharedChoicesMixin, forms.ChoiceField):
    """A choice of zone whose list (597 names) every form shares: Django's field and widget copy and
    check the list again for each form, 60 times on a visit's page of 30 items."""


class TimeZoneField(models.CharField):
    """An IANA time zone name, offered as a list in forms.

    The list is not stored in migrations, so a tzdata update never creates one.
    """

    default_validators = [validate_time_zone]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        choices = zone_choices(self.blank)
        # A choice field, so that an unknown zone is a field error before anything reads it (the model's
        # validator says the same later), and always a list: the admin would otherwise pass a text input.
        options = {"required": not self.blank, "label": capfirst(self.verbose_name), "help_text": self.help_text}
        if self.has_default():
            options["initial"] = self.get_default()
        options.update((key, value) for key, value in kwargs.items() if key in {"required", "label", "initial"})
        # The admin may give a searchable select (delegations.widgets.TimeZoneAutocomplete); any other widget
        # it gives for a CharField (a text input) is not taken.
        widget = kwargs.get("widget")
        if isinstance(widget, type) and issubclass(widget, forms.Select):
            widget = widget(choices=choices)
        elif not isinstance(widget, forms.Select):
            widget = forms.Select(choices=choices)
        return TimeZoneChoiceField(choices=choices, widget=widget, **options)
