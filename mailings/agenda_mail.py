"""An organization's agenda as an e-mail: who receives it, the message (text and HTML parts, in the
registration's language) with its attachments, and the fingerprint of what it says.

Recipients are the people the company itself named for the visit: its registration's attendees with an e-mail
address (as the company gave it); when it gave none, the organization's contact e-mail (staff entered it).
People's own e-mail addresses on their contact records are not used: staff keep those for other purposes. Each
recipient gets a message of their own, so that no address is shown to another; the agenda shows only what the
company's invitation link shows (matchmaking.agendas)."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from documents.agendas import sessions_agenda_pdf
from matchmaking.agendas import AgendaSession, registration_agenda, sessions_calendar
from matchmaking.models import Registration

ICS_NAME = "agenda.ics"
PDF_NAME = "agenda.pdf"


def recipients(registration: Registration) -> list[str]:
    """The registration's attendees' e-mail addresses, else the organization's contact e-mail; each once."""
    found = [attendee.email for attendee in registration.attendees.all() if attendee.email]
    if not found and registration.organization.contact_email:
        found = [registration.organization.contact_email]
    seen, result = set(), []
    for address in found:
        if address.lower() not in seen:
            seen.add(address.lower())
            result.append(address)
    return result


def language_of(registration: Registration) -> str:
    return registration.language if registration.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def has_meetings(agenda: list[AgendaSession]) -> bool:
    return any(entry.meetings for entry in agenda)


def agenda_attachments(registration: Registration, agenda: list[AgendaSession]) -> list[tuple[str, bytes, str]]:
    """What an agenda e-mail carries, as (file name, content, MIME type), in the active language.

    The .ics has one event per meeting, with the UIDs of the invitation link's file: importing a later one
    updates the meetings instead of adding them twice."""
    calendar = sessions_calendar(registration.organization.name, agenda)
    pdf = sessions_agenda_pdf(registration.delegation, registration.organization, agenda)
    return [(ICS_NAME, calendar.to_ical(), "text/calendar"), (PDF_NAME, pdf, "application/pdf")]


@dataclass
class AgendaMessage:
    subject: str
    text: str
    html: str
    attachments: list[tuple[str, bytes, str]]
    language: str

    @property
    def fingerprint(self) -> str:
        """SHA-256 of what the message says: subject, text, language and the calendar's events, less the time
        stamps a calendar file takes when it is made (DTSTAMP)."""
        digest = hashlib.sha256()
        for part in (self.language, self.subject, self.text):
            digest.update(part.encode() + b"\0")
        for name, content, _mime in self.attachments:
            if name == ICS_NAME:
                lines = content.splitlines()
                digest.update(b"\n".join(line for line in lines if not line.startswith(b"DTSTAMP")))
        return digest.hexdigest()

    def email(self, to: str) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(self.subject, self.text, settings.DEFAULT_FROM_EMAIL, [to])
        message.attach_alternative(self.html, "text/html")
        for name, content, mime in self.attachments:
            message.attach(name, content, mime)
        message.extra_headers["Content-Language"] = self.language
        return message


def agenda_message(registration: Registration, email: str) -> AgendaMessage | None:
    """The agenda e-mail of `registration` to `email`, in the registration's language; None when the
    organization has no meeting in a published session."""
    language = language_of(registration)
    with translation.override(language):
        agenda = registration_agenda(registration)
        if not has_meetings(agenda):
            return None
        delegation = registration.delegation
        context = {
            "delegation": delegation,
            "organization": registration.organization,
            "agenda": agenda,
            "email": email,
            "site_url": settings.SITE_URL,
        }
        subject = _("Your B2B agenda · %(visit)s") % {"visit": delegation.title}
        return AgendaMessage(
            subject=" ".join(subject.split()),
            text=render_to_string("mailings/agenda_email.txt", context),
            html=render_to_string("mailings/agenda_email.html", context),
            attachments=agenda_attachments(registration, agenda),
            language=language,
        )
