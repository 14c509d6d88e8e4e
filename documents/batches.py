"""PDF batches for staff: every participating organization's agenda for a visit as one ZIP, made by a task
(documents.tasks) and followed as a background batch (core.Batch), whose page then offers the file.

The file lives under settings.DOCUMENTS_ROOT (never served by the web server), one folder per visit, named by
its batch; the admin's download checks that the staff member may view the visit. A visit keeps only its latest
ZIP: a new one replaces the others."""

import logging
import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from contacts.models import Organization
from core.batches import batch_fail, batch_finish, batch_queue
from core.models import Batch
from delegations.models import Delegation
from meetings.models import Meeting

from .agendas import render_agendas

logger = logging.getLogger(__name__)


def participating_organizations(delegation: Delegation):
    """The organizations with a meeting in the visit, by name."""
    meetings = Meeting.objects.filter(delegation=delegation)
    return Organization.objects.filter(
        Q(pk__in=meetings.values("host_organization")) | Q(pk__in=meetings.values("delegation_organization"))
    ).order_by("name", "pk")


def agendas_zip_path(delegation_id: int, batch_id: int) -> Path:
    return Path(settings.DOCUMENTS_ROOT) / "agendas" / str(delegation_id) / f"{batch_id}.zip"


def agendas_zip_queue(*, delegation: Delegation, user: AbstractBaseUser | None = None) -> Batch:
    """Have every participating organization's agenda made into one ZIP by a task (a worker's, or at once
    without a broker) and return the batch that follows it; call it outside a transaction. Side effects: inserts
    the batch; the task writes the ZIP (removing the visit's older ones) and ends the batch."""
    from .tasks import agendas_zip_task

    return batch_queue(
        label=_("Agendas (ZIP) · %(visit)s") % {"visit": delegation.title},
        total=participating_organizations(delegation).count(),
        task=agendas_zip_task,
        args=(delegation.pk, translation.get_language()),
        user=user,
    )


def agendas_zip_write(*, batch_id: int, delegation: Delegation, language: str) -> Path | None:
    """Write the ZIP of the visit's agendas (one PDF per organization, named by it) and end the batch with a
    link to its download; a failure ends the batch failed with its reason (and in the log), leaves no partial
    file and returns None.
    Side effects: writes the file, removes the visit's older ZIPs, updates the batch."""
    path = agendas_zip_path(delegation.pk, batch_id)
    partial = path.with_suffix(".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        organizations = list(participating_organizations(delegation))
        names = set()
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for organization, content in render_agendas(delegation, organizations, language=language):
                name = f"{organization.slug or organization.pk}.pdf"
                if name in names:
                    name = f"{organization.slug}-{organization.pk}.pdf"
                names.add(name)
                archive.writestr(name, content)
        partial.replace(path)
    except Exception as error:  # whatever fails, the batch says so rather than staying "running"
        logger.exception("The agendas' ZIP of batch %s failed", batch_id)
        if partial.parent.is_dir():
            partial.unlink(missing_ok=True)
        batch_fail(batch_id=batch_id, error=f"{type(error).__name__}: {error}")
        return None
    for older in path.parent.glob("*.zip"):
        if older != path:
            older.unlink(missing_ok=True)
    url = reverse("admin:delegations_delegation_agendas_zip", args=[delegation.pk, batch_id])
    batch_finish(batch_id=batch_id, result_url=url, succeeded=len(organizations))
    return path
