from django import template

from core.inline_rows import render_rows
from delegations.admin_detail import item_detail_fieldset

register = template.Library()


@register.simple_tag
def programme_fieldset(fieldset, form, heading_level, prefix, id_prefix, id_suffix):
    return item_detail_fieldset(fieldset, form, heading_level, prefix, id_prefix, id_suffix)


@register.simple_tag
def programme_rows(inline_admin_formset):
    """The inline's rows, each existing item's detail drawn as a placeholder loaded when opened."""
    return render_rows(inline_admin_formset, item_detail_fieldset)
