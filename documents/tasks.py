"""Celery tasks of the documents: PDF batches for staff, which take minutes on a large visit."""

from celery import shared_task
from django.utils import translation
from django.utils.translation import gettext as _

from core.batches import batch_fail
from delegations.models import Delegation

from .batches import agendas_zip_write


@shared_task(acks_late=True)
def agendas_zip_task(batch_id: int, delegation_id: int, language: str) -> str | None:
    """Every participating organization's agenda for the visit as one ZIP; the batch then offers it, or says why
    not (a failure is reported in the batch and logged)."""
    delegation = Delegation.objects.filter(pk=delegation_id).select_related("leading_body", "organiser").first()
    if delegation is None:
        batch_fail(batch_id=batch_id, error=_("The visit no longer exists."))
        return None
    with translation.override(language):
        path = agendas_zip_write(batch_id=batch_id, delegation=delegation, language=language)
    return str(path) if path else None
