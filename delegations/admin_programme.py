"""The visit page as the staff's working day: members, the programme and follow-ups entered on one page
that fits a laptop's screen, each row able to name a person, a venue or host organizations that do not
exist yet. The rows' forms only validate what was typed; the admin creates the new records through
the contacts' and delegations' services inside its transaction (create_typed_records), before the rows
that point to them are saved."""

import copy
import functools

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modeltranslation.admin import TranslationStackedInline
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.utils import build_localized_fieldname

from contacts.identity_candidates import organization_candidates, person_candidates
from contacts.models import Organization
from contacts.services import organization_create, person_create_with_position, spellings_add
from core.admin import BatchedAutocompleteInlineMixin
from core.form_copies import RowFields
from core.widgets import LongSelect, RowSelect, RowTypedChoiceField

from .forms import LocalTimesForm
from .models import DelegationMember, FollowUp, ItineraryItem, Venue
from .services import venue_save
from .widgets import PlacePickersMixin

NAME_LENGTH = 200
NATIVE_SEPARATOR = "|"


# The languages whose item titles stand on an item's compact row; the others' titles wait in its detail,
# so that a language added to the site adds nothing to each row of a long programme.
ROW_LANGUAGES = ("en", "fr")


def in_each_language(field: str) -> tuple[str, ...]:
    """A translated field's form fields (title_en, title_fr…), to stand on one line of a fieldset."""
    return tuple(build_localized_fieldname(field, language) for language in AVAILABLE_LANGUAGES)


def in_row_languages(field: str) -> tuple[str, ...]:
    return tuple(build_localized_fieldname(field, language) for language in ROW_LANGUAGES)


def in_other_languages(field: str) -> tuple[str, ...]:
    return tuple(
        build_localized_fieldname(field, language) for language in AVAILABLE_LANGUAGES if language not in ROW_LANGUAGES
    )


# An item's folded detail. On a visit's page an existing item's detail is left out until staff open it
# (delegations/admin_detail.py fetches it): most of a page's fields, and of its time, were details
# nobody opened. A row posted without its detail leaves those fields as they are.
ITEM_DETAIL_LINES = (
    in_other_languages("title"),
    in_each_language("description"),
    ("hosts", "new_hosts"),
    ("new_hosts_confirmed",),
    ("delegation_participants", "host_participants"),
    ("new_venue_name", "new_venue_address", "new_venue_country"),
    ("reported_meetings", "agreements_without_detail", "order"),
    in_each_language("agreements_without_detail_summary"),
)
ITEM_DETAIL_FIELDS = tuple(name for line in ITEM_DETAIL_LINES for name in line)
WITH_DETAIL = "with_detail"  # posted as "1" by a row whose detail was loaded


def typed_title(form, field: str = "title") -> str:
    """The title typed in the row, in the language of the page if given, else in any."""
    cleaned = form.cleaned_data
    current = build_localized_fieldname(field, get_language() or "en")
    names = [current, *sorted(name for name in cleaned if name.startswith(f"{field}_"))]
    return next((cleaned[name].strip() for name in names if (cleaned.get(name) or "").strip()), "")


class MemberForm(forms.ModelForm):
    """A member row: an existing person, or a new one typed here, who holds the row’s title at the
    organization it represents (a position); or, with neither, an office whose holder is not named."""

    new_person_name = forms.CharField(
        label=_("or a new person"),
        max_length=NAME_LENGTH,
        required=False,
        help_text=_("Name in Latin script; the row’s title and organization become their position."),
    )
    new_person_native_name = forms.CharField(label=_("native-script name"), max_length=NAME_LENGTH, required=False)
    new_person_is_public = forms.BooleanField(
        label=_("may appear publicly"),
        required=False,
        help_text=_("Officials acting in office are public; others only if they agreed."),
    )
    new_person_confirmed = forms.BooleanField(
        label=_("a new person, none of those known"),
        required=False,
        help_text=_("Tick when people known under a close spelling are not this one."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "person" in self.fields:
            self.fields["person"].required = False

    def clean(self):
        cleaned = super().clean()
        name = (cleaned.get("new_person_name") or "").strip()
        native_name = (cleaned.get("new_person_native_name") or "").strip()
        candidates = person_candidates(name=name, native_name=native_name) if name else []
        if cleaned.get("person") and name:
            # The person chosen beside the spelling typed is "the same as": the spelling is kept as theirs.
            if cleaned["person"] not in candidates:
                self.add_error("new_person_name", _("Choose a person or type a new one, not both."))
        elif name and candidates and not cleaned.get("new_person_confirmed"):
            self.add_error("new_person_name", known_already_message(candidates))
        elif name:
            if not cleaned.get("organization"):
                self.add_error("organization", _("A new person’s position needs the organization they represent."))
            if not typed_title(self):
                self.add_error(None, _("A new person’s position needs the title they hold."))
        elif cleaned.get("new_person_native_name") or cleaned.get("new_person_is_public"):
            self.add_error("new_person_name", _("Give the new person’s name in Latin script too."))
        # Neither: an office whose holder is not named, which needs its title and organization (the model's
        # constraint says so).
        return cleaned


def known_already_message(candidates) -> str:
    names = "; ".join(
        f"{record.name} ({record.native_name})" if record.native_name else record.name for record in candidates
    )
    return _(
        "Known already under another spelling, perhaps: %(names)s. Choose the same one in the list beside "
        "(the spelling typed here is then kept as another name of theirs), or tick that it is a new one."
    ) % {"names": names}


@functools.cache
def country_choices(language: str) -> list[tuple[str, str]]:
    """The new venue's countries in `language`: a list, which LongSelect writes once per language."""
    with translation.override(language):
        return [(str(code), str(name)) for code, name in CountryField(blank=True).formfield().choices]


class ItemForm(LocalTimesForm):
    """An itinerary item row: an existing venue or a new one typed here (in the row's city and zone),
    and host organizations typed one per line beside those chosen."""

    new_venue_name = forms.CharField(label=_("or a new venue"), max_length=NAME_LENGTH, required=False)
    new_venue_address = forms.CharField(label=_("its address"), max_length=300, required=False)
    new_venue_country = forms.ChoiceField(
        label=_("its country"), required=False, choices=lambda: country_choices(get_language())
    )
    new_hosts = forms.CharField(
        label=_("new host organizations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
        help_text=_("One a line, as “Latin name | native-script name” (the native name may be left out)."),
    )
    new_hosts_confirmed = forms.BooleanField(
        label=_("new organizations, none of those known"),
        required=False,
        help_text=_("Tick when organizations known under a close spelling are not these."),
    )

    defer_detail = False  # set by the visit page's inline for staff who may change its rows

    def __init__(self, *args, with_detail: bool = False, **kwargs):
        deferred = [name for name in ITEM_DETAIL_FIELDS if name in self.base_fields]
        self.detail_deferred = (
            bool(deferred)
            and self.defer_detail
            and not with_detail
            and self.row_without_detail(
                args[0] if args else kwargs.get("data"), kwargs.get("prefix"), kwargs.get("instance")
            )
        )
        if self.detail_deferred:
            # Left out before the form copies its fields for itself, not copied for each row and then dropped,
            # and before it reads the item's values for them (its hosts and participants: queries).
            self.base_fields = RowFields(
                {name: field for name, field in self.base_fields.items() if name not in deferred}
            )
            self._meta = self.compact_options()
        super().__init__(*args, **kwargs)
        if "new_venue_country" in self.fields:
            self.fields["new_venue_country"].widget = LongSelect(choices=country_choices(get_language()))
        if "order" in self.fields:  # folded in the row's detail: left empty, the item keeps the default
            self.fields["order"].required = False

    @classmethod
    def compact_options(cls):
        """The form's options without the detail's fields, made once for the class."""
        if "_compact_options" not in cls.__dict__:
            options = copy.copy(cls._meta)
            if options.fields is None:
                options.exclude = (*(options.exclude or ()), *ITEM_DETAIL_FIELDS)
            else:
                options.fields = tuple(name for name in options.fields if name not in ITEM_DETAIL_FIELDS)
            cls._compact_options = options
        return cls._compact_options

    @staticmethod
    def row_without_detail(data, prefix: str | None, instance) -> bool:
        """An existing item's row, opened, or posted without its detail (the form's data, prefix and
        instance, read before the form is made)."""
        if instance is None or instance.pk is None:
            return False
        return data is None or data.get(f"{prefix}-{WITH_DETAIL}" if prefix else WITH_DETAIL) != "1"

    def clean_order(self) -> int:
        order = self.cleaned_data.get("order")
        return ItineraryItem._meta.get_field("order").default if order is None else order

    def clean_new_hosts(self) -> list[tuple[str, str]]:
        hosts = []
        for line in self.cleaned_data.get("new_hosts", "").splitlines():
            name, _separator, native_name = (part.strip() for part in line.partition(NATIVE_SEPARATOR))
            if not name and not native_name:
                continue
            if not name:
                raise ValidationError(_("Give each new host’s name in Latin script, before the “|”."))
            if len(name) > NAME_LENGTH or len(native_name) > NAME_LENGTH:
                raise ValidationError(
                    _("A host’s name is at most %(length)d characters long."), params={"length": NAME_LENGTH}
                )
            hosts.append((name, native_name))
        return hosts

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_hosts") and not cleaned.get("new_hosts_confirmed"):
            candidates = [
                record
                for name, native_name in cleaned["new_hosts"]
                for record in organization_candidates(name=name, native_name=native_name)
            ]
            if candidates:
                self.add_error("new_hosts", known_already_message(candidates))
        name = (cleaned.get("new_venue_name") or "").strip()
        if not name:
            if cleaned.get("new_venue_address") or cleaned.get("new_venue_country"):
                self.add_error("new_venue_name", _("Give the new venue’s name."))
            return cleaned
        if cleaned.get("venue"):
            self.add_error("new_venue_name", _("Choose a venue or type a new one, not both."))
            return cleaned
        venue = self.new_venue()
        try:
            venue.full_clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                target = {"name": "new_venue_name", "address": "new_venue_address", "country": "new_venue_country"}
                self.add_error(target.get(field, field if field in ("city", "time_zone") else None), messages)
        return cleaned

    def new_venue(self) -> Venue:
        cleaned = self.cleaned_data
        return Venue(
            name=(cleaned.get("new_venue_name") or "").strip(),
            address=(cleaned.get("new_venue_address") or "").strip(),
            city=(cleaned.get("city") or "").strip(),
            country=cleaned.get("new_venue_country") or "",
            time_zone=cleaned.get("time_zone") or "",
        )


def create_typed_records(formset) -> None:
    """Create what the rows of `formset` typed new (people with their positions, venues, host
    organizations) and point the rows to them; the caller saves the rows next, in the same transaction.
    Rows that type the same new venue (name and city) share it; a host typed twice is one organization."""
    venues: dict[tuple[str, str], Venue] = {}
    hosts: dict[tuple[str, str], Organization] = {}
    for form in formset.forms:
        if not hasattr(form, "cleaned_data") or not form.has_changed() or form.cleaned_data.get("DELETE"):
            continue
        cleaned = form.cleaned_data
        if isinstance(form, MemberForm) and cleaned.get("person") and cleaned.get("new_person_name", "").strip():
            spellings_add(
                record=cleaned["person"],
                names=[cleaned["new_person_name"], cleaned.get("new_person_native_name", "")],
            )
        elif isinstance(form, MemberForm) and cleaned.get("new_person_name", "").strip():
            form.instance.person = person_create_with_position(
                name=cleaned["new_person_name"].strip(),
                native_name=cleaned.get("new_person_native_name", "").strip(),
                is_public=cleaned.get("new_person_is_public", False),
                organization=cleaned["organization"],
                title=typed_title(form),
            )
        if isinstance(form, ItemForm):
            if cleaned.get("new_venue_name", "").strip():
                venue = form.new_venue()
                key = (venue.name.casefold(), venue.city.casefold())
                if key not in venues:
                    venue.full_clean()  # a ValidationError here undoes the whole save (RefusedAtSaveMixin)
                    venue_save(venue=venue)
                    venues[key] = venue
                form.instance.venue = cleaned["venue"] = venues[key]
            if cleaned.get("new_hosts"):
                typed = []
                for name, native_name in cleaned["new_hosts"]:
                    key = (name.casefold(), native_name.casefold())
                    if key not in hosts:
                        hosts[key] = organization_create(name=name, native_name=native_name)
                    typed.append(hosts[key])
                cleaned["hosts"] = [*cleaned.get("hosts", Organization.objects.none()), *typed]


class ProgrammeInlineMixin(BatchedAutocompleteInlineMixin):
    """A stacked inline drawn compact (static/css/admin-programme.css): labels above their fields, several
    fields a line, help in the fields' descriptions only, so that the visit page fits 1,280 pixels."""

    classes = ("programme",)
    template = "admin/edit_inline/stacked_rows.html"  # Django's stacked inline, its rows written in Python

    class Media:
        css = {"all": ("css/admin-programme.css",)}

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        kwargs.setdefault("choices_form_class", RowTypedChoiceField)
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        if type(field.widget) is forms.Select:  # the same options on every row, written once
            # A list (Django gives an iterator adding the blank choice), which RowSelect writes once a language.
            field.widget = RowSelect(attrs=field.widget.attrs, choices=list(field.choices))
        return field


class MemberInline(ProgrammeInlineMixin, TranslationStackedInline):
    """One compact block per member: who, in what role, for whom, with which title; or a new person."""

    model = DelegationMember
    form = MemberForm
    extra = 1
    autocomplete_fields = ("person", "organization")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("person", "new_person_name", "new_person_native_name", "new_person_is_public"),
                    ("new_person_confirmed",),
                    ("role", "organization", "order"),
                    in_each_language("title"),
                )
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "organization")


class ItineraryItemInline(PlacePickersMixin, ProgrammeInlineMixin, TranslationStackedInline):
    """One compact block per item: when, what and where on two lines; its detail folded below it."""

    model = ItineraryItem
    form = ItemForm
    template = "admin/delegations/edit_inline/programme_stacked.html"
    extra = 1
    show_change_link = True
    autocomplete_fields = ("venue", "hosts", "delegation_participants", "host_participants")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("day", "start_time", "start_fold", "end_time", "end_fold", "kind"),
                    in_row_languages("title"),
                    ("venue", "city", "time_zone"),
                )
            },
        ),
        (
            _("Detail: title in other languages, description, hosts, participants"),
            {"classes": ("collapse", "item-detail"), "fields": ITEM_DETAIL_LINES},
        ),
    )

    class Media:
        js = ("delegations/item-detail.js",)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.defer_detail = self.has_change_permission(request, obj)  # a Viewer's page shows it all
        return formset

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("venue")
        if self.has_change_permission(request):
            return queryset  # the rows' detail, with their hosts and participants, is left out (ItemForm)
        return queryset.prefetch_related("hosts", "delegation_participants", "host_participants")


class FollowUpInline(ProgrammeInlineMixin, TranslationStackedInline):
    model = FollowUp
    extra = 0
    show_change_link = True
    autocomplete_fields = ("organizations", "sector")
    fieldsets = (
        (None, {"fields": (("kind", "status", "due_date"), in_each_language("title"), ("organizations", "sector"))}),
        (
            _("Detail"),
            {"classes": ("collapse",), "fields": (in_each_language("description"), in_each_language("next_step"))},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("organizations")
