"""No lost updates: every admin change form of a domain model refuses a save made from a form opened
before someone else's change, keeps the user's input, says what changed, and carries the new state so
that a deliberate second save wins (core.concurrency, core.concurrency_admin)."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contacts.models import Organization, Person, Position, Sector
from core.concurrency_admin import StaleFormRefusedMixin
from delegations.models import (
    Agreement,
    AgreementParty,
    Delegation,
    DelegationMember,
    FollowUp,
    ItineraryItem,
    ShareLink,
    Venue,
)
from delegations.services import delegations_set_published, share_link_create, share_links_revoke
from matchmaking.models import (
    Availability,
    Invitation,
    MeetingRequest,
    Registration,
    RegistrationAttendee,
    SessionAgenda,
)
from matchmaking.services import agendas_publish, invitation_create
from meetings.models import Meeting, MeetingParticipant
from meetings.services import meeting_set_status, meeting_update
from tests import factories
from tests.helpers import change_form_data

DOMAIN_APPS = {"contacts", "delegations", "meetings", "matchmaking", "mailings"}


def share_link():
    link, _token = share_link_create(delegation=factories.DelegationFactory(), label="Press", created_by=None)
    return link


def invitation():
    link, _token = invitation_create(
        delegation=factories.DelegationFactory(), label="Dalkia", side="host", created_by=None
    )
    return link


def registration():
    return Registration.objects.create(
        delegation=factories.DelegationFactory(), organization=factories.OrganizationFactory(), profile="Boilers."
    )


def attendee():
    return RegistrationAttendee.objects.create(registration=registration(), person=factories.PersonFactory())


def availability():
    registered = registration()
    session = factories.ItineraryItemFactory(delegation=registered.delegation, kind="b2b_session")
    return Availability.objects.create(
        registration=registered, session=session, start_time=datetime.time(10), end_time=datetime.time(10, 30)
    )


def meeting_request():
    return MeetingRequest.objects.create(
        delegation=factories.DelegationFactory(),
        asker_organization=factories.OrganizationFactory(),
        target_organization=factories.OrganizationFactory(),
        reason="Boilers.",
    )


def session_agenda():
    session = factories.ItineraryItemFactory(kind="b2b_session")
    agendas_publish(sessions=[session], status="preliminary", user=None)
    return SessionAgenda.objects.get(session=session)


def agreement():
    signed = factories.AgreementFactory()
    factories.AgreementPartyFactory.create_batch(2, agreement=signed)
    return signed


# Each model's factory, and a change someone else makes meanwhile, bypassing forms and history:
# (field, value, the field's label and the value as the refusal names them, or None when not shown).
STALE_CASES = {
    Sector: (factories.SectorFactory, "slug", "other-slug", ("Slug", "other-slug")),
    Organization: (factories.OrganizationFactory, "city", "Elsewhere", ("City", "Elsewhere")),
    Person: (factories.PersonFactory, "honorific", "Dr", ("Honorific", "Dr")),
    Position: (factories.PositionFactory, "start_date", datetime.date(2001, 2, 3), ("From", "3 February 2001")),
    Venue: (factories.VenueFactory, "address", "1 Other Street", ("Address", "1 Other Street")),
    Delegation: (factories.DelegationFactory, "is_published", False, ("Published", "no")),
    DelegationMember: (factories.DelegationMemberFactory, "order", 9, ("Order", "9")),
    ItineraryItem: (factories.ItineraryItemFactory, "order", 9, ("Order", "9")),
    Agreement: (agreement, "place", "Lyon", ("Place of signing", "Lyon")),
    AgreementParty: (factories.AgreementPartyFactory, "order", 9, ("Order", "9")),
    FollowUp: (factories.FollowUpFactory, "due_date", datetime.date(2030, 1, 2), ("Due date", "2 January 2030")),
    ShareLink: (share_link, "revoked_at", timezone.now(), None),
    Meeting: (factories.MeetingFactory, "table", "Z9", ("Table", "Z9")),
    MeetingParticipant: (factories.MeetingParticipantFactory, "side", "host", ("Side", "Host side")),
    Invitation: (invitation, "label", "for Eastmed", ("Label", "for Eastmed")),
    Registration: (registration, "profile", "Turbines.", ("Profile", "Turbines.")),
    RegistrationAttendee: (attendee, "title", "CEO", ("Title", "CEO")),
    Availability: (availability, "end_time", datetime.time(10, 45), ("Slot end", "10:45")),
    MeetingRequest: (meeting_request, "priority", 1, ("Priority", "High")),
    SessionAgenda: (session_agenda, "published_at", timezone.now(), None),
}


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


# Admins that change nothing through a form: B2B sessions are listed for their actions, and a proposal is
# applied or discarded from its page, whose service refuses it if its input changed since it was computed.
FORMLESS = {
    "meetings.Booking",
    "matchmaking.B2BSession",
    "matchmaking.SchedulingProposal",
    "mailings.AgendaMailing",
    "mailings.AgendaSend",
}


def test_every_domain_admin_refuses_stale_forms():
    domain_admins = {
        model
        for model in admin.site._registry
        if model._meta.app_label in DOMAIN_APPS and model._meta.label not in FORMLESS
    }

    assert domain_admins == set(STALE_CASES)
    assert all(isinstance(admin.site._registry[model], StaleFormRefusedMixin) for model in domain_admins)


@pytest.mark.parametrize("model", STALE_CASES, ids=lambda model: model._meta.label)
def test_change_form_saved_after_another_change_is_refused_with_input_kept(staff_client, model):
    factory, field, value, named = STALE_CASES[model]
    obj = factory()
    url = change_url(obj)
    data = change_form_data(staff_client.get(url))
    model._base_manager.filter(pk=obj.pk).update(**{field: value})  # someone else, meanwhile
    before = model._base_manager.filter(pk=obj.pk).values().get()

    response = staff_client.post(url, data)

    form = response.context["adminform"].form
    errors = form.non_field_errors()
    assert response.status_code == 200
    assert (
        errors[0]
        == f"“{model._base_manager.get(pk=obj.pk)}” was changed after you opened this page: nothing was saved."
    )
    if named:
        assert f"{named[0]} is now: {named[1]}" in errors
    assert errors[-1].startswith("Your input is kept below.")
    assert model._base_manager.filter(pk=obj.pk).values().get() == before
    kept = change_form_data(response)
    assert {name: kept.get(name) for name in data if name != "opened_state"} == {
        name: value for name, value in data.items() if name != "opened_state"
    }
    assert kept["opened_state"] != data["opened_state"]


@pytest.mark.parametrize("model", STALE_CASES, ids=lambda model: model._meta.label)
def test_change_form_saved_again_after_a_refusal_wins(staff_client, model):
    factory, field, value, named = STALE_CASES[model]
    obj = factory()
    url = change_url(obj)
    stale = change_form_data(staff_client.get(url))
    model._base_manager.filter(pk=obj.pk).update(**{field: value})
    refused = staff_client.post(url, stale)

    response = staff_client.post(url, {**stale, **change_form_data(refused)})

    # The user's value, or the other's for a field the form does not edit (a link's revocation).
    assert response.status_code == 302
    assert getattr(model._base_manager.get(pk=obj.pk), field) == (value if named is None else getattr(obj, field))


def test_change_form_saved_unchanged_since_opened_is_accepted(staff_client):
    visit = factories.DelegationFactory(title="Irkutsk in Paris")
    url = change_url(visit)
    data = change_form_data(staff_client.get(url))

    response = staff_client.post(url, {**data, "title_en": "Irkutsk in Paris and Lyon"})

    visit.refresh_from_db()
    assert response.status_code == 302
    assert visit.title_en == "Irkutsk in Paris and Lyon"


def test_withdrawn_visit_not_published_again_by_a_form_opened_before(staff_client, django_user_model):
    """The issue's case: an editor opens a published visit; another withdraws it to draft through the
    admin action; the first editor's save would have published it again."""
    visit = factories.DelegationFactory(title="Irkutsk in Paris", is_published=True)
    url = change_url(visit)
    first = change_form_data(staff_client.get(url))
    other = django_user_model.objects.create_superuser("other", "other@example.org", "pw")
    second = Client()
    second.force_login(other)
    second.post(
        reverse("admin:delegations_delegation_changelist"),
        {"action": "unpublish", "_selected_action": [visit.pk]},
    )

    response = staff_client.post(url, {**first, "purpose_en": "Trade"})

    visit.refresh_from_db()
    errors = response.context["adminform"].form.non_field_errors()
    assert (visit.is_published, visit.purpose_en or "") == (False, "")
    assert errors[0].startswith("“Irkutsk in Paris” was changed by other (last at ")
    assert errors[0].endswith(") after you opened this page: nothing was saved.")
    assert "Published is now: no" in errors
    assert response.context["adminform"].form["purpose_en"].value() == "Trade"


def test_stale_form_with_inlines_refused_whole(staff_client):
    """Another editor changes a member on its own page: the visit's form opened before, with the
    members inline, is refused as a whole (its own fields and its rows), naming the row."""
    visit = factories.DelegationFactory(title="Irkutsk in Paris")
    member = factories.DelegationMemberFactory(delegation=visit, title_en="Governor")
    url = change_url(visit)
    data = change_form_data(staff_client.get(url))
    member_url = change_url(member)
    staff_client.post(member_url, {**change_form_data(staff_client.get(member_url)), "title_en": "Minister"})
    item_rows = int(data["itinerary_items-TOTAL_FORMS"])

    response = staff_client.post(
        url,
        {
            **data,
            "title_en": "Renamed",
            "members-0-title_en": "Deputy governor",
            "itinerary_items-TOTAL_FORMS": item_rows,
        },
    )

    visit.refresh_from_db()
    member.refresh_from_db()
    assert (visit.title_en, member.title_en) == ("Irkutsk in Paris", "Minister")
    assert f"Delegation members: “{member}” changed" in response.context["adminform"].form.non_field_errors()
    assert visit.history.count() == 1


def test_form_without_opened_state_refused_and_given_one(staff_client):
    organization = factories.OrganizationFactory(name="Dalkia", city="Lyon")
    url = change_url(organization)
    data = change_form_data(staff_client.get(url))
    del data["opened_state"]

    refused = staff_client.post(url, {**data, "city": "Paris"})
    accepted = staff_client.post(
        url, {**data, "city": "Paris", "opened_state": refused.context["adminform"].form["opened_state"].value()}
    )

    organization.refresh_from_db()
    assert (
        refused.context["adminform"]
        .form.non_field_errors()[0]
        .startswith("This page did not say which version of “Dalkia” it was opened on: nothing was saved.")
    )
    assert (accepted.status_code, organization.city) == (302, "Paris")


def test_opened_state_not_listed_as_a_change_in_the_history(staff_client):
    organization = factories.OrganizationFactory(name="Dalkia", city="Lyon")
    url = change_url(organization)

    staff_client.post(url, {**change_form_data(staff_client.get(url)), "city": "Paris"})

    assert LogEntry.objects.get().get_change_message() == "Changed City."


# Admin actions judge each row on its current state, and say what they changed and what they left.


def action_messages(client, model, action: str, rows) -> list[str]:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.post(url, {"action": action, "_selected_action": [row.pk for row in rows]}, follow=True)
    return [str(message) for message in response.context["messages"]]


def test_publish_action_reports_visits_published_already(staff_client):
    draft = factories.DelegationFactory(is_published=False)
    published = factories.DelegationFactory(is_published=True)

    messages = action_messages(staff_client, Delegation, "publish", [draft, published])

    draft.refresh_from_db()
    assert messages == ["1 visit published.", "1 visit was published already."]
    assert draft.is_published
    assert published.history.count() == 1  # not saved again


def test_withdraw_action_reports_drafts_already(staff_client):
    drafts = factories.DelegationFactory.create_batch(2, is_published=False)

    assert action_messages(staff_client, Delegation, "unpublish", drafts) == ["2 visits were drafts already."]


def test_publish_judges_visits_as_they_are_now_not_as_selected(db):
    visit = factories.DelegationFactory(is_published=False)
    selected = Delegation.objects.filter(pk=visit.pk)
    stale = list(selected)  # read when the changelist was shown
    Delegation.objects.filter(pk=visit.pk).update(is_published=True)  # someone else published it meanwhile

    changed, unchanged = delegations_set_published(delegations=selected, published=True)

    assert (changed, [row.pk for row in unchanged], stale[0].is_published) == ([], [visit.pk], False)


def test_revoke_action_reports_links_revoked_already(staff_client):
    links = [share_link(), share_link()]
    share_links_revoke(links=ShareLink.objects.filter(pk=links[0].pk))

    messages = action_messages(staff_client, ShareLink, "revoke", links)

    assert messages == ["1 share link revoked.", "1 share link was revoked already."]


def test_meeting_status_action_judges_meetings_as_they_are_now(db):
    meeting = factories.MeetingFactory(status=Meeting.Status.REQUESTED)
    stale = Meeting.objects.get(pk=meeting.pk)  # selected while requested
    meeting_set_status(meetings=[meeting], status=Meeting.Status.CANCELLED)  # someone else cancels it meanwhile

    result = meeting_set_status(meetings=[stale], status=Meeting.Status.CANCELLED)

    assert (result.changed, result.unchanged) == ([], [stale])


def test_meeting_status_action_books_the_meetings_current_slot(db):
    meeting = factories.MeetingFactory(
        status=Meeting.Status.CANCELLED, start_time=datetime.time(10, 0), end_time=datetime.time(10, 30)
    )
    stale = Meeting.objects.get(pk=meeting.pk)
    meeting.start_time, meeting.end_time = datetime.time(15, 0), datetime.time(15, 30)
    meeting_update(meeting=meeting)  # moved meanwhile

    result = meeting_set_status(meetings=[stale], status=Meeting.Status.CONFIRMED)

    meeting.refresh_from_db()
    assert result.changed == [stale]
    assert set(meeting.bookings.values_list("starts_at", flat=True)) == {meeting.starts_at}
    assert stale.start_time == datetime.time(15, 0)
