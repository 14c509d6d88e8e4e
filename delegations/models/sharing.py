"""Share links: revocable addresses that show one visit as the public would see it."""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import date_in_range, validate_date_in_range

from .visits import Delegation


class ShareLinkQuerySet(models.QuerySet):
    def active(self, now: datetime.datetime | None = None):
        """Links not revoked and not past their expiry."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))

    def expired(self, now: datetime.datetime | None = None):
        return self.filter(revoked_at__isnull=True, expires_at__lte=now or timezone.now())

    def revoked(self):
        return self.filter(revoked_at__isnull=False)

    def for_token(self, token: str):
        """The link a raw token opens, found by its hash: the token itself is never stored or compared."""
        return self.filter(token_hash=ShareLink.hash_token(token))


class ShareLink(models.Model):
    """A revocable address that shows one visit, draft or published, as the public would see it once published."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    # A link grants access, it records nothing about the visit: it goes with the visit.
    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="share_links"
    )
    label = models.CharField(_("label"), max_length=200, help_text=_("Who the link is for, e.g. “for Dalkia”."))
    token_hash = models.CharField(
        _("token hash"), max_length=64, unique=True, editable=False, help_text=_("SHA-256 of the token, in hex.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(
        _("expires"),
        null=True,
        blank=True,
        validators=[validate_date_in_range],
        help_text=_("The link stops working then. Leave empty for no expiry."),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        constraints = [
            models.CheckConstraint(
                condition=date_in_range("expires_at", null=True, instant=True),
                name="share_link_expiry_in_range",
                violation_error_message=_("The expiry must lie between 1900 and 2200."),
            ),
        ]

    def __str__(self):
        return f"{self.delegation} · {self.label}"

    def clean(self):
        super().clean()
        if self._state.adding and self.expires_at is not None and self.expires_at <= timezone.now():
            raise ValidationError({"expires_at": _("Give an expiry in the future, or none.")})

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()

    def get_status(self, now: datetime.datetime | None = None) -> "ShareLink.Status":
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at is not None and self.expires_at <= (now or timezone.now()):
            return self.Status.EXPIRED
        return self.Status.ACTIVE
