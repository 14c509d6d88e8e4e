from django import template
from django.contrib.admin.templatetags.admin_list import result_list

from core.admin_rows import result_rows

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
