"""Changelist filters of meetings that depend on the visit chosen in the visit filter."""

import datetime

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Count, Q
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from contacts.models import Organization
from delegations.models import Delegation

# The visit filter's parameter (the related-field filter of Meeting.delegation).
VISIT_PARAMETER = "delegation__id__exact"


def as_id(value: str | None) -> int | None:
    """A primary key typed in the address, or None for anything else (letters, “²”, 40 digits)."""
    return int(value) if value and value.isascii() and value.isdigit() and len(value) <= 18 else None


def chosen_visit_id(request) -> int | None:
    return as_id(request.GET.get(VISIT_PARAMETER))


def day_or_none(value: str | None) -> datetime.date | None:
    try:
        return parse_date(value or "")
    except ValueError:  # well formed but no such day, e.g. 2018-02-30
        return None


class VisitDayFilter(admin.SimpleListFilter):
    """One day of the chosen visit. Offered once a visit is chosen; the date hierarchy covers the rest."""

    title = _("day of the visit")
    parameter_name = "day"

    def lookups(self, request, model_admin):
        days = []
        if (visit_id := chosen_visit_id(request)) is not None:
            visit = Delegation.objects.filter(pk=visit_id).values("start_date", "end_date").first()
            day, last = (visit["start_date"], visit["end_date"]) if visit else (None, None)
            while day is not None and day <= last:
                days.append(day)
                day += datetime.timedelta(days=1)
        chosen = day_or_none(self.value())
        if chosen is not None and chosen not in days:
            days.append(chosen)  # chosen before the visit changed: shown, so that it can be cleared
        return [(day.isoformat(), date_format(day, "D j M Y")) for day in days]

    def has_output(self):
        # A day typed in the address applies (or is refused) even before a visit is chosen.
        return bool(self.lookup_choices) or self.value() is not None

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if (day := day_or_none(self.value())) is None:
            raise IncorrectLookupParameters(_("Give the day as YYYY-MM-DD."))
        return queryset.filter(date=day)


class OrganizationFilter(admin.SimpleListFilter):
    """An organization on either side. Its choices: the busiest in the chosen visit, else across visits;
    search reaches the others."""

    title = _("organization (either side)")
    parameter_name = "organization"
    busiest = 30

    def lookups(self, request, model_admin):
        visit_id = chosen_visit_id(request)
        as_delegate = Q(meetings_as_delegate__delegation=visit_id) if visit_id is not None else None
        as_host = Q(meetings_as_host__delegation=visit_id) if visit_id is not None else None
        busiest = (
            Organization.objects.annotate(
                meeting_count=Count("meetings_as_delegate", filter=as_delegate, distinct=True)
                + Count("meetings_as_host", filter=as_host, distinct=True)
            )
            .filter(meeting_count__gt=0)
            .order_by("-meeting_count", "name", "pk")
            .values_list("pk", "name")[: self.busiest]
        )
        shown = sorted(busiest, key=lambda choice: choice[1].casefold())
        # The chosen organization is offered whatever its rank, so that it reads as chosen and can be cleared.
        chosen = as_id(self.value())
        if chosen is not None and chosen not in {pk for pk, _name in shown}:
            shown += Organization.objects.filter(pk=chosen).values_list("pk", "name")
        return [(str(pk), name) for pk, name in shown]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if (organization_id := as_id(self.value())) is None:
            raise IncorrectLookupParameters(_("Choose an organization from the list."))
        return queryset.filter(Q(delegation_organization=organization_id) | Q(host_organization=organization_id))
