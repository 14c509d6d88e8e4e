"""Admin pages of meetings beyond the model's own: the grid of a B2B session, recording an outcome, and the
follow-up desk.

MeetingAdmin.get_urls mounts them, each view given the MeetingAdmin (as the admin's own
autocomplete view is given its site).
"""

import functools

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.concurrency import opened_state
from core.concurrency_admin import OPENED_STATE_FIELD, OpenedStateField, StateCheckedFormMixin
from delegations.models import FollowUp, ItineraryItem

from .desk import desk_links, desk_read
from .grid import session_grid, session_notes
from .models import Meeting
from .services import meeting_record_outcome


class MeetingAdminView(View):
    model_admin = None  # the MeetingAdmin, given to as_view()

    def admin_context(self, request, **context):
        model_admin = self.model_admin
        return {**model_admin.admin_site.each_context(request), "opts": model_admin.opts, **context}

    def change_url(self, meeting: Meeting) -> str:
        return reverse(f"{self.model_admin.admin_site.name}:meetings_meeting_change", args=[meeting.pk])


class SessionGridView(MeetingAdminView):
    """A B2B session's tables across and slots down: who meets where, and which cells are free to book."""

    def get(self, request, item_id: int):
        if not self.model_admin.has_view_permission(request):
            raise PermissionDenied
        session = get_object_or_404(
            ItineraryItem.objects.select_related("venue"), pk=item_id, kind=ItineraryItem.Kind.B2B_SESSION
        )
        context = self.admin_context(
            request,
            title=_("B2B grid: %(session)s") % {"session": session.title},
            session=session,
            grid=session_grid(session),
            notes=session_notes(session),
            has_add_permission=self.model_admin.has_add_permission(request),
        )
        return TemplateResponse(request, "admin/meetings/session_grid.html", context)


class FollowUpDeskView(MeetingAdminView):
    """What the staff still owe the visits (meetings.desk), each with a link to fix it."""

    def get(self, request):
        user = request.user
        if not (user.has_perm("meetings.view_meeting") and user.has_perm("delegations.view_followup")):
            raise PermissionDenied
        desk = desk_read()
        context = self.admin_context(request, title=_("Follow-up desk"), desk=desk, links=desk_links(desk))
        return TemplateResponse(request, "admin/meetings/follow_up_desk.html", context)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=capfirst(Meeting._meta.get_field("outcome").verbose_name),
        help_text=Meeting._meta.get_field("outcome").help_text,
        widget=AdminTextareaWidget,
    )
    private_notes = forms.CharField(
        label=capfirst(Meeting._meta.get_field("private_notes").verbose_name),
        help_text=Meeting._meta.get_field("private_notes").help_text,
        widget=AdminTextareaWidget,
        required=False,
    )
    follow_up_expected = forms.BooleanField(
        label=capfirst(Meeting._meta.get_field("follow_up_expected").verbose_name),
        help_text=gettext_lazy("Tick it to create the follow-up below, for this visit, linked to this meeting."),
        required=False,
    )


class RecordOutcomeView(MeetingAdminView):
    """Mark a meeting held with its outcome and, when a follow-up is expected, create the follow-up
    linked to it, in one step (meetings.services.meeting_record_outcome)."""

    follow_up_fields = ("kind", "title", "status", "next_step", "due_date", "sector", "organizations")
    follow_up_prefix = "follow_up"

    def dispatch(self, request, object_id: str):
        self.meeting = self.model_admin.get_object(request, unquote(object_id))
        if self.meeting is None:
            raise Http404(_("No meeting has this number."))
        if not self.model_admin.has_change_permission(request, self.meeting):
            raise PermissionDenied
        if self.meeting.status == Meeting.Status.CANCELLED:
            messages.error(
                request,
                _(
                    "“%(meeting)s” was cancelled: it cannot get an outcome. "
                    "If it took place after all, change its status first."
                )
                % {"meeting": self.meeting},
            )
            return HttpResponseRedirect(self.change_url(self.meeting))
        self.linked_follow_ups = list(self.meeting.follow_ups.all())
        return super().dispatch(request, object_id)

    def get(self, request, object_id: str):
        return self.render(request, self.outcome_form(), self.follow_up_form(request))

    def post(self, request, object_id: str):
        # One transaction: the form's check locks the meeting (core.concurrency), the service saves it.
        with transaction.atomic():
            saved, outcome_form, follow_up_form = self.record(request)
        return saved or self.render(request, outcome_form, follow_up_form)

    def record(self, request):
        """The response to a save, or None and the forms to show again."""
        outcome_form = self.outcome_form(request.POST)
        follow_up_form = self.follow_up_form(request, request.POST)
        outcome_form.is_valid()  # cleans each field: the box below reads even when the outcome is missing
        expected = outcome_form.cleaned_data.get("follow_up_expected", False)
        # With a follow-up linked already, one more is created only when its fields are filled in.
        creates = expected and (not self.linked_follow_ups or follow_up_form.has_changed())
        follow_up_form.empty_permitted = not creates
        if outcome_form.is_valid() and (not creates or follow_up_form.is_valid()):
            try:
                follow_up = meeting_record_outcome(
                    meeting=self.meeting,
                    outcome=outcome_form.cleaned_data["outcome"],
                    private_notes=outcome_form.cleaned_data["private_notes"],
                    follow_up_expected=expected,
                    follow_up=follow_up_form.instance if creates else None,
                    organizations=follow_up_form.cleaned_data["organizations"] if creates else (),
                    user=request.user,
                )
            except ValidationError as error:
                outcome_form.add_error(None, ValidationError(error.messages))
            else:
                if follow_up is None:
                    message = _("Outcome of “%(meeting)s” recorded: held.")
                else:
                    message = _("Outcome of “%(meeting)s” recorded: held, with the follow-up “%(follow_up)s”.")
                messages.success(request, message % {"meeting": self.meeting, "follow_up": follow_up})
                return HttpResponseRedirect(self.change_url(self.meeting)), None, None
        return None, outcome_form, follow_up_form

    def outcome_form(self, data=None) -> OutcomeForm:
        """The outcome form, refusing a save made after someone else changed the meeting (as the
        meeting's change form does: StaleFormRefusedMixin)."""
        meeting = self.meeting
        initial = {
            "outcome": meeting.outcome,
            "private_notes": meeting.private_notes,
            "follow_up_expected": meeting.follow_up_expected and not self.linked_follow_ups,
        }
        attrs = {
            OPENED_STATE_FIELD: OpenedStateField(),
            "read_state": functools.partial(opened_state, Meeting, meeting.pk),
            "describe_change": functools.partial(self.model_admin.stale_form_messages, self.request, meeting.pk, []),
        }
        form_class = type(OutcomeForm.__name__, (StateCheckedFormMixin, OutcomeForm), attrs)
        return form_class(data, initial=initial)

    def follow_up_form(self, request, data=None) -> forms.ModelForm:
        # The follow-up admin's own widgets: autocomplete for organizations and sector, the date picker.
        follow_up_admin = self.model_admin.admin_site.get_model_admin(FollowUp)
        callback = functools.partial(follow_up_admin.formfield_for_dbfield, request=request)
        form_class = forms.modelform_factory(FollowUp, fields=self.follow_up_fields, formfield_callback=callback)
        meeting = self.meeting
        initial = {
            "sector": meeting.sector_id,
            "organizations": [meeting.delegation_organization_id, meeting.host_organization_id],
        }
        instance = FollowUp(delegation=meeting.delegation, itinerary_item=meeting.session)
        form = form_class(
            data, instance=instance, initial=initial, prefix=self.follow_up_prefix, use_required_attribute=False
        )
        # The title is translated (modeltranslation): the field edits the admin language's text, and is required.
        form.fields["title"].required = True
        return form

    def render(self, request, outcome_form, follow_up_form):
        outcome = helpers.AdminForm(
            outcome_form, [(None, {"fields": list(outcome_form.fields)})], {}, model_admin=self.model_admin
        )
        description = _(
            "Filled in when a follow-up is expected: it is created for this visit and linked to this meeting."
        )
        follow_up = helpers.AdminForm(
            follow_up_form,
            [(_("Follow-up"), {"fields": list(self.follow_up_fields), "description": description})],
            {},
            model_admin=self.model_admin,
        )
        errors = [*outcome_form.errors.values(), *follow_up_form.errors.values()]
        context = self.admin_context(
            request,
            title=_("Record the outcome of “%(meeting)s”") % {"meeting": self.meeting},
            subtitle=None,
            original=self.meeting,
            meeting=self.meeting,
            linked_follow_ups=self.linked_follow_ups,
            adminforms=(outcome, follow_up),
            errors=errors,
            media=self.model_admin.media + outcome_form.media + follow_up_form.media,
        )
        return TemplateResponse(request, "admin/meetings/meeting_record_outcome.html", context)
