"""Matchmaking in the admin: invitation links (the address shown once), registrations with their
people, availability and requests together, and the triage of requests: filters, accept, decline, merge."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contacts.models import Sector
from core.admin import BatchedAutocompleteFormSet, BatchedAutocompleteInlineMixin, SafeAutocompleteMixin
from core.concurrency_admin import StaleFormRefusedMixin
from core.history_admin import HistoryAdmin
from delegations.admin_sharing import ShareLinkStatusFilter
from delegations.models import check_many_inside_visit

from . import admin_agendas  # noqa: F401 (registers the agendas admin and the sessions actions)
from .models import Availability, Invitation, MeetingRequest, Registration, RegistrationAttendee
from .services import invitation_create, invitations_revoke, request_merge, requests_accept, requests_decline


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ("delegation", "side", "label", "sessions", "expires_at")

    def clean(self):
        cleaned = super().clean()
        delegation = cleaned.get("delegation") or getattr(self.instance, "delegation", None)
        try:
            check_many_inside_visit(delegation, "sessions", cleaned.get("sessions") or ())
        except ValidationError as error:
            self.add_error("sessions", error.messages)
        return cleaned


@admin.register(Invitation)
class InvitationAdmin(SafeAutocompleteMixin, StaleFormRefusedMixin, admin.ModelAdmin):
    """Links are created here (the address is shown once, then only its hash is kept) and revoked by the action.
    Their history is recorded but offers no revert, which could bring a revoked link back (as share links)."""

    form = InvitationForm
    list_display = ("label", "delegation", "side", "status", "expires_at", "created_by", "created_at", "revoked_at")
    list_filter = (ShareLinkStatusFilter, "side", "delegation")
    list_select_related = ("delegation", "created_by")
    search_fields = ("label", "delegation__title", "delegation__slug")
    autocomplete_fields = ("delegation",)
    filter_horizontal = ("sessions",)
    readonly_fields = ("status", "created_by", "created_at", "revoked_at")
    actions = ("revoke",)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("delegation", "side", "label", "sessions", "expires_at")
        return (
            "delegation",
            "side",
            "label",
            "sessions",
            "status",
            "expires_at",
            "created_by",
            "created_at",
            "revoked_at",
        )

    def get_readonly_fields(self, request, obj=None):
        # A link keeps the visit and side it was made for: changing them would hand its holder another.
        return self.readonly_fields if obj is None else ("delegation", "side", *self.readonly_fields)

    @admin.display(description=_("status"))
    def status(self, obj):
        return obj.get_status().label

    @admin.action(description=_("Revoke selected invitation links"), permissions=("change",))
    def revoke(self, request, queryset):
        count = invitations_revoke(invitations=queryset, user=request.user)
        self.message_user(
            request,
            ngettext("%(count)d invitation link revoked.", "%(count)d invitation links revoked.", count)
            % {"count": count},
        )

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        invitation, token = invitation_create(
            delegation=form.cleaned_data["delegation"],
            label=form.cleaned_data["label"],
            side=form.cleaned_data["side"],
            sessions=form.cleaned_data["sessions"],
            expires_at=form.cleaned_data["expires_at"],
            created_by=request.user,
        )
        invitation.new_address = request.build_absolute_uri(
            reverse("matchmaking:registration", kwargs={"token": token})
        )
        return invitation

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def response_add(self, request, obj, post_url_continue=None):
        """The new link's address, shown once in the page answering the form (never in a message or a redirect)."""
        if not getattr(obj, "new_address", None):
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Invitation link created"),
            "link": obj,
            "address": obj.new_address,
        }
        response = TemplateResponse(request, "admin/matchmaking/invitation/created.html", context)
        add_never_cache_headers(response)
        return response


class RegistrationRequestFormSet(BatchedAutocompleteFormSet):
    """The registration's own requests: asked by its organization, in its visit, once per organization asked."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.delegation_id = self.instance.delegation_id
        form.instance.asker_organization_id = self.instance.organization_id
        return form

    def clean(self):
        super().clean()
        rows = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        seen = set()
        for form in rows:
            target = form.cleaned_data.get("target_organization")
            if target is None:
                continue
            if target.pk == self.instance.organization_id:
                form.add_error("target_organization", _("An organization cannot ask to meet itself."))
            taken = MeetingRequest.objects.filter(
                delegation_id=self.instance.delegation_id,
                asker_organization_id=self.instance.organization_id,
                target_organization=target,
            ).exclude(pk=form.instance.pk)
            if target.pk in seen or taken.exists():
                form.add_error(
                    "target_organization",
                    _("This organization already asked to meet that one during this visit."),
                )
            seen.add(target.pk)


class RequestInline(BatchedAutocompleteInlineMixin, admin.TabularInline):
    model = MeetingRequest
    fk_name = "registration"
    formset = RegistrationRequestFormSet
    fields = ("target_organization", "target_person", "reason", "priority", "status", "mutual", "meeting")
    readonly_fields = ("mutual",)
    autocomplete_fields = ("target_organization", "target_person", "meeting")
    extra = 0

    def get_queryset(self, request):  # each row's title names both organizations
        return super().get_queryset(request).with_mutual().select_related("asker_organization", "target_organization")

    @admin.display(description=_("mutual"), boolean=True)
    def mutual(self, obj):
        return getattr(obj, "is_mutual", None)


class AttendeeInline(BatchedAutocompleteInlineMixin, admin.TabularInline):
    model = RegistrationAttendee
    fields = ("person", "title", "email", "phone")
    autocomplete_fields = ("person",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


class AvailabilityInline(BatchedAutocompleteInlineMixin, admin.TabularInline):
    model = Availability
    fields = ("session", "start_time", "end_time")
    autocomplete_fields = ("session",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("session")


@admin.register(Registration)
class RegistrationAdmin(SafeAutocompleteMixin, StaleFormRefusedMixin, HistoryAdmin):
    """One organization's wishes and availability for a visit, with its people: a company's through its
    link, or the delegation side's, entered here."""

    list_display = ("organization", "delegation", "side", "attendee_count", "request_count", "slot_count", "updated_at")
    list_filter = ("side", "delegation", "sectors")
    list_select_related = ("organization", "delegation")
    search_fields = ("organization__name", "organization__native_name", "delegation__title")
    autocomplete_fields = ("delegation", "organization", "invitation")
    filter_horizontal = ("sectors",)
    fields = (
        "delegation",
        "side",
        "organization",
        "invitation",
        "sectors",
        "profile",
        "max_meetings",
        "language",
        "requests_received",
        "created_at",
        "updated_at",
    )
    readonly_fields = ("language", "requests_received", "created_at", "updated_at")
    inlines = (AttendeeInline, AvailabilityInline, RequestInline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                attendees_n=Count("attendees", distinct=True),
                requests_n=Count("requests", distinct=True),
                slots_n=Count("availability", distinct=True),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        # The inlines follow the registration's visit and organization: they are set once.
        return self.readonly_fields if obj is None else ("delegation", "organization", *self.readonly_fields)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    @admin.display(description=_("requests received"))
    def requests_received(self, obj):
        """Who asked to meet this organization during the visit: the other half of its wishes."""
        if obj.pk is None:
            return "—"
        received = (
            MeetingRequest.objects.filter(delegation_id=obj.delegation_id, target_organization_id=obj.organization_id)
            .select_related("asker_organization")
            .order_by("priority", "pk")
        )
        return (
            format_html_join(
                "\n",
                '<div><a href="{}">{}</a> · {} · {}</div>',
                (
                    (
                        reverse("admin:matchmaking_meetingrequest_change", args=[request.pk]),
                        request.asker_organization,
                        request.get_priority_display(),
                        request.get_status_display(),
                    )
                    for request in received
                ),
            )
            or "—"
        )

    @admin.display(description=_("attendees"), ordering="attendees_n")
    def attendee_count(self, obj):
        return obj.attendees_n

    @admin.display(description=_("requests"), ordering="requests_n")
    def request_count(self, obj):
        return obj.requests_n

    @admin.display(description=_("available slots"), ordering="slots_n")
    def slot_count(self, obj):
        return obj.slots_n


@admin.register(RegistrationAttendee)
class RegistrationAttendeeAdmin(SafeAutocompleteMixin, StaleFormRefusedMixin, HistoryAdmin):
    list_display = ("person", "title", "registration")
    list_select_related = ("person", "registration__organization", "registration__delegation")
    search_fields = ("person__name", "registration__organization__name")
    autocomplete_fields = ("registration", "person")


@admin.register(Availability)
class AvailabilityAdmin(SafeAutocompleteMixin, StaleFormRefusedMixin, HistoryAdmin):
    list_display = ("registration", "session", "start_time", "end_time")
    list_filter = ("registration__delegation",)
    list_select_related = ("registration__organization", "registration__delegation", "session")
    search_fields = ("registration__organization__name",)
    autocomplete_fields = ("registration", "session")


class MutualFilter(admin.SimpleListFilter):
    title = _("mutual")
    parameter_name = "mutual"

    def lookups(self, request, model_admin):
        return (("yes", _("Yes")), ("no", _("No")))

    def queryset(self, request, queryset):
        return {"yes": lambda: queryset.filter(is_mutual=True), "no": lambda: queryset.filter(is_mutual=False)}.get(
            self.value(), queryset.all
        )()


class SectorFilter(admin.SimpleListFilter):
    """Requests where either organization is in the sector, by its record or by its registration for the visit."""

    title = _("sector")
    parameter_name = "sector"

    def lookups(self, request, model_admin):
        return [(sector.slug, sector.name) for sector in Sector.objects.order_by("name")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        slug = self.value()
        in_sector = Registration.objects.filter(sectors__slug=slug, delegation=OuterRef("delegation"))
        return queryset.filter(
            Exists(in_sector.filter(organization=OuterRef("asker_organization")))
            | Exists(in_sector.filter(organization=OuterRef("target_organization")))
            | Q(asker_organization__sectors__slug=slug)
            | Q(target_organization__sectors__slug=slug)
        ).distinct()


@admin.register(MeetingRequest)
class MeetingRequestAdmin(SafeAutocompleteMixin, StaleFormRefusedMixin, HistoryAdmin):
    list_display = (
        "asker_organization",
        "target_organization",
        "delegation",
        "priority",
        "status",
        "mutual",
        "created_at",
    )
    list_filter = (
        "status",
        MutualFilter,
        SectorFilter,
        "delegation",
        ("asker_organization", admin.RelatedOnlyFieldListFilter),
        ("target_organization", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("asker_organization", "target_organization", "delegation")
    search_fields = ("asker_organization__name", "target_organization__name", "reason")
    autocomplete_fields = (
        "delegation",
        "registration",
        "asker_organization",
        "asker_person",
        "target_organization",
        "target_person",
        "meeting",
    )
    readonly_fields = ("created_at", "updated_at")
    actions = ("accept", "decline", "merge")

    def get_queryset(self, request):
        return super().get_queryset(request).with_mutual()

    @admin.display(description=_("mutual"), boolean=True, ordering="is_mutual")
    def mutual(self, obj):
        return obj.is_mutual

    @admin.action(description=_("Accept selected requests"), permissions=("change",))
    def accept(self, request, queryset):
        count = requests_accept(requests=queryset, user=request.user)
        self.message_user(
            request, ngettext("%(count)d request accepted.", "%(count)d requests accepted.", count) % {"count": count}
        )

    @admin.action(description=_("Decline selected requests"), permissions=("change",))
    def decline(self, request, queryset):
        count = requests_decline(requests=queryset, user=request.user)
        self.message_user(
            request, ngettext("%(count)d request declined.", "%(count)d requests declined.", count) % {"count": count}
        )

    @admin.action(description=_("Merge the two selected requests (the older one is kept)"), permissions=("change",))
    def merge(self, request, queryset):
        requests = list(queryset.order_by("created_at", "pk")[:3])
        if len(requests) != 2:
            self.message_user(request, _("Select exactly two requests to merge."), messages.ERROR)
            return
        try:
            kept = request_merge(keep=requests[0], duplicate=requests[1])
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(request, _("The requests were merged into “%(request)s”.") % {"request": kept})


from . import admin_schedule  # noqa: F401,E402 (Schedule all's admins)
