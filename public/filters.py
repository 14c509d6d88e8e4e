import html

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, OuterRef, Q, When
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from modeltranslation.utils import build_localized_fieldname, resolution_order
from modeltranslation.utils import get_language as active_language

from contacts.models import Organization, Sector
from core.text import fold
from core.widgets import LongSelect, attributes
from delegations.models import Delegation, ItineraryItem
from meetings.models import Meeting, MeetingParticipant

_country_names: dict[str, tuple] = {}


def country_choices() -> tuple:
    """Every country, named in the active language: read once per language and process, not at each form's
    validation and rendering (django-countries translates each name on each pass, a few hundred a time)."""
    language = get_language()
    names = _country_names.get(language)
    if names is None:
        names = _country_names[language] = tuple((code, str(name)) for code, name in countries)
    return names


class CountrySelect(LongSelect):
    """A select of every country: django-filters hands its options through an iterator of its own, which
    LongSelect writes one by one; as plain pairs, it writes them once per language."""

    def render(self, name, value, attrs=None, renderer=None):
        self.choices = list(self.choices)
        return super().render(name, value, attrs, renderer)


def escaped_texts(texts) -> list[str]:
    """Each text as html.escape writes it, escaped in one pass over all of them joined (a thousand options' values
    and labels): joined by a NUL, which escaping leaves alone and which no text from PostgreSQL holds."""
    texts = list(texts)
    written = html.escape("\x00".join(texts)).split("\x00")
    return written if len(written) == len(texts) else [html.escape(text) for text in texts]


class VisitSelect(LongSelect):
    """The meeting list's select of every published visit (a thousand at scale), read as plain values: building a
    visit for each option and labelling it was most of the list's time. The same HTML as LongSelect's; a visit's
    label is its title in the active language, or in the first fallback language that has one (modeltranslation's
    rule: an empty title counts as missing)."""

    def render(self, name, value, attrs=None, renderer=None):
        field = self.choices.field
        titles = [build_localized_fieldname("title", language) for language in resolution_order(active_language())]
        rows = self.choices.queryset.raw_values(field.to_field_name, *titles)
        choices = [(row[field.to_field_name], next(filter(None, map(row.get, titles)), "")) for row in rows]
        if field.empty_label is not None:
            choices.insert(0, ("", str(field.empty_label)))
        chosen = set(self.format_value(value))
        parts = [f'<select name="{html.escape(name)}"{attributes(self.build_attrs(self.attrs, attrs))}>']
        texts = escaped_texts(text for choice in choices for text in choice)
        for (choice, _label), written_choice, written_label in zip(choices, texts[::2], texts[1::2], strict=True):
            selected = choice in chosen
            mark = " selected" if selected else ""
            parts.append(f'\n  <option value="{written_choice}"{mark}>{written_label}</option>\n')
            if selected:
                chosen = set()
        parts.append("\n</select>")
        return mark_safe("".join(parts))


class DateInput(django_filters.widgets.forms.DateInput):
    input_type = "date"


class OrganizationField(forms.ModelChoiceField):
    """An organization typed by its name (any case) or by the slug at the end of its page address."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid_choice": _(
            "No organization is named “%(value)s”. Type its full name, or the last part of its page address."
        ),
        "ambiguous": _("Several organizations are named “%(value)s”. Type the last part of its page address."),
    }
    max_length = 200

    def to_python(self, value):
        value = str(value).strip() if value is not None else ""
        if not value:
            return None
        shown = {"value": Truncator(value.replace("\x00", "")).chars(60)}
        if len(value) > self.max_length or "\x00" in value:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params=shown)
        matches = list(
            self.queryset.filter(Q(slug=value) | Q(name__iexact=value) | Q(native_name__iexact=value))
            # The slug is unique: when it matches, it wins over namesakes.
            .order_by(Case(When(slug=value, then=0), default=1), "pk")[:2]
        )
        if not matches:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params=shown)
        if len(matches) > 1 and matches[0].slug != value:
            raise ValidationError(self.error_messages["ambiguous"], code="ambiguous", params=shown)
        return matches[0]


class OrganizationChoiceFilter(django_filters.Filter):
    field_class = OrganizationField


class MeetingFilterForm(forms.Form):
    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("The “From” date is after the “Until” date."), code="empty_range")
        return cleaned_data


def involving(queryset, organization: Organization):
    """Meetings where the organization sits on either side."""
    return queryset.filter(Q(delegation_organization=organization) | Q(host_organization=organization))


class MeetingFilter(django_filters.FilterSet):
    """The public meeting list's filters; the CSV export takes exactly the same ones."""

    delegation = django_filters.ModelChoiceFilter(
        label=_("Visit"),
        # A thousand visits at scale: only what an option shows.
        queryset=Delegation.objects.published().only("slug", "title").order_by("-start_date", "title"),
        to_field_name="slug",
        empty_label=_("Any visit"),
        widget=VisitSelect,
        error_messages={"invalid_choice": _("Choose a visit from the list.")},
    )
    date_from = django_filters.DateFilter(
        label=pgettext_lazy("start date", "From"),
        field_name="date",
        lookup_expr="gte",
        widget=DateInput(format="%Y-%m-%d"),
    )
    date_to = django_filters.DateFilter(
        label=_("Until"), field_name="date", lookup_expr="lte", widget=DateInput(format="%Y-%m-%d")
    )
    city = django_filters.CharFilter(label=_("City"), field_name="city", lookup_expr="iexact", max_length=100)
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
        empty_label=_("Any sector"),
        error_messages={"invalid_choice": _("Choose a sector from the list.")},
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Meeting.Status.choices,
        empty_label=_("Any status"),
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )
    organization = OrganizationChoiceFilter(
        label=_("Organization"),
        queryset=Organization.objects.all(),
        method="filter_organization",
        widget=forms.TextInput(attrs={"maxlength": OrganizationField.max_length, "placeholder": _("Name")}),
    )
    session = django_filters.NumberFilter(
        label=_("Session"),
        field_name="session_id",
        min_value=1,
        max_value=2**62,
        decimal_places=0,
        widget=forms.HiddenInput,
    )
    q = django_filters.CharFilter(label=_("Text"), method="filter_text", max_length=200)

    class Meta:
        model = Meeting
        form = MeetingFilterForm
        fields = ("delegation", "date_from", "date_to", "city", "sector", "status", "organization", "session", "q")

    def filter_organization(self, queryset, name, value):
        return involving(queryset, value)

    def filter_text(self, queryset, name, value):
        """Every word in either side's organization, a public participant, the sector, outcome, table or city.

        People who may not appear publicly are not searched: finding them would reveal that they took part.
        """
        for word in fold(value).split():
            public_participant = MeetingParticipant.objects.filter(
                meeting=OuterRef("pk"), person__is_public=True, person__search_text__contains=word
            )
            queryset = queryset.filter(
                Q(delegation_organization__search_text__contains=word)
                | Q(host_organization__search_text__contains=word)
                | Exists(public_participant)
                | Q(sector__name__icontains=word)
                | Q(outcome__icontains=word)
                | Q(city__icontains=word)
                | Q(table__iexact=word)
            )
        return queryset


class AgendaFilter(MeetingFilter):
    """One organization's agenda: the organization is the page's, not a filter."""

    organization = None

    class Meta(MeetingFilter.Meta):
        fields = tuple(name for name in MeetingFilter.Meta.fields if name != "organization")


class SharedMeetingFilter(MeetingFilter):
    """One visit's meetings through a share link: the visit is the link's, not a filter, so that no filter
    can reach another visit and the form lists no other visit."""

    delegation = None

    class Meta(MeetingFilter.Meta):
        fields = tuple(name for name in MeetingFilter.Meta.fields if name != "delegation")


class DelegationFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        label=_("Year"), method="filter_year", min_value=1900, max_value=2200, decimal_places=0
    )
    origin_country = django_filters.ChoiceFilter(
        label=pgettext_lazy("origin country", "From"),
        choices=country_choices,
        empty_label=_("Any country"),
        widget=CountrySelect,
    )
    host_country = django_filters.ChoiceFilter(
        label=_("To"),
        choices=country_choices,
        method="filter_host_country",
        empty_label=_("Any country"),
        widget=CountrySelect,
    )
    city = django_filters.CharFilter(label=_("City"), method="filter_city", max_length=100)
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"),
        field_name="priority_sectors",
        queryset=Sector.objects.all(),
        to_field_name="slug",
        empty_label=_("Any sector"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Delegation.Status.choices, empty_label=_("Any status")
    )

    class Meta:
        model = Delegation
        fields = ("year", "origin_country", "host_country", "city", "sector", "status")

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(start_date__year__lte=year, end_date__year__gte=year)

    def filter_host_country(self, queryset, name, value):
        # Country codes are two letters joined by commas, so a substring match is exact.
        return queryset.filter(host_countries__contains=value)

    def filter_city(self, queryset, name, value):
        return queryset.filter(
            Exists(ItineraryItem.objects.filter(delegation=OuterRef("pk"), city__iexact=value.strip()))
        )


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_name", max_length=200)
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"),
        field_name="sectors",
        queryset=Sector.objects.all(),
        to_field_name="slug",
        empty_label=_("Any sector"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=country_choices, empty_label=_("Any country"), widget=CountrySelect
    )

    class Meta:
        model = Organization
        fields = ("q", "sector", "country")

    def filter_name(self, queryset, name, value):
        return queryset.search(value)


class ResultsFilter(django_filters.FilterSet):
    """The results page's filters: which published visits its figures count (and its CSV files)."""

    year = django_filters.NumberFilter(
        label=_("Year"),
        field_name="start_date",
        lookup_expr="year",
        min_value=1900,
        max_value=2200,
        decimal_places=0,
        error_messages={"invalid": _("Give a year as four digits, e.g. 2018.")},
    )
    origin_country = django_filters.ChoiceFilter(
        label=pgettext_lazy("origin country", "From"),
        choices=country_choices,
        empty_label=_("Any country"),
        widget=CountrySelect,
        error_messages={"invalid_choice": _("Choose a country from the list.")},
    )
    origin_region = django_filters.CharFilter(
        label=_("Region of origin"), method="filter_origin_region", max_length=150
    )
    host_country = django_filters.ChoiceFilter(
        label=_("To"),
        choices=country_choices,
        method="filter_host_country",
        empty_label=_("Any country"),
        widget=CountrySelect,
        error_messages={"invalid_choice": _("Choose a country from the list.")},
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"),
        field_name="priority_sectors",
        queryset=Sector.objects.all(),
        to_field_name="slug",
        empty_label=_("Any sector"),
        error_messages={"invalid_choice": _("Choose a sector from the list.")},
    )
    organiser = OrganizationChoiceFilter(
        label=_("Organiser"),
        queryset=Organization.objects.all(),
        widget=forms.TextInput(attrs={"maxlength": OrganizationField.max_length, "placeholder": _("Name")}),
    )

    class Meta:
        model = Delegation
        fields = ("year", "origin_country", "origin_region", "host_country", "sector", "organiser")

    def filter_origin_region(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(origin_region_en__iexact=value) | Q(origin_region_fr__iexact=value))

    def filter_host_country(self, queryset, name, value):
        # Country codes are two letters joined by commas, so a substring match is exact.
        return queryset.filter(host_countries__contains=value)
