"""The registration form that a company fills in through its invitation link: every field bounded and
validated with a message; the form only validates, matchmaking.services.registration_save writes."""

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from contacts.models import Organization, Person, Sector
from delegations.models import DelegationMember

from .models import Invitation, MeetingRequest, Registration, Side, slot_times
from .services import AttendeeData, RegistrationData, WishData

MAX_ATTENDEES = 5
MAX_WISHES = 10
PHONE = RegexValidator(
    r"^\+?[0-9][0-9 ().-]{4,29}$",
    _("Give a phone number of digits, spaces and + ( ) . - only, e.g. +33 4 72 00 00 00."),
)


class RegistrationForm(forms.Form):
    organization_name = forms.CharField(
        label=_("Your organization"), max_length=200, help_text=_("Its usual name, in Latin script.")
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    profile = forms.CharField(
        label=_("Short profile"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What your organization does and what it looks for, in a few lines (1,000 characters at most)."),
    )
    slots = forms.MultipleChoiceField(label=_("When you can meet"), required=False, widget=forms.CheckboxSelectMultiple)
    # A field people do not see (site.css hides it); robots that fill every field fill it.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def __init__(self, *args, invitation: Invitation, registration: Registration | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.sessions = {}
        groups = []
        for session in invitation.open_sessions():
            self.sessions[session.pk] = session
            choices = [
                (f"{session.pk}@{start:%H:%M}", f"{start:%H:%M}–{end:%H:%M}") for start, end in slot_times(session)
            ]
            if choices:
                groups.append((f"{session.title} · {date_format(session.day)}", choices))  # the site's format
        self.fields["slots"].choices = groups
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")
        if registration is not None:
            self.fields["organization_name"].disabled = True
            self.fields["organization_name"].help_text = _("Registered already; ask the organiser to change it.")

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("This field must stay empty."), code="honeypot")
        return ""

    def clean_slots(self):
        chosen = []
        ends = {}
        for session in self.sessions.values():
            for start, end in slot_times(session):
                ends[f"{session.pk}@{start:%H:%M}"] = (session, start, end)
        for value in self.cleaned_data["slots"]:
            chosen.append(ends[value])  # MultipleChoiceField let through only offered values
        if ends and not chosen:
            raise forms.ValidationError(_("Tick at least one slot when you can meet."), code="required")
        return chosen


class AttendeeForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254, help_text=_("Private: only the organiser sees it."))
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, validators=[PHONE], help_text=_("Private, optional.")
    )


def target_choices(invitation: Invitation) -> list[tuple[str, str]]:
    """Whom the link's holder may ask to meet: for a host company, the delegation's organizations and its
    members who may appear publicly; for the delegation side, the host companies registered for the visit."""
    delegation = invitation.delegation
    if invitation.side == Side.DELEGATION:
        organizations = Organization.objects.filter(
            registrations__delegation=delegation, registrations__side=Side.HOST
        ).distinct()
        return [(f"org:{o.pk}", o.name) for o in organizations.order_by("name")]
    members = DelegationMember.objects.filter(delegation=delegation).select_related("person", "organization")
    organization_ids = {m.organization_id for m in members if m.organization_id}
    if delegation.leading_body_id:
        organization_ids.add(delegation.leading_body_id)
    choices = [(f"org:{o.pk}", o.name) for o in Organization.objects.filter(pk__in=organization_ids).order_by("name")]
    choices += [
        (f"person:{m.person_id}", f"{m.person.name} · {m.organization or m.title}")
        for m in members
        if m.person_id and m.person.is_public and m.organization_id
    ]
    return choices


class WishForm(forms.Form):
    target = forms.ChoiceField(label=_("Whom you want to meet"), required=False)
    reason = forms.CharField(label=_("Why"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=MeetingRequest.Priority.choices, coerce=int, initial=MeetingRequest.Priority.NORMAL
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "—"), *choices]
        self.fields["reason"].required = False  # required of a row that names whom: see clean()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target") and not cleaned.get("reason"):
            self.add_error("reason", _("Say in a few words why you want to meet them."))
        elif not cleaned.get("target") and cleaned.get("reason"):
            self.add_error("target", _("Choose whom you want to meet, or clear the reason to leave this row empty."))
        return cleaned


class BaseWishFormSet(forms.BaseFormSet):
    def __init__(self, *args, invitation: Invitation, **kwargs):
        self.invitation = invitation
        self.choices = target_choices(invitation)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"choices": self.choices}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Withdraw this request")

    def wishes(self) -> list[WishData]:
        """The filled rows as wishes, a person's row asking their organization in the delegation."""
        members = {
            m.person_id: m.organization
            for m in DelegationMember.objects.filter(delegation=self.invitation.delegation).select_related(
                "organization"
            )
        }
        wishes = []
        for form in self.forms:
            data = form.cleaned_data
            if not data.get("target") or data.get("DELETE"):
                continue
            kind, pk = data["target"].split(":")
            if kind == "person":
                person = Person.objects.get(pk=pk)
                wishes.append(WishData(members[person.pk], data["reason"], data["priority"], person))
            else:
                wishes.append(WishData(Organization.objects.get(pk=pk), data["reason"], data["priority"]))
        return wishes

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for wish in self.wishes():
            if wish.organization.pk in seen:
                raise forms.ValidationError(
                    _("You asked to meet %(organization)s twice: one request per organization (name the person in it).")
                    % {"organization": wish.organization},
                    code="duplicate",
                )
            seen.add(wish.organization.pk)


class BaseAttendeeFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        emails = [f.cleaned_data["email"].casefold() for f in self.forms if f.cleaned_data.get("email")]
        if not emails:
            raise forms.ValidationError(_("Name at least one person who will attend."), code="required")
        if len(emails) != len(set(emails)):
            raise forms.ValidationError(_("Each person needs an e-mail address of their own."), code="duplicate")


AttendeeFormSet = forms.formset_factory(
    AttendeeForm,
    formset=BaseAttendeeFormSet,
    extra=2,
    max_num=MAX_ATTENDEES,
    absolute_max=MAX_ATTENDEES,
    validate_max=True,
)
WishFormSet = forms.formset_factory(
    WishForm,
    formset=BaseWishFormSet,
    extra=3,
    max_num=MAX_WISHES,
    absolute_max=MAX_WISHES,
    validate_max=True,
    can_delete=True,
    can_delete_extra=False,
)


def page_language() -> str:
    """The language the page is shown in, one of the site's (the default outside a request)."""
    language = get_language()
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def registration_data(form: RegistrationForm, attendees, wishes, registration: Registration | None) -> RegistrationData:
    """The three validated forms as one RegistrationData for registration_save."""
    data = form.cleaned_data
    return RegistrationData(
        organization_name=registration.organization.name if registration else data["organization_name"],
        profile=data["profile"],
        sectors=list(data["sectors"]),
        attendees=[AttendeeData(**f.cleaned_data) for f in attendees.forms if f.cleaned_data],
        wishes=wishes.wishes(),
        slots=data["slots"],
        # The language of the page the company filled in: its agenda e-mails are written in it.
        language=page_language(),
    )


def registration_initial(registration: Registration) -> tuple[dict, list[dict], list[dict]]:
    """What the forms show when the company opens its link again."""
    form = {
        "organization_name": registration.organization.name,
        "profile": registration.profile,
        "sectors": list(registration.sectors.all()),
        "slots": [f"{a.session_id}@{a.start_time:%H:%M}" for a in registration.availability.all()],
    }
    attendees = [
        {"name": a.person.name, "title": a.title, "email": a.email, "phone": a.phone}
        for a in registration.attendees.select_related("person")
    ]
    wishes = [
        {
            "target": f"person:{r.target_person_id}" if r.target_person_id else f"org:{r.target_organization_id}",
            "reason": r.reason,
            "priority": r.priority,
        }
        for r in registration.requests.exclude(status=MeetingRequest.Status.WITHDRAWN)
    ]
    return form, attendees, wishes
