from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DelegationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "delegations"
    verbose_name = _("Visits and outcomes")
