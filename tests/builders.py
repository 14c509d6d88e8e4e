"""Data builders shared by test modules: a row of every model with every relation its admin list shows,
and a large published visit with everything an item can show, at any size."""

import contextlib
import datetime

from django.contrib.auth import get_user_model
from django.test import override_settings

from contacts.models import Organization, Person, Position, Sector
from core.batches import batch_start
from core.cache import content_changes_batched
from core.models import Batch
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
from delegations.services import share_link_create
from mailings.models import AgendaMailing, AgendaSend
from matchmaking.models import (
    Availability,
    B2BSession,
    Invitation,
    MeetingRequest,
    Registration,
    RegistrationAttendee,
    SchedulingProposal,
    SessionAgenda,
)
from matchmaking.services import agendas_publish, invitation_create
from meetings.models import Meeting, MeetingParticipant
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
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


@contextlib.contextmanager
def built_quietly():
    """For the world a test builds to count a page's queries: its rows saved without history records
    (simple-history: a record, and one per many-to-many link, at every save) and with the page cache's
    versions replaced once at the end (core.cache.content_changes_batched) rather than worked out row by row,
    which took half of each row's queries. Not for a test of the history or of the page cache."""
    with override_settings(SIMPLE_HISTORY_ENABLED=False), content_changes_batched():
        yield


def add_sectors(n):
    for sector in SectorFactory.create_batch(n):
        OrganizationFactory().sectors.add(sector)


def add_organizations(n):
    sector = SectorFactory()
    parent = OrganizationFactory()
    for organization in [parent, *OrganizationFactory.create_batch(n - 1, parent=parent)]:
        organization.sectors.add(sector)


def add_people(n):
    PositionFactory.create_batch(n, start_date=datetime.date(2017, 1, 1))


def add_positions(n):
    PositionFactory.create_batch(n, start_date=datetime.date(2017, 1, 1))


def add_venues(n):
    VenueFactory.create_batch(n, organization=OrganizationFactory())


def add_delegations(n):
    DelegationFactory.create_batch(n)


def add_members(n):
    DelegationMemberFactory.create_batch(n, organization=OrganizationFactory())


def add_items(n):
    host = OrganizationFactory()
    for item in ItineraryItemFactory.create_batch(n):
        item.hosts.add(host)


def add_agreements(n):
    for agreement in AgreementFactory.create_batch(n):
        AgreementPartyFactory.create_batch(2, agreement=agreement)


def add_parties(n):
    AgreementPartyFactory.create_batch(n, signatory=PersonFactory())


def add_follow_ups(n):
    organization = OrganizationFactory()
    for follow_up in FollowUpFactory.create_batch(n, sector=SectorFactory(), due_date=datetime.date(2019, 3, 1)):
        follow_up.organizations.add(organization)


def add_meetings(n):
    MeetingFactory.create_batch(n, sector=SectorFactory())


def add_participants(n):
    MeetingParticipantFactory.create_batch(n)


def add_share_links(n):
    creator = get_user_model().objects.create_user(f"editor-{ShareLink.objects.count()}", is_staff=True)
    for _ in range(n):
        share_link_create(delegation=DelegationFactory(), label="for Dalkia", created_by=creator)


def add_invitations(n):
    creator = get_user_model().objects.create_user(f"inviter-{Invitation.objects.count()}", is_staff=True)
    for _ in range(n):
        invitation_create(delegation=DelegationFactory(), label="for Dalkia", side="host", created_by=creator)


def add_registrations(n):
    for _ in range(n):
        invitation, _token = invitation_create(
            delegation=DelegationFactory(), label="Dalkia", side="host", created_by=None
        )
        registered = Registration.objects.create(
            delegation=invitation.delegation, invitation=invitation, organization=OrganizationFactory()
        )
        registered.sectors.add(SectorFactory())


def add_attendees(n):
    for _ in range(n):
        add_registrations(1)
        RegistrationAttendee.objects.create(registration=Registration.objects.latest("pk"), person=PersonFactory())


def add_availability(n):
    for _ in range(n):
        add_registrations(1)
        registered = Registration.objects.latest("pk")
        session = ItineraryItemFactory(delegation=registered.delegation, kind=ItineraryItem.Kind.B2B_SESSION)
        Availability.objects.create(
            registration=registered, session=session, start_time=datetime.time(10), end_time=datetime.time(10, 30)
        )


def add_requests(n):
    for _ in range(n):
        add_registrations(1)
        registered = Registration.objects.latest("pk")
        MeetingRequest.objects.create(
            delegation=registered.delegation,
            registration=registered,
            asker_organization=registered.organization,
            target_organization=OrganizationFactory(),
            reason="Biomass boilers.",
        )


def add_b2b_sessions(n):
    ItineraryItemFactory.create_batch(n, kind=ItineraryItem.Kind.B2B_SESSION, b2b_tables="1, 2", b2b_slot_minutes=30)


def add_scheduling_proposals(n):
    for _ in range(n):
        add_b2b_sessions(1)
        session = B2BSession.objects.latest("pk")
        proposal = SchedulingProposal.objects.create(
            delegation=session.delegation, proposal={"placements": [], "left_out": []}, fingerprint="0" * 64
        )
        proposal.sessions.add(session)


def add_session_agendas(n):
    publisher = get_user_model().objects.create_user(f"publisher-{SessionAgenda.objects.count()}", is_staff=True)
    sessions = [ItineraryItemFactory(kind=ItineraryItem.Kind.B2B_SESSION) for _ in range(n)]
    agendas_publish(sessions=sessions, status="preliminary", user=publisher)


def add_batches(n):
    for _ in range(n):
        batch_start(label=f"Batch {Batch.objects.count()}", total=2)


def add_agenda_mailings(n):
    add_delegations(n)


def add_agenda_sends(n):
    add_registrations(n)
    for registration in Registration.objects.order_by("-pk")[:n]:
        AgendaSend.objects.create(
            registration=registration, email=f"contact{registration.pk}@example.org", language="en", status="sent"
        )


ROW_BUILDERS = {
    Sector: add_sectors,
    Organization: add_organizations,
    Person: add_people,
    Position: add_positions,
    Venue: add_venues,
    Delegation: add_delegations,
    DelegationMember: add_members,
    ItineraryItem: add_items,
    Agreement: add_agreements,
    AgreementParty: add_parties,
    FollowUp: add_follow_ups,
    Meeting: add_meetings,
    MeetingParticipant: add_participants,
    ShareLink: add_share_links,
    Invitation: add_invitations,
    Registration: add_registrations,
    RegistrationAttendee: add_attendees,
    Availability: add_availability,
    MeetingRequest: add_requests,
    B2BSession: add_b2b_sessions,
    SchedulingProposal: add_scheduling_proposals,
    SessionAgenda: add_session_agendas,
    Batch: add_batches,
    AgendaMailing: add_agenda_mailings,
    AgendaSend: add_agenda_sends,
}


SIZES = (3, 30)


def slot(rank: int) -> dict:
    """The rank-th quarter hour from 08:00: one organization is never booked twice at once."""
    start = datetime.datetime(2018, 1, 1, 8) + datetime.timedelta(minutes=15 * rank)
    return {"start_time": start.time(), "end_time": (start + datetime.timedelta(minutes=15)).time()}


@built_quietly()
def build_visit(size: int) -> Delegation:
    """A published visit with `size` items on each of two days, each with everything an item can show."""
    visit = DelegationFactory(slug="big", title="Big visit")
    visit.supporting_organizations.set(OrganizationFactory.create_batch(2))
    visit.priority_sectors.set([SectorFactory()])
    employer = OrganizationFactory()
    members = []
    for rank in range(size):
        person = PersonFactory(is_public=rank % 2 == 0, native_name=f"Имя {rank}")
        PositionFactory(person=person, organization=employer)
        members.append(
            DelegationMemberFactory(
                delegation=visit,
                person=person,
                order=rank,
                role=DelegationMember.Role.HEAD if rank == 0 else DelegationMember.Role.OFFICIAL,
            )
        )
    venues = [VenueFactory(city="Paris"), VenueFactory(city="Lyon")]
    hosts = OrganizationFactory.create_batch(3)
    for day in (visit.start_date, visit.start_date + datetime.timedelta(days=1)):
        for rank in range(size):
            item = ItineraryItemFactory(
                delegation=visit,
                day=day,
                venue=venues[rank * 2 // size],
                start_time=datetime.time(8 + rank * 12 // size, 0),
                end_time=None,
                audience_size=100,
                reported_meetings=rank,
                kind=ItineraryItem.Kind.B2B_SESSION,
            )
            item.hosts.set(hosts)
            host = PersonFactory(is_public=rank % 2 == 1)
            PositionFactory(person=host, organization=hosts[0])
            item.host_participants.set([host])
            item.delegation_participants.set([m.person for m in members[:3]])
            agreement = AgreementFactory(delegation=visit, signing_item=item, signed_on=day)
            AgreementPartyFactory(agreement=agreement, organization=hosts[0], signatory=host)
            AgreementPartyFactory(agreement=agreement, organization=employer, signatory=members[0].person)
            follow_up = FollowUpFactory(delegation=visit, itinerary_item=item, agreement=agreement)
            follow_up.organizations.set(hosts[:2])
            meeting = MeetingFactory(
                delegation=visit,
                session=item,
                date=day,
                venue=item.venue,
                delegation_organization=employer,
                host_organization=hosts[rank % 3],
                sector=SectorFactory(slug="health", name="Health"),
                status=Meeting.Status.HELD,
                **slot(rank),
            )
            meeting.follow_ups.add(follow_up)
            MeetingParticipantFactory(meeting=meeting, person=host, side=MeetingParticipant.Side.HOST)
    return visit
