"""The meetings changelist's filters (some depend on the visit chosen in the visit filter) and paginator,
made to stay fast at hundreds of thousands of meetings."""

import datetime

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Max, Min, Q
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from contacts.models import Organization
from core.cache import content_version
from core.search import ids_count, ids_page
from delegations.models import Delegation

from .models import Meeting

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


class VisitFilter(admin.RelatedFieldListFilter):
    """The latest visits, or every visit of the year chosen in the year filter, and the chosen visit,
    as (id, title) pairs, latest first. An organiser accumulates thousands of visits: listing them all
    cost more than the rest of the page. The title is the current language's (modeltranslation's
    values_list), as str(visit) gives it."""

    latest = 40

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin) or Delegation._meta.ordering
        visits = Delegation.objects.order_by(*ordering)
        year = request.GET.get(YearFilter.parameter_name, "")
        if year.isascii() and year.isdigit() and len(year) == 4:
            name, offered = (
                f"visits:{year}",
                visits.filter(
                    start_date__lte=datetime.date(int(year), 12, 31), end_date__gte=datetime.date(int(year), 1, 1)
                ),
            )
        else:
            name, offered = f"visits:latest:{self.latest}", visits[: self.latest]
        choices = kept_choices(request).get(name, lambda: list(offered.values_list("pk", "title")))
        chosen = [pk for pk in (self.lookup_val or ()) if pk.isascii() and pk.isdigit()]
        missing = set(map(int, chosen)) - {pk for pk, _ in choices}
        if missing:
            choices = [*choices, *visits.filter(pk__in=missing).values_list("pk", "title")]
        return choices


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


class FilterChoices:
    """The filters' choices that are worked out from the content (visits, years, sectors, cities, the busiest
    organizations), kept in the cache until the content changes (see core.cache), all of a language in one
    entry: a page reads them in two round trips to the cache (the content version, then the entry)."""

    def __init__(self):
        self.key = f"admin:meeting-filters:{get_language()}:{content_version()}"
        self.values = cache.get(self.key) or {}

    def get(self, name: str, compute):
        """The choices by this name, worked out by `compute()` if the entry lacks them. Not to be changed."""
        if name not in self.values:
            self.values[name] = compute()
            cache.set(self.key, self.values, timeout=24 * 3600)
        return self.values[name]


def kept_choices(request) -> FilterChoices:
    """The request's FilterChoices, made when a filter first asks."""
    if not hasattr(request, "meeting_filter_choices"):
        request.meeting_filter_choices = FilterChoices()
    return request.meeting_filter_choices


def busiest_organizations(*, visit_id: int | None, limit: int) -> list[tuple[int, str]]:
    """The organizations in the most meetings (of the visit, if given) on either side, busiest first.

    One pass over the meetings (the visit's through its index), both sides stacked by UNION ALL: the
    ORM's annotate over Organization joins the meetings twice and counts distinct pairs, seconds at scale.
    """
    meeting, organization = Meeting._meta.db_table, Organization._meta.db_table
    where, params = ("WHERE delegation_id = %s", [visit_id, visit_id]) if visit_id is not None else ("", [])
    sql = f"""
        SELECT organization.id, organization.name
        FROM (
            SELECT side, COUNT(*) AS meeting_count FROM (
                SELECT delegation_organization_id AS side FROM {meeting} {where}
                UNION ALL
                SELECT host_organization_id FROM {meeting} {where}
            ) AS sides
            GROUP BY side
        ) AS counted
        JOIN {organization} AS organization ON organization.id = counted.side
        ORDER BY counted.meeting_count DESC, organization.name, organization.id
        LIMIT %s
    """
    with connections[Meeting.objects.db].cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [tuple(row) for row in cursor.fetchall()]


class YearFilter(admin.SimpleListFilter):
    """The meetings of a year. Its choices span the first to the last meeting's year, which the date
    index answers at once (the date hierarchy listed the years that have meetings, a scan of every meeting)."""

    title = _("year")
    parameter_name = "date__year"

    def lookups(self, request, model_admin):
        span = kept_choices(request).get(
            "meeting-dates", lambda: Meeting.objects.aggregate(first=Min("date"), last=Max("date"))
        )
        years = range(span["first"].year, span["last"].year + 1) if span["first"] else range(0)
        return [(str(year), str(year)) for year in reversed(years)]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if not (self.value().isascii() and self.value().isdigit() and len(self.value()) == 4):
            raise IncorrectLookupParameters(_("Give the year as YYYY."))
        return queryset.filter(date__year=int(self.value()))


class CityFilter(admin.AllValuesFieldListFilter):
    """The cities of meetings, kept until the content changes (finding them scans every meeting)."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.request = request

    def choices(self, changelist):
        # Read when the filter is shown, not when built: an action's request does not need them.
        self.lookup_choices = kept_choices(self.request).get("cities", lambda: list(self.lookup_choices))
        return super().choices(changelist)


class SectorFilter(admin.RelatedFieldListFilter):
    """The sectors, in the current language, kept until the content changes."""

    def field_choices(self, field, request, model_admin):
        compute = super().field_choices
        return kept_choices(request).get("sectors", lambda: compute(field, request, model_admin))


class OrganizationFilter(admin.SimpleListFilter):
    """An organization on either side. Its choices: the busiest in the chosen visit, else across visits;
    search reaches the others."""

    title = _("organization (either side)")
    parameter_name = "organization"
    busiest = 30

    def lookups(self, request, model_admin):
        visit_id = chosen_visit_id(request)
        if visit_id is None:  # across visits: every meeting counted, so counted once per content change
            busiest = kept_choices(request).get(
                f"busiest-organizations:{self.busiest}",
                lambda: busiest_organizations(visit_id=None, limit=self.busiest),
            )
        else:
            busiest = busiest_organizations(visit_id=visit_id, limit=self.busiest)
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


class EstimatedCountPaginator(Paginator):
    """Counts exactly, except the whole table on PostgreSQL, large and unfiltered: there it takes the
    planner's estimate of its rows (pg_class.reltuples, kept by autovacuum's ANALYZE) rather than
    counting every row. The total shown and the number of pages are then approximate (within a few
    per cent); any filter or search gives the exact count again. Rows given as a list of ids alone (a
    search, see meetings.admin_search) are counted from the list: they were read a moment ago; a page of
    them, in the list's order, is read by id."""

    exact_below = 10_000

    @cached_property
    def count(self):
        queryset = self.object_list
        if (count := ids_count(queryset)) is not None:
            return count
        connection = connections[queryset.db]
        if connection.vendor == "postgresql" and not queryset.query.where:
            # One query: the estimate, or the exact count when the table is small or never analysed (-1).
            table = connection.ops.quote_name(queryset.model._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT CASE WHEN reltuples >= %s THEN reltuples::bigint ELSE (SELECT COUNT(*) FROM {table}) END"
                    " FROM pg_class WHERE oid = %s::regclass",
                    [self.exact_below, queryset.model._meta.db_table],
                )
                return cursor.fetchone()[0]
        return super().count

    def page(self, number):
        """The page's rows read by id when the rows are ids already in the list's order (a search, see
        meetings.admin_search): sorting every match to find a page's took most of a search's time."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if (rows := ids_page(self.object_list, bottom, top)) is None:
            rows = self.object_list[bottom:top]
        return self._get_page(rows, number, self)
