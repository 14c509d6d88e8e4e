"""No organization, person or table is booked twice at once: in validation, in the admin, and on
PostgreSQL in the database itself, even against concurrent saves."""

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import pre_save
from pytest_django.asserts import assertContains

from meetings.models import Booking, Meeting, MeetingParticipant
from meetings.services import (
    SlotTaken,
    meeting_participant_save,
    meeting_participants_remove,
    meeting_schedule,
    meeting_set_status,
    meeting_sync_bookings,
    meeting_update,
    meeting_validate,
)
from tests.factories import (
    DelegationFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganizationFactory,
    PersonFactory,
    VenueFactory,
)
from tests.helpers import change_form_data, in_threads, opened_state

NOV_27 = datetime.date(2018, 11, 27)
TAKEN = "Dalkia / Symbios, 2018-11-27 10:00"

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Only PostgreSQL refuses overlapping bookings itself (exclusion constraint): run with DATABASE_URL.",
)


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def clock(value: str | None) -> datetime.time | None:
    return datetime.time.fromisoformat(value) if value else None


@pytest.fixture
def visit(db):
    return DelegationFactory(start_date=datetime.date(2018, 11, 26), end_date=datetime.date(2018, 11, 29))


@pytest.fixture
def senat(db):
    return VenueFactory(name="Sénat", city="Paris", country="FR", time_zone="Europe/Paris")


@pytest.fixture
def dalkia(db):
    return OrganizationFactory(name="Dalkia")


@pytest.fixture
def symbios(db):
    return OrganizationFactory(name="Symbios")


@pytest.fixture
def levchenko(db):
    return PersonFactory(name="Sergey Levchenko")


@pytest.fixture
def plan(visit, senat):
    """A meeting of the visit on 27 November at the Senate, fresh organizations on both sides unless given."""

    def make(start="10:00", end="10:30", *, save=True, **values) -> Meeting:
        values.setdefault("delegation_organization", OrganizationFactory())
        values.setdefault("host_organization", OrganizationFactory())
        values.setdefault("venue", senat)
        factory = MeetingFactory if save else MeetingFactory.build
        return factory(delegation=visit, date=NOV_27, start_time=clock(start), end_time=clock(end), **values)

    return make


@pytest.fixture
def taken(plan, dalkia, symbios):
    """Dalkia meets Symbios at the Senate, 10:00-10:30 Paris time, table A1."""
    return plan(delegation_organization=dalkia, host_organization=symbios, table="A1")


def errors_of(instance) -> dict[str, list[str]]:
    """What the services refuse a meeting, or a participant row of a meeting, for."""
    with pytest.raises(ValidationError) as excinfo:
        if isinstance(instance, MeetingParticipant):
            meeting_validate(meeting=instance.meeting, participants=[instance])
        else:
            meeting_validate(meeting=instance)
    return excinfo.value.message_dict


def booked(meeting: Meeting) -> set[tuple[str, datetime.datetime, datetime.datetime]]:
    return set(Booking.objects.filter(meeting=meeting).values_list("resource", "starts_at", "ends_at"))


# Organizations


@pytest.mark.parametrize(
    ("taken_side", "new_side", "taken_name"),
    [
        ("delegation_organization", "delegation_organization", "Dalkia / Symbios, 2018-11-27 10:00"),
        ("delegation_organization", "host_organization", "Dalkia / Symbios, 2018-11-27 10:00"),
        ("host_organization", "delegation_organization", "Symbios / Dalkia, 2018-11-27 10:00"),
        ("host_organization", "host_organization", "Symbios / Dalkia, 2018-11-27 10:00"),
    ],
)
def test_meeting_organization_overlap_refused_on_either_side(plan, dalkia, symbios, taken_side, new_side, taken_name):
    other_side = "host_organization" if taken_side == "delegation_organization" else "delegation_organization"
    plan(**{taken_side: dalkia, other_side: symbios})
    candidate = plan("10:15", "10:45", save=False, **{new_side: dalkia})

    assert errors_of(candidate) == {new_side: [f"Dalkia is already in “{taken_name}” at that time."]}


def test_meeting_organization_overlap_refused_on_save_without_validation(taken, plan, dalkia):
    with pytest.raises(SlotTaken) as excinfo:
        plan("09:45", "10:15", host_organization=dalkia)

    assert excinfo.value.message_dict == {"host_organization": [f"Dalkia is already in “{TAKEN}” at that time."]}
    assert list(Meeting.objects.all()) == [taken]


def test_meeting_organization_inside_longer_meeting_refused(plan, dalkia):
    long = plan("09:00", "12:00", delegation_organization=dalkia)
    candidate = plan("10:00", "10:30", save=False, host_organization=dalkia)

    assert errors_of(candidate) == {"host_organization": [f"Dalkia is already in “{long}” at that time."]}


@pytest.mark.parametrize(("start", "end"), [("10:30", "11:00"), ("09:30", "10:00")])
def test_meeting_organization_back_to_back_accepted(taken, plan, dalkia, start, end):
    candidate = plan(start, end, save=False, delegation_organization=dalkia)

    meeting_schedule(meeting=candidate)

    assert Booking.objects.filter(resource=f"org:{dalkia.pk}").count() == 2


def test_meeting_overlapping_cancelled_one_accepted(plan, dalkia):
    plan(delegation_organization=dalkia, status=Meeting.Status.CANCELLED)
    candidate = plan(save=False, delegation_organization=dalkia)

    meeting_schedule(meeting=candidate)

    assert Booking.objects.filter(resource=f"org:{dalkia.pk}").count() == 1


def test_meeting_cancelling_frees_its_slot(taken, plan, dalkia):
    candidate = plan(save=False, delegation_organization=dalkia)
    assert errors_of(candidate) == {"delegation_organization": [f"Dalkia is already in “{TAKEN}” at that time."]}

    meeting_set_status(meetings=[taken], status=Meeting.Status.CANCELLED)
    meeting_schedule(meeting=candidate)

    assert booked(taken) == set()
    assert Booking.objects.filter(resource=f"org:{dalkia.pk}").get().meeting == candidate


def test_meeting_uncancelling_into_conflict_refused(plan, dalkia):
    cancelled = plan(delegation_organization=dalkia, status=Meeting.Status.CANCELLED)
    replacement = plan("10:15", "10:45", delegation_organization=dalkia)
    message = {"delegation_organization": [f"Dalkia is already in “{replacement}” at that time."]}

    cancelled.status = Meeting.Status.CONFIRMED
    assert errors_of(cancelled) == message
    with pytest.raises(SlotTaken) as excinfo:
        meeting_update(meeting=cancelled)

    assert excinfo.value.message_dict == message
    cancelled.refresh_from_db()
    assert (cancelled.status, booked(cancelled)) == (Meeting.Status.CANCELLED, set())


def test_meeting_date_only_never_conflicts(plan, dalkia):
    plan(delegation_organization=dalkia)
    plan(None, None, delegation_organization=dalkia)
    candidate = plan(None, None, save=False, delegation_organization=dalkia)

    meeting_schedule(meeting=candidate)

    assert booked(candidate) == set()


def test_meeting_with_start_but_no_end_refused(plan, dalkia):
    # A half-known slot would occupy nothing and let a double booking through: both ends or neither.
    candidate = plan("10:00", None, save=False, delegation_organization=dalkia)

    with pytest.raises(ValidationError) as excinfo:
        candidate.full_clean()

    assert excinfo.value.messages == ["Give both the start and the end time, or neither until the slot is set."]


@pytest.mark.parametrize(
    ("london_start", "london_end", "clash"),
    [
        pytest.param("09:00", "09:30", True, id="0900-london-is-1000-paris"),
        pytest.param("09:29", "10:00", True, id="0929-london-is-1029-paris"),
        pytest.param("09:30", "10:00", False, id="0930-london-is-1030-paris"),
        pytest.param("10:00", "10:30", False, id="1000-london-is-1100-paris"),
    ],
)
def test_meeting_conflict_follows_instants_across_time_zones(taken, plan, dalkia, london_start, london_end, clash):
    excel = VenueFactory(name="ExCeL", city="London", country="GB", time_zone="Europe/London")
    candidate = plan(london_start, london_end, save=False, venue=excel, table="A1", delegation_organization=dalkia)

    if clash:
        assert errors_of(candidate) == {"delegation_organization": [f"Dalkia is already in “{TAKEN}” at that time."]}
    else:
        meeting_validate(meeting=candidate)


# People


def test_participant_overlap_refused(taken, plan, levchenko):
    MeetingParticipantFactory(meeting=taken, person=levchenko)
    other = plan("10:15", "10:45")
    participant = MeetingParticipant(meeting=other, person=levchenko, side=MeetingParticipant.Side.HOST)
    message = {"person": [f"Sergey Levchenko is already in “{TAKEN}” at that time."]}

    assert errors_of(participant) == message
    with pytest.raises(SlotTaken) as excinfo:
        meeting_participant_save(participant=participant)

    assert excinfo.value.message_dict == message
    assert list(other.participants.all()) == []
    assert booked(other) == {
        (f"org:{other.delegation_organization_id}", utc(2018, 11, 27, 9, 15), utc(2018, 11, 27, 9, 45)),
        (f"org:{other.host_organization_id}", utc(2018, 11, 27, 9, 15), utc(2018, 11, 27, 9, 45)),
        (f"table:{other.venue_id}:{other.table.casefold()}", utc(2018, 11, 27, 9, 15), utc(2018, 11, 27, 9, 45)),
    }


def test_participant_of_unsaved_meeting_overlap_refused(taken, plan, levchenko):
    MeetingParticipantFactory(meeting=taken, person=levchenko)
    participant = MeetingParticipant(meeting=plan("10:15", "10:45", save=False), person=levchenko, side="host")

    with pytest.raises(ValidationError) as excinfo:
        meeting_validate(meeting=participant.meeting, participants=[participant])  # before the meeting is saved

    assert excinfo.value.message_dict == {"person": [f"Sergey Levchenko is already in “{TAKEN}” at that time."]}


@pytest.mark.parametrize(
    ("start", "end", "status"),
    [
        pytest.param("10:30", "11:00", Meeting.Status.CONFIRMED, id="back-to-back"),
        pytest.param("10:00", "10:30", Meeting.Status.CANCELLED, id="cancelled"),
        pytest.param(None, None, Meeting.Status.CONFIRMED, id="date-only"),
    ],
)
def test_participant_without_overlap_accepted(taken, plan, levchenko, start, end, status):
    MeetingParticipantFactory(meeting=taken, person=levchenko)
    other = plan(start, end, status=status)
    participant = MeetingParticipant(meeting=other, person=levchenko, side=MeetingParticipant.Side.HOST)

    meeting_participant_save(participant=participant)

    assert list(levchenko.meeting_participations.order_by("pk")) == [taken.participants.get(), participant]


def test_meeting_moved_onto_participant_conflict_refused(taken, plan, levchenko):
    MeetingParticipantFactory(meeting=taken, person=levchenko)
    later = plan("11:00", "11:30")
    MeetingParticipantFactory(meeting=later, person=levchenko)

    later.start_time, later.end_time = datetime.time(10, 15), datetime.time(10, 45)
    with pytest.raises(SlotTaken) as excinfo:
        meeting_update(meeting=later)

    assert excinfo.value.message_dict == {"person": [f"Sergey Levchenko is already in “{TAKEN}” at that time."]}
    later.refresh_from_db()
    assert later.start_time == datetime.time(11, 0)
    assert {starts for _, starts, _ in booked(later)} == {utc(2018, 11, 27, 10, 0)}


# Tables


@pytest.mark.parametrize("label", ["A1", "a1", "  a1 "])
def test_meeting_same_table_overlap_refused_whatever_the_case(taken, plan, label):
    candidate = plan("10:15", "10:45", save=False, table=label)

    assert errors_of(candidate) == {
        "table": [f"Table {label.strip()} at Sénat, Paris is already taken by “{TAKEN}” at that time."]
    }


def test_meeting_same_label_at_another_venue_accepted(taken, plan):
    candidate = plan(save=False, venue=VenueFactory(name="Eurexpo", city="Lyon"), table="A1")

    meeting_validate(meeting=candidate)


def test_meeting_other_table_at_same_venue_accepted(taken, plan):
    candidate = plan(save=False, table="A2")

    meeting_validate(meeting=candidate)


def test_meeting_table_without_venue_books_no_table(taken, plan):
    candidate = plan(save=False, venue=None, city="Paris", time_zone="Europe/Paris", table="A1")

    meeting_schedule(meeting=candidate)

    assert {resource.split(":")[0] for resource, _, _ in booked(candidate)} == {"org"}


# Bookings


def test_meeting_bookings_hold_sides_people_and_table_over_slot(taken, levchenko, dalkia, symbios, senat):
    MeetingParticipantFactory(meeting=taken, person=levchenko)
    slot = (utc(2018, 11, 27, 9, 0), utc(2018, 11, 27, 9, 30))

    assert booked(taken) == {
        (f"org:{dalkia.pk}", *slot),
        (f"org:{symbios.pk}", *slot),
        (f"person:{levchenko.pk}", *slot),
        (f"table:{senat.pk}:a1", *slot),
    }


def test_meeting_bookings_follow_moves_and_removed_people(taken, levchenko, dalkia, symbios, senat):
    participant = MeetingParticipantFactory(meeting=taken, person=levchenko)

    taken.start_time, taken.end_time = datetime.time(15, 0), datetime.time(16, 0)
    meeting_update(meeting=taken)
    meeting_participants_remove(participants=[participant])

    slot = (utc(2018, 11, 27, 14, 0), utc(2018, 11, 27, 15, 0))
    assert booked(taken) == {(f"org:{dalkia.pk}", *slot), (f"org:{symbios.pk}", *slot), (f"table:{senat.pk}:a1", *slot)}


def test_meeting_deleted_with_people_leaves_no_bookings(taken, levchenko):
    MeetingParticipantFactory(meeting=taken, person=levchenko)

    taken.delete()

    assert Booking.objects.count() == 0


def test_meeting_sync_bookings_leaves_unchanged_bookings_alone(taken, django_assert_num_queries):
    before = set(Booking.objects.values_list("pk", flat=True))

    with django_assert_num_queries(4):  # savepoint, participants, bookings, release
        meeting_sync_bookings(meeting=taken)

    assert set(Booking.objects.values_list("pk", flat=True)) == before


def test_meeting_schedule_saves_meeting_people_and_bookings(plan, levchenko):
    meeting = plan(save=False)

    meeting_schedule(meeting=meeting, participants=[(levchenko, MeetingParticipant.Side.DELEGATION)])

    assert list(meeting.participants.values_list("person__name", "side")) == [("Sergey Levchenko", "delegation")]
    assert {resource for resource, _, _ in booked(meeting)} == {
        f"org:{meeting.delegation_organization_id}",
        f"org:{meeting.host_organization_id}",
        f"person:{levchenko.pk}",
        f"table:{meeting.venue_id}:{meeting.table.casefold()}",
    }


def test_meeting_schedule_person_conflict_writes_nothing(taken, plan, levchenko):
    MeetingParticipantFactory(meeting=taken, person=levchenko)

    with pytest.raises(ValidationError) as excinfo:
        meeting_schedule(meeting=plan("10:15", "10:45", save=False), participants=[(levchenko, "host")])

    assert excinfo.value.message_dict == {"person": [f"Sergey Levchenko is already in “{TAKEN}” at that time."]}
    assert (Meeting.objects.count(), MeetingParticipant.objects.count(), Booking.objects.count()) == (1, 1, 4)


def test_meeting_update_replaces_people_and_rebooks(taken, levchenko, dalkia, symbios, senat):
    stays = MeetingParticipantFactory(meeting=taken, person=PersonFactory(name="Anne"), side="delegation")
    MeetingParticipantFactory(meeting=taken, person=levchenko)
    newcomer = PersonFactory(name="Boris")

    taken.start_time, taken.end_time = datetime.time(15, 0), datetime.time(16, 0)
    meeting_update(meeting=taken, participants=[(stays.person, "host"), (newcomer, "delegation")])

    assert sorted(taken.participants.values_list("pk", "person__name", "side")) == [
        (stays.pk, "Anne", "host"),
        (taken.participants.get(person=newcomer).pk, "Boris", "delegation"),
    ]
    slot = (utc(2018, 11, 27, 14, 0), utc(2018, 11, 27, 15, 0))
    assert booked(taken) == {
        (f"org:{dalkia.pk}", *slot),
        (f"org:{symbios.pk}", *slot),
        (f"person:{stays.person_id}", *slot),
        (f"person:{newcomer.pk}", *slot),
        (f"table:{senat.pk}:a1", *slot),
    }


def test_meeting_update_person_conflict_writes_nothing(taken, plan, levchenko):
    MeetingParticipantFactory(meeting=taken, person=levchenko)
    other = plan("10:15", "10:45")
    before = booked(other)

    with pytest.raises(SlotTaken) as excinfo:
        meeting_update(meeting=other, participants=[(levchenko, "host")])

    assert excinfo.value.message_dict == {"person": [f"Sergey Levchenko is already in “{TAKEN}” at that time."]}
    assert (list(other.participants.all()), booked(other)) == ([], before)


def test_participant_moved_to_another_meeting_rebooks_both(taken, plan, levchenko):
    participant = MeetingParticipantFactory(meeting=taken, person=levchenko)
    later = plan("11:00", "11:30")

    participant.meeting = later
    meeting_participant_save(participant=participant)

    assert f"person:{levchenko.pk}" not in {resource for resource, _, _ in booked(taken)}
    assert f"person:{levchenko.pk}" in {resource for resource, _, _ in booked(later)}


# Admin

ADD_URL = "/admin/meetings/meeting/add/"


def meeting_post(meeting: Meeting, participants=(), **values) -> dict[str, str]:
    """The admin form for a meeting as it stands, with the given participant rows."""
    data = {
        "delegation": str(meeting.delegation_id),
        "session": "",
        "status": meeting.status,
        "date": meeting.date.isoformat(),
        "start_time": meeting.start_time.strftime("%H:%M") if meeting.start_time else "",
        "end_time": meeting.end_time.strftime("%H:%M") if meeting.end_time else "",
        "venue": str(meeting.venue_id or ""),
        "table": meeting.table,
        "city": "",
        "time_zone": "",
        "delegation_organization": str(meeting.delegation_organization_id),
        "host_organization": str(meeting.host_organization_id),
        "sector": "",
        "outcome": "",
        "private_notes": "",
        "participants-TOTAL_FORMS": str(len(participants)),
        "participants-INITIAL_FORMS": str(sum(1 for row in participants if row.get("id"))),
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(participants):
        data.update({f"participants-{index}-{name}": str(value) for name, value in row.items()})
    data.update(values)
    return data


def test_admin_add_conflicting_organization_shows_form_naming_meeting(staff_client, taken, plan, dalkia):
    candidate = plan("10:15", "10:45", save=False, host_organization=dalkia)

    response = staff_client.post(ADD_URL, meeting_post(candidate))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "host_organization": [f"Dalkia is already in “{TAKEN}” at that time."]
    }
    assertContains(response, f"Dalkia is already in “{TAKEN}” at that time.")
    assert list(Meeting.objects.all()) == [taken]


def test_admin_add_conflicting_participant_shows_inline_naming_meeting(staff_client, taken, plan, levchenko):
    MeetingParticipantFactory(meeting=taken, person=levchenko)
    candidate = plan("10:15", "10:45", save=False)

    response = staff_client.post(ADD_URL, meeting_post(candidate, [{"side": "host", "person": levchenko.pk}]))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {}
    assert response.context["inline_admin_formsets"][0].formset.errors == [
        {"person": [f"Sergey Levchenko is already in “{TAKEN}” at that time."]}
    ]
    assertContains(response, f"Sergey Levchenko is already in “{TAKEN}” at that time.")
    assert (Meeting.objects.count(), MeetingParticipant.objects.count()) == (1, 1)


def test_admin_add_free_slot_saves_meeting_people_and_bookings(staff_client, taken, plan, levchenko):
    candidate = plan("10:30", "11:00", save=False)

    response = staff_client.post(ADD_URL, meeting_post(candidate, [{"side": "host", "person": levchenko.pk}]))

    assert response.status_code == 302
    added = Meeting.objects.exclude(pk=taken.pk).get()
    assert {resource for resource, _, _ in booked(added)} == {
        f"org:{candidate.delegation_organization_id}",
        f"org:{candidate.host_organization_id}",
        f"person:{levchenko.pk}",
        f"table:{candidate.venue_id}:{candidate.table.casefold()}",
    }


def test_admin_change_moving_meeting_while_removing_busy_person_accepted(staff_client, taken, plan, levchenko):
    MeetingParticipantFactory(meeting=taken, person=levchenko)
    later = plan("11:00", "11:30")
    busy = MeetingParticipantFactory(meeting=later, person=levchenko)
    free = MeetingParticipantFactory(meeting=later, person=PersonFactory(name="Free Person"))
    rows = [
        {"id": busy.pk, "meeting": later.pk, "side": busy.side, "person": levchenko.pk, "DELETE": "on"},
        {"id": free.pk, "meeting": later.pk, "side": free.side, "person": free.person_id},
    ]

    url = f"/admin/meetings/meeting/{later.pk}/change/"
    response = staff_client.post(
        url, meeting_post(later, rows, start_time="10:15", end_time="10:45", **opened_state(staff_client, url))
    )

    assert response.status_code == 302
    later.refresh_from_db()
    assert (later.start_time, list(later.participants.all())) == (datetime.time(10, 15), [free])
    assert {starts for _, starts, _ in booked(later)} == {utc(2018, 11, 27, 9, 15)}
    assert f"person:{free.person_id}" in {resource for resource, _, _ in booked(later)}


def test_admin_add_refused_at_save_shows_the_form_again_with_input_and_message(
    staff_client, plan, dalkia, symbios, levchenko
):
    """Someone else confirms a Dalkia meeting between the form's validation and the save (a race):
    the save is refused, nothing of it is saved, and the same form comes back with everything
    entered (the participant row too) and the reason naming the other meeting."""
    rival = plan(delegation_organization=dalkia, host_organization=symbios, table="A1", status=Meeting.Status.CANCELLED)
    candidate = plan("10:15", "10:45", save=False, delegation_organization=dalkia, table="B7")

    def rival_confirms_meanwhile(sender, instance, **kwargs):
        if instance.pk is None and not Booking.objects.filter(meeting=rival).exists():
            Meeting.objects.filter(pk=rival.pk).update(status=Meeting.Status.CONFIRMED)
            rival.status = Meeting.Status.CONFIRMED
            meeting_sync_bookings(meeting=rival)

    pre_save.connect(rival_confirms_meanwhile, sender=Meeting, dispatch_uid="rival-confirms")
    try:
        response = staff_client.post(
            ADD_URL, meeting_post(candidate, [{"side": "host", "person": levchenko.pk}], private_notes="Kept input")
        )
    finally:
        pre_save.disconnect(sender=Meeting, dispatch_uid="rival-confirms")

    form = response.context["adminform"].form
    (participants,) = (inline.formset for inline in response.context["inline_admin_formsets"])
    assert response.status_code == 200
    assert form.non_field_errors() == [f"Nothing was saved: Dalkia is already in “{TAKEN}” at that time."]
    assert (form["table"].value(), form["start_time"].value(), form["private_notes"].value()) == (
        "B7",
        "10:15",
        "Kept input",
    )
    assert [row["person"].value() for row in participants.forms] == [str(levchenko.pk)]
    assert list(Meeting.objects.all()) == [rival]
    assert not MeetingParticipant.objects.exists()


PARTICIPANT_ADD_URL = "/admin/meetings/meetingparticipant/add/"


def test_admin_participant_add_conflicting_person_shows_form_naming_meeting(staff_client, taken, plan, levchenko):
    MeetingParticipantFactory(meeting=taken, person=levchenko)
    other = plan("10:15", "10:45")

    response = staff_client.post(PARTICIPANT_ADD_URL, {"meeting": other.pk, "person": levchenko.pk, "side": "host"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "person": [f"Sergey Levchenko is already in “{TAKEN}” at that time."]
    }
    assert list(other.participants.all()) == []


def test_admin_participant_add_books_the_person(staff_client, taken, levchenko):
    response = staff_client.post(PARTICIPANT_ADD_URL, {"meeting": taken.pk, "person": levchenko.pk, "side": "host"})

    assert response.status_code == 302
    assert (f"person:{levchenko.pk}", utc(2018, 11, 27, 9, 0), utc(2018, 11, 27, 9, 30)) in booked(taken)


def test_admin_participant_delete_frees_the_persons_slot(staff_client, taken, levchenko):
    participant = MeetingParticipantFactory(meeting=taken, person=levchenko)

    response = staff_client.post(f"/admin/meetings/meetingparticipant/{participant.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert f"person:{levchenko.pk}" not in {resource for resource, _, _ in booked(taken)}
    assert len(booked(taken)) == 3


def test_admin_participants_bulk_delete_frees_their_slots(staff_client, taken, plan, levchenko):
    later = plan("11:00", "11:30")
    rows = [MeetingParticipantFactory(meeting=meeting, person=levchenko) for meeting in (taken, later)]

    response = staff_client.post(
        "/admin/meetings/meetingparticipant/",
        {"action": "delete_selected", "_selected_action": [row.pk for row in rows], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Booking.objects.filter(resource=f"person:{levchenko.pk}").exists()


def test_admin_revert_to_past_version_rebooks_the_meeting(staff_client, taken):
    first = taken.history.latest()
    taken.start_time, taken.end_time = datetime.time(15, 0), datetime.time(16, 0)
    meeting_update(meeting=taken)
    version_url = f"/admin/meetings/meeting/{taken.pk}/history/{first.history_id}/"

    response = staff_client.post(version_url, change_form_data(staff_client.get(version_url)))

    assert response.status_code == 302
    assert {(starts, ends) for _, starts, ends in booked(taken)} == {
        (utc(2018, 11, 27, 9, 0), utc(2018, 11, 27, 9, 30))
    }


# PostgreSQL: the database refuses overlaps itself


@pytest.mark.postgresql
@postgresql_only
def test_booking_overlap_inserted_directly_refused_by_database(taken, plan, dalkia):
    other = plan("11:00", "11:30")

    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        Booking.objects.create(
            meeting=other,
            resource=f"org:{dalkia.pk}",
            starts_at=utc(2018, 11, 27, 9, 15),
            ends_at=utc(2018, 11, 27, 9, 45),
        )
    Booking.objects.create(
        meeting=other, resource=f"org:{dalkia.pk}", starts_at=utc(2018, 11, 27, 9, 30), ends_at=utc(2018, 11, 27, 10, 0)
    )

    assert Booking.objects.filter(resource=f"org:{dalkia.pk}").count() == 2


def race_setup(threads: int):
    """A visit, a shared organization, and one unsaved meeting per thread booking it at overlapping times."""
    visit = DelegationFactory(start_date=datetime.date(2018, 11, 26), end_date=datetime.date(2018, 11, 29))
    senat = VenueFactory(name="Sénat", city="Paris", country="FR", time_zone="Europe/Paris")
    shared = OrganizationFactory(name="Dalkia")
    meetings = [
        MeetingFactory.build(
            delegation=visit,
            venue=senat,
            date=NOV_27,
            start_time=datetime.time(10, 5 * rank),
            end_time=datetime.time(11, 5 * rank),
            table=f"T{rank}",
            delegation_organization=shared,
            host_organization=OrganizationFactory(name=f"Host {rank}"),
        )
        for rank in range(threads)
    ]
    people = [PersonFactory(name=f"Person {rank}") for rank in range(threads)]
    return meetings, people


@pytest.mark.postgresql
@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("threads", [4, 6])
def test_concurrent_bookings_of_one_organization_exactly_one_wins(threads):
    meetings, people = race_setup(threads)

    def book(rank: int):
        started = time.monotonic()
        try:
            meeting_schedule(meeting=meetings[rank], participants=[(people[rank], "delegation")])
            outcome = None
        except ValidationError as error:
            outcome = error
        return rank, outcome, time.monotonic() - started

    outcomes = in_threads(threads, book)

    winner = Meeting.objects.get()
    refusals = [error.message_dict for _, error, _ in outcomes if error is not None]
    assert [rank for rank, error, _ in outcomes if error is None] == [meetings.index(winner)]
    assert refusals == [{"delegation_organization": [f"Dalkia is already in “{winner}” at that time."]}] * (threads - 1)
    assert [participant.person for participant in MeetingParticipant.objects.all()] == [people[meetings.index(winner)]]
    assert {resource for resource, _, _ in booked(winner)} == {
        f"org:{winner.delegation_organization_id}",
        f"org:{winner.host_organization_id}",
        f"person:{people[meetings.index(winner)].pk}",
        f"table:{winner.venue_id}:t{meetings.index(winner)}",
    }
    assert Booking.objects.count() == 4


def waiting_on_a_lock() -> int:
    """Other sessions of this database blocked on a lock: a booking waiting for another transaction's row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgresql
@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_booking_unseen_by_validation_refused_by_database_naming_winner():
    """The second save cannot see the first (uncommitted) one: PostgreSQL makes it wait, then refuses it."""
    (first, second), _ = race_setup(2)
    first_booked, first_may_commit = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def book_first():
        try:
            with transaction.atomic():
                meeting_schedule(meeting=first)
                first_booked.set()
                first_may_commit.wait(timeout=10)
        finally:
            connection.close()

    def book_second():
        try:
            meeting_schedule(meeting=second)
        except Exception as error:  # examined below
            errors.append(error)
        finally:
            connection.close()

    first_thread, second_thread = threading.Thread(target=book_first), threading.Thread(target=book_second)
    first_thread.start()
    assert first_booked.wait(timeout=10)
    second_thread.start()
    deadline = time.monotonic() + 10
    while waiting_on_a_lock() == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    blocked = waiting_on_a_lock()
    first_may_commit.set()
    first_thread.join(timeout=10)
    second_thread.join(timeout=10)

    assert blocked == 1
    assert [type(error) for error in errors] == [SlotTaken]
    assert errors[0].message_dict == {"delegation_organization": [f"Dalkia is already in “{first}” at that time."]}
    assert list(Meeting.objects.all()) == [first]
    assert Booking.objects.exclude(meeting=first).count() == 0
