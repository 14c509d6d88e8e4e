import datetime
import functools
from html import escape  # django.utils.html.escape's own (without its lazy-text wrapper)

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from core.admin import BatchedAutocompleteInlineMixin, RefusedAtSaveMixin, SafeAutocompleteMixin
from core.admin_rows import id_url
from core.concurrency_admin import StaleFormRefusedMixin
from core.csv import csv_lines
from core.dates import twice_shown_offset
from core.history_admin import HistoryAdmin
from core.text import fold
from delegations import admin as delegations_admin
from delegations.forms import LocalTimesForm
from delegations.models import check_many_inside_visit

from . import admin_delegations  # noqa: F401 (the delegations app's admins, registered again)
from .admin_changelist import MeetingChangeList, shown_page
from .admin_filters import (
    CityFilter,
    EstimatedCountPaginator,
    OrganizationFilter,
    SectorFilter,
    VisitDayFilter,
    VisitFilter,
    YearFilter,
)
from .admin_search import LIST_ORDERING, meetings_searched
from .admin_views import FollowUpDeskView, RecordOutcomeView, SessionGridView
from .models import Meeting, MeetingParticipant
from .services import (
    SlotTaken,
    meeting_conflicts,
    meeting_leave_follow_ups,
    meeting_participant_save,
    meeting_participants_remove,
    meeting_restore,
    meeting_set_status,
    meeting_sync_bookings,
)
from .table import STAFF_COLUMNS, staff_row_values

# Meetings per database round trip in the staff CSV export.
EXPORT_CHUNK_SIZE = 500


@functools.lru_cache(maxsize=4096)
def day_label(day: datetime.date, language: str | None) -> str:
    """The day as the list shows it, in the language: worked out once, as a page's rows share few days."""
    return date_format(day)


class SlotRefusedAtSaveMixin(RefusedAtSaveMixin):
    """A slot refused at save, after the form was checked (a concurrent save booked it first), is a
    message, not a server error: the whole save has been rolled back."""

    refused_at_save = (SlotTaken,)


class MeetingForm(LocalTimesForm):
    """Also checks that the meeting's follow-ups are of its visit, and that its organizations and table are
    free at its time: the model's clean() looks at its own row only."""

    day_field = "date"

    def clean(self):
        cleaned_data = super().clean()
        if "follow_ups" in self.fields and cleaned_data.get("follow_ups") is not None:
            try:
                check_many_inside_visit(cleaned_data.get("delegation"), "follow_ups", cleaned_data["follow_ups"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data

    def _post_clean(self):
        super()._post_clean()
        if not self.errors and (conflicts := meeting_conflicts(meeting=self.instance)):
            self.add_error(None, SlotTaken.from_conflicts(conflicts))


class ParticipantForm(forms.ModelForm):
    """Also checks that the person is free at the meeting's time (the meeting as entered in the same
    submit, inline)."""

    def _post_clean(self):
        super()._post_clean()
        meeting = getattr(self.instance, "meeting", None)
        person = getattr(self.instance, "person", None)
        if self.errors or meeting is None or person is None:
            return
        if conflicts := meeting_conflicts(meeting=meeting, people=[person], sides_and_table=False):
            self.add_error(None, SlotTaken.from_conflicts(conflicts))


class ParticipantInline(BatchedAutocompleteInlineMixin, admin.TabularInline):
    model = MeetingParticipant
    form = ParticipantForm
    extra = 2
    autocomplete_fields = ("person",)
    fields = ("side", "person")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


@admin.register(Meeting)
class MeetingAdmin(
    delegations_admin.SameVisitChoicesMixin,
    SafeAutocompleteMixin,
    StaleFormRefusedMixin,
    SlotRefusedAtSaveMixin,
    HistoryAdmin,
    TranslationAdmin,
):
    # The day, times and zone in one cell, the city, venue and table in another: a list that fits a
    # laptop's width, and half the cells to render.
    list_display = ("slot", "place", "delegation_organization", "host_organization", "sector", "status")
    # The day and organization filters offer the chosen visit's days and organizations. Every filter's
    # choices come from an index, a small table or the cache: none scans the meetings on each request.
    list_filter = (
        ("delegation", VisitFilter),
        VisitDayFilter,
        YearFilter,
        "status",
        ("sector", SectorFilter),
        ("city", CityFilter),
        OrganizationFilter,
        "follow_up_expected",
        "is_locked",
    )
    list_select_related = ()  # see MeetingChangeList.get_results
    # Its rows written by core.admin_rows: Django's cell by cell rendering was most of the page's time.
    change_list_template = "admin/meetings/meeting/change_list.html"
    # Counting every meeting twice per page (the total and the filtered count) takes longer than the page.
    show_full_result_count = False
    # Rendering a row costs more than reading it: 50 rows render in about half the time of the default 100.
    list_per_page = 50
    paginator = EstimatedCountPaginator
    # What the search box covers; get_search_results does the matching.
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
    # Visit by visit (latest first), then in the order of the day.
    ordering = LIST_ORDERING
    autocomplete_fields = (
        "delegation",
        "session",
        "venue",
        "delegation_organization",
        "host_organization",
        "sector",
        "follow_ups",
    )
    form = MeetingForm
    inlines = (ParticipantInline,)
    save_on_top = True
    fieldsets = (
        (None, {"fields": ("delegation", "session", "status", "is_locked")}),
        (
            _("Slot"),
            {
                "fields": (
                    "date",
                    "start_time",
                    "start_fold",
                    "end_time",
                    "end_fold",
                    "venue",
                    "table",
                    "city",
                    "time_zone",
                ),
                "description": _("Times are the local time of the place."),
            },
        ),
        (_("Sides"), {"fields": ("delegation_organization", "host_organization", "sector")}),
        (_("Outcome"), {"fields": ("outcome", "follow_up_expected", "follow_ups", "private_notes")}),
    )
    actions = ("confirm", "mark_held", "cancel", "mark_no_show", "export_staff_csv")

    class Media:
        css = {"all": ("css/admin-meetings.css",)}

    def save_model(self, request, obj, form, change):
        if change and "delegation" in form.changed_data:
            # Moving to another visit: its links to the former visit's follow-ups go first, as the database
            # refuses a meeting linked to another visit's; the form has checked the ones it sets next.
            meeting_leave_follow_ups(meeting=obj)
        # The meeting's row alone: it is booked once its people are saved too (save_related), so that
        # a person removed in the same submit does not hold up the meeting's new slot meanwhile.
        super().save_model(request, obj, form, change)
        if getattr(request, "meeting_saved_alone", False):
            meeting_sync_bookings(meeting=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        meeting_sync_bookings(meeting=form.instance)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting to a past version saves the meeting through save_model, with no save_related.
        request.meeting_saved_alone = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def restore_record(self, *, record, user):
        return meeting_restore(record=record, user=user)

    def get_changelist(self, request, **kwargs):
        return MeetingChangeList

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        admin_view = self.admin_site.admin_view
        return [
            path(
                "follow-up-desk/",
                admin_view(FollowUpDeskView.as_view(model_admin=self)),
                name=f"{prefix}_follow_up_desk",
            ),
            path(
                "session/<int:item_id>/grid/",
                admin_view(SessionGridView.as_view(model_admin=self)),
                name=f"{prefix}_session_grid",
            ),
            path(
                "<path:object_id>/outcome/",
                admin_view(RecordOutcomeView.as_view(model_admin=self)),
                name=f"{prefix}_record_outcome",
            ),
            *super().get_urls(),
        ]

    def get_list_display(self, request):
        list_display = super().get_list_display(request)
        return (*list_display, "outcome_link") if self.has_change_permission(request) else list_display

    @admin.display(description=_("slot"), ordering="date")
    def slot(self, obj):
        """The day, then the local times and their zone."""
        day = day_label(obj.date, get_language())
        if not obj.start_time:
            return day
        times = f"{obj.start_time:%H:%M}–{obj.end_time:%H:%M}" if obj.end_time else f"{obj.start_time:%H:%M}"
        zone = obj.time_zone
        if (offset := twice_shown_offset(obj.date, obj.start_time, obj.starts_at, zone)) is not None:
            zone = f"{zone} ({offset})"  # which of the two 02:30 of an autumn night
        return SafeString(f'{escape(day)}<br>{escape(times)} <span class="quiet">{escape(zone)}</span>')

    @admin.display(description=_("place"), ordering="city")
    def place(self, obj):
        """The venue, then its city and the table (the city alone for a meeting without a venue)."""
        table = gettext("table %(label)s") % {"label": obj.table} if obj.table else ""
        where = " · ".join(part for part in (obj.city, table) if part)
        if not obj.venue:
            return where
        return SafeString(f'{escape(obj.venue.name)}<br><span class="quiet">{escape(where)}</span>')

    def action_checkbox(self, obj):
        """Django's checkbox, the same markup written directly: rendering 50 checkbox widgets through
        the form renderer's templates took a fifth of the changelist's time. The label's text as Django's
        format_html() gives it (the translated message as it is, the meeting escaped)."""
        label = gettext("Select this object for an action - {}").format(escape(str(obj)))
        return SafeString(
            f'<input type="checkbox" name="{escape(helpers.ACTION_CHECKBOX_NAME)}" value="{escape(str(obj.pk))}"'
            f' class="action-select" aria-label="{label}">'
        )

    @admin.display(description=_("outcome"))
    def outcome_link(self, obj):
        if obj.status == Meeting.Status.CANCELLED:
            return "—"
        url = id_url(f"{self.admin_site.name}:meetings_meeting_record_outcome", obj.pk)
        return SafeString(f'<a href="{escape(url)}">{escape(gettext("Record outcome"))}</a>')

    def get_search_results(self, request, queryset, search_term):
        """Meetings matching every word of the search, each word in either side's organization, a
        participant or the table; names folded (any case or accents, in any script). The page the list
        shows in its own order is read with them."""
        return meetings_searched(queryset, fold(search_term).split(), shown_page(request, self.list_per_page)), False

    def get_changeform_initial_data(self, request):
        """Values from the address, as the B2B grid's “book” links give them (times as HH:MM); a value
        the form would refuse is left out, so that an edited address cannot break the page."""
        initial = super().get_changeform_initial_data(request)
        fields = self.get_form(request).base_fields
        for name, value in list(initial.items()):
            if name in fields:
                try:
                    fields[name].clean(value)
                except ValidationError:
                    del initial[name]
        return initial

    def change_status(self, request, queryset, status: Meeting.Status):
        meetings = queryset.select_related(
            "delegation", "session", "venue", "delegation_organization", "host_organization"
        )
        result = meeting_set_status(meetings=meetings, status=status, user=request.user)
        if result.changed:
            count = len(result.changed)
            message = ngettext(
                "%(count)d meeting is now “%(status)s”.", "%(count)d meetings are now “%(status)s”.", count
            )
            self.message_user(request, message % {"count": count, "status": status.label}, messages.SUCCESS)
        if result.unchanged:
            count = len(result.unchanged)
            message = ngettext(
                "%(count)d meeting was “%(status)s” already.", "%(count)d meetings were “%(status)s” already.", count
            )
            self.message_user(request, message % {"count": count, "status": status.label}, messages.INFO)
        for meeting, error in result.refused:
            self.message_user(
                request,
                _("“%(meeting)s” stays “%(status)s”: %(reasons)s")
                % {"meeting": meeting, "status": meeting.get_status_display(), "reasons": " ".join(error.messages)},
                messages.ERROR,
            )

    @admin.action(description=_("Confirm selected meetings"), permissions=("change",))
    def confirm(self, request, queryset):
        self.change_status(request, queryset, Meeting.Status.CONFIRMED)

    @admin.action(description=_("Mark selected meetings held"), permissions=("change",))
    def mark_held(self, request, queryset):
        self.change_status(request, queryset, Meeting.Status.HELD)

    @admin.action(description=_("Cancel selected meetings"), permissions=("change",))
    def cancel(self, request, queryset):
        self.change_status(request, queryset, Meeting.Status.CANCELLED)

    @admin.action(description=_("Mark selected meetings no-show"), permissions=("change",))
    def mark_no_show(self, request, queryset):
        self.change_status(request, queryset, Meeting.Status.NO_SHOW)

    @admin.action(description=_("Export selected as CSV, for staff (private notes, contacts)"), permissions=("view",))
    def export_staff_csv(self, request, queryset):
        meetings = (
            queryset.select_related("delegation", "venue", "sector", "delegation_organization", "host_organization")
            .prefetch_related(Prefetch("participants", queryset=MeetingParticipant.objects.select_related("person")))
            .iterator(chunk_size=EXPORT_CHUNK_SIZE)
        )
        filename = f"meetings-staff-{timezone.localdate():%Y-%m-%d}.csv"
        return StreamingHttpResponse(
            csv_lines(meetings, columns=STAFF_COLUMNS, row=staff_row_values),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)},
        )


@admin.register(MeetingParticipant)
class MeetingParticipantAdmin(SafeAutocompleteMixin, StaleFormRefusedMixin, SlotRefusedAtSaveMixin, HistoryAdmin):
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
    form = ParticipantForm

    @admin.display(description=_("meeting status"), ordering="meeting__status")
    def meeting_status(self, obj):
        return obj.meeting.get_status_display()

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        meeting_participant_save(participant=obj)

    def delete_model(self, request, obj):
        meeting_participants_remove(participants=[obj])

    def delete_queryset(self, request, queryset):
        meeting_participants_remove(participants=queryset.select_related("meeting"))

    def restore_record(self, *, record, user):
        return meeting_restore(record=record, user=user)
