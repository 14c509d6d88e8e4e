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

from django.db.models import Expression, QuerySet

from contacts.models import Organization, Person, Position, Sector
from contacts.privacy import PublicName, organization_on, position_on, public_names, representatives

from .models import Agreement, Delegation, DelegationMember, ItineraryItem
from .models.itinerary import audience_display
from .models.visits import member_role_label
from .programme_reads import Fetched, HeldPosition, ProgrammeVenue, fetch


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
    fetched = fetch(ItineraryItem.objects.filter(delegation=delegation), item_annotations)
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
    fetched = fetch(items, item_annotations, with_visits=True)
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


def host_title(
    person: Person,
    day: datetime.date,
    hosts: Iterable[Organization],
    positions: Iterable[Position | HeldPosition] | None = None,
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
        self, item: dict[str, Any], fetched: Fetched, annotations: Mapping[str, Expression] | None
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
