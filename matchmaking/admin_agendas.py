"""Publishing the B2B sessions' agendas in the admin: a published agenda is a row here, made (by the form or
the sessions' actions) to publish a session's agendas, marked final by an action, deleted (or withdrawn by
the action) to unpublish them. Every change goes through matchmaking.services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import SafeAutocompleteMixin
from core.concurrency_admin import StaleFormRefusedMixin
from core.history_admin import HistoryAdmin
from delegations.models import ItineraryItem
from meetings import admin_delegations
from meetings.grid import SESSION_NOTES

from .models import SessionAgenda
from .services import agendas_publish, agendas_withdraw


class SessionAgendaForm(forms.ModelForm):
    class Meta:
        model = SessionAgenda
        fields = ("session", "status")

    def clean(self):
        cleaned = super().clean()
        session = cleaned.get("session")
        if session is not None:
            self.instance.delegation_id = session.delegation_id
        final = SessionAgenda.Status.FINAL
        if self.instance.pk and self.initial.get("status") == final and cleaned.get("status") != final:
            self.add_error("status", _("A final agenda cannot become preliminary again: withdraw it first."))
        return cleaned


def _published_message(modeladmin, request, count: int) -> None:
    modeladmin.message_user(
        request,
        ngettext("%(count)d session's agendas published.", "%(count)d sessions' agendas published.", count)
        % {"count": count},
    )


@admin.register(SessionAgenda)
class SessionAgendaAdmin(SafeAutocompleteMixin, StaleFormRefusedMixin, HistoryAdmin):
    form = SessionAgendaForm
    list_display = ("session", "delegation", "session_day", "status", "published_at", "published_by")
    list_filter = ("status", "delegation")
    list_select_related = ("session", "delegation", "published_by")
    search_fields = ("session__title", "delegation__title", "delegation__slug")
    autocomplete_fields = ("session",)
    readonly_fields = ("delegation", "published_at", "published_by")
    actions = ("mark_final", "withdraw")

    def get_fields(self, request, obj=None):
        return (
            ("session", "status")
            if obj is None
            else ("delegation", "session", "status", "published_at", "published_by")
        )

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is None else ("session", *self.readonly_fields)

    @admin.display(description=_("day"), ordering="session__day")
    def session_day(self, obj):
        return obj.session.day

    def save_model(self, request, obj, form, change):
        agendas_publish(sessions=[obj.session], status=obj.status, user=request.user)
        obj.pk = SessionAgenda.objects.values_list("pk", flat=True).get(session_id=obj.session_id)
        obj._state.adding = False
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        agendas_withdraw(agendas=SessionAgenda.objects.filter(pk=obj.pk), user=request.user)

    def delete_queryset(self, request, queryset):
        agendas_withdraw(agendas=queryset, user=request.user)

    @admin.action(description=_("Mark final"), permissions=("change",))
    def mark_final(self, request, queryset):
        sessions = ItineraryItem.objects.filter(pk__in=queryset.values("session"))
        count = agendas_publish(sessions=sessions, status=SessionAgenda.Status.FINAL, user=request.user)
        self.message_user(
            request,
            ngettext("%(count)d agenda marked final.", "%(count)d agendas marked final.", count) % {"count": count},
        )

    @admin.action(description=_("Withdraw (unpublish)"), permissions=("delete",))
    def withdraw(self, request, queryset):
        count = agendas_withdraw(agendas=queryset, user=request.user)
        self.message_user(
            request,
            ngettext("%(count)d agenda withdrawn.", "%(count)d agendas withdrawn.", count) % {"count": count},
        )


def _publish(modeladmin, request, queryset, status: str) -> None:
    try:
        count = agendas_publish(
            sessions=queryset.filter(kind=ItineraryItem.Kind.B2B_SESSION), status=status, user=request.user
        )
    except ValidationError as error:
        modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
        return
    _published_message(modeladmin, request, count)


@admin.action(description=_("Publish the B2B agendas as preliminary"), permissions=("publish_agendas",))
def publish_preliminary(modeladmin, request, queryset):
    _publish(modeladmin, request, queryset, SessionAgenda.Status.PRELIMINARY)


@admin.action(description=_("Publish the B2B agendas as final"), permissions=("publish_agendas",))
def publish_final(modeladmin, request, queryset):
    _publish(modeladmin, request, queryset, SessionAgenda.Status.FINAL)


admin.site.unregister(ItineraryItem)


@admin.register(ItineraryItem)
class ItineraryItemAdmin(admin_delegations.ItineraryItemAdmin):
    """The itinerary items' admin as the meetings app registers it, with the agendas' actions on B2B sessions
    (others selected are left alone)."""

    actions = (*(admin_delegations.ItineraryItemAdmin.actions or ()), publish_preliminary, publish_final)

    def has_publish_agendas_permission(self, request):
        return request.user.has_perm("matchmaking.add_sessionagenda")


def agenda_note(session: ItineraryItem) -> str:
    """The header line of the session's grid: whether its agendas are published, and how."""
    agenda = SessionAgenda.objects.filter(session=session).first()
    if agenda is None:
        return gettext("Companies’ agendas: not published.")
    if agenda.status == SessionAgenda.Status.FINAL:
        text = gettext("Companies’ agendas: final, published on %(date)s.")
    else:
        text = gettext("Companies’ agendas: preliminary, published on %(date)s.")
    return text % {"date": date_format(timezone.localtime(agenda.published_at), "DATETIME_FORMAT")}


SESSION_NOTES["matchmaking.agendas"] = agenda_note
