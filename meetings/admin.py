from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Meeting, MeetingParticipant


class ParticipantInline(admin.TabularInline):
    model = MeetingParticipant
    extra = 2
    autocomplete_fields = ("person",)
    fields = ("side", "person")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = (
        "date",
        "start_time",
        "end_time",
        "time_zone",
        "city",
        "venue",
        "table",
        "delegation_organization",
        "host_organization",
        "sector",
        "status",
    )
    list_filter = ("status", "delegation", "sector", "city", "follow_up_expected")
    list_select_related = ("delegation", "venue", "delegation_organization", "host_organization", "sector")
    search_fields = (
        "delegation_organization__name",
        "delegation_organization__native_name",
        "host_organization__name",
        "host_organization__native_name",
        "participants__person__name",
        "participants__person__native_name",
        "table",
    )
    date_hierarchy = "date"
    autocomplete_fields = (
        "delegation",
        "session",
        "venue",
        "delegation_organization",
        "host_organization",
        "sector",
        "follow_ups",
    )
    inlines = (ParticipantInline,)
    fieldsets = (
        (None, {"fields": ("delegation", "session", "status")}),
        (
            _("Slot"),
            {
                "fields": ("date", "start_time", "end_time", "venue", "table", "city", "time_zone"),
                "description": _("Times are the local time of the place."),
            },
        ),
        (_("Sides"), {"fields": ("delegation_organization", "host_organization", "sector")}),
        (_("Outcome"), {"fields": ("outcome", "follow_up_expected", "follow_ups", "private_notes")}),
    )
