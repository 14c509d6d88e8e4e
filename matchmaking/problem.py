"""What "Schedule all" is given and what it proposes: plain values (ids, labels, slot indexes), no models.

The caller (the admin action) turns rows into a `Problem`, hands it to `matchmaking.solver.schedule`, shows
the `Proposal` and applies it; the engine never touches the database.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from django.utils.functional import Promise


class ProblemError(ValueError):
    """The input contradicts itself (an unknown slot, two locked meetings at one table…): nothing is proposed."""


@dataclass(frozen=True)
class Slot:
    """One time slot of a B2B session. Slots of one day are consecutive in time, which idle slots are counted by."""

    index: int
    session: str
    day: str
    start: datetime | int
    end: datetime | int


@dataclass(frozen=True)
class Request:
    """An accepted wish to meet: the delegation side's organization and people, the host side's, how much it matters.

    `priority` is at least 1, higher first; a mutual wish (both sides asked) weighs more than a one-sided wish of the
    same priority and less than any wish of a higher priority.
    """

    id: int
    guest_organization: int
    host_organization: int
    guest_people: frozenset[int] = frozenset()
    host_people: frozenset[int] = frozenset()
    priority: int = 1
    mutual: bool = False

    @property
    def organizations(self) -> tuple[int, int]:
        return (self.guest_organization, self.host_organization)

    @property
    def people(self) -> frozenset[int]:
        return self.guest_people | self.host_people

    @property
    def weight(self) -> int:
        return 2 * self.priority + (1 if self.mutual else 0)


@dataclass(frozen=True)
class Placement:
    request: int
    slot: int
    table: str


@dataclass(frozen=True)
class Problem:
    """Everything one run needs. For availability, an organization or person absent from the mapping is free in every
    slot; `*_busy` lists the slots taken by their other programme items and meetings placed outside this proposal.
    `locked` meetings stay where they are and hold their table, organizations and people; `existing` placements may
    move. `max_meetings` caps an organization's meetings (locked ones included), `max_meetings_default` every other
    organization's; None is no cap."""

    slots: tuple[Slot, ...]
    tables: Mapping[str, tuple[str, ...]]
    requests: tuple[Request, ...]
    organization_availability: Mapping[int, frozenset[int]] = field(default_factory=dict)
    person_availability: Mapping[int, frozenset[int]] = field(default_factory=dict)
    organization_busy: Mapping[int, frozenset[int]] = field(default_factory=dict)
    person_busy: Mapping[int, frozenset[int]] = field(default_factory=dict)
    locked: tuple[Placement, ...] = ()
    existing: tuple[Placement, ...] = ()
    max_meetings: Mapping[int, int] = field(default_factory=dict)
    max_meetings_default: int | None = None

    def maximum(self, organization: int) -> int | None:
        return self.max_meetings.get(organization, self.max_meetings_default)


class Change(StrEnum):
    PLACED = "placed"  # had no place before
    MOVED = "moved"  # had another slot or table
    UNCHANGED = "unchanged"  # already there, or locked


class Reason(StrEnum):
    NO_COMMON_SLOT = "no_common_slot"
    MAXIMUM_REACHED = "maximum_reached"
    TABLES_TAKEN = "tables_taken"
    PARTICIPANTS_TAKEN = "participants_taken"
    SLOTS_TAKEN = "slots_taken"
    NOT_REACHED = "not_reached"


@dataclass(frozen=True)
class Scheduled:
    request: int
    slot: int
    table: str
    change: Change
    locked: bool = False


@dataclass(frozen=True)
class LeftOut:
    request: int
    reason: Reason
    message: str | Promise
    organization: int | None = None  # whose maximum is reached


@dataclass(frozen=True)
class Stats:
    placed: int  # meetings placed by this proposal, locked ones not counted
    locked: int
    bound: int  # no schedule can place more than this many (locked ones not counted)
    greedy_placed: int
    weight: int  # Σ of the placed requests' weights (priority, mutual wishes first), locked ones not counted
    greedy_weight: int
    idle_slots: int  # of people, summed
    idle_slots_per_person: float  # over every person named in a request, placed or not
    greedy_idle_slots_per_person: float
    table_changes: int
    solve_seconds: float
    optimal: bool  # the first objective (weighted meetings) is proven optimal
    idle_slots_by_person: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Proposal:
    scheduled: tuple[Scheduled, ...]
    left_out: tuple[LeftOut, ...]
    stats: Stats

    def placement(self, request: int) -> Scheduled | None:
        return next((item for item in self.scheduled if item.request == request), None)

    def reason(self, request: int) -> Reason | None:
        return next((item.reason for item in self.left_out if item.request == request), None)
