"""B2B matchmaking as its people live it: a company registers through its link and asks for two meetings,
staff accept both, schedule the session and publish its agendas, and the company finds its agenda on the
same link."""

import datetime

from playwright.sync_api import expect

from delegations.models import ItineraryItem
from matchmaking.models import MeetingRequest
from matchmaking.services import invitation_create
from meetings.models import Meeting
from tests.factories import (
    DelegationFactory,
    DelegationMemberFactory,
    ItineraryItemFactory,
    OrganizationFactory,
    PersonFactory,
    VenueFactory,
)

from .helpers import admin_login

WIDTH = 1280


def b2b_visit():
    """A published visit whose delegation has two organizations, and a B2B session of four half-hour slots
    at two tables in Lyon."""
    visit = DelegationFactory(
        slug="irkutsk-b2b",
        is_published=True,
        start_date=datetime.date(2030, 5, 14),
        end_date=datetime.date(2030, 5, 16),
    )
    for name, person in (("Irkutsk Ministry of Economy", "Ruslan Bolotov"), ("Irkutsk Forest Agency", "Elena Ilina")):
        DelegationMemberFactory(
            delegation=visit,
            person=PersonFactory(name=person, is_public=True),
            organization=OrganizationFactory(name=name),
        )
    venue = VenueFactory(name="Eurexpo", city="Lyon", country="FR", time_zone="Europe/Paris")
    session = ItineraryItemFactory(
        delegation=visit,
        day=visit.start_date,
        kind=ItineraryItem.Kind.B2B_SESSION,
        title="B2B session, Lyon",
        start_time=datetime.time(14, 0),
        end_time=datetime.time(16, 0),
        b2b_slot_minutes=30,
        b2b_tables="1, 2",
        venue=venue,
    )
    return visit, session


def messages(page) -> str:
    return page.locator("ul.messagelist").inner_text()


def run_action(page, changelist: str, action: str) -> None:
    """Ticks every row of an admin list and runs one of its actions."""
    page.goto(changelist)
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option(action)
    with page.expect_navigation():
        page.get_by_role("button", name="Go").click()


def test_company_registers_staff_schedule_and_the_company_sees_its_agenda(new_page, staff_member):
    visit, session = b2b_visit()
    _invitation, token = invitation_create(delegation=visit, label="for Dalkia", side="host", created_by=None)
    staff_member("editor", "Editors")

    company = new_page(WIDTH)
    company.goto(f"/invite/{token}/")
    company.locator("#id_organization_name").fill("Dalkia")
    company.locator("#id_attendees-0-name").fill("Claire Martin")
    company.locator("#id_attendees-0-email").fill("claire.martin@dalkia.example")
    for row, agency in enumerate(("Irkutsk Ministry of Economy", "Irkutsk Forest Agency")):
        company.locator(f"#id_wishes-{row}-target").select_option(label=agency)
        company.locator(f"#id_wishes-{row}-reason").fill("Biomass heating for schools.")
    for slot in company.locator("input[name=slots]").all():
        slot.check()
    with company.expect_navigation():
        company.get_by_role("button", name="Register").click()
    assert "Your registration is saved" in company.content()
    assert MeetingRequest.objects.filter(status=MeetingRequest.Status.SUBMITTED).count() == 2

    staff = new_page(WIDTH)
    admin_login(staff, "editor")
    run_action(staff, "/admin/matchmaking/meetingrequest/", "accept")
    assert "2 requests accepted." in messages(staff)
    run_action(staff, "/admin/matchmaking/b2bsession/", "schedule_all")
    assert "/admin/matchmaking/schedulingproposal/" in staff.url
    with staff.expect_navigation():
        staff.get_by_role("button", name="Apply").click()
    assert messages(staff)
    meetings = Meeting.objects.filter(session=session).order_by("start_time")
    assert meetings.count() == 2
    assert {m.host_organization.name for m in meetings} == {"Dalkia"}
    assert len({(m.start_time, m.table) for m in meetings}) == 2
    assert all(request.status == "scheduled" for request in MeetingRequest.objects.all())

    company.reload()
    assert "Your agenda will appear here once the organiser publishes it." in company.content()
    run_action(staff, "/admin/delegations/itineraryitem/", "publish_final")
    company.reload()
    agenda = company.locator("section.agenda")
    expect(agenda.locator(".agenda__mark--final")).to_be_visible()
    entries = agenda.locator(".agenda__meeting")
    expect(entries).to_have_count(2)
    seen = set()
    for meeting, entry in zip(meetings, entries.all(), strict=True):
        text = entry.inner_text()
        assert f"{meeting.start_time:%H:%M}–{meeting.end_time:%H:%M}" in text
        assert f"Table {meeting.table}" in text
        assert f"With {meeting.delegation_organization.name}" in text
        seen.add(meeting.delegation_organization.name)
    assert seen == {"Irkutsk Ministry of Economy", "Irkutsk Forest Agency"}
    # Final: the registration is closed, and the page says so instead of offering the form.
    assert "can no longer be changed" in company.locator("main").inner_text()
    expect(company.get_by_role("button", name="Save the changes")).to_have_count(0)
