"""The programme of a visit, read once: what the itinerary page, the calendar feed and the PDF show.

`programme_build` turns a visit into plain frozen values in a fixed number of queries, whatever its size.
People who may not appear publicly are never named in it: they stand as the organization they represent
("a representative of Dalkia"), through contacts.privacy, and no private person is held in it.

Labels and translated titles are read when it is built: build it in the language it will be shown in.
It knows nothing of meetings; a caller that counts them passes `item_annotations`.
"""

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby
from typing import Any

from django.db.models import Expression, F, QuerySet, Value
from django_countries.fields import Country

from contacts.models import Organization, Person, Position, Sector
from contacts.privacy import PublicName, organization_on, position_on, public_names, representatives
from core.translated import TranslatedValue

from .models import Agreement, Delegation, DelegationMember, ItineraryItem, Venue
from .models.itinerary import audience_display
from .models.visits import member_role_label


@dataclass(frozen=True)
class ProgrammeMember:
    """A member as the public sees them: by name, as a representative of the organization they stand for,
    or, for an office whose holder the sources do not name, as that office at its organization."""

    name: PublicName | None  # None for an office
    role: str
    title: str  # empty for a private member: a title at a named organization identifies a person as surely
    organization: Organization | None  # the one they represent: their own in the visit, else the leading body

    @property
    def person(self) -> Person | None:
        return self.name.person if self.name else None

    @property
    def private_label(self) -> str | None:
        """ "a representative of X" for a member who may not be named; None for the others."""
        return self.name.label if self.name and not self.name.person else None

    @property
    def is_office(self) -> bool:
        return self.name is None

    @property
    def is_head(self) -> bool:
        return self.role == DelegationMember.Role.HEAD

    @property
    def role_display(self) -> str:
        return str(dict(DelegationMember.Role.choices).get(self.role, self.role))

    @property
    def role_label(self) -> str:
        """The role shown beside the title: none when the title says it (see member_role_label)."""
        return member_role_label(self.role, self.title)


@dataclass(frozen=True)
class HomeTime:
    """An item's times in the delegation's home zone, given only when that zone's offset differs then.

    Plain wall-clock times: templates would turn an aware datetime back into the server's zone.
    """

    start_time: datetime.time
    end_time: datetime.time | None
    time_zone: str
    day_shift: int  # 18:00 in Paris is 01:00 the next day in Irkutsk: +1

    @property
    def clock(self) -> str:
        """15:00–17:00, or 15:00 without an end."""
        end = f"–{self.end_time:%H:%M}" if self.end_time else ""
        return f"{self.start_time:%H:%M}{end}"


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


@dataclass(frozen=True)
class ProgrammeItem:
    pk: int
    delegation: Delegation = field(repr=False)
    kind: str
    title: str
    description: str
    day: datetime.date
    start_time: datetime.time | None
    end_time: datetime.time | None
    time_zone: str
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    home: HomeTime | None
    city: str
    venue: ProgrammeVenue | None
    hosts: tuple[Organization, ...]
    public_hosts: tuple[PublicName, ...]
    public_delegates: tuple[PublicName, ...]  # in the order of the member list (head first), others after by name
    audience_size: int | None
    audience_display: str
    reported_meetings: int | None
    agreements: tuple[Agreement, ...]  # signed there, by title
    agreements_without_detail: int | None  # documents reported signed there, not named one by one
    agreements_without_detail_summary: str
    annotations: Mapping[str, Any] = field(default_factory=dict)  # what the caller asked for, by name

    @property
    def kind_display(self) -> str:
        return str(dict(ItineraryItem.Kind.choices).get(self.kind, self.kind))

    @property
    def is_timed(self) -> bool:
        """Without a zone a time names no instant: the item stays a day."""
        return self.start_time is not None and bool(self.time_zone)

    @property
    def location(self) -> str:
        return self.venue.full_address if self.venue else self.city


@dataclass(frozen=True)
class CityBlock:
    """Consecutive items of a day in one city."""

    city: str
    items: tuple[ProgrammeItem, ...]


@dataclass(frozen=True)
class ProgrammeDay:
    day: datetime.date
    cities: tuple[CityBlock, ...]


@dataclass(frozen=True)
class Programme:
    """A visit's programme. It reads as its days; the visit's facts and members sit beside them.

    Supporters and priority sectors are read from the visit when first asked for (one query each unless
    the visit has them prefetched), so that a feed, which shows neither, does not pay for them.
    """

    delegation: Delegation = field(repr=False)
    leading_body: Organization | None
    members: tuple[ProgrammeMember, ...]
    days: tuple[ProgrammeDay, ...]

    def __iter__(self) -> Iterator[ProgrammeDay]:
        return iter(self.days)

    def __len__(self) -> int:
        return len(self.days)

    def __getitem__(self, index):
        return self.days[index]

    @property
    def organiser(self) -> Organization:
        return self.delegation.organiser

    @cached_property
    def supporters(self) -> tuple[Organization, ...]:
        return tuple(self.delegation.supporting_organizations.all())

    @cached_property
    def priority_sectors(self) -> tuple[Sector, ...]:
        return tuple(self.delegation.priority_sectors.all())

    @property
    def head(self) -> ProgrammeMember | None:
        return next((member for member in self.members if member.is_head), None)

    @property
    def items(self) -> list[ProgrammeItem]:
        """Every item, in programme order."""
        return [item for day in self.days for block in day.cities for item in block.items]


def programme_build(*, delegation: Delegation, item_annotations: Mapping[str, Expression] | None = None) -> Programme:
    """The programme of a visit, in a fixed number of queries whatever its size (one more for the leading body
    unless the visit comes with it).

    `item_annotations` are annotated on the items and handed back in each item's `annotations`, e.g. a count
    through a relation of an app above this one.
    """
    members = list(DelegationMember.objects.filter(delegation=delegation).select_related("person", "organization"))
    side = _Side(delegation, members)
    fetched = _fetched(ItineraryItem.objects.filter(delegation=delegation), item_annotations)
    days = []
    programme_items = (side.item(item, fetched, item_annotations) for item in fetched.items)
    for day, day_items in groupby(programme_items, key=lambda i: i.day):
        cities = tuple(CityBlock(city, tuple(block)) for city, block in groupby(day_items, key=lambda i: i.city))
        days.append(ProgrammeDay(day, cities))
    return Programme(
        delegation=delegation,
        leading_body=delegation.leading_body,
        members=tuple(side.member(member) for member in members),
        days=tuple(days),
    )


def programme_items(
    *, items: QuerySet[ItineraryItem], item_annotations: Mapping[str, Expression] | None = None
) -> list[ProgrammeItem]:
    """Items of any visits (those an organization hosts, say), each as its visit's programme shows it.

    In programme order, in a fixed number of queries whatever their number.
    """
    fetched = _fetched(items, item_annotations, with_visits=True)
    by_visit = defaultdict(list)
    visit_ids = {item["delegation_id"] for item in fetched.items}
    if visit_ids:
        for member in DelegationMember.objects.filter(delegation__in=visit_ids).select_related("organization"):
            by_visit[member.delegation_id].append(member)
    sides = {}
    for item in fetched.items:
        if item["delegation_id"] not in sides:
            sides[item["delegation_id"]] = _Side(item["delegation"], by_visit[item["delegation_id"]])
    return [sides[item["delegation_id"]].item(item, fetched, item_annotations) for item in fetched.items]


@dataclass
class _Fetched:
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


def _fetched(
    items: QuerySet[ItineraryItem], annotations: Mapping[str, Expression] | None, *, with_visits: bool = False
) -> _Fetched:
    """The items and what they link to, each table read by primary keys (joined to the items, PostgreSQL
    hashed whole tables of organizations and people for a few hundred rows). `with_visits`: each item with
    its visit, for items of several visits."""
    items = _visit_item_rows(items, annotations) if with_visits else _item_rows(items, annotations)
    item_ids = [item["pk"] for item in items]
    if not item_ids:
        return _Fetched(items, {}, {}, {}, {}, {})
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
    return _Fetched(
        items=items,
        hosts=_by_item(host_links, organizations),
        delegates=_by_item(delegate_links, people),
        host_people=_by_item(host_people_links, people),
        agreements=agreements,
        positions=positions,
    )


def host_title(
    person: Person, day: datetime.date, hosts: Iterable[Organization], positions: Iterable[Position] | None = None
) -> str:
    """A host participant's title on the item's day: the position then at one of the item's hosts, else at any
    organization; none when no recorded position covers that day (see contacts.privacy.position_on)."""
    position = position_on(person, day, prefer=hosts, positions=positions)
    return position.title if position else ""


class _Side:
    """A visit's members, as its items need them: their order, and whom each represents."""

    def __init__(self, delegation: Delegation, members: Iterable[DelegationMember]):
        self.delegation = delegation
        self.members = list(members)
        people = [member for member in self.members if member.person_id is not None]
        self.rank = {member.person_id: rank for rank, member in enumerate(people)}
        self.represents = {member.person_id: member.organization or delegation.leading_body for member in people}
        self.home_zone = zoneinfo.ZoneInfo(delegation.home_time_zone)
        self.stand_ins = {}  # "a representative of X", written once

    def member(self, member: DelegationMember) -> ProgrammeMember:
        organization = member.organization or self.delegation.leading_body
        if member.person is None:
            # An office, not a person: its title at its own organization (which it must have) names no one.
            return ProgrammeMember(name=None, role=member.role, title=member.title, organization=member.organization)
        if member.person.is_public:
            name, title = PublicName(member.person.name, member.person), member.title
        else:
            name, title = PublicName(representatives(organization), organization=organization), ""
        return ProgrammeMember(name=name, role=member.role, title=title, organization=organization)

    def item(
        self, item: dict[str, Any], fetched: _Fetched, annotations: Mapping[str, Expression] | None
    ) -> ProgrammeItem:
        pk, day = item["pk"], item["day"]
        delegates = sorted(fetched.delegates.get(pk, ()), key=lambda p: self.rank.get(p.pk, len(self.rank)))
        hosts = fetched.hosts.get(pk, [])
        host_people = fetched.host_people.get(pk, ())
        positions = fetched.positions
        return ProgrammeItem(
            pk=pk,
            delegation=self.delegation,
            kind=item["kind"],
            title=item["title"],
            description=item["description"],
            day=day,
            start_time=item["start_time"],
            end_time=item["end_time"],
            time_zone=item["time_zone"],
            starts_at=item["starts_at"],
            ends_at=item["ends_at"],
            home=self.home_time(item),
            city=item["city"],
            venue=item["venue"],
            hosts=tuple(hosts),
            # A public person is named with their title; the others stand as their organization, which only
            # they need: each is worked out for those who show it.
            public_hosts=tuple(
                public_names(
                    (
                        (p, None if p.is_public else organization_on(p, day, positions.get(p.pk, ())))
                        for p in host_people
                    ),
                    titles={
                        p.pk: host_title(p, day, hosts, positions.get(p.pk, ())) for p in host_people if p.is_public
                    },
                    stand_ins=self.stand_ins,
                )
            ),
            public_delegates=tuple(
                public_names(
                    (
                        (
                            p,
                            None
                            if p.is_public
                            else self.represents.get(p.pk) or organization_on(p, day, positions.get(p.pk, ())),
                        )
                        for p in delegates
                    ),
                    stand_ins=self.stand_ins,
                )
            ),
            audience_size=item["audience_size"],
            audience_display=audience_display(item["audience_size"], item["audience_approximation"]),
            reported_meetings=item["reported_meetings"],
            agreements=tuple(fetched.agreements.get(pk, ())),
            agreements_without_detail=item["agreements_without_detail"],
            agreements_without_detail_summary=item["agreements_without_detail_summary"],
            annotations={name: item[name] for name in annotations or {}},
        )

    def home_time(self, item: dict[str, Any]) -> HomeTime | None:
        starts_at, ends_at = item["starts_at"], item["ends_at"]
        if starts_at is None:
            return None
        home_start = starts_at.astimezone(self.home_zone)
        if starts_at.astimezone(zoneinfo.ZoneInfo(item["time_zone"])).utcoffset() == home_start.utcoffset():
            return None
        return HomeTime(
            start_time=home_start.time(),
            end_time=ends_at.astimezone(self.home_zone).time() if ends_at else None,
            time_zone=self.delegation.home_time_zone,
            day_shift=(home_start.date() - item["day"]).days,
        )
