"""Matchmaking's models: invitation links and what companies register through them (`registrations`);
the B2B sessions Schedule all works on, its proposals and the published agendas (`sessions`)."""

from .registrations import (
    B2B_SESSIONS,
    Availability,
    Invitation,
    InvitationQuerySet,
    MeetingRequest,
    MeetingRequestQuerySet,
    Registration,
    RegistrationAttendee,
    RegistrationQuerySet,
    Side,
)
from .sessions import (
    B2BSession,
    B2BSessionManager,
    SchedulingProposal,
    SessionAgenda,
    SessionAgendaQuerySet,
    slot_times,
)

__all__ = [
    "B2B_SESSIONS",
    "Availability",
    "B2BSession",
    "B2BSessionManager",
    "Invitation",
    "InvitationQuerySet",
    "MeetingRequest",
    "MeetingRequestQuerySet",
    "Registration",
    "RegistrationAttendee",
    "RegistrationQuerySet",
    "SchedulingProposal",
    "SessionAgenda",
    "SessionAgendaQuerySet",
    "Side",
    "slot_times",
]
