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

from django.conf import settings
from django.db import connections
from django.db.models import F, IntegerField, QuerySet
from django.db.models.functions import Cast, ExtractYear
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contacts.models import Organization, Sector
from delegations.models import Agreement, Delegation, FollowUp, ItineraryItem
from meetings import tallies, totals

TOP = 10
ORGANIZATION_SIDES = ("delegation_organization", "host_organization")
# Agreements that were signed: all but those only prepared.
UNSIGNED = Agreement.Status.PREPARED
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
    all the published visits, unfiltered). Every count is read in one statement (`_counts`), grouped by
    year and by what a figure splits it by, and the groups summed here: one query for the totals (the band
    of a visit's outcomes page, `detail` off), three with the tables (the sectors' names, the organizations'
    ranking). Meetings held are read from their running counts per visit (meetings.tallies), not counted
    one by one; for every published visit, meetings held, agreements signed and follow-ups from their
    totals kept over the published visits (meetings.totals)."""
    counts = _counts(visits.order_by().values("pk"), detail=detail, every_published=every_published)
    reported = counts["reported"]
    per_year = {
        year: {"visits": count, "meetings_reported": meetings, "documents_reported": documents}
        for year, _key, _sector, count, meetings, documents, _unnumbered in reported
    }
    held = _tally([(year, sector, n) for year, _key, sector, n, *_ in counts["held"]], "year", "sector")
    signed = _tally([(year, kind, n) for year, kind, _sector, n, *_ in counts["signed"]], "year", "kind")
    followed = _tally(
        [(year, status, sector, n) for year, status, sector, n, *_ in counts["followed"]], "year", "status", "sector"
    )
    by_kind, by_status = signed["kind"], followed["status"]
    figures = Figures(
        visits=sum(row[3] for row in reported),
        meetings_held=sum(held["year"].values()),
        meetings_reported=sum(row[4] for row in reported),
        agreements_signed=sum(by_kind.values()),
        agreements_reported=sum(row[5] for row in reported),
        agreements_reported_unnumbered=sum(row[6] for row in reported),
        follow_ups=sum(by_status.values()),
        follow_ups_done=by_status.get(FollowUp.Status.DONE, 0),
        follow_ups_open=sum(by_status.get(status, 0) for status in FUNNEL if status != FollowUp.Status.DONE),
    )
    figures.agreements_by_kind = _agreement_rows(by_kind, figures)
    figures.funnel = _funnel_rows(by_status)
    if detail:
        priority = {sector: n for _year, _key, sector, n, *_ in counts["priority"]}
        figures.sectors = _sector_rows(held["sector"], followed["sector"], priority)
        figures.organizations = _organization_rows(_visit_years(visits.order_by().values("pk")), every_published)
        figures.timeline = _timeline_rows(per_year, held["year"], signed["year"], followed["year"])
    return figures


def _visit_years(ids: QuerySet) -> QuerySet:
    """Each visit (`visit`) with the year it began (`year`, a whole number on every database): what the
    counts kept per visit join."""
    return (
        Delegation.objects.filter(pk__in=ids)
        .order_by()
        .annotate(visit=F("pk"), year=Cast(ExtractYear("start_date"), IntegerField()))
        .values("visit", "year")
    )


def _fetch(queryset: QuerySet, sql: str, params: list = ()) -> list[tuple]:
    """Rows of `sql`, where {visits} stands for the visits-and-years query `queryset` (`_visit_years`)."""
    connection = connections[queryset.db]
    with connection.cursor() as cursor:
        # {visits} comes before any other parameter of `sql`, once or not at all.
        if "{visits}" in sql:
            visits_sql, visits_params = queryset.query.sql_with_params()
            sql, params = sql.replace("{visits}", visits_sql), [*visits_params, *params]
        cursor.execute(sql, params)
        # PostgreSQL sums whole numbers as numeric.
        return [tuple(int(value) if isinstance(value, Decimal) else value for value in row) for row in cursor]


# What a visit or an item says was signed, in each language of the content.
SUMMARIES = tuple(f"agreements_without_detail_summary_{code}" for code, _name in settings.LANGUAGES)


def _unnumbered_sql(alias: str) -> str:
    """True for the row `alias` (a visit's or an item's) when it reports documents signed, saying what they
    were (in any language) but not their number."""
    said = " OR ".join(f"{alias}.{summary} > ''" for summary in SUMMARIES)
    return f"({alias}.agreements_without_detail IS NULL AND ({said}))"


def _counts(ids: QuerySet, *, detail: bool, every_published: bool = False) -> dict[str, list[tuple]]:
    """Every grouped count of these visits, in one statement that reads them once (the `v` of each part)
    and gives rows (figure, year, key, sector, n, …), listed by figure:

    - `held`: meetings held by year and sector (from their counts per visit, meetings.tallies);
    - `signed`: agreements signed by year and kind (key);
    - `followed`: follow-ups by year, status (key) and sector;
    - `priority` (with `detail`): visits by priority sector;
    - `reported`: by year, visits, then meetings reported, documents reported and reports of documents
      without a number. Per visit, the larger of its own meetings figure and its items' sum (the visit's
      figure includes its items', see Delegation.reported_meetings); its documents and its items' added;
      only the items that report something are read.

    The year of each visit is worked out once per visit, not once per row counted (PostgreSQL's EXTRACT
    gives a numeric, slow to group by). For every published visit (`every_published`), meetings held,
    agreements signed and follow-ups are read from their totals kept over the published visits
    (meetings.totals) instead of being counted."""
    connection = connections[ids.db]
    quote = connection.ops.quote_name
    item = quote(ItineraryItem._meta.db_table)
    agreement, follow_up = quote(Agreement._meta.db_table), quote(FollowUp._meta.db_table)
    priority = quote(Delegation.priority_sectors.through._meta.db_table)
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    # With each visit's own reported figures, so that the reported part reads no visit again.
    reported = _visit_years(ids).values(
        "visit",
        "year",
        "reported_meetings",
        "agreements_without_detail",
        *SUMMARIES,
    )
    visits_sql, visits_params = reported.query.sql_with_params()
    if every_published:
        # Kept with the figure's name, and '' or 0 for no kind, status or sector.
        counted = [f"SELECT figure, year, NULLIF(key, ''), NULLIF(sector_id, 0), n, 0, 0, 0 FROM {totals.TABLE}"]
        params = []
    else:
        counted = [
            f"SELECT 'held', v.year, NULL, NULLIF(t.sector_id, 0), SUM(t.n), 0, 0, 0 FROM {tallies.BY_SECTOR} t "
            "JOIN v ON v.visit = t.delegation_id GROUP BY v.year, t.sector_id",
            f"SELECT 'signed', v.year, a.kind, NULL, COUNT(*), 0, 0, 0 FROM {agreement} a "
            "JOIN v ON v.visit = a.delegation_id WHERE a.status <> %s GROUP BY v.year, a.kind",
            f"SELECT 'followed', v.year, f.status, f.sector_id, COUNT(*), 0, 0, 0 FROM {follow_up} f "
            "JOIN v ON v.visit = f.delegation_id GROUP BY v.year, f.status, f.sector_id",
        ]
        params = [UNSIGNED.value]
    # delegations.models.itinerary.REPORTING, as its index (item_reporting) says it.
    reports = " OR ".join(
        ["it.reported_meetings IS NOT NULL", "it.agreements_without_detail IS NOT NULL"]
        + [f"it.{summary} > ''" for summary in SUMMARIES]
    )
    parts = [
        *counted,
        f"SELECT 'reported', v.year, NULL, NULL, COUNT(*), "
        # Whole numbers (PostgreSQL sums bigints as numeric, read slowly as Decimal).
        f"CAST(SUM({greatest}(COALESCE(v.reported_meetings, 0), COALESCE(i.meetings, 0))) AS bigint), "
        f"CAST(SUM(COALESCE(v.agreements_without_detail, 0) + COALESCE(i.documents, 0)) AS bigint), "
        f"CAST(SUM(COALESCE(i.unnumbered, 0) + CASE WHEN {_unnumbered_sql('v')} THEN 1 ELSE 0 END) AS bigint) "
        "FROM v "
        f"LEFT JOIN (SELECT it.delegation_id, SUM(it.reported_meetings) AS meetings, "
        f"SUM(it.agreements_without_detail) AS documents, "
        f"SUM(CASE WHEN {_unnumbered_sql('it')} THEN 1 ELSE 0 END) AS unnumbered FROM {item} it "
        f"WHERE it.delegation_id IN (SELECT visit FROM v) AND ({reports}) "
        "GROUP BY it.delegation_id) i ON i.delegation_id = v.visit GROUP BY v.year",
    ]
    if detail:
        parts.append(
            f"SELECT 'priority', NULL, NULL, p.sector_id, COUNT(*), 0, 0, 0 FROM {priority} p "
            "JOIN v ON v.visit = p.delegation_id GROUP BY p.sector_id"
        )
    sql = f"WITH v AS {materialized}({visits_sql}) " + " UNION ALL ".join(parts)
    counts = {"held": [], "signed": [], "followed": [], "reported": [], "priority": []}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*visits_params, *params])
        for row in cursor.fetchall():
            counts[row[0]].append(row[1:])
    return counts


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


def _sector_rows(held: dict, followed: dict, visits: dict) -> list[Row]:
    """The sectors with the most meetings held, then follow-ups, then visits that gave them priority."""
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
    up. Ranked and named by the database."""
    organization = connections[years.db].ops.quote_name(Organization._meta.db_table)
    order = "ORDER BY totals.meetings_held DESC, organization.name, organization.id LIMIT %s"
    named = "organization.name, organization.slug, totals.meetings_held"
    if every_published:
        # The tenth largest total bounds the ranking, found on the totals' index.
        sql = (
            f"SELECT {named} FROM (SELECT organization_id, n AS meetings_held "
            f"FROM {tallies.PUBLISHED} WHERE n >= (SELECT COALESCE(MIN(n), 0) FROM "
            f"(SELECT n FROM {tallies.PUBLISHED} ORDER BY n DESC LIMIT %s) top)) totals "
            f"JOIN {organization} AS organization ON organization.id = totals.organization_id {order}"
        )
    else:
        # Added up once; only those with at least the tenth largest count are named and ordered.
        sql = (
            f"WITH totals AS (SELECT t.organization_id, SUM(t.n) AS meetings_held FROM {tallies.BY_ORGANIZATION} t "
            f"WHERE t.delegation_id IN (SELECT v.visit FROM ({{visits}}) v) GROUP BY t.organization_id) "
            f"SELECT {named} FROM totals "
            f"JOIN {organization} AS organization ON organization.id = totals.organization_id "
            f"WHERE totals.meetings_held >= (SELECT COALESCE(MIN(meetings_held), 0) FROM "
            f"(SELECT meetings_held FROM totals ORDER BY meetings_held DESC LIMIT %s) top) {order}"
        )
    return [
        Row(label=name, key=slug, values={"meetings_held": count})
        for name, slug, count in _fetch(years, sql, [TOP, TOP])
    ]


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
