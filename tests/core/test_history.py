"""Audit history through the admin: who changed what and when, and restoring deleted records."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from contacts.models import Person, Position
from core.history import is_history_tracked
from core.history_admin import HistoryAdmin
from delegations.models import Delegation, DelegationMember, ItineraryItem, ShareLink
from delegations.services import share_link_create
from meetings.models import Booking, Meeting, MeetingParticipant
from tests.builders import ROW_BUILDERS
from tests.factories import (
    DelegationFactory,
    DelegationMemberFactory,
    FollowUpFactory,
    ItineraryItemFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    SectorFactory,
    VenueFactory,
)
from tests.helpers import change_form_data


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_delegation_change_in_admin_shows_who_and_what_changed_on_history_page(staff_client):
    delegation = DelegationFactory(title="Irkutsk region in France")
    form = staff_client.get(url(Delegation, "change", delegation.pk))
    data = {**change_form_data(form), "title_en": "Irkutsk region in Paris and Lyon", "title_fr": "Région d'Irkoutsk"}

    response = staff_client.post(url(Delegation, "change", delegation.pk), data)
    history = staff_client.get(url(Delegation, "history", delegation.pk))

    assert response.status_code == 302
    record = delegation.history.latest()
    assert (record.history_type, record.history_user.username) == ("~", "boss")
    user_url = reverse("admin:auth_user_change", args=[record.history_user.pk])
    assertContains(history, f'<a href="{user_url}">boss</a>', count=1)
    changes = history.context["page_obj"].object_list[0].history_delta_changes
    assert [(change["field"], change["old"], change["new"]) for change in changes] == [
        ("Title [en]", "Irkutsk region in France", "Irkutsk region in Paris and Lyon"),
        ("Title [fr]", "None", "Région d&#x27;Irkoutsk"),
    ]
    assertContains(history, "<strong>Title [en]:</strong>\n                    Irkutsk region in France")
    assertContains(history, "&nbsp;&rarr;&nbsp;&nbsp;Irkutsk region in Paris and Lyon")
    assertContains(history, "&nbsp;&rarr;&nbsp;&nbsp;Région d&#x27;Irkoutsk")


def test_history_records_many_to_many_links(staff_client):
    energy, health = SectorFactory(name="Energy"), SectorFactory(name="Health")
    delegation = DelegationFactory()

    delegation.priority_sectors.set([energy])
    delegation.priority_sectors.set([health])

    records = delegation.history.order_by("history_date", "history_id")
    assert [[row.sector.name for row in record.priority_sectors.all()] for record in records] == [
        [],
        ["Energy"],
        [],
        ["Health"],
    ]


def test_history_page_of_a_viewer_has_no_revert(viewer_client):
    delegation = DelegationFactory(title="Irkutsk region in France")

    response = viewer_client.get(url(Delegation, "history", delegation.pk))

    assertContains(response, "View history: Irkutsk region in France")
    assertNotContains(response, "revert to a previous version")


def test_publish_action_records_who_published(staff_client):
    draft = DelegationFactory(is_published=False)

    staff_client.post(url(Delegation, "changelist"), {"action": "publish", "_selected_action": [draft.pk]})

    record = draft.history.latest()
    assert (record.is_published, record.history_user.username) == (True, "boss")


@pytest.fixture
def booked_meeting(db):
    """A 10:00–10:30 meeting at table T1 of the Senate with two participants and a follow-up."""
    meeting = MeetingFactory(
        start_time=datetime.time(10),
        end_time=datetime.time(10, 30),
        venue=VenueFactory(name="Senate", city="Paris"),
        table="T1",
        delegation_organization=OrganizationFactory(name="Irkutsk Oil"),
        host_organization=OrganizationFactory(name="Total"),
        sector=SectorFactory(name="Energy"),
        outcome="A letter of intent.",
        outcome_fr="Une lettre d'intention.",
    )
    for person, side in ((PersonFactory(name="Anne"), "delegation"), (PersonFactory(name="Boris"), "host")):
        MeetingParticipantFactory(meeting=meeting, person=person, side=side)
    meeting.follow_ups.add(FollowUpFactory(delegation=meeting.delegation, title="Joint venture"))
    return meeting


def bookings_of(meeting_pk):
    return sorted(Booking.objects.filter(meeting_id=meeting_pk).values_list("resource", "starts_at", "ends_at"))


def delete_in_admin(client, obj):
    response = client.post(url(type(obj), "delete", obj.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()


def test_deleted_meeting_restored_from_admin_with_same_id_participants_and_bookings(staff_client, booked_meeting):
    meeting = booked_meeting
    bookings = bookings_of(meeting.pk)
    participants = sorted(meeting.participants.values_list("pk", "person__name", "side"))
    delete_in_admin(staff_client, meeting)
    record = Meeting.history.latest()

    deleted_page = staff_client.get(url(Meeting, "deleted"))
    response = staff_client.post(url(Meeting, "restore", record.history_id))

    assertContains(deleted_page, "<td>Irkutsk Oil / Total, 2018-11-26 10:00</td>", html=True)
    assertContains(deleted_page, "<td>boss</td>", html=True)
    assertRedirects(response, url(Meeting, "change", meeting.pk))
    assert messages_of(response) == [
        f'“<a href="{url(Meeting, "change", meeting.pk)}">Irkutsk Oil / Total, 2018-11-26 10:00</a>” '
        "was restored, as it was when deleted."
    ]
    restored = Meeting.objects.get(pk=meeting.pk)
    assert (restored.table, restored.outcome_en, restored.outcome_fr) == (
        "T1",
        "A letter of intent.",
        "Une lettre d'intention.",
    )
    assert sorted(restored.participants.values_list("pk", "person__name", "side")) == participants
    assert [follow_up.title for follow_up in restored.follow_ups.all()] == ["Joint venture"]
    assert bookings_of(meeting.pk) == bookings
    assert len(bookings) == 5  # two organizations, two people, one table
    assert restored.history.latest().history_user.username == "boss"


def test_restore_leaves_out_participants_removed_before_the_deletion(staff_client, booked_meeting):
    removed = booked_meeting.participants.get(person__name="Boris")
    removed.delete()
    delete_in_admin(staff_client, booked_meeting)

    staff_client.post(url(Meeting, "restore", Meeting.history.latest().history_id))

    assert list(MeetingParticipant.objects.values_list("person__name", flat=True)) == ["Anne"]


def test_deleted_list_has_no_restored_record(staff_client, booked_meeting):
    delete_in_admin(staff_client, booked_meeting)
    record = Meeting.history.latest()
    staff_client.post(url(Meeting, "restore", record.history_id))

    page = staff_client.get(url(Meeting, "deleted"))
    again = staff_client.post(url(Meeting, "restore", record.history_id))

    assertContains(page, "No deleted B2B meetings.")
    assert again.status_code == 404


def test_restore_refused_with_message_when_a_foreign_key_was_deleted_since(staff_client, booked_meeting):
    sector = booked_meeting.sector
    delete_in_admin(staff_client, booked_meeting)
    sector_pk = sector.pk
    sector.delete()

    response = staff_client.post(url(Meeting, "restore", Meeting.history.latest().history_id))

    assertRedirects(response, url(Meeting, "deleted"))
    assert messages_of(response)[1:] == [  # after the deletion's
        f"“Irkutsk Oil / Total, 2018-11-26 10:00” cannot be restored: its sector (#{sector_pk}) was deleted since. "
        "Restore that first."
    ]
    assert not Meeting.objects.exists()
    assert not MeetingParticipant.objects.exists()


def test_restore_refused_with_message_when_the_slot_was_taken_since(staff_client, booked_meeting):
    delete_in_admin(staff_client, booked_meeting)
    deletion = Meeting.history.latest()
    taker = MeetingFactory(
        delegation=booked_meeting.delegation,
        start_time=datetime.time(10),
        end_time=datetime.time(10, 30),
        venue=booked_meeting.venue,
        table="t1",
    )

    response = staff_client.post(url(Meeting, "restore", deletion.history_id))

    assertRedirects(response, url(Meeting, "deleted"))
    assert messages_of(response)[1:] == [f"Table T1 at Senate, Paris is already taken by “{taker}” at that time."]
    assert Meeting.objects.count() == 1


def test_deleted_visit_restored_with_members_items_links_and_french_text(staff_client):
    energy = SectorFactory(name="Energy")
    delegation = DelegationFactory(title="Irkutsk region in France", title_fr="La région d'Irkoutsk en France")
    delegation.priority_sectors.set([energy])
    member = DelegationMemberFactory(delegation=delegation, title="Governor", title_fr="Gouverneur")
    item = ItineraryItemFactory(delegation=delegation, title="Senate", title_fr="Sénat")
    item.hosts.set([OrganizationFactory(name="French Senate")])
    delete_in_admin(staff_client, delegation)
    assert not DelegationMember.objects.exists()

    with translation.override("fr"):
        staff_client.post(url(Delegation, "restore", Delegation.history.latest().history_id))

    restored = Delegation.objects.get(pk=delegation.pk)
    assert (restored.title_en, restored.title_fr) == ("Irkutsk region in France", "La région d'Irkoutsk en France")
    assert list(restored.priority_sectors.all()) == [energy]
    assert list(restored.members.values_list("pk", "title_en", "title_fr")) == [(member.pk, "Governor", "Gouverneur")]
    restored_item = ItineraryItem.objects.get(pk=item.pk)
    assert (restored_item.title_en, restored_item.title_fr) == ("Senate", "Sénat")
    assert [host.name for host in restored_item.hosts.all()] == ["French Senate"]


def test_deleted_visit_restored_with_its_share_links_revoked(staff_client, superuser):
    delegation = DelegationFactory()
    link, token = share_link_create(delegation=delegation, label="for Dalkia", created_by=superuser)
    assert staff_client.get(f"/share/{token}/").status_code == 200
    delete_in_admin(staff_client, delegation)

    staff_client.post(url(Delegation, "restore", Delegation.history.latest().history_id))

    link = ShareLink.objects.get(pk=link.pk)
    assert (link.get_status(), link.history.latest().history_change_reason, link.history.latest().history_user) == (
        ShareLink.Status.REVOKED,
        "Revoked",
        superuser,
    )
    staff_client.logout()
    assert staff_client.get(f"/share/{token}/").status_code == 404


def test_revert_to_past_version_keeps_french_text(staff_client):
    delegation = DelegationFactory(title="Irkutsk region in France", title_fr="La région d'Irkoutsk en France")
    first = delegation.history.latest()
    delegation.title_en, delegation.title_fr = "Changed", "Changé"
    delegation.save()

    first.instance.save()

    delegation.refresh_from_db()
    assert (delegation.title_en, delegation.title_fr) == ("Irkutsk region in France", "La région d'Irkoutsk en France")


def test_viewer_lists_deleted_records_but_may_not_restore(viewer_client, booked_meeting):
    booked_meeting.delete()
    record = Meeting.history.latest()

    page = viewer_client.get(url(Meeting, "deleted"))
    response = viewer_client.post(url(Meeting, "restore", record.history_id))

    assertContains(page, "Irkutsk Oil / Total, 2018-11-26 10:00")
    assertNotContains(page, "Restore</button>")
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_restore_answers_get_with_405(staff_client, booked_meeting):
    booked_meeting.delete()

    response = staff_client.get(url(Meeting, "restore", Meeting.history.latest().history_id))

    assert response.status_code == 405


def test_changelist_links_to_deleted_records(staff_client):
    response = staff_client.get(url(Delegation, "changelist"))

    assertContains(response, f'<a href="{url(Delegation, "deleted")}">Deleted delegation visits</a>', html=True)


def test_every_history_page_and_past_version_renders(staff_client, demo):
    MeetingParticipantFactory(meeting=Meeting.objects.order_by("pk").first())
    for model, model_admin in admin.site._registry.items():
        # Share links record their history but offer no revert, which could bring a revoked link back.
        if not is_history_tracked(model) or not isinstance(model_admin, HistoryAdmin):
            continue
        if not model.objects.exists():  # none in the demo visit (matchmaking)
            ROW_BUILDERS[model](1)
        obj = model.objects.order_by("pk").first()
        record = obj.history.earliest()

        history = staff_client.get(url(model, "history", obj.pk))
        version = staff_client.get(url(model, "simple_history", obj.pk, record.history_id))

        assert (model.__name__, history.status_code, version.status_code) == (model.__name__, 200, 200)
        assert b'<input type="submit" value="Revert"' in version.content, model.__name__


def test_restore_refused_with_message_when_a_new_row_took_the_slug(staff_client):
    person = PersonFactory(name="Sergey Levchenko", slug="sergey-levchenko")
    delete_in_admin(staff_client, person)
    PersonFactory(name="Sergei Levchenko", slug="sergey-levchenko")

    response = staff_client.post(url(Person, "restore", Person.history.filter(history_type="-").get().history_id))

    assertRedirects(response, url(Person, "deleted"))
    assert messages_of(response)[1:] == ["“Sergey Levchenko” cannot be restored: Person with this Slug already exists."]
    assert list(Person.objects.values_list("name", flat=True)) == ["Sergei Levchenko"]


def test_deleted_person_restored_with_positions(staff_client):
    position = PositionFactory(person__name="Sergey Levchenko", title="Governor", title_fr="Gouverneur")
    delete_in_admin(staff_client, position.person)

    staff_client.post(url(Person, "restore", Person.history.latest().history_id))

    assert list(Position.objects.values_list("pk", "person__name", "title_en", "title_fr")) == [
        (position.pk, "Sergey Levchenko", "Governor", "Gouverneur")
    ]


def test_viewer_may_not_revert_by_posting_a_past_version(viewer_client):
    delegation = DelegationFactory(title="Irkutsk region in France")
    first = delegation.history.latest()
    delegation.title_en = "Changed"
    delegation.save()

    response = viewer_client.post(
        url(Delegation, "simple_history", delegation.pk, first.history_id), {"title_en": "Irkutsk region in France"}
    )

    assert response.status_code == 403
    delegation.refresh_from_db()
    assert delegation.title_en == "Changed"


def test_editor_reverts_a_visit_to_a_past_version_keeping_both_languages(member_client):
    client = member_client("Editors")
    delegation = DelegationFactory(title="Irkutsk region in France", title_fr="La région d'Irkoutsk en France")
    first = delegation.history.latest()
    delegation.title_en, delegation.title_fr = "Changed", "Changé"
    delegation.save()
    version_url = url(Delegation, "simple_history", delegation.pk, first.history_id)

    response = client.post(version_url, change_form_data(client.get(version_url)))

    assert response.status_code == 302
    delegation.refresh_from_db()
    assert (delegation.title_en, delegation.title_fr) == ("Irkutsk region in France", "La région d'Irkoutsk en France")
    assert delegation.history.latest().history_user.username == "editors"
