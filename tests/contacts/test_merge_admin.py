"""The admin action "Merge the two selected people / organizations": select two, confirm on a page that
shows both side by side, choose the one to keep, and read what was done or why nothing was."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from contacts.models import Organization, Person
from meetings.models import MeetingParticipant
from tests.factories import (
    DelegationFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
)

PEOPLE = reverse("admin:contacts_person_changelist")
ORGANIZATIONS = reverse("admin:contacts_organization_changelist")


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def two(db):
    kept = PersonFactory(name="Sergueï Levtchenko", native_name="Сергей Левченко")
    merged = PersonFactory(name="Sergei Levchenko", email="s@l.ru")
    meeting = MeetingFactory(delegation=DelegationFactory(), start_time=datetime.time(10), end_time=datetime.time(11))
    MeetingParticipantFactory(meeting=meeting, person=merged)
    PositionFactory(person=kept, title="Governor")
    return kept, merged, meeting


def select(*records, **extra) -> dict:
    return {"action": "merge_selected", "_selected_action": [record.pk for record in records], **extra}


def test_merge_action_shows_both_side_by_side(admin_client, two):
    kept, merged, _meeting = two

    response = admin_client.post(PEOPLE, select(merged, kept))

    assert response.status_code == 200
    assert response.templates[0].name == "admin/contacts/merge_confirmation.html"
    assert response.context["title"] == "Merge two people"
    assert response.context["records"] == [kept, merged]
    rows = dict(response.context["rows"])
    assert rows["name"] == ["Sergueï Levtchenko", "Sergei Levchenko"]
    assert rows["native-script name"] == ["Сергей Левченко", ""]
    assert rows["may appear publicly"] == ["yes", "yes"]
    assert rows["B2B meetings › Participants (person)"] == ["0", "1"]
    assert rows["Contacts › Positions (person)"] == ["1", "0"]
    page = response.content.decode()
    assert f'<input type="radio" name="kept" value="{kept.pk}" required>' in page
    assert '<input type="hidden" name="post" value="yes">' in page
    assert "<script>" not in page  # nothing inline: the strict CSP would block it
    assert Person.objects.count() == 2


def test_merge_action_merges_into_the_chosen_record(admin_client, two):
    kept, merged, meeting = two

    response = admin_client.post(PEOPLE, select(kept, merged, post="yes", kept=kept.pk))

    assert response.status_code == 302
    assert response["Location"] == PEOPLE
    assert texts(response) == [
        "“Sergei Levchenko” was merged into “Sergueï Levtchenko”. 1 reference moved, 0 duplicates folded."
    ]
    assert list(Person.objects.all()) == [kept]
    assert MeetingParticipant.objects.get(meeting=meeting).person == kept
    record = Person.history.filter(id=merged.pk).latest()
    assert (record.history_type, record.history_user.username) == ("-", "admin")


def test_merge_action_keeps_the_other_when_chosen(admin_client, two):
    kept, merged, _meeting = two
    admin_client.post(PEOPLE, select(kept, merged, post="yes", kept=merged.pk))
    # Its empty native-script name takes the other's; the other's Latin name becomes another spelling.
    assert list(Person.objects.values_list("name", "native_name", "other_names")) == [
        ("Sergei Levchenko", "Сергей Левченко", "Sergueï Levtchenko")
    ]


def test_merge_action_without_a_choice_asks_again(admin_client, two):
    kept, merged, _meeting = two
    for choice in ({}, {"kept": "x"}, {"kept": "999999"}):
        response = admin_client.post(PEOPLE, select(kept, merged, post="yes", **choice))
        assert response.status_code == 200
        assert "Choose the record to keep." in response.content.decode()
    assert Person.objects.count() == 2


@pytest.mark.parametrize("count", [1, 3])
def test_merge_action_refuses_other_than_two(admin_client, two, count):
    records = [*two[:2], PersonFactory()][:count]
    response = admin_client.post(PEOPLE, select(*records, post="yes", kept=records[0].pk))
    assert response.status_code == 302
    assert texts(response) == ["Select exactly two people to merge."]
    assert Person.objects.count() == 3


def test_merge_action_refusal_says_why_and_changes_nothing(admin_client, two):
    kept, merged, meeting = two
    clash = MeetingFactory(delegation=meeting.delegation, start_time=datetime.time(10, 30), end_time=datetime.time(12))
    MeetingParticipantFactory(meeting=clash, person=kept)

    response = admin_client.post(PEOPLE, select(kept, merged, post="yes", kept=kept.pk))

    assert texts(response) == [
        f"Nothing was merged: “Sergei Levchenko” and “Sergueï Levtchenko” would be one in two meetings at "
        f"overlapping times: “{meeting}” and “{clash}”. Move or cancel one of the meetings, then merge again."
    ]
    assert Person.objects.count() == 2
    assert MeetingParticipant.objects.get(meeting=meeting).person == merged


@pytest.mark.parametrize(
    ("codenames", "messages"),
    [
        (("view_person", "change_person"), []),  # no action at all: the post is the list's own
        (("view_person", "delete_person"), ["No action selected."]),  # only "Delete selected"
    ],
)
def test_merge_action_needs_change_and_delete_permissions(client, two, codenames, messages):
    kept, merged, _meeting = two
    user = get_user_model().objects.create_user("clerk", password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)

    assert "merge_selected" not in client.get(PEOPLE).content.decode()
    response = client.post(PEOPLE, select(kept, merged, post="yes", kept=kept.pk))

    assert texts(response) == messages
    assert Person.objects.count() == 2


def test_merge_action_on_organizations(admin_client, db):
    kept = OrganizationFactory(name="Insitilab LLC")
    merged = OrganizationFactory(name="OOO Insitilab", native_name="ООО Инситилаб")
    PositionFactory(organization=merged)

    page = admin_client.get(ORGANIZATIONS).content.decode()
    assert '<option value="merge_selected">Merge the two selected organizations</option>' in page
    confirm = admin_client.post(ORGANIZATIONS, select(kept, merged))
    assert dict(confirm.context["rows"])["Contacts › Positions (organization)"] == ["0", "1"]
    response = admin_client.post(ORGANIZATIONS, select(kept, merged, post="yes", kept=kept.pk))

    assert texts(response) == [
        "“OOO Insitilab” was merged into “Insitilab LLC”. 1 reference moved, 0 duplicates folded."
    ]
    assert list(Organization.objects.values_list("name", "native_name")) == [("Insitilab LLC", "ООО Инситилаб")]
    assert kept.history.latest().history_change_reason == f"Merged “OOO Insitilab” (#{merged.pk}) into “Insitilab LLC”"


def test_merge_action_in_french(admin_client, two):
    kept, merged, meeting = two
    clash = MeetingFactory(delegation=meeting.delegation, start_time=datetime.time(10, 30), end_time=datetime.time(12))
    MeetingParticipantFactory(meeting=clash, person=kept)
    french = {"HTTP_ACCEPT_LANGUAGE": "fr"}

    page = admin_client.get(PEOPLE, **french).content.decode()
    confirm = admin_client.post(PEOPLE, select(kept, merged), **french)
    refused = admin_client.post(PEOPLE, select(kept, merged, post="yes", kept=kept.pk), **french)

    assert '<option value="merge_selected">Fusionner les deux personnes sélectionnées</option>' in page
    assert confirm.context["title"] == "Fusionner deux personnes"
    assert "Conserver « Sergueï Levtchenko »" in confirm.content.decode()
    assert texts(refused) == [
        f"Rien n'a été fusionné : « Sergei Levchenko » et « Sergueï Levtchenko », une fois fusionnés, seraient dans "
        f"deux rendez-vous aux horaires qui se chevauchent : « {meeting} » et « {clash} ». Déplacez ou annulez "
        "l'un des rendez-vous, puis fusionnez à nouveau."
    ]
