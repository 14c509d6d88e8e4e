"""Mailings in the admin: "Agenda mailings" lists the visits with the "Send agendas" action; the log of agenda
e-mails is read-only. The action queues a batch (core.Batch) whose page shows its progress and result."""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import AgendaMailing, AgendaSend
from .services import agendas_send


@admin.register(AgendaMailing)
class AgendaMailingAdmin(admin.ModelAdmin):
    """The visits, read-only, with the action that e-mails each participating organization its agenda."""

    list_display = ("title", "start_date", "end_date", "published_agendas", "sent")
    search_fields = ("title",)
    date_hierarchy = "start_date"
    actions = ("send_agendas",)
    fields = ("title", "start_date", "end_date")

    def get_queryset(self, request):
        sent = Q(registrations__agenda_sends__status=AgendaSend.Status.SENT)
        return (
            super()
            .get_queryset(request)
            .annotate(
                agendas_n=Count("session_agendas", distinct=True),
                sent_n=Count("registrations__agenda_sends", filter=sent, distinct=True),
            )
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_send_permission(self, request):
        return request.user.has_perm("mailings.add_agendasend")

    @admin.display(description=_("published session agendas"), ordering="agendas_n")
    def published_agendas(self, obj):
        return obj.agendas_n

    @admin.display(description=_("agenda e-mails sent"), ordering="sent_n")
    def sent(self, obj):
        return obj.sent_n

    @admin.action(description=_("Send agendas (to those whose agenda changed)"), permissions=("send",))
    def send_agendas(self, request, queryset):
        batches = [agendas_send(delegation=delegation, user=request.user) for delegation in queryset]
        for batch in batches:
            message = ngettext(
                "%(label)s: %(count)d e-mail to send.", "%(label)s: %(count)d e-mails to send.", batch.total
            )
            self.message_user(request, message % {"label": batch.label, "count": batch.total}, messages.SUCCESS)
        if len(batches) == 1:
            return HttpResponseRedirect(reverse("admin:core_batch_change", args=[batches[0].pk]))
        return HttpResponseRedirect(reverse("admin:core_batch_changelist"))


@admin.register(AgendaSend)
class AgendaSendAdmin(admin.ModelAdmin):
    """What was e-mailed to whom and when, as the tasks logged it; read-only."""

    list_display = ("email", "organization", "delegation", "language", "status", "attempts", "sent_at", "created_at")
    list_filter = ("status", "language", "registration__delegation")
    list_select_related = ("registration__organization", "registration__delegation")
    search_fields = ("email", "registration__organization__name")
    date_hierarchy = "created_at"
    fields = (
        "registration",
        "email",
        "language",
        "status",
        "reason",
        "attempts",
        "fingerprint",
        "batch",
        "created_at",
        "sent_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("organization"), ordering="registration__organization__name")
    def organization(self, obj):
        return obj.registration.organization

    @admin.display(description=_("visit"), ordering="registration__delegation__title")
    def delegation(self, obj):
        return obj.registration.delegation
