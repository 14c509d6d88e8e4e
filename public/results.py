"""What visits produced, in figures: the results page across published visits, and the band that opens a
visit's outcomes page. One service, `results_figures()`, for both.

Every count is an SQL aggregate over the visits given (a queryset: the public page passes published visits
only, so drafts never count). Python only merges a handful of grouped rows. What the sources report without
detail is added in and kept apart, so that a page can say which part of a figure is reported:

- meetings reported only: per visit, the larger of its own figure and its items' sum (the visit's figure
  includes its items', see Delegation.reported_meetings), as the outcomes page counts them;
- documents reported without detail: the visit's number plus its items' (separate reports); a report
  that gives no number is counted apart, as a report.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections
from django.db.models import Count, F, IntegerField, Q, QuerySet
from django.db.models.functions import Cast, ExtractYear
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contacts.models import Organization, Sector
from delegations.models import Agreement, Delegation, FollowUp, ItineraryItem
from meetings import tallies

TOP = 10
ORGANIZATION_SIDES = ("delegation_organization", "host_organization")
# Agreements that were signed: all but those only prepared.
SIGNED = ~Q(status=Agreement.Status.PREPARED)
# The follow-up funnel, in the order a follow-up moves; dropped ones stand apart, as the stage where they
# were dropped is not recorded.
FUNNEL = (
    FollowUp.Status.PROPOSED,
    FollowUp.Status.IN_NEGOTIATION,
    FollowUp.Status.AGREED,
    FollowUp.Status.IN_PROGRESS,
    FollowUp.Status.DONE,
)
FUNNEL_LABELS = {
    FollowUp.Status.PROPOSED: pgettext_lazy("follow-up funnel stage", "Proposed"),
    FollowUp.Status.IN_NEGOTIATION: pgettext_lazy("follow-up funnel stage", "In negotiation"),
    FollowUp.Status.AGREED: pgettext_lazy("follow-up funnel stage", "Agreed"),
    FollowUp.Status.IN_PROGRESS: pgettext_lazy("follow-up funnel stage", "In progress"),
    FollowUp.Status.DONE: pgettext_lazy("follow-up funnel stage", "Done"),
    FollowUp.Status.DROPPED: pgettext_lazy("follow-up funnel stage", "Dropped"),
}


@dataclass(frozen=True)
class Row:
    """One row of a table: its label, a code or slug for files and links, and its figures by column."""

    label: str
    key: str
    values: dict
    reported: bool = False


@dataclass
class Figures:
    visits: int = 0
    meetings_held: int = 0
    meetings_reported: int = 0
    agreements_signed: int = 0
    agreements_reported: int = 0
    agreements_reported_unnumbered: int = 0
    follow_ups: int = 0
    follow_ups_done: int = 0
    follow_ups_open: int = 0
    agreements_by_kind: list[Row] = field(default_factory=list)
    funnel: list[Row] = field(default_factory=list)
    sectors: list[Row] = field(default_factory=list)
    organizations: list[Row] = field(default_factory=list)
    timeline: list[Row] = field(default_factory=list)

    @property
    def meetings_total(self) -> int:
        """Held, recorded one by one or only reported."""
        return self.meetings_held + self.meetings_reported

    @property
    def agreements_total(self) -> int:
        return self.agreements_signed + self.agreements_reported

    @property
    def is_empty(self) -> bool:
        return not self.visits


def _tally(rows, *keys: str) -> dict:
    """Grouped counts `(group..., count)` summed by each group column in turn: {key: {value: count}}."""
    tally = {key: defaultdict(int) for key in keys}
    for *groups, count in rows:
        for key, value in zip(keys, groups, strict=True):
            tally[key][value] += count
    return tally


def results_figures(visits: QuerySet, *, detail: bool = True, every_published: bool = False) -> Figures:
    """The figures of these visits (pass published ones for a public page; `every_published` when they are
    all the published visits, unfiltered). Each table of rows is counted once, grouped by year and by what
    a figure splits it by, and the groups summed: four queries for the totals (the band of a visit's
    outcomes page, `detail` off), eight with the tables. Meetings held are read from their running counts
    per visit (meetings.tallies), not counted one by one."""
    ids = visits.order_by().values("pk")
    # A whole number on every database (PostgreSQL's EXTRACT gives a numeric, read raw in `_grouped`).
    visit_year = Cast(ExtractYear("delegation__start_date"), IntegerField())
    years = _visit_years(ids)
    reported = _reported_by_year(years, ids)
    per_year = {
        year: {"visits": count, "meetings_reported": meetings or 0, "documents_reported": documents or 0}
        for year, count, meetings, documents, _unnumbered in reported
    }
    held = _tally(_held_by_year_and_sector(years), "year", "sector")
    agreements = Agreement.objects.filter(delegation__in=ids).filter(SIGNED).order_by().annotate(year=visit_year)
    signed = _tally(_grouped(agreements, "year", "kind"), "year", "kind")
    follow_ups = FollowUp.objects.filter(delegation__in=ids).order_by().annotate(year=visit_year)
    followed = _tally(_grouped(follow_ups, "year", "status", "sector"), "year", "status", "sector")
    by_kind, by_status = signed["kind"], followed["status"]
    figures = Figures(
        visits=sum(row[1] for row in reported),
        meetings_held=sum(held["year"].values()),
        meetings_reported=sum(row[2] or 0 for row in reported),
        agreements_signed=sum(by_kind.values()),
        agreements_reported=sum(row[3] or 0 for row in reported),
        agreements_reported_unnumbered=sum(row[4] or 0 for row in reported),
        follow_ups=sum(by_status.values()),
        follow_ups_done=by_status.get(FollowUp.Status.DONE, 0),
        follow_ups_open=sum(by_status.get(status, 0) for status in FUNNEL if status != FollowUp.Status.DONE),
    )
    figures.agreements_by_kind = _agreement_rows(by_kind, figures)
    figures.funnel = _funnel_rows(by_status)
    if detail:
        figures.sectors = _sector_rows(ids, held["sector"], followed["sector"])
        figures.organizations = _organization_rows(years, every_published)
        figures.timeline = _timeline_rows(per_year, held["year"], signed["year"], followed["year"])
    return figures


def _grouped(queryset: QuerySet, *names: str) -> list[tuple]:
    """The rows (names…, n) of `queryset.values(*names).annotate(n=Count("pk"))`, read from the cursor as they
    come: the model layer's iterator was most of the time of its thousand small rows."""
    grouped = queryset.values(*names).annotate(n=Count("pk"))
    sql, params = grouped.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column[0] for column in cursor.description]
        order = [columns.index(name) for name in (*names, "n")]
        return [tuple(row[index] for index in order) for row in cursor.fetchall()]


def _visit_years(ids: QuerySet) -> QuerySet:
    """Each visit (`visit`) with the year it began (`year`): what the counts kept per visit join."""
    return (
        Delegation.objects.filter(pk__in=ids)
        .order_by()
        .annotate(visit=F("pk"), year=ExtractYear("start_date"))
        .values("visit", "year")
    )


def _fetch(queryset: QuerySet, sql: str, params: list = ()) -> list[tuple]:
    """Rows of `sql`, where {visits} stands for the visits-and-years query `queryset` (`_visit_years`)."""
    connection = connections[queryset.db]
    visits_sql, visits_params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # {visits} comes before any other parameter of `sql`, once or not at all.
        visits_params = visits_params if "{visits}" in sql else ()
        cursor.execute(sql.replace("{visits}", visits_sql), [*visits_params, *params])
        # PostgreSQL sums whole numbers as numeric.
        return [tuple(int(value) if isinstance(value, Decimal) else value for value in row) for row in cursor]


def _unnumbered_sql(alias: str) -> str:
    """True for the row `alias` (a visit's or an item's) when it reports documents signed, saying what they
    were but not their number."""
    return (
        f"({alias}.agreements_without_detail IS NULL AND ({alias}.agreements_without_detail_summary_en > '' "
        f"OR {alias}.agreements_without_detail_summary_fr > ''))"
    )


def _reported_by_year(years: QuerySet, ids: QuerySet) -> list[tuple]:
    """By the year each visit began: (year, visits, meetings reported, documents reported, reports of
    documents without a number). Per visit, the larger of its own meetings figure and its items' sum (the
    visit's figure includes its items', see Delegation.reported_meetings); its documents and its items'
    added; only the items that report something are read."""
    connection = connections[years.db]
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    visit = connection.ops.quote_name(Delegation._meta.db_table)
    item = connection.ops.quote_name(ItineraryItem._meta.db_table)
    ids_sql, ids_params = Delegation.objects.filter(pk__in=ids).order_by().values("pk").query.sql_with_params()
    sql = (
        f"SELECT v.year, COUNT(*), "
        f"SUM({greatest}(COALESCE(d.reported_meetings, 0), COALESCE(i.meetings, 0))), "
        f"SUM(COALESCE(d.agreements_without_detail, 0) + COALESCE(i.documents, 0)), "
        f"SUM(COALESCE(i.unnumbered, 0) + CASE WHEN {_unnumbered_sql('d')} THEN 1 ELSE 0 END) "
        f"FROM ({{visits}}) v JOIN {visit} d ON d.id = v.visit "
        f"LEFT JOIN (SELECT it.delegation_id, SUM(it.reported_meetings) AS meetings, "
        f"SUM(it.agreements_without_detail) AS documents, "
        f"SUM(CASE WHEN {_unnumbered_sql('it')} THEN 1 ELSE 0 END) AS unnumbered FROM {item} it "
        # delegations.models.itinerary.REPORTING, as its index (item_reporting) says it.
        f"WHERE it.delegation_id IN ({ids_sql}) AND (it.reported_meetings IS NOT NULL "
        "OR it.agreements_without_detail IS NOT NULL OR it.agreements_without_detail_summary_en > '' "
        "OR it.agreements_without_detail_summary_fr > '') "
        f"GROUP BY it.delegation_id) i ON i.delegation_id = v.visit "
        f"GROUP BY v.year"
    )
    return _fetch(years, sql, list(ids_params))


def _held_by_year_and_sector(years: QuerySet) -> list[tuple]:
    """Meetings held (year, sector or None, count), from their counts per visit and sector."""
    rows = _fetch(
        years,
        f"SELECT v.year, t.sector_id, SUM(t.n) FROM {tallies.BY_SECTOR} t JOIN ({{visits}}) v "
        f"ON v.visit = t.delegation_id GROUP BY v.year, t.sector_id",
    )
    return [(year, sector or None, count) for year, sector, count in rows]


def _agreement_rows(by_kind: dict, figures: Figures) -> list[Row]:
    rows = [
        Row(label=str(label), key=kind, values={"agreements": by_kind[kind]})
        for kind, label in Agreement.Kind.choices
        if by_kind.get(kind)
    ]
    if figures.agreements_reported:
        rows.append(
            Row(
                label=str(_("Reported without detail")),
                key="reported_without_detail",
                values={"agreements": figures.agreements_reported},
                reported=True,
            )
        )
    return rows


def _funnel_rows(by_status: dict) -> list[Row]:
    """Each status of the funnel with the follow-ups now at it and those at it or further on; then dropped."""
    rows, further = [], 0
    for status in reversed(FUNNEL):
        now = by_status.get(status, 0)
        further += now
        rows.append(Row(label=str(FUNNEL_LABELS[status]), key=status, values={"now": now, "reached": further}))
    rows.reverse()
    dropped = by_status.get(FollowUp.Status.DROPPED, 0)
    rows.append(
        Row(
            label=str(FUNNEL_LABELS[FollowUp.Status.DROPPED]),
            key=FollowUp.Status.DROPPED,
            values={"now": dropped, "reached": dropped},
        )
    )
    return rows


def _sector_rows(ids: QuerySet, held: dict, followed: dict) -> list[Row]:
    """The sectors with the most meetings held, then follow-ups, then visits that gave them priority."""
    visits = dict(
        Delegation.priority_sectors.through.objects.filter(delegation__in=ids)
        .order_by()
        .values_list("sector")
        .annotate(n=Count("pk"))
    )
    ranked = sorted(
        {pk for pk in (*held, *followed, *visits) if pk is not None},
        key=lambda pk: (-held.get(pk, 0), -followed.get(pk, 0), -visits.get(pk, 0), pk),
    )[:TOP]
    sectors = Sector.objects.in_bulk(ranked)
    return [
        Row(
            label=sectors[pk].name,
            key=sectors[pk].slug,
            values={"meetings_held": held.get(pk, 0), "follow_ups": followed.get(pk, 0), "visits": visits.get(pk, 0)},
        )
        for pk in ranked
    ]


def _organization_rows(years: QuerySet, every_published: bool) -> list[Row]:
    """The organizations in the most meetings held, on either side, from their counts (meetings.tallies):
    for every published visit, their running totals; for some visits, their counts in these visits added
    up. Ranked by the database; then the ten's names."""
    organization = connections[years.db].ops.quote_name(Organization._meta.db_table)
    order = "ORDER BY totals.meetings_held DESC, organization.name, organization.id LIMIT %s"
    if every_published:
        # The tenth largest total bounds the ranking, found on the totals' index.
        sql = (
            f"SELECT organization.id, totals.meetings_held FROM (SELECT organization_id, n AS meetings_held "
            f"FROM {tallies.PUBLISHED} WHERE n >= (SELECT COALESCE(MIN(n), 0) FROM "
            f"(SELECT n FROM {tallies.PUBLISHED} ORDER BY n DESC LIMIT %s) top)) totals "
            f"JOIN {organization} AS organization ON organization.id = totals.organization_id {order}"
        )
    else:
        # Added up once; only those with at least the tenth largest count are named and ordered.
        sql = (
            f"WITH totals AS (SELECT t.organization_id, SUM(t.n) AS meetings_held FROM {tallies.BY_ORGANIZATION} t "
            f"WHERE t.delegation_id IN (SELECT v.visit FROM ({{visits}}) v) GROUP BY t.organization_id) "
            f"SELECT organization.id, totals.meetings_held FROM totals "
            f"JOIN {organization} AS organization ON organization.id = totals.organization_id "
            f"WHERE totals.meetings_held >= (SELECT COALESCE(MIN(meetings_held), 0) FROM "
            f"(SELECT meetings_held FROM totals ORDER BY meetings_held DESC LIMIT %s) top) {order}"
        )
    ranked = _fetch(years, sql, [TOP, TOP])
    names = Organization.objects.only("name", "slug").in_bulk([pk for pk, _count in ranked])
    return [Row(label=names[pk].name, key=names[pk].slug, values={"meetings_held": count}) for pk, count in ranked]


def _timeline_rows(per_year: dict, held: dict, signed: dict, followed: dict) -> list[Row]:
    """By the year each visit began: visits, meetings held (recorded and reported), agreements signed (recorded
    and reported), follow-ups."""
    rows = []
    for year in sorted(per_year):
        reported = per_year[year]
        rows.append(
            Row(
                label=str(year),
                key=str(year),
                values={
                    "visits": reported["visits"],
                    "meetings_held": held.get(year, 0) + reported["meetings_reported"],
                    "meetings_reported": reported["meetings_reported"],
                    "agreements": signed.get(year, 0) + reported["documents_reported"],
                    "agreements_reported": reported["documents_reported"],
                    "follow_ups": followed.get(year, 0),
                },
            )
        )
    return rows
