from modeltranslation.translator import TranslationOptions, register

from .models import Position, Sector


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ("name",)


@register(Position)
class PositionTranslation(TranslationOptions):
    fields = ("title",)
