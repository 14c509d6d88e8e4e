"""Where and when: venues and the items of a visit's programme, at the local time of their place."""

import datetime
import functools
import operator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.encoding import force_str
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from contacts.models import Organization, Person
from core.dates import check_wall_clock, date_in_range, validate_date_in_range, wall_clock_instant

from ..fields import TimeZoneField
from .links import LinkedInsideVisit, check_links_inside_visit
from .visits import (
    Delegation,
    agreements_without_detail_field,
    agreements_without_detail_summary_field,
    without_detail_constraint,
)


def local_instant(
    day: datetime.date, time: datetime.time | None, time_zone: str, fold: bool = False
) -> datetime.datetime | None:
    """The instant, in UTC, of a wall-clock time at a place (`fold`: the second of a time the clocks show
    twice), or None when the time names none (not known, no zone, a time the clocks jump over)."""
    return wall_clock_instant(day, time, time_zone, fold)


def followed_place(place, city: str, time_zone: str) -> tuple[str, str]:
    """The city and zone of something held at `place` (a venue, or a B2B session): the place's where it
    has them, else its own. Items follow their venue, meetings their venue or session."""
    if place is None:
        return city, time_zone
    return place.city or city, place.time_zone or time_zone


def check_inside_visit(delegation: "Delegation | None", day: datetime.date | None, field: str) -> None:
    if day is None or delegation is None or delegation.start_date is None or delegation.end_date is None:
        return
    if not delegation.start_date <= day <= delegation.end_date:
        raise ValidationError(
            {
                field: _("%(day)s is outside the visit, which runs from %(start)s to %(end)s.")
                % {
                    "day": date_format(day, "DATE_FORMAT"),
                    "start": date_format(delegation.start_date, "DATE_FORMAT"),
                    "end": date_format(delegation.end_date, "DATE_FORMAT"),
                }
            }
        )


def fold_field(verbose_name) -> models.BooleanField:
    return models.BooleanField(
        verbose_name,
        default=False,
        help_text=_(
            "Only for a time the clocks show twice that day, when they go back: tick for the second time, "
            "after the change. Otherwise the first."
        ),
    )


def check_local_times(obj, day_field: str, end_message, strict: bool) -> None:
    """An object's day lies in the range every page can show, its local start and end times exist at its
    place that day, and it ends after it starts (`strict`; else not before) as instants: the wall clocks
    may be in order while the instants are not (from the second 02:15 of an autumn night to 02:45), and
    the other way round (from the first 02:45 to the second 02:15). The database's constraints compare
    the instants too. Services call it before moving what the forms did not see."""
    day = getattr(obj, day_field)
    try:
        validate_date_in_range(day)
    except ValidationError as error:
        raise ValidationError({day_field: error.messages}) from error
    for field in ("start_time", "end_time"):
        check_wall_clock(day, getattr(obj, field), obj.time_zone, field)
    if obj.start_time is None or obj.end_time is None:
        return
    starts_at = local_instant(day, obj.start_time, obj.time_zone, obj.start_fold)
    ends_at = local_instant(day, obj.end_time, obj.time_zone, obj.end_fold)
    if starts_at is not None and ends_at is not None and (ends_at <= starts_at if strict else ends_at < starts_at):
        raise ValidationError(end_message, code="end_before_start")


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True, help_text=_("Street address."))
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    time_zone = TimeZoneField(_("time zone"), help_text=_("Times at this venue are entered and shown in this zone."))
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("owning organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="venues",
    )

    class Meta:
        ordering = ("city", "name")
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.UniqueConstraint(
                fields=("name", "city"),
                name="venue_unique_name_city",
                violation_error_message=_("There is already a venue of that name in that city."),
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.city}"

    @property
    def full_address(self) -> str:
        return ", ".join(part for part in (self.name, self.address, self.city, self.country.name) if part)


# An item that reports meetings or documents without detail (a number, or what was signed).
REPORTING = functools.reduce(
    operator.or_,
    [
        Q(reported_meetings__isnull=False),
        Q(agreements_without_detail__isnull=False),
        *(Q(**{f"agreements_without_detail_summary_{code}__gt": ""}) for code, _name in settings.LANGUAGES),
    ],
)


class ItineraryItem(LinkedInsideVisit, models.Model):
    """Anything on the programme, at the local wall-clock time of its place."""

    class Kind(models.TextChoices):
        OFFICIAL_MEETING = "official_meeting", _("Official meeting")
        CONFERENCE = "conference", _("Conference or presentation")
        B2B_SESSION = "b2b_session", _("B2B session")
        TRADE_FAIR = "trade_fair", _("Trade fair")
        SITE_VISIT = "site_visit", _("Site visit")
        RECEPTION = "reception", _("Reception")
        SIGNING = "signing", _("Signing")
        TRAVEL = "travel", _("Travel")
        OTHER = "other", _("Other")

    class Approximation(models.TextChoices):
        EXACT = "", _("exactly")
        ABOUT = "about", _("about")
        MORE_THAN = "more_than", _("more than")
        UP_TO = "up_to", _("up to")

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="itinerary_items"
    )
    day = models.DateField(_("day"), validators=[validate_date_in_range])
    start_time = models.TimeField(
        _("start time"), null=True, blank=True, help_text=_("Local time of the place. Leave empty if not announced.")
    )
    end_time = models.TimeField(_("end time"), null=True, blank=True, help_text=_("Local time of the place."))
    start_fold = fold_field(_("second occurrence of the start time"))
    end_fold = fold_field(_("second occurrence of the end time"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("venue"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="itinerary_items",
    )
    city = models.CharField(
        _("city"), max_length=100, blank=True, help_text=_("Taken from the venue; give it when there is no venue.")
    )
    time_zone = TimeZoneField(
        _("time zone"), blank=True, help_text=_("Taken from the venue; give it when there is no venue.")
    )
    hosts = models.ManyToManyField(
        Organization, verbose_name=_("host organizations"), blank=True, related_name="hosted_items"
    )
    delegation_participants = models.ManyToManyField(
        Person,
        verbose_name=_("participants from the delegation"),
        blank=True,
        related_name="itinerary_items_as_delegate",
    )
    host_participants = models.ManyToManyField(
        Person,
        verbose_name=_("participants from the host side"),
        blank=True,
        related_name="itinerary_items_as_host",
    )
    audience_size = models.PositiveIntegerField(_("audience size"), null=True, blank=True)
    audience_approximation = models.CharField(
        _("audience approximation"),
        max_length=10,
        choices=Approximation.choices,
        blank=True,
        default=Approximation.EXACT,
        help_text=_("“more than” with 100 reads “more than 100”."),
    )
    reported_meetings = models.PositiveIntegerField(
        _("meetings reported"),
        null=True,
        blank=True,
        help_text=_("For sessions whose meetings are not recorded one by one, e.g. 12 B2B meetings followed."),
    )
    agreements_without_detail = agreements_without_detail_field()
    agreements_without_detail_summary = agreements_without_detail_summary_field()
    order = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Orders items of the same day."))
    b2b_tables = models.CharField(
        _("B2B tables"),
        max_length=500,
        blank=True,
        help_text=_("For a B2B session: the table labels, comma-separated (e.g. 1, 2, 3 or A, B). Used by the grid."),
    )
    b2b_slot_minutes = models.PositiveSmallIntegerField(
        _("B2B slot length (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text=_("For a B2B session: the length of one meeting slot. Used by the grid."),
    )
    starts_at = models.DateTimeField(_("starts (instant)"), null=True, editable=False)
    ends_at = models.DateTimeField(_("ends (instant)"), null=True, editable=False)

    class Meta:
        ordering = ("delegation", "day", "start_time", "order", "pk")
        verbose_name = _("itinerary item")
        verbose_name_plural = _("itinerary items")
        indexes = [
            models.Index(fields=("delegation", "day"), name="item_delegation_day"),
            models.Index(Upper("city"), "delegation", name="item_city_upper"),
            # The few items that report meetings or documents without detail, for the results figures
            # (public.results): their condition is REPORTING there, word for word.
            models.Index(fields=("delegation",), condition=REPORTING, name="item_reporting"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=False),
                name="item_end_needs_start",
                violation_error_message=_("Give a start time with the end time."),
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="item_end_not_before_start",
                violation_error_message=_("The end time cannot be before the start time."),
            ),
            models.CheckConstraint(
                condition=Q(audience_approximation="") | Q(audience_size__isnull=False),
                name="item_approximation_needs_size",
                violation_error_message=_("Give the audience size with its approximation."),
            ),
            models.CheckConstraint(
                condition=date_in_range("day"),
                name="item_day_in_range",
                violation_error_message=_("The day must lie between 1900 and 2200."),
            ),
            without_detail_constraint("item"),
        ]

    def __str__(self):
        return f"{date_format(self.day, 'SHORT_DATE_FORMAT')} {self.title}"

    def save(self, *args, **kwargs):
        self.city, self.time_zone = followed_place(self.venue if self.venue_id else None, self.city, self.time_zone)
        self.starts_at = local_instant(self.day, self.start_time, self.time_zone, self.start_fold)
        self.ends_at = local_instant(self.day, self.end_time, self.time_zone, self.end_fold)
        super().save(*args, **kwargs)

    @property
    def table_labels(self) -> list[str]:
        return [label.strip() for label in self.b2b_tables.split(",") if label.strip()]

    @property
    def audience_display(self) -> str:
        return audience_display(self.audience_size, self.audience_approximation)

    def clean(self):
        super().clean()
        self.city, self.time_zone = followed_place(self.venue if self.venue_id else None, self.city, self.time_zone)
        if self.start_time and not self.time_zone:
            raise ValidationError(
                {"time_zone": _("Give a venue or a time zone, so that the time can be placed in the right zone.")}
            )
        if not self.city:
            raise ValidationError({"city": _("Give a venue or a city.")})
        check_inside_visit(getattr(self, "delegation", None), self.day, "day")
        check_links_inside_visit(self)
        self.check_when()

    def check_when(self):
        check_local_times(self, "day", _("The end time cannot be before the start time."), strict=False)


def audience_display(size: int | None, approximation: str) -> str:
    """An item's audience as shown, "more than 100", from its size and approximation."""
    if size is None:
        return ""
    if not approximation:
        return str(size)
    choices = dict(ItineraryItem._meta.get_field("audience_approximation").flatchoices)
    return f"{force_str(choices.get(approximation, approximation), strings_only=True)} {size}"
