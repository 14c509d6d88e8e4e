"""The visit itself: a delegation and its members."""

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from modeltranslation import settings as mt_settings
from modeltranslation.utils import build_localized_fieldname

from contacts.models import Organization, Person, Sector
from core.dates import date_in_range, validate_date_in_range
from core.search import SearchQuerySet
from core.text import fold

from ..fields import TimeZoneField


def agreements_without_detail_field() -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        _("documents reported without detail"),
        null=True,
        blank=True,
        help_text=_(
            "Documents the sources say were signed without naming them or their parties, e.g. 3. "
            "Leave empty when the number is not given."
        ),
    )


def agreements_without_detail_summary_field() -> models.CharField:
    return models.CharField(
        _("what those documents were"),
        max_length=300,
        blank=True,
        help_text=_("As the sources put it, e.g. “several documents between companies of the two regions”."),
    )


def without_detail_constraint(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(agreements_without_detail__isnull=True) | Q(agreements_without_detail__gte=1),
        name=f"{prefix}_agreements_without_detail_positive",
        violation_error_message=_("Give at least one document reported without detail, or leave the number empty."),
    )


OFFICE_NEEDS = _(
    "Give a person, or for an office whose holder is not named, its title (in English) and its organization."
)


class DelegationQuerySet(SearchQuerySet):
    def published(self):
        return self.filter(is_published=True)

    def upcoming(self, today: datetime.date | None = None):
        return self.filter(end_date__gte=today or timezone.localdate()).order_by("start_date")

    def past(self, today: datetime.date | None = None):
        return self.filter(end_date__lt=today or timezone.localdate()).order_by("-start_date")

    def for_cards(self):
        """What a visit's summary card shows: its title and origin region in every language (the card takes the
        active one's, or its fallback's), its countries and dates, and no other column (the descriptions and
        purposes in three languages were most of each row). The card's sectors are read with the cards, as plain
        values (public.cards.with_cards), not prefetched."""
        translated = [
            build_localized_fieldname(field, language)
            for field in ("title", "origin_region")
            for language in mt_settings.AVAILABLE_LANGUAGES
        ]
        return self.only("slug", "origin_country", "host_countries", "start_date", "end_date", *translated)


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
    # In the order staff give them, the route (Germany, Greece, Switzerland), not sorted by code.
    host_countries = CountryField(
        _("host countries"), multiple=True, multiple_sort=False, help_text=_("One or more, in the order of the route.")
    )
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
    reported_meetings = models.PositiveIntegerField(
        _("meetings reported for the whole visit"),
        null=True,
        blank=True,
        help_text=_(
            "When the sources give only a total, e.g. “the delegation held 15 meetings”: the meetings not recorded "
            "one by one, those reported at its items included. The figures count the larger of this and the items’ "
            "sum, never both."
        ),
    )
    agreements_without_detail = agreements_without_detail_field()
    agreements_without_detail_summary = agreements_without_detail_summary_field()

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
            without_detail_constraint("delegation"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = self.search_text_for(
            title_en=self.title_en,
            title_fr=self.title_fr,
            origin_region_en=self.origin_region_en,
            origin_region_fr=self.origin_region_fr,
            title_ru=self.title_ru,
            origin_region_ru=self.origin_region_ru,
        )
        super().save(*args, **kwargs)

    @staticmethod
    def search_text_for(
        *,
        title_en: str,
        title_fr: str,
        origin_region_en: str,
        origin_region_fr: str,
        title_ru: str = "",
        origin_region_ru: str = "",
    ) -> str:
        """What `search_text` holds: every language's titles and regions (a French or Russian visitor may type
        the title in their language). Bulk loaders, which bypass save(), call it too."""
        names = (title_en, title_fr, title_ru, origin_region_en, origin_region_fr, origin_region_ru)
        return fold(" ".join(name for name in names if name))

    @property
    def head(self) -> "DelegationMember | None":
        return next((m for m in self.members.all() if m.role == DelegationMember.Role.HEAD), None)


# Roles that say what a member does in the delegation, which no title says: shown beside the title.
# The others only classify an office, which the member's title, where given, names better.
ROLES_BESIDE_TITLE = ("head", "deputy_head")


def member_role_label(role: str, title: str) -> str:
    """The role a page shows beside a member's title: none when the title says it (a state secretary entered
    as "Official" reads "State Secretary of …", not "Official · State Secretary of …")."""
    if title and role not in ROLES_BESIDE_TITLE:
        return ""
    return str(dict(DelegationMember.Role.choices).get(role, role))


class DelegationMember(models.Model):
    """A member of a delegation, with the role and title they had during that visit: a person, or an office
    at an organization whose holder the sources do not name ("the head of the regional executive committee")."""

    class Role(models.TextChoices):
        HEAD = "head", _("Head of delegation")
        DEPUTY_HEAD = "deputy_head", _("Deputy head of delegation")
        MINISTER = "minister", _("Minister")
        STATE_SECRETARY = "state_secretary", _("State secretary or deputy minister")
        OFFICIAL = "official", _("Official")
        AGENCY_DIRECTOR = "agency_director", _("Agency director")
        BUSINESS = "business", _("Business representative")
        ADVISER = "adviser", _("Adviser")
        EXPERT = "expert", _("Expert")
        MEMBER = "member", pgettext_lazy("member role", "Member")
        PRESS = "press", pgettext_lazy("member role", "Press")
        SECURITY = "security", pgettext_lazy("member role", "Security")
        PROTOCOL = "protocol", pgettext_lazy("member role", "Protocol")
        INTERPRETER = "interpreter", _("Interpreter")
        STAFF = "staff", pgettext_lazy("member role", "Staff")
        OTHER = "other", _("Other")

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_(
            "Leave empty for an office whose holder the sources do not name: then give its title and organization."
        ),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICIAL)
    title = models.CharField(
        _("title during the visit"),
        max_length=250,
        blank=True,
        help_text=_(
            "As it was then, e.g. Governor of the Irkutsk region; later positions do not change it. "
            "Where given, pages show it instead of the role (except head and deputy head)."
        ),
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
            # The English title: content is entered in English first (settings.MODELTRANSLATION_DEFAULT_LANGUAGE).
            models.CheckConstraint(
                condition=Q(person__isnull=False) | (Q(organization__isnull=False) & Q(title_en__gt="")),
                name="member_person_or_office",
                violation_error_message=OFFICE_NEEDS,
            ),
        ]

    def __str__(self):
        # The role's label looked up in the choices as they are: get_role_display hashes every lazy label,
        # for each member heading the visit's admin page.
        return f"{self.name} ({dict(self.Role.choices).get(self.role, self.role)})"

    @property
    def name(self) -> str:
        """The person's name, or the office: "Head of the Regional Executive Committee, Irkutsk region"."""
        if self.person_id is not None:
            return str(self.person)
        return office_label(self.title, self.organization if self.organization_id else None)

    @property
    def is_office(self) -> bool:
        return self.person_id is None

    @property
    def role_label(self) -> str:
        return member_role_label(self.role, self.title)


def office_label(title: str, organization: Organization | None) -> str:
    return ", ".join(part for part in (title, organization.name if organization else "") if part)
