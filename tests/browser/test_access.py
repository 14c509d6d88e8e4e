"""Who reaches what: a Viewer reads every record in the admin and can change none (journey 3); an
anonymous visitor reaches neither a draft visit nor the admin (journey 4)."""

from django.urls import reverse

from delegations.services import share_link_create
from tests.builders import (
    add_agenda_sends,
    add_attendees,
    add_availability,
    add_batches,
    add_requests,
    add_scheduling_proposals,
    add_session_agendas,
)
from tests.factories import DelegationFactory, ItineraryItemFactory, MeetingFactory, MeetingParticipantFactory

from .helpers import admin_login

# The domain models of the admin, one changelist each (the viewer sees no other).
ADMIN_MODELS = {
    "core": ("batch",),
    "contacts": ("organization", "person", "position", "sector"),
    "delegations": (
        "agreement",
        "agreementparty",
        "delegation",
        "delegationmember",
        "followup",
        "itineraryitem",
        "sharelink",
        "venue",
    ),
    "meetings": ("meeting", "meetingparticipant"),
    "matchmaking": (
        "availability",
        "b2bsession",
        "invitation",
        "meetingrequest",
        "registration",
        "registrationattendee",
        "schedulingproposal",
        "sessionagenda",
    ),
    "mailings": ("agendamailing", "agendasend"),
}
FORM_CONTROLS = "#content-main form :is(input:not([type=hidden]), select, textarea, button)"


def test_viewer_opens_every_admin_record_and_can_change_none(demo, new_page, staff_member):
    MeetingParticipantFactory(meeting=demo.meetings.first())  # the demo records no meeting's people
    share_link_create(delegation=demo, label="for Dalkia", created_by=None)  # nor share links
    # nor B2B registrations, proposals and agendas
    for add_one in (add_attendees, add_availability, add_requests, add_scheduling_proposals, add_session_agendas):
        add_one(1)
    add_agenda_sends(1)  # nor agenda e-mails and background batches
    add_batches(1)
    staff_member("viewer", "Viewers")
    page = new_page(width=1280)
    admin_login(page, "viewer")

    changelists = page.locator("#content-main th[scope=row] a").evaluate_all("links => links.map(a => a.pathname)")
    assert sorted(changelists) == sorted(
        f"/admin/{app}/{model}/" for app, models in ADMIN_MODELS.items() for model in models
    )
    assert page.locator("#content-main a.addlink").count() == 0
    for changelist in changelists:
        page.goto(changelist)
        assert page.locator(".object-tools a.addlink").count() == 0, changelist
        assert page.locator("#result_list tbody tr").count() > 0, changelist
        with page.expect_navigation():
            page.locator("#result_list tbody tr th a").first.click()
        heading = page.get_by_role("heading", level=1).inner_text()
        # A Schedule all proposal opens as the proposal, without its Apply and Discard for a Viewer.
        proposal = changelist.endswith("/schedulingproposal/") and heading == "Schedule all: the proposal"
        # A background batch opens as its progress, titled with what it does.
        batch = changelist.endswith("/core/batch/") and heading.startswith("Batch ")
        assert heading.startswith("View ") or proposal or batch, page.url
        assert page.locator(FORM_CONTROLS).count() == 0, page.url
        assert page.locator(".deletelink, a:text('Record outcome')").count() == 0, page.url

    response = page.goto(reverse("admin:delegations_delegation_add"))
    assert response.status == 403


def test_anonymous_reaches_neither_a_draft_visit_nor_the_admin(new_page):
    DelegationFactory(title="Published visit", slug="published-visit")
    draft = DelegationFactory(title="Secret draft visit", slug="secret-draft", is_published=False)
    ItineraryItemFactory(delegation=draft, title="Secret talks")
    MeetingFactory(delegation=draft, outcome="Secret outcome")
    page = new_page(width=1280)

    for path in ("/secret-draft/", "/secret-draft/outcomes/"):
        assert page.goto(f"/delegations{path}").status == 404
    assert page.request.get("/delegations/secret-draft/calendar.ics").status == 404
    for path in ("/", "/delegations/", "/meetings/", "/search/?q=secret"):
        page.goto(path)
        text = page.locator("main").inner_text()
        assert "Secret" not in text, path
    page.goto("/meetings/?delegation=secret-draft")
    assert page.locator(".field-error").inner_text() == "Choose a visit from the list."

    for path in ("/admin/", f"/admin/delegations/delegation/{draft.pk}/change/"):
        page.goto(path)
        assert page.url.endswith(f"/admin/login/?next={path}"), path
        assert page.locator("#id_username").is_visible()
