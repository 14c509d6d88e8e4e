"""Every change of several rows in matchmaking: invitation links, a company's registration through its
link, the staff's triage of meeting requests, and the publication of the sessions' agendas."""

import datetime
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts.identity_candidates import organization_candidates
from contacts.models import Organization, Person, Position, Sector
from contacts.services import free_slug, organization_create
from core.text import fold
from delegations.models import Delegation, ItineraryItem, check_many_inside_visit
from delegations.services import SHARE_TOKEN_BYTES, share_links_revoke

from .models import Availability, Invitation, MeetingRequest, Registration, RegistrationAttendee, SessionAgenda


@transaction.atomic
def invitation_create(
    *,
    delegation: Delegation,
    label: str,
    side: str,
    sessions=(),
    expires_at: datetime.datetime | None = None,
    created_by: AbstractBaseUser | None,
) -> tuple[Invitation, str]:
    """Creates an invitation link and returns it with its raw token, as share links are made
    (delegations.services.share_link_create): only the token's hash is stored, the caller shows it once."""
    token = secrets.token_urlsafe(SHARE_TOKEN_BYTES)
    invitation = Invitation(
        delegation=delegation,
        label=label,
        side=side,
        expires_at=expires_at,
        created_by=created_by,
        token_hash=Invitation.hash_token(token),
    )
    invitation.full_clean()
    check_many_inside_visit(delegation, "sessions", sessions)
    invitation.save()
    invitation.sessions.set(sessions)
    return invitation, token


def invitations_revoke(*, invitations: QuerySet, user: AbstractBaseUser | None = None) -> int:
    """Revokes the links not revoked yet, now, exactly as share links are revoked; returns how many."""
    return share_links_revoke(links=invitations, user=user)


def organization_find(name: str) -> Organization | None:
    """The one organization the name matcher (contacts.identity) judges the same as `name`, in any script,
    transliteration or legal form (OOO Insitilab, «ООО Инситилаб», Insitilab LLC); None when there is none,
    or more than one (staff will tell them apart). The typed spelling is not added to it: a link's holder
    does not edit the organization's record."""
    if not fold(name):
        return None
    candidates = organization_candidates(name=name)
    return candidates[0] if len(candidates) == 1 else None


@dataclass
class AttendeeData:
    name: str
    title: str = ""
    email: str = ""
    phone: str = ""


@dataclass
class WishData:
    organization: Organization
    reason: str
    priority: int = MeetingRequest.Priority.NORMAL
    person: Person | None = None


@dataclass
class RegistrationData:
    """What a company gives through its link (matchmaking.forms), already validated."""

    organization_name: str
    profile: str = ""
    sectors: list[Sector] = field(default_factory=list)
    attendees: list[AttendeeData] = field(default_factory=list)
    wishes: list[WishData] = field(default_factory=list)
    slots: list[tuple[ItineraryItem, datetime.time, datetime.time]] = field(default_factory=list)
    language: str = settings.LANGUAGE_CODE


def _person_at(organization: Organization, attendee: AttendeeData) -> Person:
    """The person of `organization` with this e-mail, else with this name; a new private person otherwise.
    An existing person's details are only completed, never overwritten, from what a link's holder typed."""
    people = Person.objects.filter(positions__organization=organization).distinct()
    person = None
    if attendee.email:
        person = people.filter(email__iexact=attendee.email).first()
    if person is None:
        folded = fold(attendee.name)
        person = next((p for p in people if fold(p.name) == folded), None)
    if person is None:
        person = Person(name=attendee.name, email=attendee.email, phone=attendee.phone, is_public=False)
        person.slug = free_slug(Person, attendee.name)
        person.full_clean()
        person.save()
        Position.objects.create(person=person, organization=organization, title=attendee.title or "—")
        return person
    changed = False
    for name in ("email", "phone"):
        if not getattr(person, name) and getattr(attendee, name):
            setattr(person, name, getattr(attendee, name))
            changed = True
    if changed:
        person.save()
    return person


FINAL_MESSAGE = gettext_lazy(
    "The organiser has published the final agenda: your registration and requests can no longer be changed "
    "here. Please write to the organiser."
)


def registration_locked(invitation: Invitation) -> bool:
    """True once the agenda of one of the link's sessions is final: the meetings are settled, so the
    company may no longer change its registration or withdraw its requests."""
    return SessionAgenda.objects.for_invitation(invitation).filter(status=SessionAgenda.Status.FINAL).exists()


@transaction.atomic
def registration_save(*, invitation: Invitation, data: RegistrationData) -> Registration:
    """Saves a company's registration through its link, first time or again.

    Side effects, in one transaction: the first time, finds the organization by its name
    (organization_find) or creates it; then sets the registration's profile and sectors, its attendees
    (found among the organization's people or created private, with a position), its availability
    (replaced whole), and its requests: one per organization asked, new ones submitted, changed ones
    updated, those no longer asked withdrawn (a withdrawn one asked again is submitted again).
    Nothing here is public: new organizations stay off the public pages (registration.organization_created)."""
    # One save per link at a time: two first saves at once would both create a registration.
    Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if registration_locked(invitation):
        raise ValidationError({NON_FIELD_ERRORS: [FINAL_MESSAGE]})
    registration = Registration.objects.filter(invitation=invitation).first()
    if registration is None:
        organization = organization_find(data.organization_name)
        created = organization is None
        if created:
            organization = organization_create(name=data.organization_name)
        if Registration.objects.filter(delegation=invitation.delegation, organization=organization).exists():
            raise ValidationError(
                {"organization_name": _("This organization is already registered for this visit: ask the organiser.")}
            )
        registration = Registration(
            delegation=invitation.delegation,
            invitation=invitation,
            side=invitation.side,
            organization=organization,
            organization_created=created,
        )
    registration.profile = data.profile
    registration.language = data.language
    registration.full_clean()
    registration.save()
    registration.sectors.set(data.sectors)
    _attendees_set(registration, data.attendees)
    _availability_set(registration, data.slots)
    _wishes_set(registration, data.wishes)
    return registration


def _attendees_set(registration: Registration, attendees: list[AttendeeData]) -> None:
    keep = []
    for attendee in attendees:
        person = _person_at(registration.organization, attendee)
        row, _created = RegistrationAttendee.objects.update_or_create(
            registration=registration,
            person=person,
            defaults={"title": attendee.title, "email": attendee.email, "phone": attendee.phone},
        )
        keep.append(row.pk)
    for row in registration.attendees.exclude(pk__in=keep):
        row.delete()


def _availability_set(registration: Registration, slots) -> None:
    for row in registration.availability.all():
        row.delete()
    for session, start, end in slots:
        Availability.objects.create(registration=registration, session=session, start_time=start, end_time=end)


def _wishes_set(registration: Registration, wishes: list[WishData]) -> None:
    existing = {
        r.target_organization_id: r
        for r in MeetingRequest.objects.filter(
            delegation=registration.delegation, asker_organization=registration.organization
        )
    }
    for wish in wishes:
        request = existing.pop(wish.organization.pk, None) or MeetingRequest(
            delegation=registration.delegation,
            asker_organization=registration.organization,
            target_organization=wish.organization,
        )
        request.registration = registration
        request.target_person, request.reason, request.priority = wish.person, wish.reason, wish.priority
        if request.status == MeetingRequest.Status.WITHDRAWN:
            request.status = MeetingRequest.Status.SUBMITTED
        request.full_clean()
        request.save()
    for request in existing.values():
        if request.status in (MeetingRequest.Status.SUBMITTED, MeetingRequest.Status.ACCEPTED):
            request.status = MeetingRequest.Status.WITHDRAWN
            request.save(update_fields=["status", "updated_at"])


def _requests_move(requests: QuerySet, *, to: str, allowed: tuple[str, ...], user) -> int:
    moved = list(requests.filter(status__in=allowed).select_for_update(of=("self",)))
    for request in moved:
        request.status = to
        if user is not None:
            request._history_user = user
        request.save(update_fields=["status", "updated_at"])
    return len(moved)


@transaction.atomic
def requests_accept(*, requests: QuerySet, user: AbstractBaseUser | None = None) -> int:
    """Accepts the submitted (or declined) requests among `requests`; returns how many. Side effects:
    saves each, so that its history records who accepted it."""
    status = MeetingRequest.Status
    return _requests_move(requests, to=status.ACCEPTED, allowed=(status.SUBMITTED, status.DECLINED), user=user)


@transaction.atomic
def requests_decline(*, requests: QuerySet, user: AbstractBaseUser | None = None) -> int:
    """Declines the submitted (or accepted, not yet scheduled) requests among `requests`; returns how many.
    Side effects: saves each, so that its history records who declined it."""
    status = MeetingRequest.Status
    return _requests_move(requests, to=status.DECLINED, allowed=(status.SUBMITTED, status.ACCEPTED), user=user)


STATUS_RANK = ("withdrawn", "declined", "submitted", "accepted", "scheduled")


@transaction.atomic
def request_merge(*, keep: MeetingRequest, duplicate: MeetingRequest) -> MeetingRequest:
    """Merges `duplicate` into `keep`: two requests of the same visit with the same asking organization or
    the same organization asked (e.g. once typed by staff, once through a link; or under two records of
    one company). Side effects: `keep` takes the higher priority, both reasons, the people it lacked and
    the furthest status (and the meeting); `duplicate` is deleted (its history keeps it)."""
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choose two different requests to merge."))
    if keep.delegation_id != duplicate.delegation_id or (
        keep.asker_organization_id != duplicate.asker_organization_id
        and keep.target_organization_id != duplicate.target_organization_id
    ):
        raise ValidationError(
            _("Only requests of the same visit, from the same organization or to the same one, can be merged.")
        )
    keep.priority = min(keep.priority, duplicate.priority)
    if duplicate.reason.strip() and duplicate.reason.strip() not in keep.reason:
        keep.reason = f"{keep.reason}\n{duplicate.reason}".strip()[:500]
    keep.asker_person = keep.asker_person or duplicate.asker_person
    keep.target_person = keep.target_person or duplicate.target_person
    keep.registration = keep.registration or duplicate.registration
    keep.meeting = keep.meeting or duplicate.meeting
    if STATUS_RANK.index(duplicate.status) > STATUS_RANK.index(keep.status):
        keep.status = duplicate.status
    duplicate.delete()
    keep.full_clean()
    keep.save()
    return keep


@transaction.atomic
def agendas_publish(*, sessions, status: str, user: AbstractBaseUser | None = None) -> int:
    """Publishes the agendas of the B2B `sessions` with `status`, preliminary or final; returns how many
    sessions changed. Side effects: creates a SessionAgenda for each session not published yet and moves
    preliminary ones to final, each saved so that its history records who did it. A final agenda is never
    moved back to preliminary (the companies were told it is settled): withdraw it first."""
    if status not in SessionAgenda.Status.values:
        raise ValidationError(_("Choose preliminary or final."))
    sessions = list(sessions)
    for session in sessions:
        if session.kind != ItineraryItem.Kind.B2B_SESSION:
            raise ValidationError(_("“%(item)s” is not a B2B session.") % {"item": session})
    published = {
        agenda.session_id: agenda
        for agenda in SessionAgenda.objects.select_for_update().filter(session__in=[s.pk for s in sessions])
    }
    changed = 0
    for session in sessions:
        agenda = published.get(session.pk)
        if agenda is None:
            agenda = SessionAgenda(delegation_id=session.delegation_id, session=session)
        elif agenda.status == status or agenda.status == SessionAgenda.Status.FINAL:
            continue
        agenda.status, agenda.published_by, agenda.published_at = status, user, timezone.now()
        agenda._history_user = user
        agenda.full_clean()
        agenda.save()
        changed += 1
    return changed


@transaction.atomic
def agendas_withdraw(*, agendas: QuerySet, user: AbstractBaseUser | None = None) -> int:
    """Unpublishes `agendas`: the companies see "your agenda will appear here" again and may change their
    registration. Side effects: deletes each, its history recording who withdrew it; returns how many."""
    withdrawn = list(agendas.select_for_update(of=("self",)))
    for agenda in withdrawn:
        agenda._history_user = user
        agenda.delete()
    return len(withdrawn)
