"""An itinerary item's folded detail on the visit's page, fetched when staff open it.

The page draws each existing item's detail as a closed placeholder (`item_detail_fieldset`); opening it
asks `item_detail_view` for the detail's fields, which static/delegations/item-detail.js puts in its
place with a hidden `with_detail` input, so that the row posts its detail back and the form takes it
(delegations.admin_programme.ItemForm). A row whose detail stayed closed posts none of it, and leaves
its description, hosts and participants as they are."""

import re

from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.fieldsets import render_fieldset, render_line

from .admin_programme import WITH_DETAIL, ItineraryItemInline

DETAIL_CLASS = "item-detail"
ROW_PREFIX = re.compile(r"(?P<formset>[a-z_]+)-(?P<index>\d+)")


def is_detail(fieldset) -> bool:
    return DETAIL_CLASS in fieldset.classes.split()


def readonly_lines(fieldset) -> str:
    """The fieldset's read-only lines (a B2B session's link to its grid), which need no form field."""
    lines = [
        line
        for line in fieldset.fields
        if all(name in fieldset.readonly_fields for name in ((line,) if isinstance(line, str) else line))
    ]
    kept = helpers.Fieldset(
        fieldset.form, fields=lines, readonly_fields=fieldset.readonly_fields, model_admin=fieldset.model_admin
    )
    return "".join(render_line(line) for line in kept)


def item_detail_fieldset(fieldset, form, heading_level, prefix, id_prefix, id_suffix) -> SafeString:
    """A row's fieldset as the page shows it: the detail of an existing item as a closed placeholder
    unless it was posted with the row (a form shown again with its errors), any other as Django does."""
    heading_id = format_html("{}-{}-{}-heading", prefix, id_prefix, id_suffix)
    if is_detail(fieldset) and getattr(form, "detail_deferred", False):
        url = reverse("admin:delegations_delegation_item_detail", args=[form.instance.delegation_id, form.instance.pk])
        return format_html(
            '<fieldset class="module aligned {}" aria-labelledby="{}">'
            '<details data-detail-url="{}" data-prefix="{}" data-failed="{}"><summary>'
            '<h{} id="{}" class="fieldset-heading">{}</h{}></summary>'
            '<p class="detail-loading" role="status">{}</p>{}</details></fieldset>',
            fieldset.classes,
            heading_id,
            url,
            form.prefix,
            _("The detail could not be loaded. Reload the page and open it again."),
            heading_level,
            heading_id,
            fieldset.name,
            heading_level,
            _("Loading…"),
            mark_safe(readonly_lines(fieldset)),
        )
    html = render_fieldset(fieldset, heading_level, prefix, id_prefix, id_suffix)
    if is_detail(fieldset) and form.instance.pk is not None and not getattr(form, "detail_deferred", False):
        html += format_html('<input type="hidden" name="{}" value="1">', form.add_prefix(WITH_DETAIL))
    return mark_safe(html)


def item_detail_view(model_admin, request, object_id, item_id):
    """The detail fieldset of one item of the visit, as its row `?prefix=` on the page draws it: for staff
    who may change the visit."""
    visit = model_admin.get_object(request, unquote(object_id))
    if visit is None:
        raise Http404(_("No such visit."))
    inline = next(
        (i for i in model_admin.get_inline_instances(request, visit) if isinstance(i, ItineraryItemInline)), None
    )
    if inline is None or not inline.has_change_permission(request, visit):
        raise PermissionDenied
    formset_class = inline.get_formset(request, visit)
    match = ROW_PREFIX.fullmatch(request.GET.get("prefix", ""))
    if match is None or match["formset"] != formset_class.get_default_prefix():
        return HttpResponseBadRequest(_("The row is not named."))
    item = inline.get_queryset(request).filter(delegation=visit, pk=item_id).first()
    if item is None:
        raise Http404(_("This item is not part of this visit any more. Reload the page."))
    form = formset_class.form(instance=item, prefix=match.group(0), with_detail=True, use_required_attribute=False)
    for name, options in inline.get_fieldsets(request, visit):
        if DETAIL_CLASS in options.get("classes", ()):
            fieldset = helpers.InlineFieldset(
                formset_class,
                form,
                name,
                inline.get_readonly_fields(request, visit),
                model_admin=inline,
                **options,
            )
            index = [n for n, _options in inline.get_fieldsets(request, visit)].index(name)
            html = item_detail_fieldset(fieldset, form, 4, match["formset"], match["index"], index)
            return HttpResponse(html)
    raise Http404(_("Items have no detail here."))
