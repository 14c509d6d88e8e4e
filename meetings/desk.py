"""The follow-up desk: what the staff still owe the visits, read once for the admin page and the weekly digest.

Follow-ups due this month or overdue, meetings of past visits with no outcome recorded, and published visits
that are over with nothing to show on their outcomes page. Drafts count here: the desk is the staff's.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from delegations.models import Agreement, Delegation, FollowUp, ItineraryItem

from .models import Meeting

# Meetings listed on the page and in the e-mail; the count says how many more there are.
MEETINGS_SHOWN = 50
CLOSED_FOLLOW_UPS = (FollowUp.Status.DONE, FollowUp.Status.DROPPED)
# A meeting that did not take place has no outcome to record.
NOT_HELD = (Meeting.Status.CANCELLED, Meeting.Status.NO_SHOW)
DIGEST_GROUP = "Editors"


@dataclass(frozen=True)
class Desk:
    today: datetime.date
    overdue: list[FollowUp]
    due_this_month: list[FollowUp]
    meetings_without_outcome: list[Meeting]
    meetings_without_outcome_count: int
    visits_without_outcomes: list[Delegation]

    @property
    def is_clear(self) -> bool:
        return not (
            self.overdue or self.due_this_month or self.meetings_without_outcome_count or self.visits_without_outcomes
        )


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def desk_read(*, today: datetime.date | None = None) -> Desk:
    """The desk as of `today` (the site's date by default), in five queries."""
    today = today or timezone.localdate()
    follow_ups = list(
        FollowUp.objects.exclude(status__in=CLOSED_FOLLOW_UPS)
        .filter(due_date__lte=month_end(today))
        .select_related("delegation")
        .order_by("due_date", "delegation__title", "title", "pk")
    )
    meetings = (
        Meeting.objects.filter(delegation__end_date__lt=today, outcome="")
        .exclude(status__in=NOT_HELD)
        .select_related("delegation", "delegation_organization", "host_organization")
        .order_by("-delegation__end_date", "delegation__title", "date", "start_time", "pk")
    )
    shown = list(meetings[:MEETINGS_SHOWN])
    count = len(shown) if len(shown) < MEETINGS_SHOWN else meetings.count()
    return Desk(
        today=today,
        overdue=[f for f in follow_ups if f.due_date < today],
        due_this_month=[f for f in follow_ups if f.due_date >= today],
        meetings_without_outcome=shown,
        meetings_without_outcome_count=count,
        visits_without_outcomes=list(visits_without_outcomes(today)),
    )


def visits_without_outcomes(today: datetime.date):
    """Published visits that are over with no agreement, no document reported, no follow-up and no meeting
    outcome: an empty outcomes page."""
    visit = OuterRef("pk")
    return (
        Delegation.objects.published()
        .filter(end_date__lt=today, agreements_without_detail__isnull=True)
        .exclude(Q(agreements_without_detail_summary_en__gt="") | Q(agreements_without_detail_summary_fr__gt=""))
        .exclude(Exists(Agreement.objects.filter(delegation=visit)))
        .exclude(Exists(FollowUp.objects.filter(delegation=visit)))
        .exclude(Exists(Meeting.objects.filter(delegation=visit).exclude(outcome="")))
        .exclude(
            Exists(
                ItineraryItem.objects.filter(delegation=visit).filter(
                    Q(agreements_without_detail__isnull=False)
                    | Q(agreements_without_detail_summary_en__gt="")
                    | Q(agreements_without_detail_summary_fr__gt="")
                )
            )
        )
        .order_by("-end_date", "title")
    )


def desk_links(desk: Desk, *, base_url: str = "") -> dict:
    """Each listed thing beside the admin address that fixes it, as (thing, address) pairs by list; absolute
    with `base_url` (for e-mail)."""

    def address(name: str, pk: int) -> str:
        return base_url + reverse(f"admin:{name}", args=[pk])

    return {
        "overdue": [(f, address("delegations_followup_change", f.pk)) for f in desk.overdue],
        "due_this_month": [(f, address("delegations_followup_change", f.pk)) for f in desk.due_this_month],
        "meetings": [(m, address("meetings_meeting_record_outcome", m.pk)) for m in desk.meetings_without_outcome],
        "visits": [(v, address("delegations_delegation_change", v.pk)) for v in desk.visits_without_outcomes],
        "desk": base_url + reverse("admin:meetings_meeting_follow_up_desk"),
    }


def digest_recipients():
    """Active members of the Editors group with an e-mail address."""
    return (
        get_user_model()
        .objects.filter(groups__name=DIGEST_GROUP, is_active=True)
        .exclude(email="")
        .order_by("email")
        .distinct()
    )


def recipient_language(user) -> str:
    """The recipient's language where the site knows it (a `language` the user record may carry), else English."""
    language = getattr(user, "language", "")
    return language if language in dict(settings.LANGUAGES) else "en"


def follow_up_digest_send(*, today: datetime.date | None = None, base_url: str) -> int:
    """E-mails the desk to every digest recipient, each in their language (text and HTML parts), and returns
    how many were sent. Side effects: one e-mail per recipient through the configured e-mail backend."""
    desk = desk_read(today=today)
    context = {"desk": desk, "links": desk_links(desk, base_url=base_url)}
    messages = []
    for user in digest_recipients():
        with translation.override(recipient_language(user)):
            subject = _("Follow-up desk, week of %(day)s") % {"day": desk.today.isoformat()}
            text = render_to_string("admin/meetings/follow_up_digest.txt", context)
            html = render_to_string("admin/meetings/follow_up_digest.html", context)
        message = EmailMultiAlternatives(subject, text, to=[user.email])
        message.attach_alternative(html, "text/html")
        messages.append(message)
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
