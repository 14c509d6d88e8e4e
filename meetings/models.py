import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contacts.models import Organization, Person, Sector
from core.dates import date_in_range, validate_date_in_range
from delegations.fields import TimeZoneField
from delegations.models import (
    Delegation,
    FollowUp,
    ItineraryItem,
    LinkedInsideVisit,
    Venue,
    check_inside_visit,
    check_links_inside_visit,
    check_local_times,
    fold_field,
    followed_place,
    local_instant,
)


class MeetingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(delegation__is_published=True)

    def active(self):
        """Meetings that occupy their slot: all but cancelled ones."""
        return self.exclude(status=Meeting.Status.CANCELLED)


class Meeting(LinkedInsideVisit, models.Model):
    """A B2B meeting between the delegation side and the host side, at the venue's local time."""

    class Status(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("meeting status", "Requested")
        CONFIRMED = "confirmed", pgettext_lazy("meeting status", "Confirmed")
        HELD = "held", pgettext_lazy("meeting status", "Held")
        CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")
        NO_SHOW = "no_show", pgettext_lazy("meeting status", "No-show")

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.PROTECT, related_name="meetings"
    )
    session = models.ForeignKey(
        ItineraryItem,
        verbose_name=_("B2B session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        limit_choices_to={"kind": ItineraryItem.Kind.B2B_SESSION},
        help_text=_("The itinerary item this meeting is part of, if any."),
    )
    date = models.DateField(_("date"), validators=[validate_date_in_range])
    start_time = models.TimeField(
        _("start time"),
        null=True,
        blank=True,
        help_text=_("Local time of the place. Leave empty until the slot is set."),
    )
    end_time = models.TimeField(_("end time"), null=True, blank=True, help_text=_("Local time of the place."))
    start_fold = fold_field(_("second occurrence of the start time"))
    end_fold = fold_field(_("second occurrence of the end time"))
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    city = models.CharField(
        _("city"), max_length=100, blank=True, help_text=_("Taken from the venue or the session; give it otherwise.")
    )
    time_zone = TimeZoneField(
        _("time zone"), blank=True, help_text=_("Taken from the venue or the session; give it otherwise.")
    )
    table = models.CharField(_("table"), max_length=50, blank=True, help_text=_("Table or room label at the venue."))
    delegation_organization = models.ForeignKey(
        Organization,
        verbose_name=_("delegation-side organization"),
        on_delete=models.PROTECT,
        related_name="meetings_as_delegate",
    )
    host_organization = models.ForeignKey(
        Organization,
        verbose_name=_("host-side organization"),
        on_delete=models.PROTECT,
        related_name="meetings_as_host",
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    is_locked = models.BooleanField(_("locked"), default=False, help_text=_("Locked: Schedule all never moves it."))
    outcome = models.TextField(_("outcome"), blank=True, help_text=_("Public summary of what came of it."))
    follow_up_expected = models.BooleanField(_("follow-up expected"), default=False)
    follow_ups = models.ManyToManyField(FollowUp, verbose_name=_("follow-ups"), blank=True, related_name="meetings")
    private_notes = models.TextField(_("private notes"), blank=True, help_text=_("Staff only; never published."))
    starts_at = models.DateTimeField(_("starts (instant)"), null=True, editable=False)
    ends_at = models.DateTimeField(_("ends (instant)"), null=True, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ("date", "start_time", "city", "table", "pk")
        verbose_name = _("B2B meeting")
        verbose_name_plural = pgettext_lazy("model", "B2B meetings")
        # For the public list's and the admin's filters and their order (see public.filters, meetings.admin);
        # foreign keys have their own index already. `city` is matched ignoring case, hence UPPER(city).
        indexes = [
            models.Index(fields=("delegation", "date", "start_time"), name="meeting_delegation_slot"),
            models.Index(fields=("date", "start_time", "city", "table", "id"), name="meeting_list_order"),
            models.Index(Upper("city"), name="meeting_city_upper"),
            models.Index(fields=("status", "date"), name="meeting_status_date"),
            models.Index(fields=("sector", "date"), name="meeting_sector_date"),
            models.Index(fields=("delegation_organization", "date"), name="meeting_delegate_org_date"),
            models.Index(fields=("host_organization", "date"), name="meeting_host_org_date"),
            models.Index(fields=("starts_at",), name="meeting_starts_at"),
        ]
        constraints = [
            models.CheckConstraint(
                # A meeting occupies a slot only once both ends are known (see meetings.scheduling).
                condition=Q(start_time__isnull=True, end_time__isnull=True)
                | Q(start_time__isnull=False, end_time__isnull=False),
                name="meeting_slot_complete",
                violation_error_message=_("Give both the start and the end time, or neither until the slot is set."),
            ),
            models.CheckConstraint(
                # The instants, not the wall clocks: from the first 02:45 of an autumn night to the second
                # 02:15 is half an hour (delegations.models.check_local_times).
                condition=Q(starts_at__isnull=True) | Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="meeting_end_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(delegation_organization=F("host_organization")),
                name="meeting_two_distinct_sides",
                violation_error_message=_("The two sides must be different organizations."),
            ),
            models.CheckConstraint(
                condition=date_in_range("date"),
                name="meeting_date_in_range",
                violation_error_message=_("The date must lie between 1900 and 2200."),
            ),
        ]

    def __str__(self):
        when = f"{self.date:%Y-%m-%d} {self.start_time:%H:%M}" if self.start_time else f"{self.date:%Y-%m-%d}"
        return f"{self.delegation_organization} / {self.host_organization}, {when}"

    def save(self, *args, **kwargs):
        self.fill_place()
        self.starts_at, self.ends_at = self.instants()
        super().save(*args, **kwargs)

    def instants(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """Start and end as instants: the place's zone turns the typed local times into them."""
        place = self.place()
        zone = (place.time_zone if place is not None else "") or self.time_zone
        return (
            local_instant(self.date, self.start_time, zone, self.start_fold),
            local_instant(self.date, self.end_time, zone, self.end_fold),
        )

    def place(self) -> Venue | ItineraryItem | None:
        return self.venue if self.venue_id else (self.session if self.session_id else None)

    @property
    def table_venue(self) -> Venue | None:
        """Where the table stands: the meeting's venue, else its session's."""
        if self.venue_id:
            return self.venue
        if self.session_id and self.session.venue_id:
            return self.session.venue
        return None

    def fill_place(self):
        """City and zone come from the venue, else from the session."""
        self.city, self.time_zone = followed_place(self.place(), self.city, self.time_zone)

    def clean(self):
        super().clean()
        self.fill_place()
        if self.start_time and not self.time_zone:
            raise ValidationError(
                {"time_zone": _("Give a venue or a time zone, so that the time can be placed in the right zone.")}
            )
        if not self.city:
            raise ValidationError({"city": _("Give a venue or a city.")})
        check_inside_visit(getattr(self, "delegation", None), self.date, "date")
        self.check_when()
        # Its follow-ups too, by the form and the services, with the links they are about to set.
        check_links_inside_visit(self)
        # Whether its slot is free involves other meetings: the services and the admin's form check
        # it (meetings.scheduling.meeting_conflicts).

    def check_when(self):
        check_local_times(self, "date", _("The meeting must end after it starts."), strict=True)


class MeetingParticipant(models.Model):
    class Side(models.TextChoices):
        DELEGATION = "delegation", _("Delegation side")
        HOST = "host", _("Host side")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="meeting_participations"
    )
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)

    class Meta:
        ordering = ("meeting", "side", "pk")
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=("meeting", "person"),
                name="participant_unique_person_per_meeting",
                violation_error_message=_("This person is already in this meeting."),
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_side_display()})"


class Booking(models.Model):
    """One thing a meeting occupies over its slot: each organization, each person, its table.

    Written only by `meetings.scheduling.meeting_sync_bookings`, which the services call whenever a
    meeting or its people change.
    Cancelled meetings and meetings without both times occupy nothing, so have no bookings.
    """

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="bookings")
    resource = models.CharField(
        _("resource"),
        max_length=100,
        help_text=_("What is booked: org:<id>, person:<id> or table:<venue id>:<label in lower case>."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ("starts_at", "resource")
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes = [models.Index(fields=("resource", "starts_at"), name="booking_resource_start")]
        # The rule itself, "one resource, no two overlapping bookings", is the exclusion constraint
        # booking_no_overlap, added on PostgreSQL only by migration 0003: declared here as an
        # ExclusionConstraint, its DDL would break migrate on SQLite, and its validation query too.
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="booking_ends_after_start",
                violation_error_message=_("A booking must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.resource} {self.starts_at.isoformat()}/{self.ends_at.isoformat()}"
