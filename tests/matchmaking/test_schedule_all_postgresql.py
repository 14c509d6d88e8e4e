"""Schedule all under real concurrency, on PostgreSQL: two staff apply proposals for one session at once, and a
meeting saved by hand races an apply. Exactly one wins each time, the other fails cleanly, nothing is booked twice."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection

from matchmaking.models import MeetingRequest, SchedulingProposal
from matchmaking.scheduling_services import proposal_apply, proposal_compute
from meetings.models import Booking, Meeting
from meetings.services import meeting_schedule
from tests.factories import OrganizationFactory
from tests.helpers import in_threads
from tests.matchmaking.test_schedule_all import company, wish

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="Concurrent sessions need PostgreSQL."),
    pytest.mark.django_db(transaction=True),
]


def attempt(work):
    """ "ok", or what refused the work: a message, or the deadlock PostgreSQL broke by rolling this side back."""
    try:
        work()
    except ValidationError as error:
        return error.messages
    except OperationalError as error:
        assert "deadlock detected" in str(error)
        return "deadlock"
    return "ok"


def no_double_booking():
    bookings = list(Booking.objects.order_by("resource", "starts_at"))
    for first, second in itertools.pairwise(bookings):
        if first.resource == second.resource:
            assert first.ends_at <= second.starts_at, (first, second)


@pytest.fixture
def wishes(visit):
    for name in ("Dalkia", "Veolia", "Engie"):
        wish(visit, company(visit, name)[0])
    return visit


def test_two_staff_apply_proposals_for_one_session_at_once(wishes, django_user_model):
    session = wishes["session"]
    users = [django_user_model.objects.create_user(f"editor{rank}", is_staff=True) for rank in range(2)]
    proposals = [proposal_compute(sessions=[session], user=user) for user in users]  # both see the session unscheduled

    results = in_threads(2, lambda rank: attempt(lambda: proposal_apply(proposal=proposals[rank], user=users[rank])))

    assert sorted(result == "ok" for result in results) == [False, True]
    refused = next(result for result in results if result != "ok")
    assert refused == ["Something changed since this proposal was computed: compute it again."]
    assert Meeting.objects.count() == 3
    assert MeetingRequest.objects.filter(status=MeetingRequest.Status.SCHEDULED, meeting__isnull=False).count() == 3
    assert SchedulingProposal.objects.count() == 1  # the refused one stays, to be discarded or computed again
    no_double_booking()


def test_a_meeting_saved_by_hand_races_an_apply(wishes):
    """The ministry's member is booked outside the session at the very slot the proposal gives them first."""
    session = wishes["session"]
    proposal = proposal_compute(sessions=[session])
    first = proposal.proposal["placements"][0]

    def by_hand():
        meeting_schedule(
            meeting=Meeting(
                delegation=wishes["delegation"],
                date=session.day,
                start_time=datetime.time.fromisoformat(first["start"]),
                end_time=datetime.time.fromisoformat(first["end"]),
                city="Paris",
                time_zone="Europe/Paris",
                delegation_organization=wishes["ministry"],
                host_organization=OrganizationFactory(name="Total"),
                status=Meeting.Status.CONFIRMED,
            )
        )

    results = in_threads(2, lambda rank: attempt([lambda: proposal_apply(proposal=proposal), by_hand][rank]))

    assert sorted(result == "ok" for result in results) == [False, True]
    if results[0] == "ok":  # the apply won: the meeting by hand was refused, naming the ministry
        assert Meeting.objects.count() == 3
    else:  # the meeting by hand won: the apply wrote nothing
        assert Meeting.objects.count() == 1
        assert not MeetingRequest.objects.filter(status=MeetingRequest.Status.SCHEDULED).exists()
    no_double_booking()
