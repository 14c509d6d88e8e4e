"""The "Schedule all" engine on instances small enough to know the best schedule by hand."""

import random
from collections import Counter

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaking.problem import Change, Placement, Problem, ProblemError, Reason, Request, Slot
from matchmaking.solver import schedule


def slots(count: int, session: str = "b2b", day: str = "d1", first: int = 0) -> tuple[Slot, ...]:
    return tuple(Slot(first + number, session, day, 540 + 30 * number, 560 + 30 * number) for number in range(count))


def problem(requests, *, count=3, tables=("T1",), **extra) -> Problem:
    return Problem(slots=slots(count), tables={"b2b": tuple(tables)}, requests=tuple(requests), **extra)


def placed(proposal) -> dict[int, tuple[int, str]]:
    return {item.request: (item.slot, item.table) for item in proposal.scheduled}


def test_schedule_empty_problem_places_nothing():
    proposal = schedule(problem([]))
    assert (proposal.scheduled, proposal.left_out) == ((), ())
    assert (proposal.stats.placed, proposal.stats.bound, proposal.stats.greedy_placed) == (0, 0, 0)


def test_schedule_beats_first_fit_where_it_is_provably_worse():
    # One table. Request 1 could use slot 0 or 1; request 2 only slot 0. First fit gives request 1 slot 0 and
    # leaves request 2 out; the best schedule places both.
    proposal = schedule(
        problem(
            [Request(1, 10, 20), Request(2, 11, 21)],
            count=2,
            organization_availability={21: frozenset({0})},
        )
    )
    assert placed(proposal) == {1: (1, "T1"), 2: (0, "T1")}
    assert (proposal.stats.placed, proposal.stats.bound, proposal.stats.greedy_placed) == (2, 2, 1)
    assert proposal.stats.optimal


def test_schedule_refuses_locked_meetings_at_one_table_at_once():
    with pytest.raises(ProblemError, match="Two locked meetings share a table"):
        schedule(
            problem(
                [Request(1, 10, 20), Request(2, 11, 21)],
                locked=(Placement(1, 0, "T1"), Placement(2, 0, "T1")),
            )
        )


def test_schedule_refuses_locked_meetings_sharing_a_person_at_once():
    with pytest.raises(ProblemError, match="Two locked meetings share"):
        schedule(
            problem(
                [Request(1, 10, 20, guest_people=frozenset({7})), Request(2, 11, 21, guest_people=frozenset({7}))],
                tables=("T1", "T2"),
                locked=(Placement(1, 0, "T1"), Placement(2, 0, "T2")),
            )
        )


def test_schedule_refuses_an_unknown_table():
    with pytest.raises(ProblemError, match="a table its session does not have"):
        schedule(problem([Request(1, 10, 20)], locked=(Placement(1, 0, "T9"),)))


@pytest.mark.parametrize(
    ("requests", "extra", "message"),
    [
        ([Request(1, 10, 20), Request(1, 11, 21)], {}, "Two meeting requests have the same id."),
        ([Request(1, 10, 20, priority=0)], {}, "A meeting request's priority must be at least 1."),
        ([Request(1, 10, 10)], {}, "A meeting request has the same organization or person on both sides."),
        ([Request(1, 10, 20)], {"existing": (Placement(1, 9, "T1"),)}, "A placed meeting names an unknown request"),
        ([Request(1, 10, 20)], {"existing": (Placement(2, 0, "T1"),)}, "A placed meeting names an unknown request"),
    ],
)
def test_schedule_refuses_contradictory_input_in_words(requests, extra, message):
    with pytest.raises(ProblemError, match=message):
        schedule(problem(requests, **extra))


def test_schedule_keeps_locked_meetings_and_works_around_them():
    # Request 1 is locked in the only table of slot 0; request 2 shares its guest and could have had slot 0.
    proposal = schedule(
        problem(
            [Request(1, 10, 20), Request(2, 10, 21, priority=3)],
            count=2,
            locked=(Placement(1, 0, "T1"),),
        )
    )
    assert placed(proposal) == {1: (0, "T1"), 2: (1, "T1")}
    locked = proposal.placement(1)
    assert (locked.locked, locked.change) == (True, Change.UNCHANGED)
    assert (proposal.stats.placed, proposal.stats.locked) == (1, 1)


def test_schedule_respects_availability_and_busy_slots():
    proposal = schedule(
        problem(
            [Request(1, 10, 20, guest_people=frozenset({1}), host_people=frozenset({2}))],
            count=4,
            organization_availability={10: frozenset({0, 1, 2})},
            person_availability={2: frozenset({1, 2, 3})},
            person_busy={1: frozenset({1})},
        )
    )
    assert placed(proposal) == {1: (2, "T1")}


def test_schedule_stops_at_an_organizations_maximum():
    proposal = schedule(
        problem([Request(1, 10, 20), Request(2, 10, 21, priority=2)], tables=("T1", "T2"), max_meetings={10: 1})
    )
    assert set(placed(proposal)) == {2}
    (left,) = proposal.left_out
    assert (left.request, left.reason, left.organization) == (1, Reason.MAXIMUM_REACHED, 10)
    assert str(left.message) == "The organization's maximum number of meetings is reached."


def test_schedule_counts_locked_meetings_towards_the_maximum():
    proposal = schedule(
        problem(
            [Request(1, 10, 20), Request(2, 10, 21)],
            tables=("T1", "T2"),
            locked=(Placement(1, 0, "T1"),),
            max_meetings_default=1,
        )
    )
    assert proposal.reason(2) == Reason.MAXIMUM_REACHED


def test_schedule_prefers_the_mutual_wish_when_capacity_is_short():
    requests = [Request(1, 10, 20, priority=2), Request(2, 11, 21, priority=2, mutual=True), Request(3, 12, 22)]
    proposal = schedule(problem(requests, count=1))
    assert set(placed(proposal)) == {2}


def test_schedule_prefers_higher_priority_over_a_mutual_wish():
    requests = [Request(1, 10, 20, priority=2), Request(2, 11, 21, priority=1, mutual=True)]
    assert set(placed(schedule(problem(requests, count=1)))) == {1}


def test_schedule_closes_the_gap_first_fit_leaves():
    # Host 20 (person 100) meets guest 10 (free only in slot 2) and guest 11 (free in slots 0 and 1). First fit puts
    # guest 11 in slot 0, leaving the host idle in slot 1; slot 1 places as many meetings with no gap.
    proposal = schedule(
        problem(
            [Request(1, 10, 20, host_people=frozenset({100})), Request(2, 11, 20, host_people=frozenset({100}))],
            organization_availability={10: frozenset({2}), 11: frozenset({0, 1})},
        )
    )
    assert placed(proposal) == {1: (2, "T1"), 2: (1, "T1")}
    assert proposal.stats.idle_slots_by_person == {100: 0}
    assert proposal.stats.idle_slots_per_person == 0
    assert proposal.stats.greedy_idle_slots_per_person == 1


def test_schedule_does_not_count_a_busy_slot_as_idle():
    proposal = schedule(
        problem(
            [Request(1, 10, 20, host_people=frozenset({100})), Request(2, 11, 20, host_people=frozenset({100}))],
            organization_availability={10: frozenset({0}), 11: frozenset({2})},
            person_busy={100: frozenset({1})},
        )
    )
    assert placed(proposal) == {1: (0, "T1"), 2: (2, "T1")}
    assert proposal.stats.idle_slots_by_person == {100: 0}


def test_schedule_never_puts_anyone_in_two_sessions_at_once():
    # Sessions a and b run at the same times; guest 10 wants to meet host 20 in a and host 21 in b.
    problem_ = Problem(
        slots=slots(1, "a") + slots(1, "b", first=1),
        tables={"a": ("A1",), "b": ("B1",)},
        requests=(Request(1, 10, 20, priority=2), Request(2, 10, 21)),
        organization_availability={20: frozenset({0}), 21: frozenset({1})},
    )
    proposal = schedule(problem_)
    assert placed(proposal) == {1: (0, "A1")}
    assert proposal.reason(2) == Reason.PARTICIPANTS_TAKEN


def test_schedule_keeps_the_delegations_organization_at_one_table():
    # Guest 10 meets three hosts in slots 0-2; a locked meeting holds T1 in slot 1, so guest 10 sits at T2 all day.
    requests = [Request(1, 10, 20), Request(2, 10, 21), Request(3, 10, 22), Request(4, 11, 23)]
    proposal = schedule(
        problem(
            requests,
            tables=("T1", "T2"),
            organization_availability={20: frozenset({0}), 21: frozenset({1}), 22: frozenset({2})},
            locked=(Placement(4, 1, "T1"),),
        )
    )
    assert placed(proposal) == {1: (0, "T2"), 2: (1, "T2"), 3: (2, "T2"), 4: (1, "T1")}
    assert proposal.stats.table_changes == 0


def test_schedule_says_placed_moved_or_unchanged():
    proposal = schedule(
        problem(
            [Request(1, 10, 20), Request(2, 11, 21), Request(3, 12, 22)],
            tables=("T1", "T2", "T3"),
            organization_availability={20: frozenset({0}), 21: frozenset({1})},
            existing=(Placement(1, 0, "T1"), Placement(2, 0, "T2")),
        )
    )
    assert {item.request: item.change for item in proposal.scheduled} == {
        1: Change.UNCHANGED,
        2: Change.MOVED,
        3: Change.PLACED,
    }
    assert placed(proposal)[1] == (0, "T1")


@pytest.mark.parametrize(
    ("requests", "extra", "reason", "message"),
    [
        (
            [Request(1, 10, 20)],
            {"organization_availability": {10: frozenset({0}), 20: frozenset({1})}},
            Reason.NO_COMMON_SLOT,
            "There is no slot when both sides are free.",
        ),
        (
            [Request(1, 10, 20, priority=2), Request(2, 11, 21)],
            {"count": 1},
            Reason.TABLES_TAKEN,
            "Every table is taken in their common slots.",
        ),
        (
            [Request(1, 10, 20, priority=2), Request(2, 10, 21)],
            {"count": 1, "tables": ("T1", "T2")},
            Reason.PARTICIPANTS_TAKEN,
            "Each common slot is taken by another of their meetings.",
        ),
        (
            # Slot 0's only table goes to request 1; slot 1 to request 2, whose guest request 3 shares.
            [Request(1, 10, 20, priority=2), Request(2, 11, 21, priority=2), Request(3, 11, 22)],
            {"count": 2, "organization_availability": {20: frozenset({0}), 21: frozenset({1})}},
            Reason.SLOTS_TAKEN,
            "Each common slot is taken: either by another of their meetings or because every table is in use.",
        ),
    ],
)
def test_schedule_gives_the_reason_a_request_is_left_out(requests, extra, reason, message):
    proposal = schedule(problem(requests, **extra))
    (left,) = proposal.left_out
    assert (left.request, left.reason, str(left.message)) == (requests[-1].id, reason, message)


def test_schedule_reason_reads_in_french():
    proposal = schedule(problem([Request(1, 10, 20)], organization_availability={10: frozenset({0}), 20: frozenset()}))
    with translation.override("fr"):
        assert str(proposal.left_out[0].message) == "Il n’y a aucun créneau où les deux parties sont libres."


def generated(seed: int, requests: int = 60) -> Problem:
    rng = random.Random(seed)
    people = {org: [org * 10, org * 10 + 1][: rng.randint(1, 2)] for org in range(1, 31)}
    pairs = sorted({(rng.randint(1, 6), rng.randint(7, 30)) for _ in range(requests)})
    return Problem(
        slots=slots(8),
        tables={"b2b": ("T1", "T2", "T3", "T4")},
        requests=tuple(
            Request(
                number,
                guest,
                host,
                frozenset(rng.sample(people[guest], 1)),
                frozenset(people[host]),
                rng.randint(1, 3),
                rng.random() < 0.3,
            )
            for number, (guest, host) in enumerate(pairs, start=1)
        ),
        organization_availability={org: frozenset(rng.sample(range(8), 5)) for org in people if rng.random() < 0.5},
        locked=(Placement(1, 3, "T2"),),
    )


def test_schedule_gives_the_same_proposal_for_the_same_input():
    first, second = schedule(generated(3)), schedule(generated(3))
    assert first.scheduled == second.scheduled
    assert first.left_out == second.left_out
    assert first.stats.placed <= first.stats.bound


@st.composite
def problems(draw):
    """Up to 4 slots in one session, or in two sessions running at the same times; up to 8 requests among 5
    organizations and 14 people; random availability, busy slots and maximum; maybe one locked meeting."""
    count = draw(st.integers(1, 4))
    sessions = draw(st.sampled_from((("a",), ("a", "b"))))
    all_slots = tuple(
        slot for number, session in enumerate(sessions) for slot in slots(count, session, first=number * count)
    )
    slot_ids = [slot.index for slot in all_slots]
    orgs = draw(st.integers(2, 5))
    availability = st.dictionaries(st.integers(1, orgs), st.frozensets(st.sampled_from(slot_ids)), max_size=orgs)
    people = st.frozensets(st.integers(1, 4), max_size=2)
    requests = []
    for number in range(draw(st.integers(0, 8))):
        guest = draw(st.integers(1, orgs))
        host = draw(st.integers(1, orgs).filter(lambda org, guest=guest: org != guest))
        guest_people = draw(people)
        host_people = draw(people.map(lambda chosen: frozenset(person + 10 for person in chosen)))
        requests.append(
            Request(number, guest, host, guest_people, host_people, draw(st.integers(1, 3)), draw(st.booleans()))
        )
    tables = {session: tuple(f"{session}{number}" for number in range(draw(st.integers(1, 2)))) for session in sessions}
    locked = ()
    if requests and draw(st.booleans()):
        slot = draw(st.sampled_from(all_slots))
        locked = (Placement(0, slot.index, draw(st.sampled_from(tables[slot.session]))),)
    return Problem(
        slots=all_slots,
        tables=tables,
        requests=tuple(requests),
        organization_availability=draw(availability),
        person_availability=draw(st.dictionaries(st.integers(1, 14), st.frozensets(st.sampled_from(slot_ids)))),
        person_busy=draw(st.dictionaries(st.integers(1, 14), st.frozensets(st.sampled_from(slot_ids)))),
        locked=locked,
        max_meetings_default=draw(st.none() | st.integers(0, 3)),
    )


@settings(max_examples=40)
@given(problems())
def test_schedule_never_double_books_or_ignores_availability(drawn):
    proposal = schedule(drawn)
    requests = {request.id: request for request in drawn.requests}
    slot_of = {slot.index: slot for slot in drawn.slots}
    seats = Counter((item.slot, item.table) for item in proposal.scheduled)
    assert all(count == 1 for count in seats.values())
    at_once = Counter()  # (participant, start time): sessions in parallel share their times
    for item in proposal.scheduled:
        request = requests[item.request]
        assert item.table in drawn.tables[slot_of[item.slot].session]
        if item.locked:
            continue  # locked meetings stay where staff put them, free or not
        for org in request.organizations:
            assert item.slot in drawn.organization_availability.get(org, {item.slot})
        for person in request.people:
            assert item.slot in drawn.person_availability.get(person, {item.slot})
            assert item.slot not in drawn.person_busy.get(person, ())
    for item in proposal.scheduled:
        request = requests[item.request]
        for participant in [("organization", org) for org in request.organizations] + [
            ("person", person) for person in request.people
        ]:
            at_once[(participant, slot_of[item.slot].start)] += 1
    assert all(count == 1 for count in at_once.values())
    assert {(item.request, item.slot, item.table) for item in proposal.scheduled if item.locked} == {
        (placement.request, placement.slot, placement.table) for placement in drawn.locked
    }
    meetings = Counter(org for item in proposal.scheduled for org in requests[item.request].organizations)
    if drawn.max_meetings_default is not None:
        locked_only = Counter(org for p in drawn.locked for org in requests[p.request].organizations)
        assert all(count <= max(drawn.max_meetings_default, locked_only[org]) for org, count in meetings.items())
    assert proposal.stats.greedy_weight <= proposal.stats.weight
    assert max(proposal.stats.placed, proposal.stats.greedy_placed) <= proposal.stats.bound
    assert len(proposal.scheduled) + len(proposal.left_out) == len(drawn.requests)
