"""What a visit's programme (delegations.programme) is built from, read in a fixed number of queries whatever its
size: its items, with what each links to, and everyone they name once.

The items, their venues and the participants' positions are read as plain values: an instance of each (with
modeltranslation's every language of each translated field) cost more than the pages did with them. Their
translated fields read as an instance reads them in the active language (core.translated).
"""

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Expression, F, QuerySet, Value
from django_countries.fields import Country

from contacts.models import Organization, Person, Position
from core.translated import TranslatedValue

from .models import Agreement, ItineraryItem, Venue


@dataclass(frozen=True)
class ProgrammeVenue:
    """An item's venue as the programme shows it (read as values: a venue instance per item cost more)."""

    pk: int
    name: str
    address: str
    city: str
    country: Country

    def __str__(self):
        return f"{self.name}, {self.city}"

    @property
    def full_address(self) -> str:
        return ", ".join(part for part in (self.name, self.address, self.city, self.country.name) if part)


@dataclass(frozen=True)
class HeldPosition:
    """A participant's position, as the programme needs it to say whom they stand for and their title then."""

    pk: int
    person_id: int
    organization_id: int
    organization: Organization
    title: str
    start_date: datetime.date | None
    end_date: datetime.date | None


@dataclass
class Fetched:
    """Items (as dicts of their values) with what each links to, by item id, and everyone once (with their
    positions)."""

    items: list[dict[str, Any]]
    hosts: dict[int, list[Organization]]
    delegates: dict[int, list[Person]]
    host_people: dict[int, list[Person]]
    agreements: dict[int, list[Agreement]]
    positions: dict[int, list[HeldPosition]]  # by person id


HOSTS, DELEGATES, HOST_PEOPLE = range(3)

# What the programme shows of an item, read as values: an instance per item (with modeltranslation's every
# language of each translated field, and its venue's) cost more than the page did with it.
ITEM_COLUMNS = (
    "pk",
    "delegation_id",
    "kind",
    "day",
    "start_time",
    "end_time",
    "order",
    "time_zone",
    "starts_at",
    "ends_at",
    "city",
    "venue_id",
    "audience_size",
    "audience_approximation",
    "reported_meetings",
    "agreements_without_detail",
)
ITEM_TRANSLATED = ("title", "description", "agreements_without_detail_summary")
VENUE_COLUMNS = ("venue__name", "venue__address", "venue__city", "venue__country")


def _links(item_ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    """(item id, linked id) pairs of the items' hosts, delegates and host people, by kind, in one query."""
    tables = (
        (HOSTS, ItineraryItem.hosts.through, "organization_id"),
        (DELEGATES, ItineraryItem.delegation_participants.through, "person_id"),
        (HOST_PEOPLE, ItineraryItem.host_participants.through, "person_id"),
    )
    first, *others = (
        model.objects.filter(itineraryitem_id__in=item_ids)
        .annotate(kind=Value(kind))
        .values_list("kind", "itineraryitem_id", target)
        .order_by()
        for kind, model, target in tables
    )
    links = {kind: [] for kind, _, _ in tables}
    for kind, item_id, target_id in first.union(*others, all=True):
        links[kind].append((item_id, target_id))
    return links


def _by_item(links: list[tuple[int, int]], objects: list) -> dict[int, list]:
    """Each item's linked objects, in the order of `objects` (the model's own, as the database sorted them)."""
    rank = {obj.pk: (position, obj) for position, obj in enumerate(objects)}
    by_item = defaultdict(list)
    for item_id, target_id in links:
        by_item[item_id].append(rank[target_id])
    return {
        item_id: [obj for _, obj in sorted(linked, key=lambda pair: pair[0])] for item_id, linked in by_item.items()
    }


def _item_rows(items: QuerySet[ItineraryItem], annotations: Mapping[str, Expression] | None) -> list[dict[str, Any]]:
    """The items as dicts of ITEM_COLUMNS, their translated fields as an instance reads them in the active
    language, their `venue` (one ProgrammeVenue each) and the annotations."""
    translated = {name: TranslatedValue(ItineraryItem, name) for name in ITEM_TRANSLATED}
    languages = [column for value in translated.values() for column in value.columns]
    rows = list(
        items.annotate(**(annotations or {}))
        # Explicit, so that items without a time come after the timed ones on SQLite and PostgreSQL alike.
        .order_by("day", F("start_time").asc(nulls_last=True), "order", "pk")
        # modeltranslation's values() would apply the fallback too, rebuilding every row: the columns as they are.
        .raw_values(*ITEM_COLUMNS, *VENUE_COLUMNS, *languages, *(annotations or {}))
    )
    country = vars(Venue)["country"].country  # as a venue's country field builds it
    venues = {}
    for row in rows:
        for name, value in translated.items():
            row[name] = value(row)
        venue = None
        if (venue_id := row["venue_id"]) is not None and (venue := venues.get(venue_id)) is None:
            venue = venues[venue_id] = ProgrammeVenue(
                pk=venue_id,
                name=row["venue__name"],
                address=row["venue__address"],
                city=row["venue__city"],
                country=country(row["venue__country"]),
            )
        row["venue"] = venue
    return rows


def _visit_item_rows(
    items: QuerySet[ItineraryItem], annotations: Mapping[str, Expression] | None
) -> list[dict[str, Any]]:
    """As _item_rows, each with its visit (`delegation`, with its leading body) read in the same query."""
    rows = []
    for item in (
        items.select_related("delegation__leading_body", "venue")
        .annotate(**(annotations or {}))
        .order_by("day", F("start_time").asc(nulls_last=True), "order", "pk")
    ):
        row = {column: getattr(item, column) for column in (*ITEM_COLUMNS, *ITEM_TRANSLATED, *(annotations or {}))}
        venue = item.venue
        row["venue"] = venue and ProgrammeVenue(
            pk=venue.pk, name=venue.name, address=venue.address, city=venue.city, country=venue.country
        )
        row["delegation"] = item.delegation
        rows.append(row)
    return rows


def fetch(
    items: QuerySet[ItineraryItem], annotations: Mapping[str, Expression] | None, *, with_visits: bool = False
) -> Fetched:
    """The items and what they link to, each table read by primary keys (joined to the items, PostgreSQL
    hashed whole tables of organizations and people for a few hundred rows). `with_visits`: each item with
    its visit, for items of several visits."""
    items = _visit_item_rows(items, annotations) if with_visits else _item_rows(items, annotations)
    item_ids = [item["pk"] for item in items]
    if not item_ids:
        return Fetched(items, {}, {}, {}, {}, {})
    links = _links(item_ids)
    host_links, delegate_links, host_people_links = links[HOSTS], links[DELEGATES], links[HOST_PEOPLE]
    people_ids = {pk for _, pk in delegate_links} | {pk for _, pk in host_people_links}
    people = list(Person.objects.filter(pk__in=people_ids)) if people_ids else []
    # Everyone's positions in one query, for whose organization a private participant stands.
    title = TranslatedValue(Position, "title")
    held = (
        list(
            Position.objects.filter(person_id__in=people_ids).raw_values(
                "pk", "person_id", "organization_id", "start_date", "end_date", *title.columns
            )
        )
        if people_ids
        else []
    )
    # The hosts and the positions' organizations read once each by key, each one instance however often it
    # appears (joined to the positions, an organization was built again for each of its people).
    organization_ids = {pk for _, pk in host_links} | {position["organization_id"] for position in held}
    organizations = list(Organization.objects.filter(pk__in=organization_ids)) if organization_ids else []
    organization_by_id = {organization.pk: organization for organization in organizations}
    positions = defaultdict(list)
    for position in held:
        positions[position["person_id"]].append(
            HeldPosition(
                pk=position["pk"],
                person_id=position["person_id"],
                organization_id=position["organization_id"],
                organization=organization_by_id[position["organization_id"]],
                title=title(position),
                start_date=position["start_date"],
                end_date=position["end_date"],
            )
        )
    # Those of the item's own visit: a link planted across visits never names another visit's.
    visit_of = {item["pk"]: item["delegation_id"] for item in items}
    agreements = defaultdict(list)
    for agreement in Agreement.objects.filter(signing_item_id__in=item_ids).order_by("title"):
        if agreement.delegation_id == visit_of[agreement.signing_item_id]:
            agreements[agreement.signing_item_id].append(agreement)
    return Fetched(
        items=items,
        hosts=_by_item(host_links, organizations),
        delegates=_by_item(delegate_links, people),
        host_people=_by_item(host_people_links, people),
        agreements=agreements,
        positions=positions,
    )
