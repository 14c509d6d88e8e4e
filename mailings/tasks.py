"""Celery tasks of the mailings: one agenda e-mail each, retried with growing delays when the mail server
refuses or cannot be reached, then reported failed in its log row and batch: never lost."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from .models import AgendaSend
from .services import agenda_deliver, agenda_delivery_failed


def retry_delay(attempt: int) -> float:
    """Seconds before the next attempt: the base delay, doubled after each failed attempt."""
    return settings.MAILINGS_RETRY_SECONDS * 2 ** (attempt - 1)


@shared_task(bind=True, max_retries=None, acks_late=True)
def agenda_deliver_task(self, send_id: int) -> str:
    try:
        return agenda_deliver(send_id=send_id)
    except (SMTPException, OSError) as error:
        attempts = AgendaSend.objects.values_list("attempts", flat=True).get(pk=send_id)
        reason = f"{type(error).__name__}: {error}"
        if attempts < settings.MAILINGS_SEND_ATTEMPTS:
            if self.request.is_eager:
                # Run in the request (no broker): tried again at once, as Celery's retry would raise instead.
                return self.run(send_id)
            raise self.retry(countdown=retry_delay(attempts), exc=error) from error
        agenda_delivery_failed(send_id=send_id, reason=reason)
        return AgendaSend.Status.FAILED
