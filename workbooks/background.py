"""Large workbooks read and applied by a worker (Celery; at once in the request without a broker), followed as a
background batch (core.Batch) whose page shows the rows done, then leads to the same preview, or to the visit once
imported.

The upload waits in the cache every app server shares, under a random key; the report of its preview too, for
the preview page to show. A small upload is handled in the request as before (workbooks.views).
"""

import secrets
from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _

from core.batches import batch_fail, batch_finish, batch_progress, batch_start
from core.models import Batch

from .loading import Report, workbook_apply
from .reading import WorkbookRefused, read_upload

UPLOAD_SECONDS = 3600
SALT = "workbooks.upload"
# Uploads larger than this are read and applied by a worker, with progress.
BACKGROUND_BYTES = 256 * 1024


def background_bytes() -> int:
    return getattr(settings, "WORKBOOK_BACKGROUND_BYTES", BACKGROUND_BYTES)


def upload_store(files: list[tuple[str, bytes]]) -> str:
    """Keeps the files for an hour; returns the token, signed, that names them."""
    key = secrets.token_urlsafe(24)
    cache.set(f"{SALT}:{key}", files, UPLOAD_SECONDS)
    return signing.dumps(key, salt=SALT)


def upload_key(token: str) -> str | None:
    try:
        return signing.loads(token, salt=SALT, max_age=UPLOAD_SECONDS)
    except signing.BadSignature:
        return None


def upload_files(token: str) -> list[tuple[str, bytes]] | None:
    key = upload_key(token)
    return None if key is None else cache.get(f"{SALT}:{key}")


def upload_forget(token: str) -> None:
    if (key := upload_key(token)) is not None:
        cache.delete_many([f"{SALT}:{key}", f"{SALT}:report:{key}"])


def report_of(token: str) -> Report | None:
    """The report a worker wrote for this upload's preview."""
    key = upload_key(token)
    return None if key is None else cache.get(f"{SALT}:report:{key}")


def workbook_queue(
    *, token: str, commit: bool, user: AbstractBaseUser | None = None, choices: Mapping[str, str] | None = None
) -> Batch:
    """Have the stored upload previewed (or, with `commit`, imported with staff's identity answers `choices`,
    as workbook_apply takes them) by a worker; return the batch that follows it: done with a link to the
    preview (or the imported visit), or failed with the reason the file was refused. Call it outside a
    transaction: the worker must find the batch.

    Side effects: inserts the batch; the task writes the report to the cache and ends the batch."""
    from .tasks import workbook_task

    label = _("Visit workbook · import") if commit else _("Visit workbook · preview")
    batch = batch_start(label=label, total=1, user=user)
    workbook_task.delay(batch.pk, token, commit, dict(choices or {}))
    batch.refresh_from_db()
    return batch


def workbook_run(*, batch_id: int, token: str, commit: bool, choices: Mapping[str, str] | None = None) -> None:
    """Read the stored upload and apply it (kept only with `commit`, no error and every identity question
    answered by `choices`), counting the rows done in the batch; otherwise the report waits in the cache for
    the preview page, which asks the questions again.

    Side effects: with `commit` and no error, the visit's records; the batch's progress and end."""
    files = upload_files(token)
    if files is None:
        batch_fail(batch_id=batch_id, error=_("This upload has expired or is unknown: upload the workbook again."))
        return
    try:
        sheets = read_upload(files)
    except WorkbookRefused as refusal:
        batch_fail(batch_id=batch_id, error=str(refusal))
        return
    total = sum(len(sheet.rows) for sheet in sheets.values()) or 1
    batch_progress(batch_id=batch_id, done=0, total=total)
    report = workbook_apply(
        sheets=sheets, commit=commit, choices=choices,
        progress=lambda done: batch_progress(batch_id=batch_id, done=done),
    )  # fmt: skip
    if commit and not report.errors and not report.unanswered:
        upload_forget(token)
        url = reverse("admin:delegations_delegation_change", args=[report.visit.pk])
    else:
        report.visit = None  # rolled back: nothing of it to keep
        cache.set(f"{SALT}:report:{upload_key(token)}", report, UPLOAD_SECONDS)
        url = f"{reverse('workbooks:preview')}?token={token}"
    batch_finish(batch_id=batch_id, result_url=url, succeeded=total)
