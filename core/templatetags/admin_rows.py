from django import template
from django.contrib.admin.templatetags.admin_list import admin_list_filter, result_list
from django.utils.safestring import mark_safe

from core.admin_rows import filter_html, result_rows

register = template.Library()


@register.inclusion_tag("admin/change_list_results.html")
def fast_result_list(changelist):
    """Django's `{% result_list %}`, its rows written by core.admin_rows when it knows every column."""
    rows = result_rows(changelist)
    if rows is None:
        return result_list(changelist)
    saved, changelist.result_list = changelist.result_list, []
    try:
        context = result_list(changelist)  # the headers, without Django's rows
    finally:
        changelist.result_list = saved
    return {**context, "results": rows}


@register.simple_tag
def fast_list_filter(changelist, spec):
    """Django's `{% admin_list_filter %}`, written by core.admin_rows for a filter of Django's own template."""
    html = filter_html(changelist, spec)
    return admin_list_filter(changelist, spec) if html is None else mark_safe(html)
