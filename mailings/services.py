"""Sending the companies' agendas: a batch of one e-mail per recipient, each delivered by a task
(mailings.tasks), logged per recipient (AgendaSend), and skipped when the recipient already has the agenda
as it is now."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.batches import FAILED, SKIPPED, SUCCEEDED, batch_item_done, batch_start
from core.models import Batch
from delegations.models import Delegation
from matchmaking.agendas import registration_agenda
from matchmaking.models import Registration

from .agenda_mail import agenda_message, has_meetings, recipients
from .models import AgendaSend


def _participating(delegation: Delegation) -> list[Registration]:
    registrations = (
        Registration.objects.filter(delegation=delegation)
        .select_related("organization", "invitation", "delegation")
        .prefetch_related("attendees")
        .order_by("organization__name", "pk")
    )
    return [registration for registration in registrations if has_meetings(registration_agenda(registration))]


def agendas_send(*, delegation: Delegation, user: AbstractBaseUser | None = None) -> Batch:
    """Queue the agenda e-mail of every organization registered for the visit that has a meeting in a published
    session, one per recipient (mailings.agenda_mail.recipients), and return the batch that follows them.

    Side effects, in one transaction: inserts the batch and a pending AgendaSend per recipient; once committed,
    queues a delivery task per AgendaSend (run at once without a broker). A recipient whose agenda is the same as
    in their last successful e-mail is skipped by the task, not sent again."""
    pending = [
        (registration, email) for registration in _participating(delegation) for email in recipients(registration)
    ]
    with transaction.atomic():
        label = _("Agenda e-mails · %(visit)s") % {"visit": delegation.title}
        batch = batch_start(label=label, total=len(pending), user=user)
        sends = AgendaSend.objects.bulk_create(
            AgendaSend(batch=batch, registration=registration, email=email, language=registration.language)
            for registration, email in pending
        )
        ids = [send.pk for send in sends]
        transaction.on_commit(lambda: _queue(ids))
    return batch


def _queue(ids: list[int]) -> None:
    from .tasks import agenda_deliver_task

    for send_id in ids:
        agenda_deliver_task.delay(send_id)


def agenda_deliver(*, send_id: int) -> str:
    """Deliver one queued agenda e-mail, unless its recipient already has this agenda; return the AgendaSend's
    status. Raises what the e-mail backend raises (SMTPException, OSError): the task retries it.

    Side effects: counts the attempt (committed before sending); then marks the AgendaSend sent (with the
    fingerprint and time) or unchanged and counts it in its batch. Sends one e-mail through the backend."""
    with transaction.atomic():
        send = AgendaSend.objects.select_for_update().select_related("registration__organization").get(pk=send_id)
        if send.status != AgendaSend.Status.PENDING:
            return send.status  # a duplicate delivery of a finished task
        send.attempts += 1
        send.save(update_fields=["attempts"])
    registration = send.registration
    message = agenda_message(registration, send.email)
    if message is None:
        return _finish(send, AgendaSend.Status.UNCHANGED, SKIPPED, reason=_("No meeting in a published session."))
    send.fingerprint, send.language = message.fingerprint, message.language
    last = (
        AgendaSend.objects.filter(registration=registration, email__iexact=send.email, status=AgendaSend.Status.SENT)
        .order_by("-sent_at", "-pk")
        .values_list("fingerprint", flat=True)
        .first()
    )
    if last == send.fingerprint:
        return _finish(send, AgendaSend.Status.UNCHANGED, SKIPPED)
    message.email(send.email).send()
    send.sent_at = timezone.now()
    return _finish(send, AgendaSend.Status.SENT, SUCCEEDED)


def agenda_delivery_failed(*, send_id: int, reason: str) -> None:
    """The e-mail could not be delivered after its last attempt. Side effects: marks the AgendaSend failed with
    the reason and counts it failed in its batch."""
    send = AgendaSend.objects.get(pk=send_id)
    if send.status == AgendaSend.Status.PENDING:
        _finish(send, AgendaSend.Status.FAILED, FAILED, reason=reason)


@transaction.atomic
def _finish(send: AgendaSend, status: str, outcome: str, reason: str = "") -> str:
    send.status, send.reason = status, reason
    send.save(update_fields=["status", "reason", "fingerprint", "language", "sent_at"])
    if send.batch_id is not None:
        batch_item_done(batch_id=send.batch_id, outcome=outcome, item=send.email, reason=reason)
    return status
