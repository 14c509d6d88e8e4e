from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Public site")

    def ready(self):
        from core.cache import models_of, watch_content

        from .cache import CONTENT_APPS, is_shown
        from .scopes import scopes_of

        watch_content(models=models_of(CONTENT_APPS, unless=lambda model: not is_shown(model)), scopes_of=scopes_of)
