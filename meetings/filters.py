import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts.models import Organization, Sector
from contacts.text import fold
from delegations.models import Delegation

from .models import Meeting


class DateInput(django_filters.widgets.forms.DateInput):
    input_type = "date"


class MeetingFilter(django_filters.FilterSet):
    delegation = django_filters.ModelChoiceFilter(
        label=_("Visit"),
        queryset=Delegation.objects.published().order_by("-start_date"),
        to_field_name="slug",
        empty_label=_("Any visit"),
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="date", lookup_expr="gte", widget=DateInput(format="%Y-%m-%d")
    )
    date_to = django_filters.DateFilter(
        label=_("Until"), field_name="date", lookup_expr="lte", widget=DateInput(format="%Y-%m-%d")
    )
    city = django_filters.CharFilter(label=_("City"), field_name="city", lookup_expr="iexact", max_length=100)
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.all(), to_field_name="slug", empty_label=_("Any sector")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Meeting.Status.choices, empty_label=_("Any status"))
    organization = django_filters.ModelChoiceFilter(
        label=_("Organization"),
        queryset=Organization.objects.all(),
        to_field_name="slug",
        method="filter_organization",
        widget=django_filters.widgets.forms.TextInput,
    )
    session = django_filters.NumberFilter(
        label=_("Session"),
        field_name="session_id",
        min_value=1,
        max_value=2**62,
        decimal_places=0,
        widget=django_filters.widgets.forms.HiddenInput,
    )
    q = django_filters.CharFilter(label=_("Text"), method="filter_text", max_length=200)

    class Meta:
        model = Meeting
        fields = ("delegation", "date_from", "date_to", "city", "sector", "status", "organization", "session", "q")

    def filter_organization(self, queryset, name, value):
        return queryset.filter(Q(delegation_organization=value) | Q(host_organization=value))

    def filter_text(self, queryset, name, value):
        """Every word in either side's organization, the outcome, the table or the city."""
        for word in fold(value).split():
            queryset = queryset.filter(
                Q(delegation_organization__search_text__contains=word)
                | Q(host_organization__search_text__contains=word)
                | Q(outcome__icontains=word)
                | Q(city__icontains=word)
                | Q(table__iexact=word)
            )
        return queryset
