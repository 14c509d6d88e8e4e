"""Each meeting's public people, kept by the database's triggers (meetings.people) for the CSV export, follow
every change of its participants and of their people at once, whatever makes it, and match a recount."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from contacts.merging import contact_merge
from contacts.models import Person
from core import triggers
from meetings import people
from meetings.models import Meeting, MeetingParticipant
from sampledata.generator import domain_flush
from tests.factories import MeetingFactory, MeetingParticipantFactory, PersonFactory

DELEGATION, HOST = MeetingParticipant.Side.DELEGATION, MeetingParticipant.Side.HOST


def kept(meeting: Meeting) -> tuple | None:
    """The meeting's row: (delegation names, hidden, host names, hidden), None when it has none."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT delegation_names, delegation_hidden, host_names, host_hidden FROM {people.TABLE} "
            "WHERE meeting_id = %s",
            [meeting.pk],
        )
        return cursor.fetchone()


def assert_rows_match():
    assert people.people_differences() == []


@pytest.fixture
def meeting(db):
    meeting = MeetingFactory()
    for name, is_public, side in (
        ("Anna Li", True, DELEGATION),
        ("Hidden One", False, DELEGATION),
        ("Boris Ivanov", True, DELEGATION),
        ("Hidden Two", False, HOST),
        ("Hidden Three", False, HOST),
    ):
        MeetingParticipantFactory(meeting=meeting, person=PersonFactory(name=name, is_public=is_public), side=side)
    return meeting


def test_public_people_follow_participants_added(meeting):
    assert kept(meeting) == ("Anna Li; Boris Ivanov", 1, "", 2)
    assert_rows_match()


def test_public_people_follow_a_participant_removed_moved_and_all_removed(meeting):
    meeting.participants.get(person__name="Anna Li").delete()
    assert kept(meeting) == ("Boris Ivanov", 1, "", 2)

    meeting.participants.filter(person__name="Boris Ivanov").update(side=HOST)
    assert kept(meeting) == ("", 1, "Boris Ivanov", 2)

    other = MeetingFactory()
    meeting.participants.filter(person__name="Hidden Two").update(meeting=other)
    assert (kept(meeting), kept(other)) == (("", 1, "Boris Ivanov", 1), ("", 0, "", 1))

    meeting.participants.all().delete()
    assert kept(meeting) is None
    assert_rows_match()


def test_public_people_follow_a_person_renamed_or_made_private(meeting):
    anna = meeting.participants.get(person__name="Anna Li").person
    anna.name = "Anna Lee"
    anna.save()
    assert kept(meeting) == ("Anna Lee; Boris Ivanov", 1, "", 2)

    anna.is_public = False
    anna.save()
    assert kept(meeting) == ("Boris Ivanov", 2, "", 2)

    Person.objects.filter(name__startswith="Hidden").update(is_public=True)
    assert kept(meeting) == ("Hidden One; Boris Ivanov", 1, "Hidden Two; Hidden Three", 0)
    assert_rows_match()


def test_public_people_follow_bulk_created_participants(db):
    meetings = [MeetingFactory() for _ in range(3)]
    person = PersonFactory(name="Wang Wei")

    MeetingParticipant.objects.bulk_create(MeetingParticipant(meeting=m, person=person, side=HOST) for m in meetings)

    assert [kept(m) for m in meetings] == [("", 0, "Wang Wei", 0)] * 3
    assert_rows_match()


def test_public_people_follow_a_merge_of_people(meeting):
    anna = meeting.participants.get(person__name="Anna Li").person
    twin = PersonFactory(name="Anna Li-Twin")
    other = MeetingFactory(start_time=datetime.time(16, 0), end_time=datetime.time(16, 30))
    MeetingParticipantFactory(meeting=other, person=twin, side=DELEGATION)

    contact_merge(kept=anna, merged=twin)

    assert kept(other) == ("Anna Li", 0, "", 0)
    assert_rows_match()


def test_public_people_emptied_by_a_flush(meeting):
    domain_flush()

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {people.TABLE}")
        assert cursor.fetchone() == (0,)


def test_public_people_rebuild_command_checks_and_repairs(meeting):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {people.TABLE} SET host_hidden = 5 WHERE meeting_id = %s", [meeting.pk])

    with pytest.raises(CommandError) as failure:
        call_command("rebuild_public_people", "--check", verbosity=0)
    assert str(failure.value) == (
        "The public people differ from the participants:\n"
        f"meeting {meeting.pk}: kept ({meeting.pk}, 'Anna Li; Boris Ivanov', 1, '', 5), "
        f"counted ({meeting.pk}, 'Anna Li; Boris Ivanov', 1, '', 2)"
    )

    call_command("rebuild_public_people", verbosity=0)

    assert kept(meeting) == ("Anna Li; Boris Ivanov", 1, "", 2)
    call_command("rebuild_public_people", "--check", verbosity=0)


def test_public_people_triggers_exist_after_migrating(db):
    """A later migration that rebuilds the participants' or people's table on SQLite drops their triggers:
    this fails until it creates them again (meetings.people.create_statements)."""
    expected = {name for name, _table in people.TRIGGERS[connection.vendor]}
    assert expected <= triggers.installed(connection)
    assert (DELEGATION, HOST) == people.SIDES  # the triggers' own words for them
