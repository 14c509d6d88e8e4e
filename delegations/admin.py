import functools

from django.contrib import admin, messages
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.filters import CountryFilter
from modeltranslation.admin import TranslationAdmin

from core.admin import (
    BatchedAutocompleteFormSetMixin,
    BatchedAutocompleteInlineMixin,
    FoldedSearchMixin,
    PostedDataCopiedCheaplyMixin,
    RefusedAtSaveMixin,
    RowsMediaOnceMixin,
    SafeAutocompleteMixin,
    UnchangedRowTrustedFormMixin,
)
from core.concurrency_admin import StaleFormRefusedMixin
from core.history_admin import HistoryAdmin

from . import admin_sharing  # noqa: F401 (registers the share links' admin)
from .admin_detail import item_detail_view
from .admin_places import place_urls
from .admin_programme import FollowUpInline, ItineraryItemInline, MemberInline, create_typed_records
from .forms import AgreementPartyFormSet, LocalTimesForm
from .models import (
    Agreement,
    AgreementParty,
    Delegation,
    DelegationMember,
    FollowUp,
    ItineraryItem,
    Venue,
    belongs_to_a_visit,
)
from .services import (
    delegation_restore,
    delegations_set_published,
    venue_save,
)
from .widgets import PlacePickersMixin


class SameVisitChoicesMixin:
    """On a saved record's page, its links to other records of a visit (a meeting's session and follow-ups,
    an agreement's signing item…) offer that visit's records only, in a plain list: any other would be
    refused (delegations.models.links). On a new record's page the visit is not chosen yet: the fields
    keep their autocomplete over every visit, and the form names the visit of a wrong choice."""

    def get_form(self, request, obj=None, **kwargs):
        request.visit_of_record = getattr(obj, "delegation_id", None)
        return super().get_form(request, obj, **kwargs)

    def links_in_visit(self, request, name: str) -> bool:
        if getattr(request, "visit_of_record", None) is None or name == "delegation":
            return False
        field = self.model._meta.get_field(name)
        return field.is_relation and belongs_to_a_visit(field.related_model)

    def get_autocomplete_fields(self, request):
        return tuple(
            name for name in super().get_autocomplete_fields(request) if not self.links_in_visit(request, name)
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if self.links_in_visit(request, db_field.name):
            kwargs["queryset"] = db_field.related_model._default_manager.filter(delegation=request.visit_of_record)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if self.links_in_visit(request, db_field.name):
            kwargs["queryset"] = db_field.related_model._default_manager.filter(delegation=request.visit_of_record)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Venue)
class VenueAdmin(PlacePickersMixin, SafeAutocompleteMixin, StaleFormRefusedMixin, RefusedAtSaveMixin, HistoryAdmin):
    list_display = ("name", "city", "country", "time_zone", "organization")
    list_filter = (("country", CountryFilter), "city", "time_zone")
    list_select_related = ("organization",)
    search_fields = ("name", "address", "city", "organization__name", "organization__native_name")
    autocomplete_fields = ("organization",)

    def get_urls(self):
        return place_urls(self) + super().get_urls()

    def save_model(self, request, obj, form, change):
        # Meetings at the venue follow it too: the meetings app registers this admin again to move them.
        obj._history_user = request.user
        venue_save(venue=obj)


@admin.register(Delegation)
class DelegationAdmin(
    PlacePickersMixin,
    SafeAutocompleteMixin,
    StaleFormRefusedMixin,
    RefusedAtSaveMixin,
    FoldedSearchMixin,
    PostedDataCopiedCheaplyMixin,
    RowsMediaOnceMixin,
    HistoryAdmin,
    TranslationAdmin,
):
    list_display = ("title", "origin_country", "origin_region", "start_date", "end_date", "status", "is_published")
    list_filter = (
        "is_published",
        "status",
        ("origin_country", CountryFilter),
        ("host_countries", CountryFilter),
        "priority_sectors",
    )
    search_fields = (
        "title",
        "origin_region",
        "slug",
        "leading_body__name",
        "organiser__name",
        "members__person__name",
        "members__person__native_name",
        "members__title",
    )
    search_help_text = _("Title, region, leading body, organiser, a member's name in either script or title.")
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("leading_body", "organiser", "supporting_organizations", "priority_sectors")
    inlines = (MemberInline, ItineraryItemInline, FollowUpInline)
    save_on_top = True
    fieldsets = (
        (None, {"fields": ("title", "slug", "status", "is_published")}),
        (_("Origin"), {"fields": ("origin_country", "origin_region", "leading_body", "home_time_zone")}),
        (_("Visit"), {"fields": ("host_countries", "start_date", "end_date", "purpose", "priority_sectors")}),
        (_("Organisation"), {"fields": ("organiser", "supporting_organizations", "description")}),
        (
            _("Reported without detail"),
            {
                "fields": ("reported_meetings", "agreements_without_detail", "agreements_without_detail_summary"),
                "description": _("What the sources report for the visit as a whole without naming it one by one."),
            },
        ),
    )
    actions = ("publish", "unpublish")
    readonly_fields = ("share_links", "create_share_link")

    def get_urls(self):
        detail = path(
            "<path:object_id>/items/<int:item_id>/detail/",
            self.admin_site.admin_view(functools.partial(item_detail_view, self)),
            name="delegations_delegation_item_detail",
        )
        return [detail, *super().get_urls()]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not request.user.has_perm("delegations.view_sharelink"):
            return fieldsets
        fields = (
            ("share_links", "create_share_link")
            if request.user.has_perm("delegations.add_sharelink")
            else ("share_links",)
        )
        return (*fieldsets, (_("Share links"), {"fields": fields}))

    @admin.display(description=_("Share links"))
    def share_links(self, obj):
        url = reverse(f"{self.admin_site.name}:delegations_sharelink_changelist")
        return format_html('<a href="{}?delegation__id__exact={}">{}</a>', url, obj.pk, _("This visit's share links"))

    @admin.display(description=_("New share link"))
    def create_share_link(self, obj):
        url = reverse(f"{self.admin_site.name}:delegations_sharelink_add")
        return format_html('<a href="{}?delegation={}">{}</a>', url, obj.pk, _("Create a share link for this visit"))

    @admin.action(description=_("Publish selected visits"), permissions=("change",))
    def publish(self, request, queryset):
        changed, unchanged = delegations_set_published(delegations=queryset, published=True)
        self.report_changes(
            request,
            changed=ngettext("%(count)d visit published.", "%(count)d visits published.", len(changed)),
            unchanged=ngettext(
                "%(count)d visit was published already.", "%(count)d visits were published already.", len(unchanged)
            ),
            counts=(len(changed), len(unchanged)),
        )

    @admin.action(description=_("Withdraw selected visits to draft"), permissions=("change",))
    def unpublish(self, request, queryset):
        changed, unchanged = delegations_set_published(delegations=queryset, published=False)
        self.report_changes(
            request,
            changed=ngettext(
                "%(count)d visit withdrawn to draft.", "%(count)d visits withdrawn to draft.", len(changed)
            ),
            unchanged=ngettext(
                "%(count)d visit was a draft already.", "%(count)d visits were drafts already.", len(unchanged)
            ),
            counts=(len(changed), len(unchanged)),
        )

    def report_changes(self, request, *, changed: str, unchanged: str, counts: tuple[int, int]) -> None:
        if counts[0] or not counts[1]:
            self.message_user(request, changed % {"count": counts[0]}, messages.SUCCESS)
        if counts[1]:
            self.message_user(request, unchanged % {"count": counts[1]}, messages.INFO)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Only the change page's form is the record as opened (the stale-form check compares them); a past
        # version's form (the history's revert) is unchanged from that version, not from the record.
        request.visit_form_as_opened = object_id is not None
        return super().changeform_view(request, object_id, form_url, extra_context)

    def unchanged_visit(self, request, form, change) -> bool:
        return change and getattr(request, "visit_form_as_opened", False) and not form.has_changed()

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Posted back as it was opened, the visit's own form is trusted like an unchanged row of its inlines.
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or not getattr(request, "visit_form_as_opened", False):
            return form
        return type(form.__name__, (UnchangedRowTrustedFormMixin, form), {})

    def save_model(self, request, obj, form, change):
        if self.unchanged_visit(request, form, change):
            return  # nothing to write: no UPDATE, no history row, no page cache emptied
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if self.unchanged_visit(request, form, change):
            for formset in formsets:  # the visit's own links are as they were; its rows may have changed
                self.save_formset(request, form, formset, change=change)
            return
        super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        create_typed_records(formset)  # the people, venues and hosts its rows typed new, for the rows to point to
        self.save_rows(request, formset)

    def save_rows(self, request, formset):
        super().save_formset(request, None, formset, True)

    def restore_record(self, *, record, user):
        return delegation_restore(record=record, user=user)  # its share links come back revoked


@admin.register(DelegationMember)
class DelegationMemberAdmin(SafeAutocompleteMixin, StaleFormRefusedMixin, HistoryAdmin, TranslationAdmin):
    list_display = ("member", "delegation", "role", "title", "organization")
    list_filter = ("role", "delegation")
    list_select_related = ("person", "delegation", "organization")
    search_fields = ("person__name", "person__native_name", "title", "delegation__title")
    date_hierarchy = "delegation__start_date"
    autocomplete_fields = ("delegation", "person", "organization")

    @admin.display(description=_("member"), ordering="person__name")
    def member(self, obj):
        return obj.name


@admin.register(ItineraryItem)
class ItineraryItemAdmin(
    PlacePickersMixin, SafeAutocompleteMixin, StaleFormRefusedMixin, RefusedAtSaveMixin, HistoryAdmin, TranslationAdmin
):
    list_display = ("title", "delegation", "day", "start_time", "end_time", "time_zone", "kind", "venue", "city")
    list_filter = ("kind", "delegation", "city")
    list_select_related = ("delegation", "venue")
    search_fields = ("title", "description", "venue__name", "city", "delegation__title")
    date_hierarchy = "day"
    autocomplete_fields = ("delegation", "venue", "hosts", "delegation_participants", "host_participants")
    form = LocalTimesForm
    save_on_top = True
    fieldsets = (
        (None, {"fields": ("delegation", "kind", "title", "description")}),
        (
            _("When and where"),
            {
                "fields": (
                    "day",
                    "start_time",
                    "start_fold",
                    "end_time",
                    "end_fold",
                    "order",
                    "venue",
                    "city",
                    "time_zone",
                ),
                "description": _("Times are the local time of the venue."),
            },
        ),
        (_("Who"), {"fields": ("hosts", "delegation_participants", "host_participants")}),
        (
            _("Figures"),
            {
                "fields": (
                    "audience_approximation",
                    "audience_size",
                    "reported_meetings",
                    "agreements_without_detail",
                    "agreements_without_detail_summary",
                )
            },
        ),
        (
            _("B2B session layout"),
            {"fields": ("b2b_tables", "b2b_slot_minutes"), "description": _("Only for B2B sessions.")},
        ),
    )


class AgreementPartyInlineFormSet(BatchedAutocompleteFormSetMixin, AgreementPartyFormSet):
    pass


class AgreementPartyInline(BatchedAutocompleteInlineMixin, admin.TabularInline):
    model = AgreementParty
    formset = AgreementPartyInlineFormSet
    extra = 2
    min_num = 2
    autocomplete_fields = ("organization", "signatory")
    fields = ("order", "organization", "signatory", "signatory_title")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agreement", "organization", "signatory")


@admin.register(Agreement)
class AgreementAdmin(
    SameVisitChoicesMixin, SafeAutocompleteMixin, StaleFormRefusedMixin, HistoryAdmin, TranslationAdmin
):
    list_display = ("title", "kind", "delegation", "signed_on", "place", "status_display", "party_list")
    list_filter = ("kind", "status", "delegation")
    list_select_related = ("delegation",)
    search_fields = ("title", "subject", "parties__organization__name", "parties__organization__native_name")
    search_help_text = _("Title, subject or a party's name in either script.")
    date_hierarchy = "signed_on"
    autocomplete_fields = ("delegation", "signing_item")
    inlines = (AgreementPartyInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("parties__organization")

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj):
        """Beside the kind, agreeing with it in French."""
        return obj.status_label

    @admin.display(description=_("parties"))
    def party_list(self, obj):
        return ", ".join(str(party.organization) for party in obj.parties.all())


@admin.register(AgreementParty)
class AgreementPartyAdmin(SafeAutocompleteMixin, StaleFormRefusedMixin, HistoryAdmin):
    list_display = ("organization", "agreement", "signatory", "signatory_title")
    list_filter = ("agreement__kind", "agreement__status", "organization__kind", "agreement__delegation")
    list_select_related = ("organization", "agreement", "signatory")
    search_fields = (
        "organization__name",
        "organization__native_name",
        "agreement__title",
        "signatory__name",
        "signatory__native_name",
    )
    date_hierarchy = "agreement__signed_on"
    autocomplete_fields = ("agreement", "organization", "signatory")


@admin.register(FollowUp)
class FollowUpAdmin(
    SameVisitChoicesMixin, SafeAutocompleteMixin, StaleFormRefusedMixin, HistoryAdmin, TranslationAdmin
):
    list_display = (
        "title",
        "kind",
        "delegation",
        "organization_list",
        "status_display",
        "next_step",
        "due_date",
        "sector",
    )
    list_filter = ("kind", "status", "sector", "delegation")
    list_select_related = ("delegation", "sector")
    search_fields = ("title", "description", "next_step", "organizations__name", "organizations__native_name")
    date_hierarchy = "due_date"
    autocomplete_fields = ("delegation", "organizations", "sector", "itinerary_item", "agreement")
    fieldsets = (
        (None, {"fields": ("delegation", "kind", "title", "description", "organizations", "sector")}),
        (_("Progress"), {"fields": ("status", "next_step", "due_date")}),
        (_("Came from"), {"fields": ("itinerary_item", "agreement")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("organizations")

    @admin.display(description=_("organizations"))
    def organization_list(self, obj):
        return ", ".join(str(organization) for organization in obj.organizations.all())

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj):
        """Beside the kind, agreeing with it in French."""
        return obj.status_label
