from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from contacts.admin import BatchedAutocompleteInlineMixin

from .models import Meeting, MeetingParticipant


class ParticipantInline(BatchedAutocompleteInlineMixin, admin.TabularInline):
    model = MeetingParticipant
    extra = 2
    autocomplete_fields = ("person",)
    fields = ("side", "person")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


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
    search_help_text = _("Either side's organization or a participant, in either script, or a table.")
    date_hierarchy = "date"
    # Visit by visit (latest first), then in the order of the day.
    ordering = ("delegation", "date", "start_time", "city", "table", "pk")
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
    save_on_top = True
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


@admin.register(MeetingParticipant)
class MeetingParticipantAdmin(admin.ModelAdmin):
    list_display = ("person", "side", "meeting", "meeting_status")
    list_filter = ("side", "meeting__status", "meeting__delegation")
    list_select_related = ("person", "meeting__delegation_organization", "meeting__host_organization")
    search_fields = (
        "person__name",
        "person__native_name",
        "meeting__delegation_organization__name",
        "meeting__host_organization__name",
    )
    date_hierarchy = "meeting__date"
    autocomplete_fields = ("meeting", "person")

    @admin.display(description=_("meeting status"), ordering="meeting__status")
    def meeting_status(self, obj):
        return obj.meeting.get_status_display()
