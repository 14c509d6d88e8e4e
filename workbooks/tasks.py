"""Celery tasks of the visit workbook: a large upload read and applied by a worker (workbooks.background)."""

from celery import shared_task

from .background import workbook_run


@shared_task(acks_late=True)
def workbook_task(batch_id: int, token: str, commit: bool, choices: dict[str, str] | None = None) -> None:
    """`choices`: the identity answers posted with a confirmation ({"people-4": "same:12"})."""
    workbook_run(batch_id=batch_id, token=token, commit=commit, choices=choices)
