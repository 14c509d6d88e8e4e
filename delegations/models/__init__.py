import datetime
import hashlib
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from contacts.models import Organization, Person, SearchQuerySet, Sector
from contacts.text import fold

from ..fields import TimeZoneField


def local_instant(day: datetime.date, time: datetime.time | None, time_zone: str) -> datetime.datetime | None:
    """The aware instant of a wall-clock time at a place, or None when the time is not known."""
    if time is None or not time_zone:
        return None
    return datetime.datetime.combine(day, time, tzinfo=zoneinfo.ZoneInfo(time_zone))


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


class DelegationQuerySet(SearchQuerySet):
    def published(self):
        return self.filter(is_published=True)

    def upcoming(self, today: datetime.date | None = None):
        return self.filter(end_date__gte=today or timezone.localdate()).order_by("start_date")

    def past(self, today: datetime.date | None = None):
        return self.filter(end_date__lt=today or timezone.localdate()).order_by("-start_date")

    def for_cards(self):
        """What a visit's summary card shows, in a fixed number of queries."""
        return self.select_related("organiser").prefetch_related("priority_sectors")


class Delegation(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONFIRMED = "confirmed", _("Confirmed")
        COMPLETED = "completed", pgettext_lazy("visit status", "Completed")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=250, unique=True, help_text=_("Part of the public address."))
    origin_country = CountryField(_("origin country"))
    origin_region = models.CharField(_("origin region"), max_length=150, blank=True, help_text=_("e.g. Irkutsk region"))
    leading_body = models.ForeignKey(
        Organization,
        verbose_name=_("leading body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_delegations",
        help_text=_("The body that sends the delegation, e.g. the regional government."),
    )
    host_countries = CountryField(_("host countries"), multiple=True, help_text=_("One or more."))
    organiser = models.ForeignKey(
        Organization,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="organised_delegations",
    )
    supporting_organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("supporting organizations"),
        blank=True,
        related_name="supported_delegations",
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    home_time_zone = TimeZoneField(
        _("home time zone"),
        help_text=_("The delegation's own zone, shown beside local times (Irkutsk: Asia/Irkutsk, UTC+8)."),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    description = models.TextField(_("description"), blank=True)
    priority_sectors = models.ManyToManyField(
        Sector, verbose_name=_("priority sectors"), blank=True, related_name="delegations"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    is_published = models.BooleanField(_("published"), default=False, help_text=_("Drafts are visible to staff only."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_text = models.TextField(editable=False, default="", help_text=_("Title and region folded for search."))

    objects = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ("-start_date", "title")
        indexes = [
            models.Index(fields=("-start_date",), name="delegation_start"),
            models.Index(fields=("end_date",), name="delegation_end_date"),
            models.Index(fields=("origin_country", "-start_date"), name="delegation_origin_start"),
            models.Index(fields=("status", "-start_date"), name="delegation_status_start"),
        ]
        verbose_name = _("delegation visit")
        verbose_name_plural = _("delegation visits")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="delegation_end_not_before_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Both languages' titles: a French visitor may type the French one.
        names = (self.title_en, self.title_fr, self.origin_region_en, self.origin_region_fr)
        self.search_text = fold(" ".join(name for name in names if name))
        super().save(*args, **kwargs)

    @property
    def head(self) -> "DelegationMember | None":
        return next((m for m in self.members.all() if m.role == DelegationMember.Role.HEAD), None)


class DelegationMember(models.Model):
    """A person in a delegation, with the role and title they had during that visit."""

    class Role(models.TextChoices):
        HEAD = "head", _("Head of delegation")
        MINISTER = "minister", _("Minister")
        OFFICIAL = "official", _("Official")
        AGENCY_DIRECTOR = "agency_director", _("Agency director")
        BUSINESS = "business", _("Business representative")
        INTERPRETER = "interpreter", _("Interpreter")
        STAFF = "staff", pgettext_lazy("member role", "Staff")
        OTHER = "other", _("Other")

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICIAL)
    title = models.CharField(
        _("title during the visit"),
        max_length=250,
        blank=True,
        help_text=_("As it was then, e.g. Governor of the Irkutsk region; later positions do not change it."),
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("representing"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegation_members",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ("delegation", "order", "pk")
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        constraints = [
            models.UniqueConstraint(
                fields=("delegation", "person"),
                name="member_unique_person_per_delegation",
                violation_error_message=_("This person is already a member of this delegation."),
            ),
            models.UniqueConstraint(
                fields=("delegation",),
                condition=Q(role="head"),
                name="member_one_head_per_delegation",
                violation_error_message=_("This delegation already has a head."),
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class ItineraryItem(models.Model):
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
    day = models.DateField(_("day"))
    start_time = models.TimeField(
        _("start time"), null=True, blank=True, help_text=_("Local time of the place. Leave empty if not announced.")
    )
    end_time = models.TimeField(_("end time"), null=True, blank=True, help_text=_("Local time of the place."))
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
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=False),
                name="item_end_needs_start",
                violation_error_message=_("Give a start time with the end time."),
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True) | Q(end_time__isnull=True) | Q(end_time__gte=F("start_time")),
                name="item_end_not_before_start",
                violation_error_message=_("The end time cannot be before the start time."),
            ),
            models.CheckConstraint(
                condition=Q(audience_approximation="") | Q(audience_size__isnull=False),
                name="item_approximation_needs_size",
                violation_error_message=_("Give the audience size with its approximation."),
            ),
        ]

    def __str__(self):
        return f"{date_format(self.day, 'SHORT_DATE_FORMAT')} {self.title}"

    def save(self, *args, **kwargs):
        if self.venue_id:
            self.city, self.time_zone = self.venue.city, self.venue.time_zone
        self.starts_at = local_instant(self.day, self.start_time, self.time_zone)
        self.ends_at = local_instant(self.day, self.end_time, self.time_zone)
        super().save(*args, **kwargs)

    @property
    def table_labels(self) -> list[str]:
        return [label.strip() for label in self.b2b_tables.split(",") if label.strip()]

    @property
    def audience_display(self) -> str:
        if self.audience_size is None:
            return ""
        if not self.audience_approximation:
            return str(self.audience_size)
        return f"{self.get_audience_approximation_display()} {self.audience_size}"

    def clean(self):
        super().clean()
        if self.venue_id:
            self.city, self.time_zone = self.venue.city, self.venue.time_zone
        if self.start_time and not self.time_zone:
            raise ValidationError(
                {"time_zone": _("Give a venue or a time zone, so that the time can be placed in the right zone.")}
            )
        if not self.city:
            raise ValidationError({"city": _("Give a venue or a city.")})
        check_inside_visit(getattr(self, "delegation", None), self.day, "day")


class Agreement(models.Model):
    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        COOPERATION = "cooperation", _("Cooperation agreement")
        TRIPARTITE = "tripartite", _("Tripartite agreement")
        CONTRACT = "contract", _("Contract")
        LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")

    class Status(models.TextChoices):
        PREPARED = "prepared", _("Prepared")
        SIGNED = "signed", _("Signed")
        IN_FORCE = "in_force", _("In force")
        COMPLETED = "completed", pgettext_lazy("agreement status", "Completed")
        TERMINATED = "terminated", _("Terminated")

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.PROTECT, related_name="agreements"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    subject = models.TextField(_("subject"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    place = models.CharField(_("place of signing"), max_length=200, blank=True, help_text=_("City or venue."))
    signing_item = models.ForeignKey(
        ItineraryItem,
        verbose_name=_("signed during"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        help_text=_("The itinerary item at which it was signed."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SIGNED)
    document = models.FileField(_("document"), upload_to="agreements/%Y/", blank=True)

    class Meta:
        ordering = ("delegation", "signed_on", "title")
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.signing_item_id:
            if self.signing_item.delegation_id != self.delegation_id:
                raise ValidationError({"signing_item": _("This itinerary item belongs to another visit.")})
            if self.signed_on and self.signed_on != self.signing_item.day:
                raise ValidationError(
                    {"signed_on": _("The signing date must be the day of the itinerary item it was signed at.")}
                )


class AgreementParty(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="parties"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="agreement_parties"
    )
    signatory = models.ForeignKey(
        Person,
        verbose_name=_("signatory"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )
    signatory_title = models.CharField(_("signatory's title"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ("agreement", "order", "pk")
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=("agreement", "organization"),
                name="party_unique_organization_per_agreement",
                violation_error_message=_("This organization is already a party to this agreement."),
            ),
        ]

    def __str__(self):
        return _("%(organization)s, party to “%(agreement)s”") % {
            "organization": self.organization,
            "agreement": self.agreement,
        }


class FollowUp(models.Model):
    """What a visit set in motion. Meetings link to follow-ups from the meetings app."""

    class Kind(models.TextChoices):
        INVESTMENT_PROJECT = "investment_project", _("Investment project")
        PLANNED_VISIT = "planned_visit", _("Planned visit")
        INVITATION = "invitation", _("Invitation")
        PARTNERSHIP = "partnership", _("Partnership")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        IN_NEGOTIATION = "in_negotiation", _("In negotiation")
        AGREED = "agreed", _("Agreed")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("organizations"), blank=True, related_name="follow_ups"
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    itinerary_item = models.ForeignKey(
        ItineraryItem,
        verbose_name=_("came from itinerary item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("came from agreement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )

    class Meta:
        ordering = ("delegation", "due_date", "title")
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        for field in ("itinerary_item", "agreement"):
            source = getattr(self, field)
            if source is not None and self.delegation_id and source.delegation_id != self.delegation_id:
                raise ValidationError({field: _("This belongs to another visit.")})


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
        _("expires"), null=True, blank=True, help_text=_("The link stops working then. Leave empty for no expiry.")
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("share link")
        verbose_name_plural = _("share links")

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
