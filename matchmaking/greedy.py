"""The first-fit baseline the proposal is measured against: requests by weight, each at its first free slot."""

from collections import defaultdict

from matchmaking.instance import Instance, participants


def greedy(instance: Instance) -> dict[int, int]:
    """request → slot, locked meetings left out (they hold their slots already)."""
    held = set(instance.locked_held)
    tables_used = defaultdict(int)
    meetings = defaultdict(int)
    slot_of = {}
    for request in sorted(instance.open_requests, key=lambda request: (-request.weight, request.id)):
        if any((room := instance.room(org)) is not None and meetings[org] >= room for org in request.organizations):
            continue
        for slot in instance.candidates[request.id]:
            if tables_used[slot] < instance.free_tables(slot) and not any(
                (participant, slot) in held for participant in participants(request)
            ):
                slot_of[request.id] = slot
                tables_used[slot] += 1
                for org in request.organizations:
                    meetings[org] += 1
                held.update(
                    (participant, overlapping)
                    for participant in participants(request)
                    for overlapping in instance.overlapping(slot)
                )
                break
    return slot_of
