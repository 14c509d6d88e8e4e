from django import template

from delegations.admin_detail import item_detail_fieldset

register = template.Library()


@register.simple_tag
def programme_fieldset(fieldset, form, heading_level, prefix, id_prefix, id_suffix):
    return item_detail_fieldset(fieldset, form, heading_level, prefix, id_prefix, id_suffix)
