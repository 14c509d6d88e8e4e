"""Schedule all on the database: the problem read from the rows, compute → apply, refusals, unschedule, the admin."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from delegations.models import ItineraryItem
from matchmaking.models import Availability, MeetingRequest, Registration, RegistrationAttendee, SchedulingProposal
from matchmaking.scheduling import build_input
from matchmaking.scheduling_services import proposal_apply, proposal_compute, sessions_unschedule
from meetings.models import Booking, Meeting
from meetings.services import meeting_schedule, meeting_update
from tests.factories import ItineraryItemFactory, OrganizationFactory, PersonFactory

ACCEPTED, SCHEDULED = MeetingRequest.Status.ACCEPTED, MeetingRequest.Status.SCHEDULED


def company(visit, name, *, slots=(), person=None, max_meetings=None):
    """A registered host company with one attendee and, when given, its available slots (local start times)."""
    organization = OrganizationFactory(name=name)
    registration = Registration.objects.create(
        delegation=visit["delegation"], organization=organization, side="host", max_meetings=max_meetings
    )
    person = person or PersonFactory(name=f"{name} director")
    RegistrationAttendee.objects.create(registration=registration, person=person)
    session = visit["session"]
    for start in slots:
        end = (datetime.datetime.combine(session.day, start) + datetime.timedelta(minutes=30)).time()
        Availability.objects.create(registration=registration, session=session, start_time=start, end_time=end)
    return organization, person


def wish(visit, organization, *, status=ACCEPTED, priority=2):
    """The company asks to meet the ministry's member."""
    return MeetingRequest.objects.create(
        delegation=visit["delegation"],
        asker_organization=organization,
        target_organization=visit["ministry"],
        target_person=visit["member"].person,
        reason="Biomass.",
        priority=priority,
        status=status,
    )


def at(hour, minute=0):
    return datetime.time(hour, minute)


@pytest.fixture
def two_wishes(visit):
    dalkia, claire = company(visit, "Dalkia", slots=(at(14), at(15)))
    veolia, marc = company(visit, "Veolia")
    return {
        "dalkia": (dalkia, claire, wish(visit, dalkia)),
        "veolia": (veolia, marc, wish(visit, veolia)),
    }


def slot_starts(data, slots):
    return sorted(data.slots[index][1] for index in slots)


def test_problem_respects_availability_sides_and_people(visit, two_wishes):
    data = build_input([visit["session"]])
    dalkia, claire, request = two_wishes["dalkia"]
    veolia = two_wishes["veolia"][0]
    by_id = {item.id: item for item in data.problem.requests}
    assert by_id[request.pk].guest_organization == visit["ministry"].pk
    assert by_id[request.pk].host_organization == dalkia.pk
    assert by_id[request.pk].guest_people == {visit["member"].person.pk}
    assert by_id[request.pk].host_people == {claire.pk}
    assert slot_starts(data, data.problem.organization_availability[dalkia.pk]) == [at(14), at(15)]
    assert veolia.pk not in data.problem.organization_availability  # gave no slot: free in every one
    assert [slot.start.astimezone(datetime.UTC).time() for slot in data.problem.slots] == [
        at(13),  # 14:00 in Paris, in November
        at(13, 30),
        at(14),
        at(14, 30),
    ]
    assert data.problem.tables == {str(visit["session"].pk): ("1", "2")}


def test_problem_marks_other_programme_items_and_meetings_outside_busy(visit, two_wishes):
    _dalkia, claire, _ = two_wishes["dalkia"]
    veolia, _marc, _ = two_wishes["veolia"]
    visit_item = ItineraryItemFactory(
        delegation=visit["delegation"], start_time=at(14, 45), end_time=at(15, 15), title="Site visit"
    )
    visit_item.host_participants.add(claire)
    meeting_schedule(
        meeting=Meeting(
            delegation=visit["delegation"],
            date=visit["session"].day,
            start_time=at(15, 30),
            end_time=at(16),
            city="Paris",
            time_zone="Europe/Paris",
            delegation_organization=visit["ministry"],
            host_organization=veolia,
            status=Meeting.Status.CONFIRMED,
        )
    )
    data = build_input([visit["session"]])
    assert slot_starts(data, data.problem.person_busy[claire.pk]) == [at(14, 30), at(15)]
    assert slot_starts(data, data.problem.organization_busy[veolia.pk]) == [at(15, 30)]
    assert slot_starts(data, data.problem.organization_busy[visit["ministry"].pk]) == [at(15, 30)]


def test_compute_then_apply_creates_meetings_with_bookings_and_people(visit, two_wishes, superuser):
    proposal = proposal_compute(sessions=[visit["session"]], user=superuser)
    placements = proposal.proposal["placements"]
    assert len(placements) == 2 and {row["change"] for row in placements} == {"placed"}
    assert not Meeting.objects.exists()  # nothing written before it is applied

    meetings = proposal_apply(proposal=proposal, user=superuser)

    assert len(meetings) == 2
    _, claire, dalkia_request = two_wishes["dalkia"]
    dalkia_request.refresh_from_db()
    assert dalkia_request.status == SCHEDULED
    meeting = dalkia_request.meeting
    assert meeting.session == visit["session"] and meeting.status == Meeting.Status.CONFIRMED
    assert meeting.delegation_organization == visit["ministry"] and meeting.host_organization.name == "Dalkia"
    assert meeting.start_time in (at(14), at(15)) and meeting.table in ("1", "2")
    assert {(p.person, p.side) for p in meeting.participants.all()} == {
        (visit["member"].person, "delegation"),
        (claire, "host"),
    }
    assert Booking.objects.filter(meeting=meeting).count() == 5  # 2 organizations, 2 people, the table
    assert not SchedulingProposal.objects.exists()
    # The ministry's member meets both companies, never twice at once.
    starts = sorted(Meeting.objects.values_list("start_time", flat=True))
    assert len(set(starts)) == 2


def test_apply_refused_when_the_input_changed(visit, two_wishes):
    proposal = proposal_compute(sessions=[visit["session"]])
    dalkia, _, request = two_wishes["dalkia"]
    Availability.objects.filter(registration__organization=dalkia).delete()

    with pytest.raises(ValidationError, match="Something changed since this proposal was computed"):
        proposal_apply(proposal=proposal)

    assert not Meeting.objects.exists()
    request.refresh_from_db()
    assert request.status == ACCEPTED


def test_apply_fails_cleanly_when_a_conflicting_meeting_appears(visit, two_wishes):
    """A meeting saved between compute and apply (here in another session of the visit) takes the ministry's slot."""
    proposal = proposal_compute(sessions=[visit["session"]])
    row = proposal.proposal["placements"][0]
    meeting_schedule(
        meeting=Meeting(
            delegation=visit["delegation"],
            date=visit["session"].day,
            start_time=datetime.time.fromisoformat(row["start"]),
            end_time=datetime.time.fromisoformat(row["end"]),
            city="Paris",
            time_zone="Europe/Paris",
            delegation_organization=visit["ministry"],
            host_organization=OrganizationFactory(name="Total"),
            status=Meeting.Status.CONFIRMED,
        )
    )

    with pytest.raises(ValidationError):
        proposal_apply(proposal=proposal)

    assert Meeting.objects.count() == 1  # only the one entered meanwhile
    assert set(MeetingRequest.objects.values_list("status", flat=True)) == {ACCEPTED}
    assert SchedulingProposal.objects.filter(pk=proposal.pk).exists()


def test_locked_meetings_stay_and_unschedule_keeps_them(visit, two_wishes):
    proposal_apply(proposal=proposal_compute(sessions=[visit["session"]]))
    _, _, dalkia_request = two_wishes["dalkia"]
    dalkia_request.refresh_from_db()
    locked = dalkia_request.meeting
    Meeting.objects.filter(pk=locked.pk).update(is_locked=True)

    data = build_input([visit["session"]])
    assert [placement.request for placement in data.problem.locked] == [dalkia_request.pk]
    assert len(data.problem.existing) == 1

    assert sessions_unschedule(sessions=[visit["session"]]) == 1

    assert list(Meeting.objects.all()) == [locked]
    statuses = dict(MeetingRequest.objects.values_list("pk", "status"))
    assert statuses == {dalkia_request.pk: SCHEDULED, two_wishes["veolia"][2].pk: ACCEPTED}
    assert MeetingRequest.objects.get(pk=two_wishes["veolia"][2].pk).meeting is None


def test_a_maximum_leaves_a_request_out_with_its_reason(visit):
    dalkia, _ = company(visit, "Dalkia", max_meetings=0)
    request = wish(visit, dalkia)

    proposal = proposal_compute(sessions=[visit["session"]])

    assert proposal.proposal["placements"] == []
    assert proposal.proposal["left_out"] == [
        {"request": request.pk, "reason": "maximum_reached", "organization": dalkia.pk}
    ]


def test_sessions_of_two_visits_refused(visit):
    other = ItineraryItemFactory(kind=ItineraryItem.Kind.B2B_SESSION, b2b_slot_minutes=30, b2b_tables="A")
    with pytest.raises(ValidationError, match="one visit"):
        proposal_compute(sessions=[visit["session"], other])


SESSIONS = "/admin/matchmaking/b2bsession/"


def run_action(client, action, session):
    return client.post(SESSIONS, {"action": action, "_selected_action": [session.pk]})


def test_editor_schedules_all_from_the_sessions_list_and_applies(member_client, visit, two_wishes):
    client = member_client("Editors")
    capped, _ = company(visit, "Engie", max_meetings=0)
    wish(visit, capped)
    listing = client.get(SESSIONS)
    assert listing.status_code == 200 and "Schedule all" in listing.text

    response = run_action(client, "schedule_all", visit["session"])

    proposal = SchedulingProposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/matchmaking/schedulingproposal/{proposal.pk}/change/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "2 meetings placed" in page.text and "1 request left out" in page.text
    assert "The organization&#x27;s maximum number of meetings is reached. (Engie)" in page.text
    assert "Dalkia" in page.text and 'name="apply"' in page.text
    assert not Meeting.objects.exists()

    applied = client.post(response["Location"], {"apply": "Apply"})

    assert applied.status_code == 302
    assert Meeting.objects.count() == 2
    assert MeetingRequest.objects.filter(status=SCHEDULED).count() == 2

    run_action(client, "unschedule_all", visit["session"])
    assert not Meeting.objects.exists()
    assert MeetingRequest.objects.filter(status=ACCEPTED).count() == 3


def test_editor_discards_a_proposal(member_client, visit, two_wishes):
    client = member_client("Editors")
    run_action(client, "schedule_all", visit["session"])
    proposal = SchedulingProposal.objects.get()

    response = client.post(f"/admin/matchmaking/schedulingproposal/{proposal.pk}/change/", {"discard": "Discard"})

    assert response.status_code == 302
    assert not SchedulingProposal.objects.exists() and not Meeting.objects.exists()


def test_a_refused_apply_says_why_and_writes_nothing(member_client, visit, two_wishes):
    client = member_client("Editors")
    run_action(client, "schedule_all", visit["session"])
    url = f"/admin/matchmaking/schedulingproposal/{SchedulingProposal.objects.get().pk}/change/"
    MeetingRequest.objects.filter(pk=two_wishes["veolia"][2].pk).update(status=MeetingRequest.Status.DECLINED)

    response = client.post(url, {"apply": "Apply"}, follow=True)

    assert "Something changed since this proposal was computed: compute it again." in response.text
    assert not Meeting.objects.exists()


def test_viewers_see_sessions_and_proposals_but_cannot_schedule(member_client, visit, two_wishes):
    proposal = proposal_compute(sessions=[visit["session"]])
    client = member_client("Viewers")
    listing = client.get(SESSIONS)
    assert listing.status_code == 200 and "Schedule all" not in listing.text
    run_action(client, "schedule_all", visit["session"])
    assert SchedulingProposal.objects.count() == 1

    url = f"/admin/matchmaking/schedulingproposal/{proposal.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="apply"' not in page.text
    assert client.post(url, {"apply": "Apply"}).status_code == 403
    assert not Meeting.objects.exists()


def test_proposal_page_in_french(member_client, visit):
    dalkia, _ = company(visit, "Dalkia", max_meetings=0)
    wish(visit, dalkia)
    proposal = proposal_compute(sessions=[visit["session"]])
    client = member_client("Editors")

    page = client.get(f"/admin/matchmaking/schedulingproposal/{proposal.pk}/change/", HTTP_ACCEPT_LANGUAGE="fr")

    assert page.status_code == 200
    assert "Appliquer" in page.text and "1 demande laissée de côté" in page.text
    assert "Le nombre maximal de rendez-vous de l’organisation est atteint." in page.text


def test_a_scheduled_meeting_moves_when_its_slot_no_longer_suits(visit, two_wishes):
    proposal_apply(proposal=proposal_compute(sessions=[visit["session"]]))
    dalkia, _, request = two_wishes["dalkia"]
    request.refresh_from_db()
    meeting = request.meeting
    other = at(15) if meeting.start_time == at(14) else at(14)
    Availability.objects.filter(registration__organization=dalkia).exclude(start_time=other).delete()

    proposal = proposal_compute(sessions=[visit["session"]])
    moved = [row for row in proposal.proposal["placements"] if row["change"] == "moved"]
    assert [row["request"] for row in moved] == [request.pk]
    proposal_apply(proposal=proposal)

    meeting.refresh_from_db()
    assert meeting.start_time == other
    assert Meeting.objects.count() == 2
    assert {booking.starts_at for booking in meeting.bookings.all()} == {meeting.starts_at}


def test_a_meeting_moved_off_the_grid_by_hand_is_moved_back_not_doubled(visit, two_wishes):
    proposal_apply(proposal=proposal_compute(sessions=[visit["session"]]))
    _, _, request = two_wishes["veolia"]
    request.refresh_from_db()
    meeting = request.meeting
    meeting.start_time, meeting.end_time = at(14, 10), at(14, 40)  # between two slots
    meeting_update(meeting=meeting)

    proposal = proposal_compute(sessions=[visit["session"]])
    row = next(row for row in proposal.proposal["placements"] if row["request"] == request.pk)
    assert row["change"] == "moved" and row["meeting"] == meeting.pk
    proposal_apply(proposal=proposal)

    assert Meeting.objects.count() == 2
    meeting.refresh_from_db()
    assert meeting.start_time.minute in (0, 30)


def test_a_locked_meeting_off_the_grid_stays_and_keeps_its_people_busy(visit, two_wishes):
    proposal_apply(proposal=proposal_compute(sessions=[visit["session"]]))
    _, _, request = two_wishes["veolia"]
    request.refresh_from_db()
    meeting = request.meeting
    meeting.start_time, meeting.end_time, meeting.is_locked = at(14, 10), at(14, 40), True
    meeting_update(meeting=meeting)

    data = build_input([visit["session"]])
    assert request.pk not in {item.id for item in data.problem.requests}
    busy = data.problem.organization_busy[visit["ministry"].pk]
    assert slot_starts(data, busy) == [at(14), at(14, 30)]
