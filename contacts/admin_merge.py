"""The admin action that merges two people, or two organizations: a confirmation page showing both
side by side with what refers to each, where staff choose the one to keep (contacts.merging does it)."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models
from django.template.defaultfilters import yesno
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .merging import MergeRefused, contact_merge, reference_counts


class MergeActionMixin:
    """A ModelAdmin whose list offers `merge_selected`: the subclass declares it with its own
    description, calling `merge_view`. Allowed to staff who may change and delete the model."""

    merge_fields: tuple[str, ...] = ()  # shown side by side on the confirmation page

    def has_merge_permission(self, request) -> bool:
        """Both: the kept record changes, the other is deleted. (An action's own permissions are any of them.)"""
        return self.has_change_permission(request) and self.has_delete_permission(request)

    def merge_view(self, request, queryset):
        opts = self.model._meta
        records = list(queryset.order_by("pk")[:3])
        if len(records) != 2:
            self.message_user(
                request,
                _("Select exactly two %(records)s to merge.") % {"records": opts.verbose_name_plural},
                messages.ERROR,
            )
            return None
        by_key = {str(record.pk): record for record in records}
        kept_key = request.POST.get("kept")
        if request.POST.get("post") == "yes" and kept_key in by_key:
            kept = by_key.pop(kept_key)
            (merged,) = by_key.values()
            return self.merge_records(request, kept=kept, merged=merged)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge two %(records)s") % {"records": opts.verbose_name_plural},
            "opts": opts,
            "records": records,
            "rows": self.merge_rows(records),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": request.POST.get("action", "merge_selected"),
            "no_choice": request.POST.get("post") == "yes",
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/contacts/merge_confirmation.html", context)

    def merge_rows(self, records) -> list[tuple[str, list[str]]]:
        """What the page compares: each chosen field, then the number of rows of each kind that refer to
        each record."""
        rows = []
        for name in self.merge_fields:
            field = self.model._meta.get_field(name)
            values = []
            for record in records:
                value = getattr(record, f"get_{name}_display")() if field.choices else getattr(record, name)
                if isinstance(field, models.BooleanField):
                    value = yesno(value)
                values.append("" if value in (None, "") else str(value))
            rows.append((str(field.verbose_name), values))
        counts = [dict(reference_counts(record)) for record in records]
        for label in sorted({label for count in counts for label in count}):
            rows.append((label, [str(count.get(label, 0)) for count in counts]))
        return rows

    def merge_records(self, request, *, kept, merged):
        try:
            summary = contact_merge(kept=kept, merged=merged, user=request.user)
        except MergeRefused as refused:
            self.message_user(
                request,
                _("Nothing was merged: %(reasons)s") % {"reasons": " ".join(refused.messages)},
                messages.ERROR,
            )
            return None
        moved, collapsed = sum(summary.moved.values()), sum(summary.collapsed.values())
        self.message_user(
            request,
            _("“%(merged)s” was merged into “%(kept)s”.") % {"merged": summary.merged_name, "kept": kept}
            + " "
            + ngettext("%(count)d reference moved", "%(count)d references moved", moved) % {"count": moved}
            + ", "
            + ngettext("%(count)d duplicate folded.", "%(count)d duplicates folded.", collapsed) % {"count": collapsed},
            messages.SUCCESS,
        )
        return None


def merge_action(description):
    """The action, under the model's own wording ("Merge the two selected people")."""

    @admin.action(description=description, permissions=("merge",))
    def merge_selected(model_admin, request, queryset):
        return model_admin.merge_view(request, queryset)

    return merge_selected
