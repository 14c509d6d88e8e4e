from modeltranslation.translator import TranslationOptions, register

from core.history import history_register

from .models import Organization, Person, Position, Sector


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ("name",)


@register(Position)
class PositionTranslation(TranslationOptions):
    fields = ("title",)


# History after the translations, so that the historical models copy the title_en, title_fr… fields.
history_register(Organization, m2m_fields=("sectors",))
history_register(Person)
history_register(Position)
