"""The rows of a stacked inline written in Python: what the loop over the rows of Django's
admin/edit_inline/stacked.html writes (each row's heading, its delete box, its errors, its fieldsets and
hidden keys), without a pass of the template engine over some twenty nodes per row.

A visit's page has about fifty rows (members, itinerary items); each one's fieldsets are written by
core.fieldsets already, and the template around them was what was left of their time. The HTML is the
template's, byte for byte (tests/core/test_bound_widgets.py compares the whole page).
"""

from collections.abc import Callable

from django.contrib.admin.templatetags.admin_urls import admin_urlname, admin_urlquote
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from .bound_widgets import bound_field_html
from .fieldsets import render_fieldset
from .widgets import escaped

# (fieldset, form, heading level, prefix, row index, fieldset index) -> its HTML
FieldsetWriter = Callable[..., str]


def _fieldset(fieldset, form, heading_level, prefix, id_prefix, id_suffix) -> str:
    return render_fieldset(fieldset, heading_level, prefix, id_prefix, id_suffix)


def _heading_label(inline_admin_formset, inline_admin_form, counter0: int) -> str:
    """The row's label in its heading: the record and its change link, or the row's number."""
    original = inline_admin_form.original
    if not original:
        return f"#{counter0 + 1}"
    label = escaped(original)
    model_admin = inline_admin_form.model_admin
    if model_admin.show_change_link and model_admin.has_registered_model:
        url = reverse(
            admin_urlname(model_admin.opts, "change"),
            args=[admin_urlquote(original.pk)],
            current_app=model_admin.admin_site.name,
        )
        may_change = inline_admin_formset.has_change_permission
        label += (
            f' <a href="{escaped(url)}" class="{"inlinechangelink" if may_change else "inlineviewlink"}">'
            f"{escaped(gettext('Change') if may_change else gettext('View'))}</a>"
        )
    return label + "\n"


def render_rows(inline_admin_formset, write_fieldset: FieldsetWriter = _fieldset) -> SafeString:
    """Every row of the inline (the empty form last, when rows may be added), as the template's loop."""
    formset = inline_admin_formset.formset
    prefix = escaped(formset.prefix)
    verbose_name = escaped(capfirst(inline_admin_formset.opts.verbose_name))
    may_delete = formset.can_delete and inline_admin_formset.has_delete_permission
    rows = list(inline_admin_formset)
    parts = []
    for counter0, inline_admin_form in enumerate(rows):
        form = inline_admin_form.form
        empty = counter0 == len(rows) - 1 and inline_admin_formset.has_add_permission
        classes = "inline-related"
        if inline_admin_form.original or inline_admin_form.show_url:
            classes += " has_original"
        if empty:
            classes += " empty-form last-related"
        view_on_site = ""
        if inline_admin_form.show_url:
            view_on_site = f'<a href="{escaped(inline_admin_form.absolute_url)}">{escaped(gettext("View on site"))}</a>'
        delete = ""
        if may_delete and inline_admin_form.original:
            deletion = inline_admin_form.deletion_field()
            delete = f'<span class="delete">{bound_field_html(deletion.field)} {escaped(deletion.label_tag())}</span>'
        errors = form.non_field_errors()
        fieldsets = "".join(
            f"\n      {write_fieldset(fieldset, form, 4, fieldset.formset.prefix, counter0, index)}\n    "
            for index, fieldset in enumerate(inline_admin_form)
        )
        pk = bound_field_html(inline_admin_form.pk_field().field) if inline_admin_form.needs_explicit_pk_field() else ""
        fk_field = inline_admin_form.fk_field()
        fk = bound_field_html(fk_field.field) if fk_field else ""
        parts.append(
            f'<div class="{classes}" id="{prefix}-{"empty" if empty else counter0}">\n'
            f'  <h3><b>{verbose_name}:</b> <span class="inline_label">'
            f"{_heading_label(inline_admin_formset, inline_admin_form, counter0)}</span>\n"
            f"      {view_on_site}\n"
            f"    {delete}\n"
            f"  </h3>\n"
            f"  {escaped(errors) if errors else ''}\n\n"
            f"  \n    {fieldsets}\n  \n\n"
            f"  {pk}\n"
            f"  {fk}\n"
            f"</div>"
        )
    return mark_safe("".join(parts))
