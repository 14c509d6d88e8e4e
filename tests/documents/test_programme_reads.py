"""What the programme PDF reads of a visit's B2B sessions: each session's meetings with their people named as the
public may see them, in a fixed number of queries whatever their number."""

import datetime

import pytest

from documents.programme import session_meetings
from meetings.models import MeetingParticipant
from tests import factories

pytestmark = pytest.mark.django_db


def named(entries) -> list[tuple[str, list[str], list[str]]]:
    return [(entry.meeting.table, list(map(str, entry.delegates)), list(map(str, entry.hosts))) for entry in entries]


def test_session_meetings_name_public_people_and_stand_ins_in_two_queries_whatever_their_number(
    meeting_grid, django_assert_num_queries
):
    with django_assert_num_queries(2):
        meetings = session_meetings(meeting_grid.visit_a)
    # A2 belongs to no session; Boris may not be named: Eastmed stands for him.
    assert named(meetings[meeting_grid.session.pk]) == [("A1", [], ["Anne Public", "a representative of Eastmed"])]

    for hour in (11, 12, 13):
        meeting = factories.MeetingFactory(
            delegation=meeting_grid.visit_a,
            session=meeting_grid.session,
            date=meeting_grid.a1.date,
            start_time=datetime.time(hour, 0),
            table=f"T{hour}",
            delegation_organization=factories.OrganizationFactory(name=f"Delegation {hour}"),
            host_organization=factories.OrganizationFactory(name=f"Host {hour}"),
        )
        for side in MeetingParticipant.Side:
            factories.MeetingParticipantFactory(
                meeting=meeting, person=factories.PersonFactory(name=f"{side.label} {hour}"), side=side
            )
    with django_assert_num_queries(2):
        meetings = session_meetings(meeting_grid.visit_a)
    assert named(meetings[meeting_grid.session.pk])[1:] == [
        (f"T{hour}", [f"Delegation side {hour}"], [f"Host side {hour}"]) for hour in (11, 12, 13)
    ]
