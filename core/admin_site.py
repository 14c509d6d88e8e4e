"""The project's admin site: Django's, its app list kept once built.

Every admin page lists the apps and models (the navigation sidebar, the index) and Django builds the list
afresh each time, reversing two addresses for each model. The list depends only on which models the user
may see and change, the language and the addresses' prefix: it is built once for each of those."""

from django.contrib import admin
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

_LIMIT = 512


class AdminSite(admin.AdminSite):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._app_lists: dict = {}  # what the list depends on (see _key) -> the list

    def _key(self, request, app_label) -> tuple:
        """Everything the app list depends on: each model's permissions for this user, as Django reads them
        to build it, the language, the script prefix and the URL configuration."""
        permissions = tuple(
            (model, model_admin.has_module_permission(request), tuple(model_admin.get_model_perms(request).items()))
            for model, model_admin in self._registry.items()
            if app_label is None or model._meta.app_label == app_label
        )
        return (app_label, permissions, get_language(), get_script_prefix(), get_urlconf())

    def get_app_list(self, request, app_label=None):
        key = self._key(request, app_label)
        if key not in self._app_lists:
            if len(self._app_lists) >= _LIMIT:
                self._app_lists.clear()
            self._app_lists[key] = super().get_app_list(request, app_label)
        # A copy of each app and model: a caller may change what it is given.
        return [{**app, "models": [dict(model) for model in app["models"]]} for app in self._app_lists[key]]
