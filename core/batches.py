"""Services of background batches (core.models.Batch): start one, count each item as it ends, end it.
Tasks run by several worker processes at once count under the batch's row lock, so no count is lost."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Now

from .models import Batch

SUCCEEDED, SKIPPED, FAILED = "succeeded", "skipped", "failed"
_PROGRESS = "batch-progress:%s"
PROGRESS_SECONDS = 24 * 3600


def batch_start(*, label: str, total: int, user: AbstractBaseUser | None = None) -> Batch:
    """A running batch of `total` items (done at once when there are none). Side effects: inserts it."""
    status = Batch.Status.RUNNING if total else Batch.Status.DONE
    return Batch.objects.create(label=label[:300], total=total, created_by=user, status=status)


def batch_queue(*, label: str, total: int, task, args: tuple = (), user: AbstractBaseUser | None = None) -> Batch:
    """Start a batch and have `task` run as task(batch id, *args) by a worker (at once, in this process, without a
    broker); return the batch as it then stands (done already, when run at once). The task ends the batch
    (batch_finish, batch_fail or batch_item_done). Call it outside a transaction: the worker must find the batch.

    Side effects: inserts the batch; queues the task (Celery's `delay`)."""
    batch = batch_start(label=label, total=total, user=user)
    task.delay(batch.pk, *args)
    batch.refresh_from_db()
    return batch


@transaction.atomic
def batch_item_done(*, batch_id: int, outcome: str, item: str = "", reason: str = "") -> None:
    """Count one item of the batch as succeeded, skipped or failed (with what and why); the batch is done when
    every item is. Side effects: updates the batch row (one statement, then its status)."""
    batch = Batch.objects.select_for_update().get(pk=batch_id)
    batch.done += 1
    setattr(batch, outcome, getattr(batch, outcome) + 1)
    if outcome == FAILED:
        batch.failures = [*batch.failures, {"item": item, "reason": reason}]
    if batch.done >= batch.total:
        batch.status = Batch.Status.DONE
        batch.finished_at = Now()
    batch.save(update_fields=["done", outcome, "failures", "status", "finished_at"])


def batch_fail(*, batch_id: int, error: str) -> None:
    """The whole batch failed (e.g. Schedule all refused its input). Side effects: updates the batch row."""
    Batch.objects.filter(pk=batch_id).update(status=Batch.Status.FAILED, error=error, finished_at=Now())


def batch_finish(*, batch_id: int, result_url: str = "", succeeded: int = 1) -> None:
    """The whole batch is done, its result at `result_url`. Side effects: updates the batch row."""
    Batch.objects.filter(pk=batch_id).update(
        status=Batch.Status.DONE, done=F("total"), succeeded=succeeded, result_url=result_url, finished_at=Now()
    )


def batch_progress(*, batch_id: int, done: int, total: int | None = None) -> None:
    """How far a batch has come, when its work runs in one transaction of its own (a workbook's import):
    its row could show nothing before that transaction ends, so the count goes to the cache every app server
    shares, which the batch's page reads while it runs. Side effects: a cache entry (and with `total`, the
    batch row's number of items, which must be written outside that transaction)."""
    if total is not None:
        Batch.objects.filter(pk=batch_id).update(total=total)
    cache.set(_PROGRESS % batch_id, done, PROGRESS_SECONDS)


def batch_done_so_far(batch: Batch) -> int:
    """Items done: the row's count, or the cache's progress while the batch runs (batch_progress)."""
    if not batch.is_running:
        return batch.done
    return max(batch.done, min(cache.get(_PROGRESS % batch.pk, 0), batch.total))
