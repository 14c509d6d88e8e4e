"""The admin's navigation sidebar (its app list) written once for each list of apps, language and current
app and model, instead of at every admin page: the same template over the same few dozen models each time."""

from django import template
from django.template.defaultfilters import urlencode
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

_written: dict = {}  # what the app list depends on (see _key) -> its HTML
_LIMIT = 512


def _key(apps, path: str) -> tuple:
    """Everything the app list's HTML depends on: each app's and model's label, name, addresses and view-only
    flag, which of the addresses the page's path holds (the current app and model), and the language."""
    return (
        get_language(),
        tuple(
            (
                app["app_label"],
                str(app["name"]),
                app["app_url"],
                app["app_url"] in path,
                tuple(
                    (
                        model["object_name"],
                        str(model["name"]),
                        model.get("admin_url"),
                        model.get("add_url"),
                        model.get("view_only"),
                        isinstance(model.get("admin_url"), str) and model["admin_url"] in path,
                    )
                    for model in app["models"]
                ),
            )
            for app in apps
        ),
    )


@register.simple_tag(takes_context=True)
def nav_app_list(context):
    """What `{% include 'admin/app_list.html' with app_list=available_apps show_changelinks=False %}` writes."""
    request = context["request"]
    apps = context.get("available_apps") or []
    key = _key(apps, urlencode(request.path))  # as the template tests it: request.path|urlencode
    if key not in _written:
        if len(_written) >= _LIMIT:
            _written.clear()
        html = get_template("admin/app_list.html").render({"app_list": apps, "show_changelinks": False}, request)
        _written[key] = html
    return mark_safe(_written[key])
