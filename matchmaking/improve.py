"""Fewer idle slots for the same meetings: a local search that moves one meeting to another slot, or swaps the slots
of two meetings that share a participant, whenever that lowers the idle slots of everyone it touches. It keeps every
hard rule and the set of placed requests, so the weighted number of meetings stays what the solver reached."""

from collections import defaultdict
from itertools import combinations

from matchmaking.instance import Instance, Participant, participants


class Compactor:
    def __init__(self, instance: Instance, slot_of: dict[int, int]):
        self.instance = instance
        self.slot_of = dict(slot_of)
        self.tables_used = defaultdict(int)
        self.slots_of: dict[Participant, dict[int, int]] = defaultdict(dict)  # participant → request → slot
        for placement in instance.problem.locked:
            for participant in participants(instance.requests[placement.request]):
                self.slots_of[participant][placement.request] = placement.slot
        for request, slot in self.slot_of.items():
            self.tables_used[slot] += 1
            for participant in participants(instance.requests[request]):
                self.slots_of[participant][request] = slot
        self.overlapping = {slot: instance.overlapping(slot) for slot in instance.slots}
        self.idle = {participant: self._idle(participant) for participant in self.slots_of}

    def _idle(self, participant: Participant, changed: dict[int, int] | None = None) -> int:
        slots = {
            **self.slots_of[participant],
            **{r: s for r, s in (changed or {}).items() if r in self.slots_of[participant]},
        }
        return self.instance.idle_slots(participant, list(slots.values()))

    def _fits(self, request: int, slot: int, ignoring: set[int]) -> bool:
        if slot not in self.instance.candidates[request]:
            return False
        return not any(
            other_slot in self.overlapping[slot]
            for participant in participants(self.instance.requests[request])
            for other, other_slot in self.slots_of[participant].items()
            if other not in ignoring
        )

    def _gain(self, changed: dict[int, int]) -> int:
        touched = {p for request in changed for p in participants(self.instance.requests[request])}
        return sum(self.idle[p] - self._idle(p, changed) for p in touched)

    def _apply(self, changed: dict[int, int]) -> None:
        for request, slot in changed.items():
            self.tables_used[self.slot_of[request]] -= 1
            self.tables_used[slot] += 1
            self.slot_of[request] = slot
            for participant in participants(self.instance.requests[request]):
                self.slots_of[participant][request] = slot
        for request in changed:
            for participant in participants(self.instance.requests[request]):
                self.idle[participant] = self._idle(participant)

    def _moves(self):
        for request in sorted(self.slot_of):
            for slot in self.instance.candidates[request]:
                has_table = self.tables_used[slot] < self.instance.free_tables(slot)
                if slot != self.slot_of[request] and has_table and self._fits(request, slot, {request}):
                    yield {request: slot}
        for participant in sorted(self.slots_of):
            mine = sorted(request for request in self.slots_of[participant] if request in self.slot_of)
            for first, second in combinations(mine, 2):
                one, two = self.slot_of[first], self.slot_of[second]
                if one != two and self._fits(first, two, {first, second}) and self._fits(second, one, {first, second}):
                    yield {first: two, second: one}

    def run(self, passes: int = 20) -> dict[int, int]:
        for _ in range(passes):
            improved = False
            for changed in self._moves():
                if self._still_fits(changed) and self._gain(changed) > 0:
                    self._apply(changed)
                    improved = True
            if not improved:
                break
        return self.slot_of

    def _still_fits(self, changed: dict[int, int]) -> bool:
        """Moves are listed before earlier ones are applied: check again against the current schedule, the tables
        of each slot a move fills, and the moved meetings against each other."""
        if any(self.slot_of[request] == slot for request, slot in changed.items()):
            return False
        net = defaultdict(int)
        for request, slot in changed.items():
            net[self.slot_of[request]] -= 1
            net[slot] += 1
        if any(
            self.tables_used[slot] + more > self.instance.free_tables(slot) for slot, more in net.items() if more > 0
        ):
            return False
        for (first, one), (second, two) in combinations(changed.items(), 2):
            shared = set(participants(self.instance.requests[first])) & set(
                participants(self.instance.requests[second])
            )
            if shared and two in self.overlapping[one]:
                return False
        return all(self._fits(request, slot, set(changed)) for request, slot in changed.items())


def compact(instance: Instance, slot_of: dict[int, int], passes: int = 20) -> dict[int, int]:
    return Compactor(instance, slot_of).run(passes)
