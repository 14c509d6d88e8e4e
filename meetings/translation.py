from modeltranslation.translator import TranslationOptions, register

from core.history import history_register

from .models import Meeting, MeetingParticipant


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("outcome",)


# History after the translations, so that the historical models copy the outcome_en, outcome_fr fields.
history_register(Meeting, m2m_fields=("follow_ups",))
history_register(MeetingParticipant)
