"""Background batches: work sent to the task queue (agenda e-mails, Schedule all's solve), with its progress
and result for staff to follow in the admin. The apps that start a batch say what it does; this knows no domain."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Batch(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    label = models.CharField(_("work"), max_length=300, help_text=_("What the batch does, for whom."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RUNNING)
    total = models.PositiveIntegerField(_("items"), default=0)
    done = models.PositiveIntegerField(_("items done"), default=0)
    succeeded = models.PositiveIntegerField(_("succeeded"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0, help_text=_("Items that needed nothing done."))
    failed = models.PositiveIntegerField(_("failed"), default=0)
    failures = models.JSONField(
        _("failures"), default=list, blank=True, help_text=_("Each failed item and the reason, as reported.")
    )
    error = models.TextField(_("error"), blank=True, help_text=_("Why the whole batch failed, if it did."))
    result_url = models.CharField(
        _("result"), max_length=300, blank=True, help_text=_("Where its result is shown in the admin, once done.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("background batch")
        verbose_name_plural = _("background batches")
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=F("total")) & Q(done=F("succeeded") + F("skipped") + F("failed")),
                name="batch_counts_add_up",
                violation_error_message=_("A batch's items done must add up and stay within its items."),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.RUNNING

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)
