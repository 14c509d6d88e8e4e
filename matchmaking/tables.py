"""Tables for meetings whose slots are chosen.

The solver only decides slots, never more meetings in a slot than its session has free tables (tables within a
session are interchangeable), so each slot's meetings always fit its free tables: each meeting takes one table from
that slot's free set, which never hands the same table out twice. Preferences only choose which free table: the one
a moving meeting already had, then the table the delegation-side organization sat at last that day, then its own
table for the session, so that the delegation's people change tables as seldom as they can.
"""

from collections import defaultdict

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
        unseated = list(requests)
        for preference in ("existing", "last", "home"):
            for request in list(unseated):
                guest = instance.requests[request].guest_organization
                if preference == "existing":
                    before = instance.existing.get(request)
                    wanted = before.table if before and before.slot == slot.index else None
                elif preference == "last":
                    wanted = last_table.get((slot.day, guest))
                else:
                    wanted = homes.get((slot.session, guest))
                if wanted in free:
                    free.remove(wanted)
                    table_of[request] = wanted
                    unseated.remove(request)
        spare = sorted(free, key=lambda table: (table in homes.values(), session_tables.index(table)))
        for request, table in zip(unseated, spare, strict=False):
            table_of[request] = table
        for request in requests:
            last_table[(slot.day, instance.requests[request].guest_organization)] = table_of[request]
        for (locked_slot, guest), table in locked_at.items():
            if locked_slot == slot.index:
                last_table[(slot.day, guest)] = table
    return table_of


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
