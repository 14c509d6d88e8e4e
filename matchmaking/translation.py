"""Nothing translated here: modeltranslation imports this module at start-up, as the other apps' own, and
the history is registered here the same way."""

from core.history import history_register

from .models import Availability, Invitation, MeetingRequest, Registration, RegistrationAttendee, SessionAgenda

history_register(Invitation, m2m_fields=("sessions",))
history_register(Registration, m2m_fields=("sectors",))
history_register(RegistrationAttendee)
history_register(Availability)
history_register(MeetingRequest)
history_register(SessionAgenda)
