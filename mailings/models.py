"""Mailings: the companies' agendas sent by e-mail, and the log of each send to each recipient, from which a
re-send tells who has their agenda as it is now."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Batch
from delegations.models import Delegation
from matchmaking.models import Registration


class AgendaMailing(Delegation):
    """A visit, as "Send agendas" sees it in the admin."""

    class Meta:
        proxy = True
        verbose_name = _("agenda mailing")
        verbose_name_plural = _("agenda mailings")


class AgendaSend(models.Model):
    """One agenda e-mail to one recipient: what was sent (its fingerprint), in which language, when, and how it went."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        UNCHANGED = "unchanged", _("Not sent: unchanged since the last send")
        FAILED = "failed", _("Failed")

    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.PROTECT, related_name="agenda_sends"
    )
    email = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=10)
    fingerprint = models.CharField(
        _("agenda fingerprint"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 of what the e-mail says, in hex: a re-send skips a recipient whose agenda is the same."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why the last attempt failed."))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("agenda e-mail")
        verbose_name_plural = _("agenda e-mails sent")
        indexes = [models.Index(fields=("registration", "email", "status"), name="agendasend_last_sent")]

    def __str__(self):
        return f"{self.email} · {self.get_status_display()}"
