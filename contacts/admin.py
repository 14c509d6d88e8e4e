from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Organization, Person, Position, Sector


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "organization_count")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(organization_count=Count("organizations"))

    @admin.display(description=_("organizations"), ordering="organization_count")
    def organization_count(self, obj):
        return obj.organization_count


class PositionInline(admin.TabularInline):
    model = Position
    extra = 1
    autocomplete_fields = ("organization",)
    fields = ("title", "organization", "start_date", "end_date")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "native_name", "kind", "country", "city", "parent")
    list_filter = ("kind", "country", "sectors")
    list_select_related = ("parent",)
    search_fields = ("name", "native_name", "city")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent", "sectors")
    fieldsets = (
        (None, {"fields": ("name", "native_name", "slug", "kind", "parent", "sectors")}),
        (_("Place"), {"fields": ("country", "city", "website")}),
        (_("About"), {"fields": ("description",)}),
        (_("Private contact details"), {"fields": ("contact_email", "contact_phone")}),
    )


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "native_name", "honorific", "is_public")
    list_filter = ("is_public", "positions__organization__kind")
    search_fields = ("name", "native_name", "other_names", "positions__title", "positions__organization__name")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (PositionInline,)
    fieldsets = (
        (None, {"fields": ("name", "native_name", "other_names", "slug", "honorific", "is_public")}),
        (_("Private"), {"fields": ("email", "phone", "private_notes")}),
    )


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("person", "title", "organization", "start_date", "end_date")
    list_filter = ("organization__kind",)
    list_select_related = ("person", "organization")
    search_fields = ("title", "person__name", "person__native_name", "organization__name", "organization__native_name")
    autocomplete_fields = ("person", "organization")
    date_hierarchy = "start_date"
