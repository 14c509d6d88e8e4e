from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Public site")

    def ready(self):
        from core.cache import watch_content

        from .cache import CONTENT_APPS, NOT_SHOWN

        watch_content(app_labels=CONTENT_APPS, except_models=NOT_SHOWN)
