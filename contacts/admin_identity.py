"""The add forms of people and organizations offer the records that may be the same one under another
spelling before saving: staff choose "same as …" (the typed spelling is kept as another name of that record)
or "new record". Nothing is merged silently."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_protect

from .identity_candidates import organization_candidates, person_candidates, with_current_positions
from .lookup import NEW, SAME
from .models import Person
from .services import spellings_add

IDENTITY_FIELD = "identity"


def candidates_for(model, name: str, native_name: str) -> list:
    find = person_candidates if model is Person else organization_candidates
    return find(name=name.strip(), native_name=native_name.strip())


def candidate_label(record):
    """Name, native name, what they do (people) or where (organizations), and a link to open it."""
    url = reverse(f"admin:contacts_{record._meta.model_name}_change", args=[record.pk])
    if isinstance(record, Person):
        details = "; ".join(f"{p.title}, {p.organization}" for p in record.current_positions)
    else:
        details = ", ".join(str(part) for part in (record.city, record.country.name, record.parent) if part)
    parts = [_("Same as %(name)s") % {"name": record.name}]
    if record.native_name:
        parts.append(f"({record.native_name})")
    if details:
        parts.append(f"— {details}")
    return format_html('{} <a href="{}" target="_blank">{}</a>', " ".join(parts), url, _("open"))


class SameAsFormMixin:
    """On an add form: when records may be this one, a required choice among "same as …" and "new record"."""

    def clean(self):
        cleaned = super().clean()
        if not self.instance._state.adding or self.errors:
            return cleaned
        candidates = candidates_for(self._meta.model, cleaned.get("name", ""), cleaned.get("native_name", ""))
        if not candidates:
            return cleaned
        choices = [(f"same:{record.pk}", candidate_label(record)) for record in candidates]
        choices.append((NEW, gettext_lazy("New record: none of these")))
        self.fields[IDENTITY_FIELD] = forms.ChoiceField(
            label=gettext_lazy("Already known?"), choices=choices, widget=forms.RadioSelect
        )
        self._bound_fields_cache.pop(IDENTITY_FIELD, None)
        if self.data.get(self.add_prefix(IDENTITY_FIELD)) != NEW:
            names = format_html_join(", ", "{}", ((record.name,) for record in candidates))
            self.add_error(
                IDENTITY_FIELD,
                format_html(
                    "{} {}",
                    _("Known already under another spelling, perhaps: %(names)s.") % {"names": names},
                    _(
                        "Choose the same record (the spelling typed here is kept as another name of it) "
                        "or a new record."
                    ),
                ),
            )
        return cleaned


class SameAsAdminMixin:
    """For PersonAdmin and OrganizationAdmin."""

    def get_fieldsets(self, request, obj=None):
        """On an add form, the choice stands right under the names it is about."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None or IDENTITY_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        fields = list(options["fields"])
        fields.insert(fields.index("native_name") + 1, IDENTITY_FIELD)
        return ((name, {**options, "fields": tuple(fields)}), *rest)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "other_names":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "cols": 60})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        base = kwargs.pop("form", self.form)
        attrs = {IDENTITY_FIELD: forms.CharField(required=False, widget=forms.HiddenInput)}
        form = type(base.__name__, (SameAsFormMixin, base), attrs)
        return super().get_form(request, obj, change=change, form=form, **kwargs)

    @method_decorator(csrf_protect)
    def add_view(self, request, form_url="", extra_context=None):
        chosen = request.POST.get(IDENTITY_FIELD, "") if request.method == "POST" else ""
        if chosen.startswith("same:") and self.has_change_permission(request):
            name, native_name = request.POST.get("name", ""), request.POST.get("native_name", "")
            record = next((r for r in candidates_for(self.model, name, native_name) if f"same:{r.pk}" == chosen), None)
            if record is not None:
                added = spellings_add(record=record, names=[name, native_name])
                text = (
                    _("Nothing new was created: “%(spellings)s” kept as another spelling of “%(record)s”.")
                    if added
                    else _("Nothing new was created: “%(record)s” already has this spelling.")
                )
                messages.success(request, text % {"spellings": "”, “".join(added), "record": record})
                return HttpResponseRedirect(
                    reverse(f"admin:contacts_{self.model._meta.model_name}_change", args=[record.pk])
                )
        return super().add_view(request, form_url, extra_context)


class ImportIdentityForm(forms.Form):
    """An import's identity questions (contacts.lookup.ImportIdentities), one required choice per row between
    its candidates and a new record; posted with the confirmation."""

    prefix = "identity"

    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        people = [record for question in questions for record in question.candidates if isinstance(record, Person)]
        if people:
            with_current_positions(people)
        for question in questions:
            where = (
                _("Row %(row)s") % {"row": question.row}
                if not question.sheet
                else _("Sheet “%(sheet)s”, row %(row)s") % {"sheet": question.sheet, "row": question.row}
            )
            spelled = f"{question.name} ({question.native_name})" if question.native_name else question.name
            choices = [(f"{SAME}{record.pk}", candidate_label(record)) for record in question.candidates]
            choices.append((NEW, gettext_lazy("New record: none of these")))
            self.fields[question.key] = forms.ChoiceField(
                label=format_html("{}: “{}”", where, spelled),
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": gettext_lazy("Choose the same record or a new one for this row.")},
            )
            if question.choice:
                self.initial[question.key] = question.choice


def import_choices(data) -> dict[str, str]:
    """The answers posted with an import's confirmation, by question key."""
    start = f"{ImportIdentityForm.prefix}-"
    return {name[len(start) :]: str(value) for name, value in data.items() if name.startswith(start)}
