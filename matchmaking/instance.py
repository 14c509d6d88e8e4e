"""A `Problem` checked and indexed once: who takes part in each request, which slots each could use, which slots
overlap, what the locked meetings already hold. The greedy baseline, the solver and the reasons all read it."""

from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property

from django.utils.translation import gettext as _

from matchmaking.problem import Placement, Problem, ProblemError, Request, Slot

# A participant: ("organization", id) or ("person", id).
Participant = tuple[str, int]


def participants(request: Request) -> tuple[Participant, ...]:
    return tuple(("organization", org) for org in request.organizations) + tuple(
        ("person", person) for person in sorted(request.people)
    )


class Instance:
    def __init__(self, problem: Problem):
        self.problem = problem
        self.slots: dict[int, Slot] = {slot.index: slot for slot in problem.slots}
        self.requests: dict[int, Request] = {request.id: request for request in problem.requests}
        self.locked: dict[int, Placement] = {placement.request: placement for placement in problem.locked}
        self.existing: dict[int, Placement] = {
            placement.request: placement for placement in problem.existing if placement.request not in self.locked
        }
        self._free_positions: dict[Participant, dict[str, frozenset[int]]] = {}
        self._check()

    def _check(self) -> None:
        if len(self.slots) != len(self.problem.slots):
            raise ProblemError(_("Two slots have the same index."))
        if len(self.requests) != len(self.problem.requests):
            raise ProblemError(_("Two meeting requests have the same id."))
        for request in self.problem.requests:
            if request.priority < 1:
                raise ProblemError(_("A meeting request's priority must be at least 1."))
            if request.guest_organization == request.host_organization or request.guest_people & request.host_people:
                raise ProblemError(_("A meeting request has the same organization or person on both sides."))
        for placement in (*self.problem.locked, *self.problem.existing):
            if placement.request not in self.requests or placement.slot not in self.slots:
                raise ProblemError(_("A placed meeting names an unknown request or slot."))
            if placement.table not in self.problem.tables.get(self.slots[placement.slot].session, ()):
                raise ProblemError(_("A placed meeting names a table its session does not have."))
        if len(self.locked) != len(self.problem.locked):
            raise ProblemError(_("A meeting is locked in two places."))
        for number, first in enumerate(self.problem.locked):
            for second in self.problem.locked[number + 1 :]:
                same_table = first.slot == second.slot and first.table == second.table
                shared = set(participants(self.requests[first.request])) & set(
                    participants(self.requests[second.request])
                )
                if same_table or (shared and second.slot in self.overlapping(first.slot)):
                    raise ProblemError(_("Two locked meetings share a table, an organization or a person at once."))

    @cached_property
    def ordered_slots(self) -> list[Slot]:
        return sorted(self.problem.slots, key=lambda slot: (slot.start, slot.end, slot.index))

    @cached_property
    def _cliques(self) -> dict[int, tuple[int, ...]]:
        """For each slot, the slots running at its start (itself included): no one may be in two of them."""
        return {
            slot.index: tuple(
                other.index for other in self.ordered_slots if other.start <= slot.start < other.end or other is slot
            )
            for slot in self.problem.slots
        }

    def clique(self, slot: int) -> tuple[int, ...]:
        return self._cliques[slot]

    @cached_property
    def _overlaps(self) -> dict[int, frozenset[int]]:
        return {
            slot.index: frozenset(
                other.index
                for other in self.problem.slots
                if other is slot or (other.start < slot.end and slot.start < other.end)
            )
            for slot in self.problem.slots
        }

    def overlapping(self, slot: int) -> frozenset[int]:
        """The slots whose times overlap this one's, itself included."""
        return self._overlaps[slot]

    def free(self, participant: Participant, slot: int) -> bool:
        """Available and not busy elsewhere (other programme items, meetings outside this proposal)."""
        kind, key = participant
        availability = (
            self.problem.organization_availability if kind == "organization" else self.problem.person_availability
        )
        busy = self.problem.organization_busy if kind == "organization" else self.problem.person_busy
        return (key not in availability or slot in availability[key]) and slot not in busy.get(key, ())

    @cached_property
    def common_slots(self) -> dict[int, tuple[int, ...]]:
        """For each request, the slots whose session has tables and where both sides, people included, are free."""
        return {
            request.id: tuple(
                slot.index
                for slot in self.ordered_slots
                if self.problem.tables.get(slot.session)
                and all(self.free(participant, slot.index) for participant in participants(request))
            )
            for request in self.problem.requests
        }

    @cached_property
    def locked_tables(self) -> dict[int, set[str]]:
        taken = defaultdict(set)
        for placement in self.problem.locked:
            taken[placement.slot].add(placement.table)
        return taken

    def free_tables(self, slot: int) -> int:
        return len(self.problem.tables.get(self.slots[slot].session, ())) - len(self.locked_tables.get(slot, ()))

    @cached_property
    def locked_held(self) -> set[tuple[Participant, int]]:
        """(participant, slot) for every slot a locked meeting's participants cannot be elsewhere."""
        held = set()
        for placement in self.problem.locked:
            for slot in self.overlapping(placement.slot):
                held.update((participant, slot) for participant in participants(self.requests[placement.request]))
        return held

    @cached_property
    def open_requests(self) -> list[Request]:
        return [request for request in self.problem.requests if request.id not in self.locked]

    @cached_property
    def candidates(self) -> dict[int, tuple[int, ...]]:
        """For each open request, the common slots that still have a table and where no participant is held by a
        locked meeting."""
        return {
            request.id: tuple(
                slot
                for slot in self.common_slots[request.id]
                if self.free_tables(slot) > 0
                and not any((participant, slot) in self.locked_held for participant in participants(request))
            )
            for request in self.open_requests
        }

    @cached_property
    def locked_count(self) -> dict[int, int]:
        count = defaultdict(int)
        for placement in self.problem.locked:
            for org in self.requests[placement.request].organizations:
                count[org] += 1
        return count

    def room(self, organization: int) -> int | None:
        """How many more meetings the organization may have, None for no cap."""
        maximum = self.problem.maximum(organization)
        return None if maximum is None else max(0, maximum - self.locked_count[organization])

    @cached_property
    def positions(self) -> dict[int, tuple[str, int]]:
        """Each slot's (day, rank of its time within the day): idle slots are counted along these ranks."""
        times_by_day = defaultdict(set)
        for slot in self.problem.slots:
            times_by_day[slot.day].add((slot.start, slot.end))
        rank = {day: {time: number for number, time in enumerate(sorted(times))} for day, times in times_by_day.items()}
        return {slot.index: (slot.day, rank[slot.day][(slot.start, slot.end)]) for slot in self.problem.slots}

    def meetings_by_participant(self, placed: Iterable[tuple[int, int]]) -> dict[Participant, list[int]]:
        """(request, slot) pairs, locked ones included by the caller, grouped by participant."""
        slots = defaultdict(list)
        for request, slot in placed:
            for participant in participants(self.requests[request]):
                slots[participant].append(slot)
        return slots

    def free_positions(self, participant: Participant) -> dict[str, frozenset[int]]:
        """day → the ranks of the positions where the participant is free (in any slot at that time)."""
        if participant not in self._free_positions:
            ranks = defaultdict(set)
            for slot in self.problem.slots:
                if self.free(participant, slot.index):
                    ranks[self.positions[slot.index][0]].add(self.positions[slot.index][1])
            self._free_positions[participant] = {day: frozenset(found) for day, found in ranks.items()}
        return self._free_positions[participant]

    def idle_slots(self, participant: Participant, slots: Iterable[int]) -> int:
        """Free positions with no meeting between the participant's first and last meeting of each day."""
        days = defaultdict(set)
        for slot in slots:
            days[self.positions[slot][0]].add(self.positions[slot][1])
        free = self.free_positions(participant)
        return sum(
            1
            for day, ranks in days.items()
            for rank in free.get(day, ())
            if min(ranks) < rank < max(ranks) and rank not in ranks
        )
