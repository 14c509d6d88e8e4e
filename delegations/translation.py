from modeltranslation.translator import TranslationOptions, register

from core.history import history_register

from .models import Agreement, AgreementParty, Delegation, DelegationMember, FollowUp, ItineraryItem, ShareLink, Venue


@register(Delegation)
class DelegationTranslation(TranslationOptions):
    fields = ("title", "origin_region", "purpose", "description", "agreements_without_detail_summary")


@register(DelegationMember)
class DelegationMemberTranslation(TranslationOptions):
    fields = ("title",)


@register(ItineraryItem)
class ItineraryItemTranslation(TranslationOptions):
    fields = ("title", "description", "agreements_without_detail_summary")


@register(Agreement)
class AgreementTranslation(TranslationOptions):
    fields = ("title", "subject")


@register(FollowUp)
class FollowUpTranslation(TranslationOptions):
    fields = ("title", "description", "next_step")


# History after the translations, so that the historical models copy the title_en, title_fr… fields.
history_register(Venue)
history_register(Delegation, m2m_fields=("supporting_organizations", "priority_sectors"))
history_register(DelegationMember)
history_register(ItineraryItem, m2m_fields=("hosts", "delegation_participants", "host_participants"))
history_register(Agreement)
history_register(AgreementParty)
history_register(FollowUp, m2m_fields=("organizations",))
# Reactivations and revocations, with who and when (a link's token is never stored, only its hash).
history_register(ShareLink)
