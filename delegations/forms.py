import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import EARLIEST, LATEST, is_ambiguous, zone_or_none

from .models import ShareLink


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


class ShareLinkForm(forms.ModelForm):
    """A share link's form. A revoked or expired link keeps its state when its expiry changes: only an
    explicit "Reactivate" brings it back (delegations.services.share_link_reactivate)."""

    reactivate = forms.BooleanField(
        label=_("Reactivate"),
        required=False,
        help_text=_("Bring this revoked or expired link back, until the expiry above (or for good if none)."),
    )

    class Meta:
        model = ShareLink
        fields = ("delegation", "label", "expires_at")

    def clean(self):
        cleaned = super().clean()
        link = self.instance  # as stored: the form's values reach it only after clean()
        if link._state.adding:
            return cleaned
        inactive = link.get_status() != ShareLink.Status.ACTIVE
        expires_at = cleaned.get("expires_at")
        # The form shows the expiry to the second: the same second is the same expiry.
        moved = (expires_at is None) != (link.expires_at is None) or (
            expires_at is not None and abs(expires_at - link.expires_at) >= datetime.timedelta(seconds=1)
        )
        if cleaned.get("reactivate"):
            if not inactive:
                self.add_error(None, _("This link is active: there is nothing to reactivate."))
            elif expires_at is not None and expires_at <= timezone.now():
                self.add_error("expires_at", _("Give an expiry in the future, or none."))
        elif inactive and moved:
            self.add_error(
                "expires_at",
                _("This link is revoked or expired: a new expiry does not bring it back. Tick “Reactivate” to do so."),
            )
        return cleaned


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
