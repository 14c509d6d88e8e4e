import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from contacts.models import Organization, Sector
from contacts.widgets import LongSelect

from .models import Delegation, ItineraryItem


class DelegationFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        label=_("Year"), method="filter_year", min_value=1900, max_value=2200, decimal_places=0
    )
    origin_country = django_filters.ChoiceFilter(
        label=pgettext_lazy("origin country", "From"),
        choices=countries,
        empty_label=_("Any country"),
        widget=LongSelect,
    )
    host_country = django_filters.ChoiceFilter(
        label=_("To"), choices=countries, method="filter_host_country", empty_label=_("Any country"), widget=LongSelect
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
        label=_("Country"), choices=countries, empty_label=_("Any country"), widget=LongSelect
    )

    class Meta:
        model = Organization
        fields = ("q", "sector", "country")

    def filter_name(self, queryset, name, value):
        return queryset.search(value)
