"""Background batches in the admin, read-only: the list, and each batch's page, which shows its progress and
reloads itself (a meta refresh: no script) until the batch ends, then its result and every failure's reason;
opened to follow a batch (?follow=1), it goes on to the result once there (Schedule all's proposal)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .batches import batch_done_so_far
from .models import Batch

REFRESH_SECONDS = 3


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ("label", "status", "progress", "succeeded", "skipped", "failed", "created_by", "created_at")
    list_filter = ("status",)
    list_select_related = ("created_by",)
    search_fields = ("label",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("progress"))
    def progress(self, obj):
        return f"{obj.done}/{obj.total}"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = get_object_or_404(Batch.objects.select_related("created_by"), pk=object_id)
        if not self.has_view_permission(request, batch):
            raise PermissionDenied
        follow = request.GET.get("follow") == "1"
        if follow and batch.status == Batch.Status.DONE and batch.result_url.startswith("/"):
            return HttpResponseRedirect(batch.result_url)  # what the staff member was waiting for
        batch.done = batch_done_so_far(batch)  # shown, not saved
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": batch.label,
            "batch": batch,
            "refresh_seconds": REFRESH_SECONDS if batch.is_running else None,
            "follow": follow,
        }
        return TemplateResponse(request, "admin/core/batch/progress.html", context)
