"""Matchmaking's B2B sessions: the sessions Schedule all works on, its proposals, and the agendas published
to the companies."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from delegations.models import (
    Delegation,
    ItineraryItem,
    LinkedInsideVisit,
)
from delegations.models.links import other_visit_message
from meetings.grid import slots

from .registrations import B2B_SESSIONS, Invitation


class B2BSessionManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(**B2B_SESSIONS)


class B2BSession(ItineraryItem):
    """A visit's B2B session, as Schedule all sees it in the admin."""

    objects = B2BSessionManager()

    class Meta:
        proxy = True
        verbose_name = _("B2B session to schedule")
        verbose_name_plural = _("B2B sessions to schedule")


class SchedulingProposal(models.Model):
    """What Schedule all proposed for some sessions of one visit, kept until staff apply or discard it.

    `proposal` is plain JSON: `placements` (request, the requests it also settles, session, local start and
    end, table, change: placed/moved/unchanged, locked), `left_out` (request, reason code, organization) and
    `stats`. `fingerprint` hashes the input it was computed from: applying it refuses once that changed."""

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="scheduling_proposals"
    )
    sessions = models.ManyToManyField(
        ItineraryItem, verbose_name=_("B2B sessions"), related_name="scheduling_proposals"
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
    proposal = models.JSONField(_("proposal"), default=dict, editable=False)
    fingerprint = models.CharField(
        _("input fingerprint"), max_length=64, editable=False, help_text=_("SHA-256 of the input, in hex.")
    )

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("scheduling proposal")
        verbose_name_plural = _("scheduling proposals")

    def __str__(self):
        return _("Proposal of %(when)s for %(visit)s") % {
            "when": timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M") if self.created_at else "",
            "visit": self.delegation,
        }


def slot_times(session: ItineraryItem) -> list[tuple[datetime.time, datetime.time]]:
    """The session's regular slots (meetings.grid's), or none when its times or slot length are missing."""
    return slots(session, [], None)


class SessionAgendaQuerySet(models.QuerySet):
    def for_invitation(self, invitation: Invitation):
        """The published agendas of the link's sessions (Invitation.open_sessions), in one query."""
        chosen = Invitation.sessions.through.objects.filter(invitation_id=invitation.pk)
        return self.filter(delegation_id=invitation.delegation_id).filter(
            Q(session__in=chosen.values("itineraryitem_id")) | ~Exists(chosen)
        )


class SessionAgenda(LinkedInsideVisit, models.Model):
    """A B2B session's agendas, published: each registered company then sees its own meetings in the session
    on its invitation link. Preliminary agendas may still change; final ones close the company's registration.
    Deleting the row unpublishes them."""

    class Status(models.TextChoices):
        PRELIMINARY = "preliminary", pgettext_lazy("agenda status", "Preliminary")
        FINAL = "final", pgettext_lazy("agenda status", "Final")

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="session_agendas"
    )
    session = models.OneToOneField(
        ItineraryItem,
        verbose_name=_("B2B session"),
        on_delete=models.CASCADE,
        related_name="agenda",
        limit_choices_to=B2B_SESSIONS,
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PRELIMINARY)
    published_at = models.DateTimeField(_("published"), default=timezone.now, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = SessionAgendaQuerySet.as_manager()

    class Meta:
        ordering = ("delegation", "session__day", "session__start_time", "pk")
        verbose_name = _("published session agenda")
        verbose_name_plural = _("published session agendas")

    def __str__(self):
        return f"{self.session} · {self.get_status_display()}"

    def clean(self):
        super().clean()
        session = getattr(self, "session", None)
        if session is not None and session.kind != ItineraryItem.Kind.B2B_SESSION:
            raise ValidationError({"session": _("Choose a B2B session.")})
        if session is not None and self.delegation_id is not None and session.delegation_id != self.delegation_id:
            raise ValidationError({"session": other_visit_message(session)})
