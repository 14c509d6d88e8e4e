"""Tables for meetings whose slots are chosen.

The solver only decides slots, and never puts more meetings in a slot than its session has free tables (tables
within a session are interchangeable). So each slot's meetings always fit: slot by slot, in time order, they get
distinct free tables by an assignment (one table per meeting, one meeting per table) of least cost, the cheapest
being the table a moving meeting already had, then the table its delegation-side organization sat at last that day,
then that organization's own table for the session; so the delegation's people change tables as seldom as they can.
"""

from collections import defaultdict

from ortools.graph.python import linear_sum_assignment

from matchmaking.instance import Instance, participants


def home_tables(instance: Instance, slot_of: dict[int, int]) -> dict[tuple[str, int], str]:
    """(session, delegation-side organization) → a table of its own, busiest organizations first, to the tables
    locked meetings hold least."""
    meetings = defaultdict(int)
    for request, slot in slot_of.items():
        meetings[(instance.slots[slot].session, instance.requests[request].guest_organization)] += 1
    locked_uses = defaultdict(int)
    for placement in instance.problem.locked:
        locked_uses[(instance.slots[placement.slot].session, placement.table)] += 1
    homes = {}
    for session, tables in instance.problem.tables.items():
        organizations = sorted(
            (org for (where, org) in meetings if where == session), key=lambda org: (-meetings[(session, org)], org)
        )
        ranked = sorted(tables, key=lambda table: (locked_uses[(session, table)], tables.index(table)))
        homes.update({(session, org): table for org, table in zip(organizations, ranked, strict=False)})
    return homes


def assign_tables(instance: Instance, slot_of: dict[int, int]) -> dict[int, str]:
    """request → table for every request in `slot_of` (request → slot, locked ones left out)."""
    homes = home_tables(instance, slot_of)
    by_slot = defaultdict(list)
    for request, slot in slot_of.items():
        by_slot[slot].append(request)
    last_table: dict[tuple[str, int], str] = {}  # (day, delegation-side organization) → its latest table
    locked_at = {
        (placement.slot, instance.requests[placement.request].guest_organization): placement.table
        for placement in instance.problem.locked
    }
    table_of = {}
    for slot in instance.ordered_slots:
        session_tables = instance.problem.tables.get(slot.session, ())
        free = [table for table in session_tables if table not in instance.locked_tables.get(slot.index, ())]
        requests = sorted(
            by_slot.get(slot.index, ()), key=lambda request: instance.requests[request].guest_organization
        )
        assert len(requests) <= len(free), "the solver never places more meetings in a slot than it has free tables"
        homes_taken = set(homes.values())
        costs = [
            [seat_cost(instance, request, slot.index, table, homes, last_table, homes_taken) for table in free]
            for request in requests
        ]
        for request, table in zip(requests, cheapest_seats(costs, free), strict=True):
            table_of[request] = table
        for request in requests:
            last_table[(slot.day, instance.requests[request].guest_organization)] = table_of[request]
        for (locked_slot, guest), table in locked_at.items():
            if locked_slot == slot.index:
                last_table[(slot.day, guest)] = table
    return table_of


def seat_cost(instance: Instance, request: int, slot: int, table: str, homes, last_table, homes_taken) -> int:
    """0 for the table the meeting already had, 1 for where its delegation-side organization sat last that day, 2
    for that organization's own table, 3 for a table no one calls their own, 4 for another organization's."""
    before = instance.existing.get(request)
    guest = instance.requests[request].guest_organization
    session, day = instance.slots[slot].session, instance.slots[slot].day
    if before is not None and (before.slot, before.table) == (slot, table):
        return 0
    if last_table.get((day, guest)) == table:
        return 1
    if homes.get((session, guest)) == table:
        return 2
    return 4 if table in homes_taken else 3


def cheapest_seats(costs: list[list[int]], tables: list[str]) -> list[str]:
    """The tables of least total cost for each row of `costs`, each table once (a linear sum assignment, squared
    with rows of zeros)."""
    if not costs:
        return []
    assignment = linear_sum_assignment.SimpleLinearSumAssignment()
    for row in range(len(tables)):
        for column in range(len(tables)):
            assignment.add_arc_with_cost(row, column, costs[row][column] if row < len(costs) else 0)
    if assignment.solve() != assignment.OPTIMAL:
        raise RuntimeError("table assignment failed")
    return [tables[assignment.right_mate(row)] for row in range(len(costs))]


def table_changes(instance: Instance, placed: dict[int, tuple[int, str]]) -> int:
    """How many times a delegation-side organization or person sits at another table than at their previous meeting
    of the day. `placed`: request → (slot, table), locked meetings included."""
    seats = defaultdict(list)
    for request, (slot, table) in placed.items():
        guest_side = [
            participant
            for participant in participants(instance.requests[request])
            if participant == ("organization", instance.requests[request].guest_organization)
            or (participant[0] == "person" and participant[1] in instance.requests[request].guest_people)
        ]
        for participant in guest_side:
            seats[(participant, instance.slots[slot].day)].append((instance.positions[slot][1], table))
    return sum(
        1
        for sequence in seats.values()
        for (_, first), (_, second) in zip(sorted(sequence), sorted(sequence)[1:], strict=False)
        if first != second
    )
