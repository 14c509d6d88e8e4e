from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.dates import date_in_range, validate_date_in_range
from core.protection import ListedProtectedModel, ListedProtectedQuerySet
from core.search import SearchQuerySet
from core.text import fold

from .identity import search_keys


class SectorQuerySet(ListedProtectedQuerySet):
    pass


class Sector(ListedProtectedModel):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, help_text=_("Identifies the sector."))

    objects = SectorQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name


class NamesSearchQuerySet(SearchQuerySet):
    """Search by any spelling: `search_text` holds the names folded and their romanisation keys
    (contacts.identity), so Lewtschenko and Сергей find Sergueï Levtchenko in one query."""

    def search(self, text: str):
        rows = self
        for spellings in names_search_terms(text):
            condition = models.Q()
            for substrings in spellings:
                spelled = models.Q()
                for substring in substrings:
                    spelled &= models.Q(search_text__contains=substring)
                condition |= spelled
            rows = rows.filter(condition)
        return rows


def names_search_terms(text: str) -> list[tuple[tuple[str, ...], ...]]:
    """What `NamesSearchQuerySet.search` asks of `search_text` for the text: for each folded word, the
    spellings of which one must match, each spelling the substrings it must all hold (the word itself,
    or every one of its romanisation keys)."""
    terms = []
    for word in fold(text).split():
        keys = tuple(search_keys(word).split())
        terms.append(((word,), keys) if keys else ((word,),))
    return terms


def names_search_text(*names: str) -> str:
    """What `search_text` holds for these names: each folded, then each word's romanisation key."""
    text = " ".join(name for name in names if name)
    return f"{fold(text)} {search_keys(text)}".strip()


def spellings(other_names: str) -> list[str]:
    """The other spellings of a name, as staff list them: one a line, or comma-separated."""
    return [name.strip() for name in other_names.replace("\n", ",").split(",") if name.strip()]


class OrganizationQuerySet(NamesSearchQuerySet, ListedProtectedQuerySet):
    pass


class Organization(ListedProtectedModel):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        GOVERNMENT = "government", _("Government")
        MINISTRY = "ministry", _("Ministry or department")
        EMBASSY = "embassy", _("Embassy or trade representation")
        CHAMBER = "chamber", _("Chamber of commerce")
        AGENCY = "agency", _("Agency")
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        PARLIAMENT = "parliament", _("Parliament or parliamentary group")
        INSTITUTE = "institute", _("Institute or university")
        HOSPITAL = "hospital", _("Hospital or medical centre")
        FUND = "fund", _("Fund or foundation")
        EVENT = "event", _("Trade fair or event organiser")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, help_text=_("In Latin script."))
    native_name = models.CharField(
        _("native-script name"),
        max_length=200,
        blank=True,
        help_text=_("The name in its own script where it differs, e.g. Правительство Иркутской области."),
    )
    other_names = models.TextField(
        _("other spellings"),
        blank=True,
        help_text=_(
            "Other spellings and transliterations found in sources, one a line or comma-separated; "
            "used by search and to recognise the organization."
        ),
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True, related_name="organizations")
    website = models.URLField(_("website"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The body this one belongs to, e.g. a ministry inside a regional government."),
    )
    description = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True, help_text=_("Private: never shown publicly."))
    contact_phone = models.CharField(
        _("contact phone"), max_length=50, blank=True, help_text=_("Private: never shown publicly.")
    )
    search_text = models.TextField(editable=False, default="", help_text=_("Names folded for search."))

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        indexes = [
            models.Index(fields=("name",), name="organization_name"),
            models.Index(fields=("country", "name"), name="organization_country_name"),
        ]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="organization_not_own_parent",
                violation_error_message=_("An organization cannot be its own parent."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = self.search_text_for(
            name=self.name, native_name=self.native_name, other_names=self.other_names
        )
        super().save(*args, **kwargs)

    @staticmethod
    def search_text_for(*, name: str, native_name: str, other_names: str = "") -> str:
        """What `search_text` holds for these names; bulk loaders, which bypass save(), call it too."""
        return names_search_text(name, native_name, *spellings(other_names))

    def all_names(self) -> list[str]:
        return [name for name in (self.name, self.native_name, *spellings(self.other_names)) if name]


class PersonQuerySet(NamesSearchQuerySet, ListedProtectedQuerySet):
    def public(self):
        return self.filter(is_public=True)

    def with_positions(self):
        """With their positions and those positions' organizations, in two more queries."""
        return self.prefetch_related(
            models.Prefetch("positions", queryset=Position.objects.select_related("organization"))
        )


class Person(ListedProtectedModel):
    name = models.CharField(_("name"), max_length=200, help_text=_("In Latin script, as usually written."))
    native_name = models.CharField(
        _("native-script name"),
        max_length=200,
        blank=True,
        help_text=_("The name in its own script where it differs, e.g. Сергей Левченко."),
    )
    other_names = models.TextField(
        _("other spellings"),
        blank=True,
        help_text=_(
            "Other spellings and transliterations found in sources, one a line or comma-separated; "
            "used by search and to recognise the person."
        ),
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    honorific = models.CharField(_("honorific"), max_length=50, blank=True, help_text=_("e.g. Mr, Ms, Dr, H.E."))
    is_public = models.BooleanField(
        _("may appear publicly"),
        default=False,
        help_text=_(
            "Officials acting in office are public. Company employees stay private unless they agreed: "
            "public pages then name their organization instead."
        ),
    )
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Private: never shown publicly."))
    phone = models.CharField(_("phone"), max_length=50, blank=True, help_text=_("Private: never shown publicly."))
    private_notes = models.TextField(_("private notes"), blank=True, help_text=_("Staff only."))
    search_text = models.TextField(editable=False, default="", help_text=_("Names folded for search."))

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        indexes = [models.Index(fields=("name",), name="person_name")]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = self.search_text_for(
            name=self.name, native_name=self.native_name, other_names=self.other_names
        )
        super().save(*args, **kwargs)

    @staticmethod
    def search_text_for(*, name: str, native_name: str, other_names: str = "") -> str:
        """What `search_text` holds for these names; bulk loaders, which bypass save(), call it too."""
        return names_search_text(name, native_name, *spellings(other_names))

    def all_names(self) -> list[str]:
        return [name for name in (self.name, self.native_name, *spellings(self.other_names)) if name]


class Position(models.Model):
    """A title a person holds at an organization over a period; titles change between visits."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="positions")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="positions"
    )
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(
        _("from"), null=True, blank=True, validators=[validate_date_in_range], help_text=_("Leave empty if unknown.")
    )
    end_date = models.DateField(
        _("until"),
        null=True,
        blank=True,
        validators=[validate_date_in_range],
        help_text=_("Leave empty while current."),
    )

    class Meta:
        ordering = ("person", "-start_date", "title")
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="position_end_not_before_start",
                violation_error_message=_("A position cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=date_in_range("start_date", null=True) & date_in_range("end_date", null=True),
                name="position_dates_in_range",
                violation_error_message=_("A position's dates must lie between 1900 and 2200."),
            ),
        ]

    def __str__(self):
        return f"{self.person}, {self.title}, {self.organization}"
