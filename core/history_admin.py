"""The admin side of the audit history: each history-enabled model admin gets simple-history's history
page (who, when, each field's old and new value; revert to a past version) and a "Deleted …" page
listing deleted records, each with a Restore button for users who may add such records."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from modeltranslation.translator import translator
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelDelta

from .admin import nothing_saved
from .history import deleted_record_restore, deleted_records


def record_label(record) -> str:
    """The deleted row as its __str__ names it, or by model and id when that needs a row deleted since."""
    try:
        return str(record.instance)
    except ObjectDoesNotExist:
        return f"{capfirst(record.instance_type._meta.verbose_name)} #{record.instance.pk}"


class HistoryAdmin(SimpleHistoryAdmin):
    change_list_template = "admin/history_change_list.html"
    deleted_per_page = 50
    # Derived from other fields, which the history shows.
    history_derived_fields = ("search_text", "created_at", "updated_at", "starts_at", "ends_at")

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each record's changes, leaving out derived fields, the untranslated column a translated field
        (title_en) duplicates, and empty values becoming other empty values (None to "")."""
        options = (
            translator.get_options_for_model(self.model) if self.model in translator.get_registered_models() else None
        )
        hidden = [*self.history_derived_fields, *(options.fields if options else ())]
        hidden = [name for name in hidden if name in {field.name for field in self.model._meta.fields}]
        newer = None
        for record in historical_records:
            if newer is not None:
                delta = newer.diff_against(record, excluded_fields=hidden, foreign_keys_are_objs=foreign_keys_are_objs)
                changes = [change for change in delta.changes if change.old or change.new]
                delta = ModelDelta(changes, [change.field for change in changes], delta.old_record, delta.new_record)
                helper = self.get_historical_record_context_helper(request, newer)
                newer.history_delta_changes = helper.context_for_delta_changes(delta)
            newer = record

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A past version; reverting to it (POST) needs the change permission, which simple-history's
        view does not check by itself. A rule broken by the revert's consequences (a venue's zone moving
        a meeting onto a taken slot) is a message, the revert rolled back."""
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_history_permission(request, obj):
                raise PermissionDenied
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except ValidationError as refused:
            return nothing_saved(self, request, refused)

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        admin_view = self.admin_site.admin_view
        return [
            path("deleted/", admin_view(self.deleted_view), name=f"{prefix}_deleted"),
            path(
                "deleted/<int:history_id>/restore/",
                admin_view(require_POST(self.restore_view)),
                name=f"{prefix}_restore",
            ),
            *super().get_urls(),
        ]

    def deleted_url(self) -> str:
        return reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_deleted")

    def changelist_view(self, request, extra_context=None):
        extra_context = {"deleted_url": self.deleted_url(), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def deleted_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        page = Paginator(deleted_records(self.model), self.deleted_per_page).get_page(request.GET.get("p"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Deleted %(things)s") % {"things": self.opts.verbose_name_plural},
            "page": page,
            "rows": [(record, record_label(record)) for record in page.object_list],
            "may_restore": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/deleted_records.html", context)

    def restore_record(self, *, record, user):
        """Restore a deleted row: the model's admin calls its own service when more than rows follow."""
        return deleted_record_restore(record=record, user=user)

    def restore_view(self, request, history_id: int):
        if not self.has_add_permission(request):
            raise PermissionDenied
        record = deleted_records(self.model).filter(history_id=history_id).first()
        if record is None:
            raise Http404(_("No deleted record to restore with this number: it may have been restored already."))
        try:
            restored = self.restore_record(record=record, user=request.user)
        except ValidationError as refused:
            self.message_user(request, " ".join(refused.messages), messages.ERROR)
            return HttpResponseRedirect(self.deleted_url())
        url = reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change", args=[restored.pk])
        link = format_html('<a href="{}">{}</a>', url, restored)
        # The catalogue's text is ours; the link is escaped by format_html.
        message = mark_safe(_("“%(object)s” was restored, as it was when deleted.") % {"object": link})
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(url)
