import datetime

import pytest

from delegations.models import ItineraryItem
from matchmaking.models import Registration, RegistrationAttendee
from matchmaking.services import AttendeeData, RegistrationData, agendas_publish, invitation_create, registration_save
from meetings.models import MeetingParticipant
from tests.factories import (
    DelegationFactory,
    DelegationMemberFactory,
    ItineraryItemFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganizationFactory,
    PersonFactory,
    VenueFactory,
)


def build_world(contact_domain: str = "engie.example") -> dict:
    """A visit with a published (preliminary) B2B session in Paris: Dalkia registered through its link in French,
    with two attendees who gave their e-mail; Engie entered by staff, whose only attendee gave none, so the
    organization's contact e-mail (at `contact_domain`) receives its agenda; Veolia registered but meets no one.
    The ministry meets Dalkia at 14:00 (table 1) and Engie at 14:30 (table 2). Private details to catch leaks."""
    delegation = DelegationFactory(slug="irkutsk", title_en="Irkutsk region in France", title_fr="Irkoutsk en France")
    ministry = OrganizationFactory(name="Irkutsk Ministry of Economy", slug="ministry")
    member = DelegationMemberFactory(
        delegation=delegation, person=PersonFactory(name="Ruslan Bolotov", is_public=True), organization=ministry
    )
    venue = VenueFactory(name="Palais Brongniart", address="28 place de la Bourse", city="Paris")
    session = ItineraryItemFactory(
        delegation=delegation,
        kind=ItineraryItem.Kind.B2B_SESSION,
        title_en="B2B session, Paris",
        title_fr="Rencontres B2B, Paris",
        day=datetime.date(2018, 11, 27),
        start_time=datetime.time(14, 0),
        end_time=datetime.time(16, 0),
        venue=venue,
        b2b_slot_minutes=30,
        b2b_tables="1, 2",
    )
    invitation, _token = invitation_create(delegation=delegation, label="for Dalkia", side="host", created_by=None)
    dalkia_registration = registration_save(
        invitation=invitation,
        data=RegistrationData(
            organization_name="Dalkia",
            profile="Biomass boilers. Private profile of Dalkia.",
            attendees=[
                AttendeeData(name="Claire Martin", title="Export director", email="claire.martin@dalkia.example"),
                AttendeeData(name="Paul Roux", email="paul.roux@dalkia.example", phone="+33 4 72 00 00 01"),
            ],
            language="fr",
        ),
    )
    engie = OrganizationFactory(name="Engie", slug="engie", contact_email=f"contact@{contact_domain}")
    engie_person = PersonFactory(name="Hidden Engineer", is_public=False, email="hidden@engie.example")
    engie_registration = Registration.objects.create(
        delegation=delegation, organization=engie, profile="Private profile of Engie."
    )
    RegistrationAttendee.objects.create(registration=engie_registration, person=engie_person, phone="+33 9")
    veolia = OrganizationFactory(name="Veolia", slug="veolia", contact_email="contact@veolia.example")
    Registration.objects.create(delegation=delegation, organization=veolia)

    def meeting(start, table, host, people):
        made = MeetingFactory(
            delegation=delegation,
            session=session,
            date=session.day,
            start_time=start,
            end_time=(datetime.datetime.combine(session.day, start) + datetime.timedelta(minutes=30)).time(),
            venue=venue,
            table=table,
            delegation_organization=ministry,
            host_organization=host,
        )
        for person, side in people:
            MeetingParticipantFactory(meeting=made, person=person, side=side)
        return made

    claire = dalkia_registration.attendees.get(email="claire.martin@dalkia.example").person
    delegation_side, host_side = MeetingParticipant.Side.DELEGATION, MeetingParticipant.Side.HOST
    with_dalkia = meeting(
        datetime.time(14),
        "1",
        dalkia_registration.organization,
        [(member.person, delegation_side), (claire, host_side)],
    )
    with_engie = meeting(datetime.time(14, 30), "2", engie, [(engie_person, host_side)])
    agendas_publish(sessions=[session], status="preliminary")
    return {
        "delegation": delegation,
        "session": session,
        "ministry": ministry,
        "member": member,
        "dalkia": dalkia_registration,
        "engie": engie_registration,
        "with_dalkia": with_dalkia,
        "with_engie": with_engie,
    }


@pytest.fixture
def world(db):
    return build_world()
