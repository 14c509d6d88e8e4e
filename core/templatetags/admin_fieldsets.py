from django import template

from core.fieldsets import render_fieldset
from core.inline_rows import render_rows

register = template.Library()


@register.simple_tag
def admin_fieldset(fieldset, heading_level=2, prefix="", id_prefix="", id_suffix=""):
    return render_fieldset(fieldset, heading_level, prefix, id_prefix, id_suffix)


def included_fieldset(fieldset, form, heading_level, prefix, id_prefix, id_suffix) -> str:
    """A fieldset as {% include "admin/includes/fieldset.html" %} writes it: with that file's last line feed."""
    return render_fieldset(fieldset, heading_level, prefix, id_prefix, id_suffix) + "\n"


@register.simple_tag
def stacked_rows(inline_admin_formset):
    return render_rows(inline_admin_formset, included_fieldset)
