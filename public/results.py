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

from django.db import connections
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear, Greatest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contacts.models import Organization, Sector
from delegations.models import Agreement, Delegation, FollowUp, ItineraryItem
from meetings.models import Meeting

TOP = 10
ORGANIZATION_SIDES = ("delegation_organization", "host_organization")
# Agreements that were signed: all but those only prepared.
SIGNED = ~Q(status=Agreement.Status.PREPARED)
HELD = Q(status=Meeting.Status.HELD)
# A report of documents signed that gives what they were but not their number (a visit's or an item's).
UNNUMBERED = Q(agreements_without_detail__isnull=True) & (
    Q(agreements_without_detail_summary_en__gt="") | Q(agreements_without_detail_summary_fr__gt="")
)
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


def _items_sum(column: str) -> Subquery:
    items = (
        ItineraryItem.objects.filter(delegation=OuterRef("pk"))
        .order_by()
        .values("delegation")
        .annotate(total=Sum(column))
        .values("total")
    )
    return Coalesce(Subquery(items, output_field=IntegerField()), Value(0))


def _unnumbered_items() -> Subquery:
    """How many of a visit's items report documents without a number."""
    items = (
        ItineraryItem.objects.filter(UNNUMBERED, delegation=OuterRef("pk"))
        .order_by()
        .values("delegation")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(items, output_field=IntegerField()), Value(0))


def reported_per_visit(visits: QuerySet) -> QuerySet:
    """The visits with what they report without detail: `meetings_reported`, `documents_reported`,
    `documents_unnumbered` (reports without a number)."""
    return visits.annotate(
        meetings_reported=Greatest(Coalesce(F("reported_meetings"), Value(0)), _items_sum("reported_meetings")),
        documents_reported=Coalesce(F("agreements_without_detail"), Value(0)) + _items_sum("agreements_without_detail"),
        documents_unnumbered=_unnumbered_items() + Case(When(UNNUMBERED, then=Value(1)), default=Value(0)),
    )


def _tally(rows, *keys: str) -> dict:
    """Grouped counts `(group..., count)` summed by each group column in turn: {key: {value: count}}."""
    tally = {key: defaultdict(int) for key in keys}
    for *groups, count in rows:
        for key, value in zip(keys, groups, strict=True):
            tally[key][value] += count
    return tally


def results_figures(visits: QuerySet, *, detail: bool = True) -> Figures:
    """The figures of these visits (pass published ones for a public page). Each table of rows is counted
    once, grouped by year and by what a figure splits it by, and the groups summed: four queries for the
    totals (the band of a visit's outcomes page, `detail` off), eight with the tables."""
    ids = visits.order_by().values("pk")
    visit_year = ExtractYear("delegation__start_date")
    reported = _reported_by_year(ids)
    per_year = {
        year: {"visits": count, "meetings_reported": meetings or 0, "documents_reported": documents or 0}
        for year, count, meetings, documents, _unnumbered in reported
    }
    meetings = Meeting.objects.filter(delegation__in=ids).filter(HELD).order_by()
    held = _tally(meetings.values_list(visit_year, "sector").annotate(Count("pk")), "year", "sector")
    agreements = Agreement.objects.filter(delegation__in=ids).filter(SIGNED).order_by()
    signed = _tally(agreements.values_list(visit_year, "kind").annotate(Count("pk")), "year", "kind")
    follow_ups = FollowUp.objects.filter(delegation__in=ids).order_by()
    followed = _tally(
        follow_ups.values_list(visit_year, "status", "sector").annotate(Count("pk")), "year", "status", "sector"
    )
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
        figures.organizations = _organization_rows(meetings)
        figures.timeline = _timeline_rows(per_year, held["year"], signed["year"], followed["year"])
    return figures


def _reported_by_year(ids: QuerySet) -> list[tuple]:
    """By the year each visit began: (year, visits, meetings reported, documents reported, reports of
    documents without a number)."""
    return list(
        reported_per_visit(Delegation.objects.filter(pk__in=ids))
        .order_by()
        .values_list(ExtractYear("start_date"))
        .annotate(Count("pk"), Sum("meetings_reported"), Sum("documents_reported"), Sum("documents_unnumbered"))
    )


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


def _organization_rows(held: QuerySet) -> list[Row]:
    """The organizations in the most meetings held, on either side: each side counted by organization, the
    two counts added and ranked by the database (UNION ALL); then the ten's names."""
    connection = connections[held.db]
    quote = connection.ops.quote_name
    sides, params = [], []
    for number, side in enumerate(ORGANIZATION_SIDES):
        sql, side_params = held.values(side).annotate(n=Count("pk")).query.sql_with_params()
        sides.append(
            f"SELECT side{number}.{quote(side)} AS organization_id, side{number}.n FROM ({sql}) AS side{number}"
        )
        params += side_params
    organization = quote(Organization._meta.db_table)
    sql = (
        f"SELECT organization.id, totals.meetings_held FROM "
        f"(SELECT organization_id, SUM(n) AS meetings_held FROM ({' UNION ALL '.join(sides)}) AS sides "
        f"GROUP BY organization_id) AS totals "
        f"JOIN {organization} AS organization ON organization.id = totals.organization_id "
        f"ORDER BY totals.meetings_held DESC, organization.name, organization.id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, TOP])
        ranked = cursor.fetchall()
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
