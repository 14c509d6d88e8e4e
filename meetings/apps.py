from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("B2B meetings")

    def ready(self):
        from contacts.merging import merge_hook_register

        from .scheduling import bookings_merge_prepare

        # A merge of two people or organizations moves their meetings: their bookings follow.
        merge_hook_register(bookings_merge_prepare)
