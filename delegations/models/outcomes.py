"""What a visit produced: agreements and their parties, follow-ups."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contacts.models import Organization, Person, Sector
from core.dates import date_in_range, validate_date_in_range

from .itinerary import ItineraryItem
from .links import LinkedInsideVisit, check_links_inside_visit
from .visits import Delegation


class Agreement(LinkedInsideVisit, models.Model):
    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        COOPERATION = "cooperation", _("Cooperation agreement")
        TRIPARTITE = "tripartite", _("Tripartite agreement")
        CONTRACT = "contract", _("Contract")
        LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")

    class Status(models.TextChoices):
        # Alone (filters, forms), a status qualifies "an agreement"; beside a kind, see status_label.
        PREPARED = "prepared", pgettext_lazy("agreement status", "Prepared")
        SIGNED = "signed", pgettext_lazy("agreement status", "Signed")
        IN_FORCE = "in_force", _("In force")
        COMPLETED = "completed", pgettext_lazy("agreement status", "Completed")
        TERMINATED = "terminated", pgettext_lazy("agreement status", "Terminated")

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.PROTECT, related_name="agreements"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    subject = models.TextField(_("subject"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True, validators=[validate_date_in_range])
    place = models.CharField(_("place of signing"), max_length=200, blank=True, help_text=_("City or venue."))
    signing_item = models.ForeignKey(
        ItineraryItem,
        verbose_name=_("signed during"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        help_text=_("The itinerary item at which it was signed."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SIGNED)
    document = models.FileField(_("document"), upload_to="agreements/%Y/", blank=True)

    class Meta:
        ordering = ("delegation", "signed_on", "title")
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=date_in_range("signed_on", null=True),
                name="agreement_signed_on_in_range",
                violation_error_message=_("The signing date must lie between 1900 and 2200."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def status_label(self) -> str:
        """The status as it reads beside the kind, agreeing with it ("Lettre d'intention · Signée")."""
        return str(AGREEMENT_STATUS_BY_KIND.get(self.kind, {}).get(self.status) or self.get_status_display())

    def clean(self):
        super().clean()
        check_links_inside_visit(self)
        if self.signing_item_id and self.signed_on and self.signed_on != self.signing_item.day:
            raise ValidationError(
                {"signed_on": _("The signing date must be the day of the itinerary item it was signed at.")}
            )


class AgreementParty(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="parties"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="agreement_parties"
    )
    signatory = models.ForeignKey(
        Person,
        verbose_name=_("signatory"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )
    signatory_title = models.CharField(_("signatory's title"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ("agreement", "order", "pk")
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=("agreement", "organization"),
                name="party_unique_organization_per_agreement",
                violation_error_message=_("This organization is already a party to this agreement."),
            ),
        ]

    def __str__(self):
        return _("%(organization)s, party to “%(agreement)s”") % {
            "organization": self.organization,
            "agreement": self.agreement,
        }


class FollowUp(LinkedInsideVisit, models.Model):
    """What a visit set in motion. Meetings link to follow-ups from the meetings app."""

    class Kind(models.TextChoices):
        INVESTMENT_PROJECT = "investment_project", _("Investment project")
        PLANNED_VISIT = "planned_visit", _("Planned visit")
        INVITATION = "invitation", _("Invitation")
        PARTNERSHIP = "partnership", _("Partnership")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        # Alone (filters, forms), a status qualifies "a follow-up"; beside a kind, see status_label.
        PROPOSED = "proposed", pgettext_lazy("follow-up status", "Proposed")
        IN_NEGOTIATION = "in_negotiation", _("In negotiation")
        AGREED = "agreed", pgettext_lazy("follow-up status", "Agreed")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", pgettext_lazy("follow-up status", "Done")
        DROPPED = "dropped", pgettext_lazy("follow-up status", "Dropped")

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("organizations"), blank=True, related_name="follow_ups"
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True, validators=[validate_date_in_range])
    itinerary_item = models.ForeignKey(
        ItineraryItem,
        verbose_name=_("came from itinerary item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("came from agreement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )

    class Meta:
        ordering = ("delegation", "due_date", "title")
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=date_in_range("due_date", null=True),
                name="follow_up_due_date_in_range",
                violation_error_message=_("The due date must lie between 1900 and 2200."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def status_label(self) -> str:
        """The status as it reads beside the kind, agreeing with it ("Partenariat · Proposé")."""
        return str(FOLLOW_UP_STATUS_BY_KIND.get(self.kind, {}).get(self.status) or self.get_status_display())

    def clean(self):
        super().clean()
        check_links_inside_visit(self)


# A status beside a kind takes the kind's gender and number in French: one context per noun it qualifies.
# Statuses that never change their form ("In force", "In negotiation", "In progress") keep their one label.
AGREEMENT_STATUS_BY_KIND = {
    Agreement.Kind.MOU: {
        Agreement.Status.PREPARED: pgettext_lazy("status of a memorandum of understanding", "Prepared"),
        Agreement.Status.SIGNED: pgettext_lazy("status of a memorandum of understanding", "Signed"),
        Agreement.Status.COMPLETED: pgettext_lazy("status of a memorandum of understanding", "Completed"),
        Agreement.Status.TERMINATED: pgettext_lazy("status of a memorandum of understanding", "Terminated"),
    },
    Agreement.Kind.COOPERATION: {
        Agreement.Status.PREPARED: pgettext_lazy("status of a cooperation agreement", "Prepared"),
        Agreement.Status.SIGNED: pgettext_lazy("status of a cooperation agreement", "Signed"),
        Agreement.Status.COMPLETED: pgettext_lazy("status of a cooperation agreement", "Completed"),
        Agreement.Status.TERMINATED: pgettext_lazy("status of a cooperation agreement", "Terminated"),
    },
    Agreement.Kind.TRIPARTITE: {
        Agreement.Status.PREPARED: pgettext_lazy("status of a tripartite agreement", "Prepared"),
        Agreement.Status.SIGNED: pgettext_lazy("status of a tripartite agreement", "Signed"),
        Agreement.Status.COMPLETED: pgettext_lazy("status of a tripartite agreement", "Completed"),
        Agreement.Status.TERMINATED: pgettext_lazy("status of a tripartite agreement", "Terminated"),
    },
    Agreement.Kind.CONTRACT: {
        Agreement.Status.PREPARED: pgettext_lazy("status of a contract", "Prepared"),
        Agreement.Status.SIGNED: pgettext_lazy("status of a contract", "Signed"),
        Agreement.Status.COMPLETED: pgettext_lazy("status of a contract", "Completed"),
        Agreement.Status.TERMINATED: pgettext_lazy("status of a contract", "Terminated"),
    },
    Agreement.Kind.LETTER_OF_INTENT: {
        Agreement.Status.PREPARED: pgettext_lazy("status of a letter of intent", "Prepared"),
        Agreement.Status.SIGNED: pgettext_lazy("status of a letter of intent", "Signed"),
        Agreement.Status.COMPLETED: pgettext_lazy("status of a letter of intent", "Completed"),
        Agreement.Status.TERMINATED: pgettext_lazy("status of a letter of intent", "Terminated"),
    },
}

FOLLOW_UP_STATUS_BY_KIND = {
    FollowUp.Kind.INVESTMENT_PROJECT: {
        FollowUp.Status.PROPOSED: pgettext_lazy("status of an investment project", "Proposed"),
        FollowUp.Status.AGREED: pgettext_lazy("status of an investment project", "Agreed"),
        FollowUp.Status.DONE: pgettext_lazy("status of an investment project", "Done"),
        FollowUp.Status.DROPPED: pgettext_lazy("status of an investment project", "Dropped"),
    },
    FollowUp.Kind.PLANNED_VISIT: {
        FollowUp.Status.PROPOSED: pgettext_lazy("status of a planned visit", "Proposed"),
        FollowUp.Status.AGREED: pgettext_lazy("status of a planned visit", "Agreed"),
        FollowUp.Status.DONE: pgettext_lazy("status of a planned visit", "Done"),
        FollowUp.Status.DROPPED: pgettext_lazy("status of a planned visit", "Dropped"),
    },
    FollowUp.Kind.INVITATION: {
        FollowUp.Status.PROPOSED: pgettext_lazy("status of an invitation", "Proposed"),
        FollowUp.Status.AGREED: pgettext_lazy("status of an invitation", "Agreed"),
        FollowUp.Status.DONE: pgettext_lazy("status of an invitation", "Done"),
        FollowUp.Status.DROPPED: pgettext_lazy("status of an invitation", "Dropped"),
    },
    FollowUp.Kind.PARTNERSHIP: {
        FollowUp.Status.PROPOSED: pgettext_lazy("status of a partnership", "Proposed"),
        FollowUp.Status.AGREED: pgettext_lazy("status of a partnership", "Agreed"),
        FollowUp.Status.DONE: pgettext_lazy("status of a partnership", "Done"),
        FollowUp.Status.DROPPED: pgettext_lazy("status of a partnership", "Dropped"),
    },
    # "Other" is any follow-up: the statuses read as they do alone.
}
