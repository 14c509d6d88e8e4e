from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from contacts.models import Organization, Person, Sector
from delegations.fields import TimeZoneField
from delegations.models import Delegation, FollowUp, ItineraryItem, Venue, check_inside_visit, local_instant


class MeetingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(delegation__is_published=True)

    def active(self):
        """Meetings that occupy their slot: all but cancelled ones."""
        return self.exclude(status=Meeting.Status.CANCELLED)


class Meeting(models.Model):
    """A B2B meeting between the delegation side and the host side, at the venue's local time."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        CONFIRMED = "confirmed", _("Confirmed")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("No-show")

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
    date = models.DateField(_("date"))
    start_time = models.TimeField(
        _("start time"),
        null=True,
        blank=True,
        help_text=_("Local time of the place. Leave empty until the slot is set."),
    )
    end_time = models.TimeField(_("end time"), null=True, blank=True, help_text=_("Local time of the place."))
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
        verbose_name_plural = _("B2B meetings")
        indexes = [models.Index(fields=("delegation", "date", "start_time"), name="meeting_delegation_slot")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=False),
                name="meeting_end_needs_start",
                violation_error_message=_("Give a start time with the end time."),
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True) | Q(end_time__isnull=True) | Q(end_time__gt=F("start_time")),
                name="meeting_end_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(delegation_organization=F("host_organization")),
                name="meeting_two_distinct_sides",
                violation_error_message=_("The two sides must be different organizations."),
            ),
        ]

    def __str__(self):
        when = f"{self.date:%Y-%m-%d} {self.start_time:%H:%M}" if self.start_time else f"{self.date:%Y-%m-%d}"
        return f"{self.delegation_organization} / {self.host_organization}, {when}"

    def save(self, *args, **kwargs):
        self.fill_place()
        # The place's zone turns the typed local time into the stored instant.
        self.starts_at = local_instant(self.date, self.start_time, self.time_zone)
        self.ends_at = local_instant(self.date, self.end_time, self.time_zone)
        super().save(*args, **kwargs)

    def fill_place(self):
        """City and zone come from the venue, else from the session."""
        place = self.venue if self.venue_id else (self.session if self.session_id else None)
        if place is not None:
            self.city, self.time_zone = place.city or self.city, place.time_zone or self.time_zone

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
        if self.session_id and self.delegation_id and self.session.delegation_id != self.delegation_id:
            raise ValidationError({"session": _("This session belongs to another visit.")})


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
