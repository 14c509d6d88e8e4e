from modeltranslation.translator import TranslationOptions, register

from .models import Agreement, Delegation, DelegationMember, FollowUp, ItineraryItem


@register(Delegation)
class DelegationTranslation(TranslationOptions):
    fields = ("title", "origin_region", "purpose", "description")


@register(DelegationMember)
class DelegationMemberTranslation(TranslationOptions):
    fields = ("title",)


@register(ItineraryItem)
class ItineraryItemTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Agreement)
class AgreementTranslation(TranslationOptions):
    fields = ("title", "subject")


@register(FollowUp)
class FollowUpTranslation(TranslationOptions):
    fields = ("title", "description", "next_step")
