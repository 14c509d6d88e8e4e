"""Schedule all in the admin: the B2B sessions (scheduled and unscheduled by their actions) and the proposal page,
which shows what a proposal would place, move and leave out, and why, before staff apply or discard it."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contacts.models import Organization
from core.models import Batch

from .models import B2BSession, MeetingRequest, SchedulingProposal, slot_times
from .problem import Reason
from .reasons import MESSAGES
from .scheduling_services import proposal_apply, proposal_compute_queue, proposal_discard, sessions_unschedule

ACCEPTED, SCHEDULED = MeetingRequest.Status.ACCEPTED, MeetingRequest.Status.SCHEDULED


def may_schedule(request) -> bool:
    return request.user.has_perm("matchmaking.add_schedulingproposal")


@admin.register(B2BSession)
class B2BSessionAdmin(admin.ModelAdmin):
    """The visits' B2B sessions, read-only: their grid, their requests, and the Schedule all actions."""

    list_display = ("title", "delegation", "day", "start_time", "end_time", "tables", "slots", "accepted", "scheduled")
    list_filter = ("delegation",)
    list_select_related = ("delegation",)
    search_fields = ("title", "delegation__title")
    date_hierarchy = "day"
    fields = ("delegation", "title", "day", "start_time", "end_time", "venue", "b2b_tables", "b2b_slot_minutes")
    actions = ("schedule_all", "unschedule_all")

    def get_queryset(self, request):
        open_requests = (
            MeetingRequest.objects.filter(delegation=OuterRef("delegation"), status=ACCEPTED)
            .order_by()
            .values("delegation")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                accepted_n=Coalesce(Subquery(open_requests), 0),
                scheduled_n=Count("meetings__requests", filter=Q(meetings__requests__status=SCHEDULED), distinct=True),
            )
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_schedule_permission(self, request):
        return may_schedule(request)

    @admin.display(description=_("tables"))
    def tables(self, obj):
        return len(obj.table_labels)

    @admin.display(description=_("slots"))
    def slots(self, obj):
        return len(slot_times(obj))

    @admin.display(description=_("accepted requests of the visit"), ordering="accepted_n")
    def accepted(self, obj):
        return obj.accepted_n

    @admin.display(description=_("scheduled requests"), ordering="scheduled_n")
    def scheduled(self, obj):
        return obj.scheduled_n

    @admin.action(description=_("Schedule all"), permissions=("schedule",))
    def schedule_all(self, request, queryset):
        batch = proposal_compute_queue(sessions=queryset.select_related("delegation"), user=request.user)
        if batch.status == Batch.Status.FAILED:
            self.message_user(request, batch.error, messages.ERROR)
            return None
        if batch.status == Batch.Status.DONE:  # computed in the request: no broker
            return HttpResponseRedirect(batch.result_url)
        # A worker computes it: the batch's page reloads until it is done, then shows the proposal.
        return HttpResponseRedirect(reverse("admin:core_batch_change", args=[batch.pk]) + "?follow=1")

    @admin.action(description=_("Unschedule all (locked meetings stay)"), permissions=("schedule",))
    def unschedule_all(self, request, queryset):
        try:
            count = sessions_unschedule(sessions=list(queryset), user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        message = ngettext(
            "%(count)d meeting taken back; its requests are accepted again.",
            "%(count)d meetings taken back; their requests are accepted again.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


@admin.register(SchedulingProposal)
class SchedulingProposalAdmin(admin.ModelAdmin):
    """Proposals are made by the sessions' Schedule all action; each one's page shows it and applies or discards it."""

    list_display = ("__str__", "delegation", "created_by", "created_at")
    list_select_related = ("delegation", "created_by")
    list_filter = ("delegation",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = get_object_or_404(SchedulingProposal.objects.select_related("delegation"), pk=object_id)
        if not self.has_view_permission(request, proposal):
            raise PermissionDenied
        if request.method == "POST":
            if not may_schedule(request):
                raise PermissionDenied
            return self._act(request, proposal)
        return TemplateResponse(
            request, "admin/matchmaking/schedulingproposal/proposal.html", self._context(request, proposal)
        )

    def _act(self, request, proposal):
        back = reverse("admin:matchmaking_b2bsession_changelist")
        if "discard" in request.POST:
            proposal_discard(proposal=proposal)
            self.message_user(request, _("The proposal was discarded; nothing was written."), messages.SUCCESS)
            return HttpResponseRedirect(back)
        if "apply" not in request.POST:
            return HttpResponseRedirect(request.path)
        try:
            written = proposal_apply(proposal=proposal, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)
        message = ngettext(
            "The proposal was applied: %(count)d meeting placed or moved.",
            "The proposal was applied: %(count)d meetings placed or moved.",
            len(written),
        )
        self.message_user(request, message % {"count": len(written)}, messages.SUCCESS)
        return HttpResponseRedirect(back)

    def _context(self, request, proposal):
        data = proposal.proposal
        placements, left_out = data.get("placements", []), data.get("left_out", [])
        requests = MeetingRequest.objects.select_related("asker_organization", "target_organization").in_bulk(
            [row["request"] for row in left_out]
        )
        names = dict(
            Organization.objects.filter(
                pk__in={row[side] for row in placements for side in ("guest", "host")}
                | {row["organization"] for row in left_out if row["organization"]}
            ).values_list("pk", "name")
        )
        counts = {
            change: sum(row["change"] == change for row in placements) for change in ("placed", "moved", "unchanged")
        }
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Schedule all: the proposal"),
            "proposal": proposal,
            "sessions": proposal.sessions.order_by("day", "start_time"),
            "counts": counts,
            "left_out_count": len(left_out),
            "placements": [
                {**row, "guest_name": names.get(row["guest"]), "host_name": names.get(row["host"])}
                for row in placements
            ],
            "left_out": [
                {
                    "request": requests.get(row["request"]),
                    "reason": MESSAGES[Reason(row["reason"])],
                    "organization": names.get(row["organization"]),
                }
                for row in left_out
            ],
            "may_schedule": may_schedule(request),
        }
