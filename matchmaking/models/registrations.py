"""Matchmaking: invitation links, the companies that register through them, their people, availability
and meeting requests, before "Schedule all" turns the accepted requests into meetings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contacts.models import Organization, Person, Sector
from core.dates import date_in_range, validate_date_in_range
from delegations.models import (
    Delegation,
    ItineraryItem,
    LinkedInsideVisit,
    ShareLink,
    ShareLinkQuerySet,
    check_links_inside_visit,
)
from meetings.models import Meeting

B2B_SESSIONS = {"kind": ItineraryItem.Kind.B2B_SESSION}


class Side(models.TextChoices):
    HOST = "host", _("Host companies")
    DELEGATION = "delegation", _("Delegation side")


class InvitationQuerySet(ShareLinkQuerySet):
    """Active, expired, revoked and found by token's hash exactly as share links are."""


class Invitation(LinkedInsideVisit, models.Model):
    """A revocable, expiring address through which one company registers for a visit's B2B sessions."""

    Status = ShareLink.Status

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="invitations"
    )
    sessions = models.ManyToManyField(
        ItineraryItem,
        verbose_name=_("B2B sessions"),
        blank=True,
        related_name="invitations",
        limit_choices_to=B2B_SESSIONS,
        help_text=_("The sessions the company may give its availability for. Leave empty for all of the visit's."),
    )
    side = models.CharField(_("side"), max_length=20, choices=Side.choices, default=Side.HOST)
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

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("invitation link")
        verbose_name_plural = _("invitation links")
        constraints = [
            models.CheckConstraint(
                condition=date_in_range("expires_at", null=True, instant=True),
                name="invitation_expiry_in_range",
                violation_error_message=_("The expiry must lie between 1900 and 2200."),
            ),
        ]

    def __str__(self):
        return f"{self.delegation} · {self.label}"

    get_status = ShareLink.get_status
    hash_token = staticmethod(ShareLink.hash_token)

    def clean(self):
        super().clean()
        if self._state.adding and self.expires_at is not None and self.expires_at <= timezone.now():
            raise ValidationError({"expires_at": _("Give an expiry in the future, or none.")})
        check_links_inside_visit(self)

    def open_sessions(self):
        """The B2B sessions the company may give its availability for, in programme order."""
        chosen = self.sessions.all() if self.pk else ItineraryItem.objects.none()
        sessions = chosen if chosen.exists() else self.delegation.itinerary_items.filter(**B2B_SESSIONS)
        return sessions.order_by("day", "start_time", "order", "pk")


class RegistrationQuerySet(models.QuerySet):
    def unpublished_organizations(self):
        """Organizations that a registration created and that meet no one in a published visit yet: what a
        company submits stays private until staff accept and publish it, so public pages leave these out."""
        published = Meeting.objects.published()
        return (
            Organization.objects.filter(pk__in=self.filter(organization_created=True).values("organization"))
            .exclude(pk__in=published.values("host_organization"))
            .exclude(pk__in=published.values("delegation_organization"))
        )


class Registration(LinkedInsideVisit, models.Model):
    """One company's answer to its invitation (or the delegation side's wishes, entered by staff): its
    organization, profile, people, availability and requests. Private until staff accept and publish."""

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="registrations"
    )
    invitation = models.OneToOneField(
        Invitation,
        verbose_name=_("invitation link"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registration",
        help_text=_("Empty when staff entered it."),
    )
    side = models.CharField(_("side"), max_length=20, choices=Side.choices, default=Side.HOST)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="registrations"
    )
    organization_created = models.BooleanField(
        _("organization created by the registration"),
        default=False,
        editable=False,
        help_text=_(
            "Such an organization stays off the public pages until it meets the delegation in a published visit."
        ),
    )
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True, related_name="registrations")
    profile = models.TextField(
        _("profile"), max_length=1000, blank=True, help_text=_("What the company does, in a few lines. Private.")
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        default=settings.LANGUAGE_CODE,
        # A code of settings.LANGUAGES, not choices: a language added to the site needs no migration here.
        help_text=_("The language the company registered in (a code: en, fr): its agenda e-mails are written in it."),
    )
    max_meetings = models.PositiveSmallIntegerField(
        _("maximum meetings"),
        null=True,
        blank=True,
        help_text=_("Schedule all gives the organization at most this many meetings. Leave empty for no maximum."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ("delegation", "organization__name", "pk")
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=("delegation", "organization"),
                name="registration_one_per_organization_and_visit",
                violation_error_message=_("This organization is already registered for this visit."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.delegation}"

    def clean(self):
        super().clean()
        check_links_inside_visit(self)


class RegistrationAttendee(models.Model):
    """A person who will attend for the registered organization; their contact details stay on the person, private."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="attendees"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="registrations_attended"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("As the company gave it. Private."))
    phone = models.CharField(_("phone"), max_length=50, blank=True, help_text=_("As the company gave it. Private."))

    class Meta:
        ordering = ("registration", "pk")
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            models.UniqueConstraint(
                fields=("registration", "person"),
                name="attendee_once_per_registration",
                violation_error_message=_("This person is already among the attendees."),
            ),
        ]

    def __str__(self):
        return str(self.person)


class Availability(models.Model):
    """A slot of a B2B session in which the registered organization can meet, by its local start time."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="availability"
    )
    session = models.ForeignKey(
        ItineraryItem,
        verbose_name=_("B2B session"),
        on_delete=models.CASCADE,
        related_name="availability",
        limit_choices_to=B2B_SESSIONS,
    )
    start_time = models.TimeField(_("slot start"), help_text=_("Local time of the session's place."))
    end_time = models.TimeField(_("slot end"), help_text=_("Local time of the session's place."))

    class Meta:
        ordering = ("registration", "session", "start_time")
        verbose_name = _("available slot")
        verbose_name_plural = _("availability")
        constraints = [
            models.UniqueConstraint(
                fields=("registration", "session", "start_time"),
                name="availability_slot_once",
                violation_error_message=_("This slot is already given."),
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="availability_end_after_start",
                violation_error_message=_("A slot must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.session} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self):
        super().clean()
        registration, session = getattr(self, "registration", None), getattr(self, "session", None)
        if registration is not None and session is not None and session.delegation_id != registration.delegation_id:
            raise ValidationError({"session": _("Choose a B2B session of the registration's visit.")})


class MeetingRequestQuerySet(models.QuerySet):
    def with_mutual(self):
        """Annotated `is_mutual`: the target asked to meet the asker too, in the same visit, and still wishes it."""
        reverse = MeetingRequest.objects.filter(
            delegation=OuterRef("delegation"),
            asker_organization=OuterRef("target_organization"),
            target_organization=OuterRef("asker_organization"),
        ).exclude(status__in=MeetingRequest.CLOSED)
        return self.annotate(is_mutual=Exists(reverse))

    def open(self):
        return self.exclude(status__in=MeetingRequest.CLOSED)


class MeetingRequest(LinkedInsideVisit, models.Model):
    """A wish to meet: who asks, whom, why, how much it matters, and where triage has got to."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("request status", "Submitted")
        ACCEPTED = "accepted", pgettext_lazy("request status", "Accepted")
        DECLINED = "declined", pgettext_lazy("request status", "Declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("request status", "Withdrawn")
        SCHEDULED = "scheduled", pgettext_lazy("request status", "Scheduled")

    class Priority(models.IntegerChoices):
        HIGH = 1, _("High")
        NORMAL = 2, _("Normal")
        LOW = 3, _("Low")

    CLOSED = (Status.DECLINED, Status.WITHDRAWN)

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="meeting_requests"
    )
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="requests",
        help_text=_("The registration it came with, if any."),
    )
    asker_organization = models.ForeignKey(
        Organization, verbose_name=_("asking organization"), on_delete=models.PROTECT, related_name="requests_made"
    )
    asker_person = models.ForeignKey(
        Person,
        verbose_name=_("asking person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_made",
    )
    target_organization = models.ForeignKey(
        Organization, verbose_name=_("organization asked"), on_delete=models.PROTECT, related_name="requests_received"
    )
    target_person = models.ForeignKey(
        Person,
        verbose_name=_("person asked"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_received",
    )
    reason = models.TextField(_("reason"), max_length=500, help_text=_("Why they want to meet. Private."))
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        help_text=_("The meeting it was scheduled as."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingRequestQuerySet.as_manager()

    class Meta:
        ordering = ("delegation", "priority", "created_at", "pk")
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        indexes = [models.Index(fields=("delegation", "status"), name="request_delegation_status")]
        constraints = [
            models.UniqueConstraint(
                fields=("delegation", "asker_organization", "target_organization"),
                name="request_once_per_pair_and_visit",
                violation_error_message=_("This organization already asked to meet that one during this visit."),
            ),
            models.CheckConstraint(
                condition=~Q(asker_organization=F("target_organization")),
                name="request_two_distinct_organizations",
                violation_error_message=_("An organization cannot ask to meet itself."),
            ),
        ]

    def __str__(self):
        return f"{self.asker_organization} → {self.target_organization}"

    def clean(self):
        super().clean()
        check_links_inside_visit(self)
