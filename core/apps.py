from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import checks  # noqa: F401  (registers the checks)


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the project's admin site (core.admin_site) as `admin.site`."""

    default = False  # the core app's own configuration is CoreConfig
    default_site = "core.admin_site.AdminSite"
