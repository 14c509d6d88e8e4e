from django.contrib import admin
from django.db import models
from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from core.admin import (
    BatchedAutocompleteInlineMixin,
    FoldedSearchMixin,
    ListedObjectsProtectedMixin,
    SafeAutocompleteMixin,
)
from core.concurrency_admin import StaleFormRefusedMixin
from core.history_admin import HistoryAdmin

from .admin_merge import MergeActionMixin, merge_action
from .models import Organization, Person, Position, Sector


class SectorUseFilter(admin.SimpleListFilter):
    title = _("use")
    parameter_name = "used"

    def lookups(self, request, model_admin):
        return (("yes", _("In use")), ("no", _("Unused: safe to delete or merge")))

    def queryset(self, request, queryset):
        unused = Sector.objects.filter(organizations=None, delegations=None, follow_ups=None, meetings=None)
        if self.value() == "yes":
            return queryset.exclude(pk__in=unused.values("pk"))
        if self.value() == "no":
            return queryset.filter(pk__in=unused.values("pk"))
        return queryset


@admin.register(Sector)
class SectorAdmin(ListedObjectsProtectedMixin, SafeAutocompleteMixin, StaleFormRefusedMixin, TranslationAdmin):
    list_display = ("name", "slug", "organization_count")
    list_filter = (SectorUseFilter,)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(organization_count=Count("organizations"))

    @admin.display(description=_("organizations"), ordering="organization_count")
    def organization_count(self, obj):
        return obj.organization_count


class PositionInline(BatchedAutocompleteInlineMixin, TranslationTabularInline):
    model = Position
    extra = 1
    autocomplete_fields = ("organization",)
    fields = ("title", "organization", "start_date", "end_date")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "organization")


@admin.register(Organization)
class OrganizationAdmin(
    MergeActionMixin,
    ListedObjectsProtectedMixin,
    SafeAutocompleteMixin,
    StaleFormRefusedMixin,
    FoldedSearchMixin,
    HistoryAdmin,
):
    actions = (merge_action(_("Merge the two selected organizations")),)
    merge_fields = ("name", "native_name", "slug", "kind", "country", "city", "parent", "website")
    list_display = ("name", "native_name", "kind", "country", "city", "parent")
    list_filter = ("kind", ("country", CountryFilter), "sectors")
    list_select_related = ("parent",)
    search_fields = ("name", "native_name", "city")
    search_help_text = _("Name in either script, or city.")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent", "sectors")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default; silences its warning
    fieldsets = (
        (None, {"fields": ("name", "native_name", "slug", "kind", "parent", "sectors")}),
        (_("Place"), {"fields": ("country", "city", "website")}),
        (_("About"), {"fields": ("description",)}),
        (_("Private contact details"), {"fields": ("contact_email", "contact_phone")}),
    )


@admin.register(Person)
class PersonAdmin(
    MergeActionMixin,
    ListedObjectsProtectedMixin,
    SafeAutocompleteMixin,
    StaleFormRefusedMixin,
    FoldedSearchMixin,
    HistoryAdmin,
):
    actions = (merge_action(_("Merge the two selected people")),)
    merge_fields = ("name", "native_name", "other_names", "slug", "honorific", "is_public", "email", "phone")
    list_display = ("name", "native_name", "honorific", "current_positions", "is_public")
    list_filter = ("is_public", "positions__organization__kind")
    search_fields = ("name", "native_name", "other_names", "positions__title", "positions__organization__name")
    search_help_text = _("Name in either script or another spelling, title, or organization.")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (PositionInline,)
    fieldsets = (
        (None, {"fields": ("name", "native_name", "other_names", "slug", "honorific", "is_public")}),
        (_("Private"), {"fields": ("email", "phone", "private_notes")}),
    )

    def get_queryset(self, request):
        current = Position.objects.filter(end_date=None).select_related("organization")
        return (
            super().get_queryset(request).prefetch_related(Prefetch("positions", queryset=current, to_attr="current"))
        )

    @admin.display(description=_("current positions"))
    def current_positions(self, obj):
        return "; ".join(f"{position.title}, {position.organization}" for position in obj.current)


@admin.register(Position)
class PositionAdmin(SafeAutocompleteMixin, StaleFormRefusedMixin, HistoryAdmin, TranslationAdmin):
    list_display = ("person", "title", "organization", "start_date", "end_date")
    list_filter = ("organization__kind",)
    list_select_related = ("person", "organization")
    search_fields = ("title", "person__name", "person__native_name", "organization__name", "organization__native_name")
    autocomplete_fields = ("person", "organization")
    date_hierarchy = "start_date"
