"""A company's agenda on its invitation link: nothing before staff publish a session's agendas, then
exactly its own meetings (time and zone, table, counterpart, people, venue) marked preliminary or final,
the same as an .ics file; its registration closed once final; publishing through the admin."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from matchmaking.models import Invitation, MeetingRequest, Registration, SessionAgenda
from matchmaking.services import (
    RegistrationData,
    agendas_publish,
    agendas_withdraw,
    invitation_create,
    invitations_revoke,
    registration_save,
)
from meetings.models import Meeting, MeetingParticipant
from tests.factories import (
    DelegationFactory,
    ItineraryItemFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganizationFactory,
    PersonFactory,
)
from tests.matchmaking.conftest import registration_post


@pytest.fixture
def world(invitation, visit):
    """Dalkia registered through its link and placed in the session: with the ministry at 14:00 on table 1,
    with Irkutsk Airport at 15:00 on table 2, and a cancelled one with the airport at 15:30; Engie, another
    company, meets the ministry at 14:30. Private people's e-mails are set to catch leaks."""
    token = invitation[1]
    Client().post(reverse("matchmaking:registration", kwargs={"token": token}), registration_post(visit))
    registration = Registration.objects.get()
    dalkia = registration.organization
    session, ministry, member = visit["session"], visit["ministry"], visit["member"]
    ministry.native_name = "Министерство экономики"
    ministry.save()
    airport = OrganizationFactory(name="Irkutsk Airport", slug="airport")
    engie = OrganizationFactory(name="Engie", slug="engie")
    aide = PersonFactory(name="Secret Aide", is_public=False, email="aide@airport.example", phone="+7 1")
    engie_person = PersonFactory(name="Engie Person", is_public=False, email="someone@engie.example", phone="+33 9")
    claire = registration.attendees.get().person

    def meeting(start, table, delegation_org, host_org, status=Meeting.Status.CONFIRMED, people=()):
        end = (datetime.datetime.combine(session.day, start) + datetime.timedelta(minutes=30)).time()
        made = MeetingFactory(
            delegation=visit["delegation"],
            session=session,
            date=session.day,
            start_time=start,
            end_time=end,
            venue=session.venue,
            table=table,
            delegation_organization=delegation_org,
            host_organization=host_org,
            status=status,
        )
        for person, side in people:
            MeetingParticipantFactory(meeting=made, person=person, side=side)
        return made

    delegation_side, host_side = MeetingParticipant.Side.DELEGATION, MeetingParticipant.Side.HOST
    first = meeting(
        datetime.time(14), "1", ministry, dalkia, people=[(member.person, delegation_side), (claire, host_side)]
    )
    other = meeting(datetime.time(14, 30), "1", ministry, engie, people=[(engie_person, host_side)])
    second = meeting(datetime.time(15), "2", airport, dalkia, people=[(aide, delegation_side)])
    cancelled = meeting(datetime.time(15, 30), "1", airport, dalkia, status=Meeting.Status.CANCELLED)
    return {
        "token": token,
        "page": reverse("matchmaking:registration", kwargs={"token": token}),
        "ics": reverse("matchmaking:agenda-ics", kwargs={"token": token}),
        "registration": registration,
        "session": session,
        "meetings": (first, second, cancelled),
        "other": other,
    }


QUERIES = 13  # the same with 3 or 7 meetings


def agenda_part(html: str) -> str:
    """The agenda's section of the page, without the registration form (which lists the delegation)."""
    start = html.index('<section class="agenda"')
    end = html.find('<form class="registration"', start)
    end = end if end != -1 else html.index("</main>", start)
    return html[start:end]


def read_calendar(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_agenda_shows_nothing_before_publication(client, world):
    page = client.get(world["page"]).content.decode()
    part = agenda_part(page)
    assert "Your agenda will appear here once the organiser publishes it." in part
    assert "14:00" not in part
    assert "Airport" not in page
    assert "agenda.ics" not in part
    assert read_calendar(client, world["ics"]).walk("VEVENT") == []


def test_agenda_shows_exactly_the_company_meetings_once_preliminary(client, world):
    agendas_publish(sessions=[world["session"]], status="preliminary", user=None)
    first, second, cancelled = world["meetings"]
    part = agenda_part(client.get(world["page"]).content.decode())
    assert "Preliminary" in part
    assert "This agenda is preliminary: times and tables may still change." in part
    assert "Final" not in part
    ids = [f'id="meeting-{m.pk}"' for m in (first, second, cancelled)]
    assert [part.index(i) for i in ids] == sorted(part.index(i) for i in ids)
    assert f'id="meeting-{world["other"].pk}"' not in part
    assert part.count('<li class="agenda__meeting') == 3

    def card(meeting):
        start = part.rindex("<li", 0, part.index(f'id="meeting-{meeting.pk}"'))
        return part[start : part.index("</li>", start)]

    one = card(first)
    assert ">14:00–14:30</time>" in one
    assert "CET, UTC+1" in one
    assert "Table 1" in one
    assert "With Irkutsk Ministry of Economy" in one
    assert '<span class="native">(Министерство экономики)</span>' in one
    assert "Ruslan Bolotov" in one
    assert "For you: Claire Martin" in one
    assert first.venue.full_address in one
    two = card(second)
    assert ">15:00–15:30</time>" in two and "Table 2" in two and "With Irkutsk Airport" in two
    assert "a representative of Irkutsk Airport" in two
    three = card(cancelled)
    assert "agenda__meeting--cancelled" in three and "Cancelled" in three
    assert "Cancelled" not in one


def test_agenda_never_shows_other_companies_or_private_details(client, world):
    agendas_publish(sessions=[world["session"]], status="final", user=None)
    page = client.get(world["page"]).content.decode()
    ics = client.get(world["ics"]).content.decode()
    for secret in ("Engie", "someone@engie.example", "Secret Aide", "aide@airport.example", "+7 1", "+33 9"):
        assert secret not in page, secret
        assert secret not in ics, secret


def test_agenda_ics_reads_back_with_zones_and_stable_uids(client, world):
    agendas_publish(sessions=[world["session"]], status="final", user=None)
    first = world["meetings"][0]
    events = read_calendar(client, world["ics"]).walk("VEVENT")
    again = read_calendar(client, world["ics"]).walk("VEVENT")
    assert len(events) == 3
    assert [str(e["UID"]) for e in events] == [str(e["UID"]) for e in again]
    assert len({str(e["UID"]) for e in events}) == 3
    by_summary = {str(e["SUMMARY"]): e for e in events}
    event = by_summary["B2B meeting with Irkutsk Ministry of Economy (Министерство экономики)"]
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTSTART") == first.starts_at
    assert event.decoded("DTSTART").utcoffset() == datetime.timedelta(hours=1)
    assert event.decoded("DTEND") == first.ends_at
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "table 1" in str(event["LOCATION"]) and first.venue.address in str(event["LOCATION"])
    assert "Final agenda" in str(event["DESCRIPTION"])
    statuses = sorted(str(e["STATUS"]) for e in events)
    assert statuses == ["CANCELLED", "CONFIRMED", "CONFIRMED"]


def test_agenda_ics_is_tentative_while_preliminary(client, world):
    agendas_publish(sessions=[world["session"]], status="preliminary", user=None)
    events = read_calendar(client, world["ics"]).walk("VEVENT")
    assert sorted(str(e["STATUS"]) for e in events) == ["CANCELLED", "TENTATIVE", "TENTATIVE"]


def test_agenda_gone_when_withdrawn(client, world):
    agendas_publish(sessions=[world["session"]], status="preliminary", user=None)
    agendas_withdraw(agendas=SessionAgenda.objects.all(), user=None)
    part = agenda_part(client.get(world["page"]).content.decode())
    assert "Your agenda will appear here once the organiser publishes it." in part
    assert read_calendar(client, world["ics"]).walk("VEVENT") == []


@pytest.mark.parametrize("how", ["revoked", "expired"])
def test_agenda_of_a_closed_link_is_not_found(client, world, how):
    agendas_publish(sessions=[world["session"]], status="final", user=None)
    if how == "revoked":
        invitations_revoke(invitations=Invitation.objects.all())
    else:
        Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert client.get(world["page"]).status_code == 404
    assert client.get(world["ics"]).status_code == 404


def test_registration_refused_once_final(client, world, visit):
    agendas_publish(sessions=[world["session"]], status="final", user=None)
    page = client.get(world["page"]).content.decode()
    assert "The organiser has published the final agenda" in page
    assert '<form class="registration"' not in page
    before = list(MeetingRequest.objects.values_list("pk", "status", "reason"))
    registration = world["registration"]
    # Drop the wish (which would withdraw the request) and change the profile.
    response = client.post(
        world["page"], registration_post(visit, profile="Changed.", **{"wishes-0-target": "", "wishes-0-reason": ""})
    )
    assert response.status_code == 403
    assert "The organiser has published the final agenda" in response.content.decode()
    registration.refresh_from_db()
    assert registration.profile == "Energy services; biomass boilers."
    assert list(MeetingRequest.objects.values_list("pk", "status", "reason")) == before


def test_registration_still_changes_while_preliminary(client, world, visit):
    agendas_publish(sessions=[world["session"]], status="preliminary", user=None)
    response = client.post(world["page"], registration_post(visit, profile="Changed."))
    assert response.status_code == 302
    world["registration"].refresh_from_db()
    assert world["registration"].profile == "Changed."


def test_agenda_in_french(client, world):
    agendas_publish(sessions=[world["session"]], status="final", user=None)
    page = client.get(world["page"], HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    part = agenda_part(page)
    assert "Votre programme" in part
    assert "Définitif" in part
    assert "Table 1" in part
    assert "Ce programme est définitif." in part
    assert "Avec Irkutsk Ministry of Economy" in part
    assert "Le programme définitif a été publié par l’organisateur" in page


@pytest.mark.parametrize("more", [0, 4])
def test_agenda_page_queries_do_not_grow_with_meetings(client, world, django_assert_num_queries, more):
    agendas_publish(sessions=[world["session"]], status="final", user=None)
    session = world["session"]
    for n in range(more):
        meeting = MeetingFactory(
            delegation=session.delegation,
            session=session,
            date=session.day,
            start_time=datetime.time(16 + n),
            end_time=datetime.time(16 + n, 30),
            venue=session.venue,
            table="2",
            delegation_organization=OrganizationFactory(name=f"Baikal Port {n}"),
            host_organization=world["registration"].organization,
        )
        MeetingParticipantFactory(meeting=meeting, person=PersonFactory(is_public=True))
    with django_assert_num_queries(QUERIES):
        response = client.get(world["page"])
    assert response.content.decode().count('<li class="agenda__meeting') == 3 + more


# The admin


def test_editors_publish_mark_final_and_withdraw_in_the_admin(member_client, world):
    client = member_client("Editors")
    session = world["session"]
    response = client.post(
        reverse("admin:delegations_itineraryitem_changelist"),
        {"action": "publish_preliminary", "_selected_action": [session.pk]},
    )
    assert response.status_code == 302
    agenda = SessionAgenda.objects.get()
    assert (agenda.session, agenda.status, agenda.published_by.username) == (session, "preliminary", "editors")
    client.post(
        reverse("admin:matchmaking_sessionagenda_changelist"),
        {"action": "mark_final", "_selected_action": [agenda.pk]},
    )
    agenda.refresh_from_db()
    assert agenda.status == "final"
    assert agenda.history.first().history_user.username == "editors"
    assert client.get(reverse("admin:matchmaking_sessionagenda_change", args=[agenda.pk])).status_code == 200
    client.post(
        reverse("admin:matchmaking_sessionagenda_changelist"),
        {"action": "withdraw", "_selected_action": [agenda.pk]},
    )
    assert not SessionAgenda.objects.exists()


def test_editors_publish_through_the_add_form(member_client, world):
    client = member_client("Editors")
    response = client.post(
        reverse("admin:matchmaking_sessionagenda_add"), {"session": world["session"].pk, "status": "final"}
    )
    assert response.status_code == 302
    agenda = SessionAgenda.objects.get()
    assert (agenda.delegation, agenda.status) == (world["session"].delegation, "final")


def test_a_final_agenda_cannot_become_preliminary_again(staff_client, world):
    agendas_publish(sessions=[world["session"]], status="final", user=None)
    agenda = SessionAgenda.objects.get()
    url = reverse("admin:matchmaking_sessionagenda_change", args=[agenda.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {"status": "preliminary", **{k: v for k, v in form.initial.items() if k == "_concurrency"}}
    response = staff_client.post(url, {**data, "status": "preliminary"})
    agenda.refresh_from_db()
    assert agenda.status == "final"
    assert response.status_code == 200
    assert "A final agenda cannot become preliminary again: withdraw it first." in response.content.decode()


def test_only_b2b_sessions_get_agendas(world, visit):
    dinner = ItineraryItemFactory(delegation=visit["delegation"], title="Dinner")
    with pytest.raises(ValidationError, match="is not a B2B session"):
        agendas_publish(sessions=[dinner], status="final", user=None)
    assert not SessionAgenda.objects.exists()


def test_viewers_cannot_publish_or_withdraw(member_client, world):
    agendas_publish(sessions=[world["session"]], status="preliminary", user=None)
    agenda = SessionAgenda.objects.get()
    client = member_client("Viewers")
    assert client.get(reverse("admin:matchmaking_sessionagenda_changelist")).status_code == 200
    assert client.get(reverse("admin:matchmaking_sessionagenda_change", args=[agenda.pk])).status_code == 200
    assert client.get(reverse("admin:matchmaking_sessionagenda_add")).status_code == 403
    for action in ("mark_final", "withdraw"):
        client.post(
            reverse("admin:matchmaking_sessionagenda_changelist"), {"action": action, "_selected_action": [agenda.pk]}
        )
    client.post(
        reverse("admin:delegations_itineraryitem_changelist"),
        {"action": "publish_final", "_selected_action": [world["session"].pk]},
    )
    agenda.refresh_from_db()
    assert agenda.status == "preliminary"
    assert (
        client.post(reverse("admin:matchmaking_sessionagenda_delete", args=[agenda.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert SessionAgenda.objects.count() == 1


def test_an_agenda_belongs_to_its_session_visit(world):
    other_visit = DelegationFactory()
    agenda = SessionAgenda(delegation=other_visit, session=world["session"])
    with pytest.raises(ValidationError, match="belongs to another visit"):
        agenda.full_clean()
    with pytest.raises(IntegrityError, match="agenda_session_one_visit"), transaction.atomic():
        agenda.save()


def test_session_grid_header_tells_the_agendas_status(staff_client, world):
    url = reverse("admin:meetings_meeting_session_grid", args=[world["session"].pk])
    assert "Companies’ agendas: not published." in staff_client.get(url).content.decode()
    agendas_publish(sessions=[world["session"]], status="final", user=None)
    page = staff_client.get(url).content.decode()
    assert "agendas: final, published on" in page


def test_registration_service_refuses_once_final(world, visit):
    agendas_publish(sessions=[world["session"]], status="final", user=None)
    invitation = world["registration"].invitation
    with pytest.raises(ValidationError, match="final agenda"):
        registration_save(invitation=invitation, data=RegistrationData(organization_name="Dalkia", profile="Changed."))
    world["registration"].refresh_from_db()
    assert world["registration"].profile == "Energy services; biomass boilers."


def test_a_link_for_another_session_sees_neither_its_agenda_nor_its_lock(client, world, visit):
    later = ItineraryItemFactory(
        delegation=visit["delegation"], kind="b2b_session", title="B2B session, Grenoble", venue=world["session"].venue
    )
    _link, token = invitation_create(
        delegation=visit["delegation"], label="for Engie", side="host", sessions=[later], created_by=None
    )
    agendas_publish(sessions=[world["session"]], status="final", user=None)
    page = client.get(reverse("matchmaking:registration", kwargs={"token": token})).content.decode()
    assert "Your agenda will appear here once the organiser publishes it." in page
    assert '<form class="registration"' in page
