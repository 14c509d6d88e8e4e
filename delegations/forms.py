from django import forms
from django.utils.translation import gettext_lazy as _


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
