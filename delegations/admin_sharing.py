"""The share links' admin: a link is created here (its address shown once, on the page answering the
form, then only its hash is kept), revoked by an action and brought back only by an explicit
"Reactivate", each step kept in its history."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import SafeAutocompleteMixin
from core.concurrency_admin import StaleFormRefusedMixin

from .forms import ShareLinkForm
from .models import ShareLink
from .services import REACTIVATED, REVOKED, share_link_create, share_link_reactivate, share_links_revoke


class ShareLinkStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return ShareLink.Status.choices

    def queryset(self, request, queryset):
        now = timezone.now()
        return {
            ShareLink.Status.ACTIVE: lambda: queryset.active(now),
            ShareLink.Status.EXPIRED: lambda: queryset.expired(now),
            ShareLink.Status.REVOKED: queryset.revoked,
        }.get(self.value(), queryset.all)()


@admin.register(ShareLink)
class ShareLinkAdmin(SafeAutocompleteMixin, StaleFormRefusedMixin, admin.ModelAdmin):
    """Links are created here (the address is shown once, then only its hash is kept) and revoked by the action."""

    form = ShareLinkForm
    list_display = ("label", "delegation", "status", "expires_at", "created_by", "created_at", "revoked_at")
    list_filter = (ShareLinkStatusFilter, "delegation")
    list_select_related = ("delegation", "created_by")
    search_fields = ("label", "delegation__title", "delegation__slug")
    search_help_text = _("Label, or the visit's title or slug.")
    autocomplete_fields = ("delegation",)
    readonly_fields = ("created_by", "created_at", "revoked_at", "status", "changes")
    actions = ("revoke",)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("delegation", "label", "expires_at")
        reactivate = ("reactivate",) if obj.get_status() != ShareLink.Status.ACTIVE else ()
        return ("delegation", "label", "status", "expires_at", *reactivate, "created_by", "created_at", "revoked_at")

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": self.get_fields(request, obj)})]
        return fieldsets if obj is None else [*fieldsets, (_("History"), {"fields": ("changes",)})]

    @admin.display(description=_("changes"))
    def changes(self, obj):
        """Who created, revoked, reactivated or changed the link, and when, newest first."""
        reasons = {REVOKED: _("Revoked"), REACTIVATED: _("Reactivated")}
        records = obj.history.select_related("history_user").order_by("-history_date", "-history_id")
        return format_html_join(
            "\n",
            "<div>{} · {} · {}</div>",
            (
                (
                    date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT"),
                    reasons.get(record.history_change_reason, record.get_history_type_display()),
                    record.history_user or "—",
                )
                for record in records
            ),
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # A link shows the visit it was made for; pointing it at another would hand that one to its holder.
        return readonly if obj is None else ("delegation", *readonly)

    @admin.display(description=_("status"))
    def status(self, obj):
        return obj.get_status().label

    @admin.action(description=_("Revoke selected share links"), permissions=("change",))
    def revoke(self, request, queryset):
        selected = queryset.count()
        count = share_links_revoke(links=queryset)  # only those not revoked yet, as they are now
        self.message_user(
            request,
            ngettext("%(count)d share link revoked.", "%(count)d share links revoked.", count) % {"count": count},
        )
        if already := selected - count:
            self.message_user(
                request,
                ngettext(
                    "%(count)d share link was revoked already.", "%(count)d share links were revoked already.", already
                )
                % {"count": already},
                messages.INFO,
            )

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        # The service creates the link and its token; the admin goes on with the saved link.
        link, token = share_link_create(
            delegation=form.cleaned_data["delegation"],
            label=form.cleaned_data["label"],
            expires_at=form.cleaned_data["expires_at"],
            created_by=request.user,
        )
        link.new_address = request.build_absolute_uri(reverse("public:shared-visit-detail", kwargs={"token": token}))
        return link

    def save_model(self, request, obj, form, change):
        if change and form.cleaned_data.get("reactivate"):
            share_link_reactivate(link=obj, expires_at=obj.expires_at)
        elif change:
            super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        """The new link's address, shown once in the page answering the form: never in a message, which
        would carry it in a cookie, nor in a redirect's address."""
        if not getattr(obj, "new_address", None):
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Share link created"),
            "link": obj,
            "address": obj.new_address,
        }
        response = TemplateResponse(request, "admin/delegations/sharelink/created.html", context)
        add_never_cache_headers(response)
        return response

    def save_related(self, request, form, formsets, change):
        if change:  # A new link is saved whole by the service; it has nothing related.
            super().save_related(request, form, formsets, change)
