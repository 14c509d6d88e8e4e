"""Celery tasks of matchmaking: Schedule all's solve, which may take minutes on a large visit, run by a worker
(or at once in the request without a broker), its progress and result followed as a background batch."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.batches import batch_fail, batch_finish
from delegations.models import ItineraryItem

from .scheduling_services import proposal_compute


@shared_task(acks_late=True)
def proposal_compute_task(batch_id: int, session_ids: list[int], user_id: int | None = None) -> int | None:
    """Compute Schedule all's proposal for these sessions; the batch then links to it, or says why it could not."""
    sessions = list(ItineraryItem.objects.filter(pk__in=session_ids).order_by("pk"))
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        proposal = proposal_compute(sessions=sessions, user=user)
    except ValidationError as error:
        batch_fail(batch_id=batch_id, error=" ".join(error.messages))
        return None
    batch_finish(
        batch_id=batch_id, result_url=reverse("admin:matchmaking_schedulingproposal_change", args=[proposal.pk])
    )
    return proposal.pk
