from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.dates import EARLIEST, LATEST, is_ambiguous, zone_or_none


class AgreementPartyFormSet(forms.BaseInlineFormSet):
    """An agreement binds at least two different organizations."""

    def clean(self):
        super().clean()
        organizations = {
            form.cleaned_data["organization"]
            for form in self.forms
            if form.cleaned_data.get("organization") and not form.cleaned_data.get("DELETE")
        }
        if len(organizations) < 2:
            raise forms.ValidationError(_("An agreement needs at least two different parties."), code="too_few_parties")


class LocalTimesForm(forms.ModelForm):
    """A form of something held at local times: the choice between the two occurrences of a time the clocks
    show twice (they go back over it that night) is offered only for such a time, as saved or as typed."""

    day_field = "day"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for fold, time in (("start_fold", "start_time"), ("end_fold", "end_time")):
            if fold in self.fields and not self.shows_twice(time):
                self.fields[fold].widget = forms.HiddenInput()

    def value_of(self, name: str):
        """The field's value as typed (or saved), or None when it is missing or malformed."""
        if name not in self.fields:
            return getattr(self.instance, name, None)
        try:
            return self.fields[name].to_python(self[name].value())
        except ValidationError:
            return None

    def shows_twice(self, time_field: str) -> bool:
        day, time = self.value_of(self.day_field), self.value_of(time_field)
        zone = zone_or_none(self.value_of("time_zone") or getattr(self.instance, "time_zone", ""))
        if day is None or time is None or zone is None or not EARLIEST <= day <= LATEST:
            return False
        return is_ambiguous(day, time, zone)
