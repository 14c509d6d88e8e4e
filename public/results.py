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


def results_figures(visits: QuerySet, *, detail: bool = True) -> Figures:
    """The figures of these visits (pass published ones for a public page). With `detail` off, the totals
    only (the band of a visit's outcomes page): four queries; with it, the tables too: nine."""
    ids = visits.order_by().values("pk")
    totals = reported_per_visit(Delegation.objects.filter(pk__in=ids)).aggregate(
        # Named apart from the annotations they sum, which a same-named aggregate would replace.
        visits=Count("pk"),
        meetings=Coalesce(Sum("meetings_reported"), 0),
        documents=Coalesce(Sum("documents_reported"), 0),
        unnumbered=Coalesce(Sum("documents_unnumbered"), 0),
    )
    meetings = Meeting.objects.filter(delegation__in=ids)
    agreements = Agreement.objects.filter(delegation__in=ids).filter(SIGNED)
    follow_ups = FollowUp.objects.filter(delegation__in=ids)
    by_kind = dict(agreements.order_by().values_list("kind").annotate(count=Count("pk")))
    by_status = dict(follow_ups.order_by().values_list("status").annotate(count=Count("pk")))
    figures = Figures(
        visits=totals["visits"],
        meetings_held=meetings.filter(HELD).count(),
        meetings_reported=totals["meetings"],
        agreements_signed=sum(by_kind.values()),
        agreements_reported=totals["documents"],
        agreements_reported_unnumbered=totals["unnumbered"],
        follow_ups=sum(by_status.values()),
        follow_ups_done=by_status.get(FollowUp.Status.DONE, 0),
        follow_ups_open=sum(by_status.get(status, 0) for status in FUNNEL if status != FollowUp.Status.DONE),
    )
    figures.agreements_by_kind = _agreement_rows(by_kind, figures)
    figures.funnel = _funnel_rows(by_status)
    if detail:
        figures.sectors = _sector_rows(ids, meetings, follow_ups)
        figures.organizations = _organization_rows(meetings)
        figures.timeline = _timeline_rows(ids, meetings, agreements, follow_ups)
    return figures


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


def _sector_rows(ids: QuerySet, meetings: QuerySet, follow_ups: QuerySet) -> list[Row]:
    """The sectors with the most meetings held, then follow-ups, then visits that gave them priority."""
    held = dict(meetings.filter(HELD, sector__isnull=False).order_by().values_list("sector").annotate(n=Count("pk")))
    followed = dict(follow_ups.filter(sector__isnull=False).order_by().values_list("sector").annotate(n=Count("pk")))
    visits = dict(
        Delegation.priority_sectors.through.objects.filter(delegation__in=ids)
        .order_by()
        .values_list("sector")
        .annotate(n=Count("pk"))
    )
    ranked = sorted(
        set(held) | set(followed) | set(visits),
        key=lambda pk: (-held.get(pk, 0), -followed.get(pk, 0), -visits.get(pk, 0), pk),
    )[:TOP]
    sectors = Sector.objects.in_bulk(ranked)
    rows = [
        Row(
            label=sectors[pk].name,
            key=sectors[pk].slug,
            values={"meetings_held": held.get(pk, 0), "follow_ups": followed.get(pk, 0), "visits": visits.get(pk, 0)},
        )
        for pk in ranked
    ]
    return rows


def _organization_rows(meetings: QuerySet) -> list[Row]:
    """The organizations in the most meetings held, on either side: the two sides' organizations as one
    column (UNION ALL), counted and ranked by the database; then the ten's names."""
    held = meetings.filter(HELD).order_by()
    sides = [held.values_list(side, flat=True).query.sql_with_params() for side in ORGANIZATION_SIDES]
    connection = connections[held.db]
    organization = connection.ops.quote_name(Organization._meta.db_table)
    sql = (
        f"SELECT organization.id, COUNT(*) AS meetings_held "
        f"FROM (({sides[0][0]}) UNION ALL ({sides[1][0]})) AS side (organization_id) "
        f"JOIN {organization} AS organization ON organization.id = side.organization_id "
        f"GROUP BY organization.id, organization.name ORDER BY meetings_held DESC, organization.name, organization.id "
        f"LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*sides[0][1], *sides[1][1], TOP])
        ranked = cursor.fetchall()
    names = Organization.objects.only("name", "slug").in_bulk([pk for pk, _count in ranked])
    return [Row(label=names[pk].name, key=names[pk].slug, values={"meetings_held": count}) for pk, count in ranked]


def _timeline_rows(ids: QuerySet, meetings: QuerySet, agreements: QuerySet, follow_ups: QuerySet) -> list[Row]:
    """By the year each visit began: visits, meetings held (recorded and reported), agreements signed (recorded
    and reported), follow-ups."""
    per_year = reported_per_visit(Delegation.objects.filter(pk__in=ids))
    by_year = defaultdict(dict)
    for year, visits, reported, documents in (
        per_year.order_by()
        .values_list(ExtractYear("start_date"))
        .annotate(Count("pk"), Sum("meetings_reported"), Sum("documents_reported"))
    ):
        by_year[year].update(visits=visits, meetings_reported=reported or 0, documents_reported=documents or 0)
    counted = (("meetings_held", meetings.filter(HELD)), ("agreements", agreements), ("follow_ups", follow_ups))
    for name, rows in counted:
        grouped = rows.order_by().values_list(ExtractYear("delegation__start_date")).annotate(Count("pk"))
        for year, count in grouped:
            by_year[year][name] = count
    return [
        Row(
            label=str(year),
            key=str(year),
            values={
                "visits": by_year[year].get("visits", 0),
                "meetings_held": by_year[year].get("meetings_held", 0) + by_year[year].get("meetings_reported", 0),
                "meetings_reported": by_year[year].get("meetings_reported", 0),
                "agreements": by_year[year].get("agreements", 0) + by_year[year].get("documents_reported", 0),
                "agreements_reported": by_year[year].get("documents_reported", 0),
                "follow_ups": by_year[year].get("follow_ups", 0),
            },
        )
        for year in sorted(by_year)
    ]
