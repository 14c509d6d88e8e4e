"""Schedule all: the most (weighted) meetings, then the fewest idle slots, then the fewest table changes.

CP-SAT decides only which slot each request gets (x[request, slot]): tables within a session are interchangeable,
so a slot takes at most as many meetings as it has free tables, and `matchmaking.tables` seats them afterwards. The
objectives come one after the other: CP-SAT maximises the weighted meetings (from the greedy baseline as a hint); a
local search then lowers the idle slots without changing which requests are placed; on models of moderate size a
second CP-SAT phase, holding the weighted meetings at the first phase's value and starting from that solution,
minimises idle slots exactly (then moves of existing placements); tables are seated last.

Deterministic: one worker, a fixed seed and deterministic time limits give the same proposal for the same input;
the wall-clock limit is only a guard.
"""

import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.graph.python import max_flow
from ortools.sat.python import cp_model

from matchmaking.greedy import greedy
from matchmaking.improve import compact
from matchmaking.instance import Instance, participants
from matchmaking.problem import Change, Placement, Problem, Proposal, Scheduled, Stats
from matchmaking.reasons import left_out
from matchmaking.tables import assign_tables, table_changes


@dataclass(frozen=True)
class Limits:
    """Deterministic time (CP-SAT's own unit, about a second of work on one core) per phase, and a wall-clock guard.
    One worker: CP-SAT's single-threaded search is deterministic, and on this model it beats interleaved workers."""

    meetings: float = 5.0
    idle: float = 4.0
    # The exact idle phase rarely proves its optimum, so it would spend all of `idle` even on a handful of
    # meetings: it gets this much deterministic time per (request, slot) pair, up to `idle` (from 400 pairs on).
    # On 30 requests over 8 slots (150 pairs): 1.7 s and 12 idle slots, against 4.6 s and 11 with the whole limit.
    idle_per_pair: float = 0.01
    # Past this many (request, slot) pairs the exact idle phase spends its time in presolve; the local search of
    # `matchmaking.improve` alone then lowers the idle slots.
    idle_model_max_meetings: int = 4_000
    wall_seconds: float = 60.0
    workers: int = 1
    seed: int = 7


def schedule(problem: Problem, limits: Limits = Limits()) -> Proposal:
    """The proposal for `problem`; raises ProblemError when the input contradicts itself. Writes nothing."""
    started = time.monotonic()
    instance = Instance(problem)
    baseline = greedy(instance)
    model = Model(instance)
    slot_of, optimal = model.solve(baseline, limits, started)
    table_of = assign_tables(instance, slot_of)
    seated = {request: (slot, table_of[request]) for request, slot in slot_of.items()}
    locked = {placement.request: (placement.slot, placement.table) for placement in problem.locked}
    scheduled = [
        Scheduled(request, slot, table, change(instance, request, slot, table))
        for request, (slot, table) in seated.items()
    ]
    scheduled += [
        Scheduled(request, slot, table, Change.UNCHANGED, locked=True) for request, (slot, table) in locked.items()
    ]
    locked_slots = {request: slot for request, (slot, _) in locked.items()}
    idle_by_person = idle_slots_by_person(instance, {**slot_of, **locked_slots})
    greedy_idle = idle_slots_by_person(instance, {**baseline, **locked_slots})
    people = max(1, len({person for request in problem.requests for person in request.people}))
    stats = Stats(
        placed=len(slot_of),
        locked=len(locked),
        bound=meetings_bound(instance),
        greedy_placed=len(baseline),
        weight=sum(instance.requests[request].weight for request in slot_of),
        greedy_weight=sum(instance.requests[request].weight for request in baseline),
        idle_slots=sum(idle_by_person.values()),
        idle_slots_per_person=sum(idle_by_person.values()) / people,
        greedy_idle_slots_per_person=sum(greedy_idle.values()) / people,
        table_changes=table_changes(instance, {**seated, **locked}),
        solve_seconds=time.monotonic() - started,
        optimal=optimal,
        idle_slots_by_person=idle_by_person,
    )
    return Proposal(
        scheduled=tuple(sorted(scheduled, key=lambda item: item.request)),
        left_out=tuple(left_out(instance, slot_of)),
        stats=stats,
    )


def change(instance: Instance, request: int, slot: int, table: str) -> Change:
    before = instance.existing.get(request)
    if before is None:
        return Change.PLACED
    return Change.UNCHANGED if before == Placement(request, slot, table) else Change.MOVED


def idle_slots_by_person(instance: Instance, slot_of: dict[int, int]) -> dict[int, int]:
    """person → idle slots, for each person with a meeting in `slot_of` (request → slot, locked ones included)."""
    meetings = instance.meetings_by_participant(slot_of.items())
    return {
        participant[1]: instance.idle_slots(participant, slots)
        for participant, slots in sorted(meetings.items())
        if participant[0] == "person"
    }


def meetings_bound(instance: Instance) -> int:
    """An upper bound on the meetings any schedule can add: the smaller of two maximum flows, each keeping the
    tables per slot, the organizations' maximums and one side's organizations never twice in a slot."""
    return min(side_flow(instance, "guest_organization"), side_flow(instance, "host_organization"))


def side_flow(instance: Instance, side: str) -> int:
    flow = max_flow.SimpleMaxFlow()
    nodes: dict[object, int] = {}

    def node(key: object) -> int:
        return nodes.setdefault(key, len(nodes))

    source, sink = node("source"), node("sink")
    for request in instance.open_requests:
        org = getattr(request, side)
        room = instance.room(org)
        flow.add_arc_with_capacity(source, node(("org", org)), len(instance.open_requests) if room is None else room)
        flow.add_arc_with_capacity(node(("org", org)), node(("request", request.id)), 1)
        for slot in instance.candidates[request.id]:
            flow.add_arc_with_capacity(node(("request", request.id)), node(("org-slot", org, slot)), 1)
    for key in list(nodes):
        if isinstance(key, tuple) and key[0] == "org-slot":
            flow.add_arc_with_capacity(nodes[key], node(("slot", key[2])), 1)
    for key in list(nodes):
        if isinstance(key, tuple) and key[0] == "slot":
            flow.add_arc_with_capacity(nodes[key], sink, instance.free_tables(key[1]))
    if flow.solve(source, sink) != flow.OPTIMAL:
        raise RuntimeError("maximum flow failed")
    return flow.optimal_flow()


class Model:
    def __init__(self, instance: Instance):
        self.instance = instance
        self.model = cp_model.CpModel()
        self.x = {
            (request.id, slot): self.model.new_bool_var(f"x_{request.id}_{slot}")
            for request in instance.open_requests
            for slot in instance.candidates[request.id]
        }
        self._hard_rules()
        self.meetings = sum(instance.requests[request].weight * variable for (request, _), variable in self.x.items())
        self.moves = sum(
            1 - self.x[(placement.request, placement.slot)]
            for placement in instance.existing.values()
            if (placement.request, placement.slot) in self.x
        )
        # (ranks: rank → the x keys meeting there, or True for a locked meeting; before, after, idle: rank → variable)
        self.idle_blocks: list[tuple[dict, dict, dict, dict]] = []

    def _hard_rules(self) -> None:
        instance, model = self.instance, self.model
        by_request, by_slot = defaultdict(list), defaultdict(list)
        by_participant = defaultdict(lambda: defaultdict(list))
        by_org = defaultdict(list)
        for (request, slot), variable in self.x.items():
            by_request[request].append(variable)
            by_slot[slot].append(variable)
            for participant in participants(instance.requests[request]):
                by_participant[participant][slot].append(variable)
            for org in instance.requests[request].organizations:
                by_org[org].append(variable)
        for variables in by_request.values():
            model.add_at_most_one(variables)
        for slot, variables in by_slot.items():
            if len(variables) > instance.free_tables(slot):
                model.add(sum(variables) <= instance.free_tables(slot))
        for slots in by_participant.values():
            cliques = {tuple(other for other in instance.clique(slot) if other in slots) for slot in slots}
            for clique in sorted(cliques):
                variables = [variable for slot in clique for variable in slots[slot]]
                if len(variables) > 1:
                    model.add_at_most_one(variables)
        for org, variables in by_org.items():
            room = instance.room(org)
            if room is not None and len(variables) > room:
                model.add(sum(variables) <= room)

    def _groups(self) -> dict[tuple, list]:
        """Participants whose meeting variables, locked meetings and free positions coincide share one set of idle
        variables, counted as many times."""
        instance = self.instance
        at_position = defaultdict(lambda: defaultdict(list))  # participant → (day, rank) → x keys
        for request, slot in self.x:
            for participant in participants(instance.requests[request]):
                at_position[participant][instance.positions[slot]].append((request, slot))
        for placement in instance.problem.locked:
            for participant in participants(instance.requests[placement.request]):
                if participant in at_position:
                    at_position[participant][instance.positions[placement.slot]] = True
        groups = defaultdict(list)
        for participant, positions in at_position.items():
            free = frozenset(
                (day, rank) for day, ranks in instance.free_positions(participant).items() for rank in ranks
            )
            keys = tuple(
                sorted((position, keys if keys is True else tuple(keys)) for position, keys in positions.items())
            )
            groups[(keys, free)].append(participant)
        return groups

    def _idle_slots(self):
        """Σ idle slots of organizations and people: a free position with no meeting after a meeting and before
        another, the same day."""
        model = self.model
        terms = []
        for (positions, free), members in sorted(self._groups().items(), key=lambda item: item[1]):
            by_day = defaultdict(dict)
            for (day, rank), keys in positions:
                by_day[day][rank] = keys
            for day, ranks in sorted(by_day.items()):
                if len(ranks) < 2:
                    continue
                span = range(min(ranks), max(ranks) + 1)
                meeting = {
                    rank: 1 if ranks.get(rank) is True else sum(self.x[key] for key in ranks.get(rank, ()))
                    for rank in span
                }
                before = {rank: model.new_bool_var("") for rank in span}
                after = {rank: model.new_bool_var("") for rank in span}
                for rank in span:
                    model.add(before[rank] >= meeting[rank])
                    model.add(after[rank] >= meeting[rank])
                    if rank > span.start:
                        model.add(before[rank] >= before[rank - 1])
                        model.add(after[rank - 1] >= after[rank])
                idle = {}
                for rank in span[1:-1]:
                    if (day, rank) in free and ranks.get(rank) is not True:
                        idle[rank] = model.new_bool_var("")
                        model.add(idle[rank] >= before[rank] + after[rank] - 1 - meeting[rank])
                        terms.append(len(members) * idle[rank])
                self.idle_blocks.append((ranks, before, after, idle))
        return sum(terms)

    def _solver(self, seconds: float, limits: Limits, started: float) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        solver.parameters.max_deterministic_time = seconds
        solver.parameters.max_time_in_seconds = max(1.0, limits.wall_seconds - (time.monotonic() - started))
        solver.parameters.num_workers = limits.workers
        solver.parameters.interleave_search = limits.workers > 1
        solver.parameters.random_seed = limits.seed
        return solver

    def _hint(self, slot_of: dict[int, int]) -> None:
        """A complete solution as the hint: the meetings, and the idle variables they imply."""
        self.model.clear_hints()
        chosen = set(slot_of.items())
        for key, variable in self.x.items():
            self.model.add_hint(variable, key in chosen)
        for ranks, before, after, idle in self.idle_blocks:
            meets = {rank for rank, keys in ranks.items() if keys is True or chosen.intersection(keys)}
            for rank in before:
                self.model.add_hint(before[rank], any(other <= rank for other in meets))
                self.model.add_hint(after[rank], any(other >= rank for other in meets))
            for rank, variable in idle.items():
                inside = any(other < rank for other in meets) and any(other > rank for other in meets)
                self.model.add_hint(variable, inside and rank not in meets)

    def _read(self, solver: cp_model.CpSolver) -> dict[int, int]:
        return {request: slot for (request, slot), variable in self.x.items() if solver.boolean_value(variable)}

    def solve(self, baseline: dict[int, int], limits: Limits, started: float) -> tuple[dict[int, int], bool]:
        """request → slot, and whether the weighted number of meetings is proven the most possible."""
        if not self.x:
            return {}, True
        self._hint(baseline)
        self.model.maximize(self.meetings)
        solver = self._solver(limits.meetings, limits, started)
        status = solver.solve(self.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return baseline, False
        optimal = status == cp_model.OPTIMAL
        best = self._read(solver)
        self.model.add(self.meetings >= round(solver.objective_value))
        best = compact(self.instance, best)
        if len(self.x) > limits.idle_model_max_meetings:
            return best, optimal
        idle = self._idle_slots()
        if isinstance(idle, int) and isinstance(self.moves, int):
            return best, optimal
        self._hint(best)
        self.model.minimize(idle * (len(self.instance.existing) + 1) + self.moves)
        solver = self._solver(min(limits.idle, max(0.05, limits.idle_per_pair * len(self.x))), limits, started)
        if solver.solve(self.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best = self._read(solver)
        return best, optimal
