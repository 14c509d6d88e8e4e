"""Why a request was left out, in words staff can act on, read off the proposal itself."""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from matchmaking.instance import Instance, participants
from matchmaking.problem import LeftOut, Reason

MESSAGES = {
    Reason.NO_COMMON_SLOT: _("There is no slot when both sides are free."),
    Reason.MAXIMUM_REACHED: _("The organization's maximum number of meetings is reached."),
    Reason.TABLES_TAKEN: _("Every table is taken in their common slots."),
    Reason.PARTICIPANTS_TAKEN: _("Each common slot is taken by another of their meetings."),
    Reason.SLOTS_TAKEN: _(
        "Each common slot is taken: either by another of their meetings or because every table is in use."
    ),
    Reason.NOT_REACHED: _("The solver ran out of time before it could place this meeting."),
}


def left_out(instance: Instance, slot_of: dict[int, int]) -> list[LeftOut]:
    """A reason for each open request not in `slot_of` (request → slot), checked in this order: no common slot, an
    organization at its maximum, then what holds each common slot (another meeting of theirs before a
    full table)."""
    placed = [*slot_of.items(), *((placement.request, placement.slot) for placement in instance.problem.locked)]
    held = set()
    meetings = defaultdict(int)
    tables_used = defaultdict(int)
    for request, slot in placed:
        for participant in participants(instance.requests[request]):
            held.update((participant, overlapping) for overlapping in instance.overlapping(slot))
        for org in instance.requests[request].organizations:
            meetings[org] += 1
    for slot in slot_of.values():
        tables_used[slot] += 1
    result = []
    for request in instance.open_requests:
        if request.id in slot_of:
            continue
        common = instance.common_slots[request.id]
        full = next(
            (
                org
                for org in request.organizations
                if (maximum := instance.problem.maximum(org)) is not None and meetings[org] >= maximum
            ),
            None,
        )
        taken = [slot for slot in common if any((participant, slot) in held for participant in participants(request))]
        tables_full = [slot for slot in common if slot not in taken and tables_used[slot] >= instance.free_tables(slot)]
        if not common:
            reason = Reason.NO_COMMON_SLOT
        elif full is not None:
            reason = Reason.MAXIMUM_REACHED
        elif len(taken) == len(common):
            reason = Reason.PARTICIPANTS_TAKEN
        elif len(tables_full) == len(common):
            reason = Reason.TABLES_TAKEN
        elif len(tables_full) + len(taken) == len(common):
            reason = Reason.SLOTS_TAKEN
        else:
            reason = Reason.NOT_REACHED
        result.append(LeftOut(request.id, reason, MESSAGES[reason], full if reason == Reason.MAXIMUM_REACHED else None))
    return result
