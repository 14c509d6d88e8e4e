"""The visit itself: a delegation and its members."""

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from contacts.models import Organization, Person, Sector
from core.dates import date_in_range, validate_date_in_range
from core.search import SearchQuerySet
from core.text import fold

from ..fields import TimeZoneField


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
        PLANNED = "planned", pgettext_lazy("visit status", "Planned")
        CONFIRMED = "confirmed", pgettext_lazy("visit status", "Confirmed")
        COMPLETED = "completed", pgettext_lazy("visit status", "Completed")
        POSTPONED = "postponed", pgettext_lazy("visit status", "Postponed")
        CANCELLED = "cancelled", pgettext_lazy("visit status", "Cancelled")

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
    start_date = models.DateField(_("first day"), validators=[validate_date_in_range])
    end_date = models.DateField(_("last day"), validators=[validate_date_in_range])
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
            models.CheckConstraint(
                condition=date_in_range("start_date") & date_in_range("end_date"),
                name="delegation_dates_in_range",
                violation_error_message=_("The visit's days must lie between 1900 and 2200."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = self.search_text_for(
            title_en=self.title_en,
            title_fr=self.title_fr,
            origin_region_en=self.origin_region_en,
            origin_region_fr=self.origin_region_fr,
        )
        super().save(*args, **kwargs)

    @staticmethod
    def search_text_for(*, title_en: str, title_fr: str, origin_region_en: str, origin_region_fr: str) -> str:
        """What `search_text` holds: both languages' titles and regions (a French visitor may type the French
        title). Bulk loaders, which bypass save(), call it too."""
        names = (title_en, title_fr, origin_region_en, origin_region_fr)
        return fold(" ".join(name for name in names if name))

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
