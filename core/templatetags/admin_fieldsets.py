from django import template

from core.fieldsets import render_fieldset

register = template.Library()


@register.simple_tag
def admin_fieldset(fieldset, heading_level=2, prefix="", id_prefix="", id_suffix=""):
    return render_fieldset(fieldset, heading_level, prefix, id_prefix, id_suffix)
