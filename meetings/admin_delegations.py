"""The delegations app's venue, itinerary item and visit admins, registered again by the meetings app:
which meetings move with a venue or an item, and the grid of a B2B session's meetings, are this app's
business (delegations cannot import meetings). They save through the services that move the meetings
too, and link to the grid."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from delegations import admin as delegations_admin
from delegations.models import Delegation, ItineraryItem, Venue

from .services import itinerary_item_update, venue_update

admin.site.unregister((Venue, ItineraryItem, Delegation))


class B2BGridLinkMixin:
    @admin.display(description=_("B2B grid"))
    def b2b_grid_link(self, obj):
        if obj is None or obj.pk is None or obj.kind != ItineraryItem.Kind.B2B_SESSION:
            return "—"
        url = reverse(f"{self.admin_site.name}:meetings_meeting_session_grid", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open the B2B grid"))


class ItineraryItemInline(B2BGridLinkMixin, delegations_admin.ItineraryItemInline):
    fieldsets = (
        *delegations_admin.ItineraryItemInline.fieldsets[:-1],
        (
            delegations_admin.ItineraryItemInline.fieldsets[-1][0],
            {
                **delegations_admin.ItineraryItemInline.fieldsets[-1][1],
                "fields": (*delegations_admin.ItineraryItemInline.fieldsets[-1][1]["fields"], ("b2b_grid_link",)),
            },
        ),
    )
    readonly_fields = ("b2b_grid_link",)


@admin.register(Venue)
class VenueAdmin(delegations_admin.VenueAdmin):
    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        venue_update(venue=obj)


@admin.register(ItineraryItem)
class ItineraryItemAdmin(B2BGridLinkMixin, delegations_admin.ItineraryItemAdmin):
    fieldsets = (
        *delegations_admin.ItineraryItemAdmin.fieldsets[:-1],
        (
            _("B2B session layout"),
            {"fields": ("b2b_tables", "b2b_slot_minutes", "b2b_grid_link"), "description": _("Only for B2B sessions.")},
        ),
    )
    readonly_fields = ("b2b_grid_link",)

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        itinerary_item_update(item=obj)


@admin.register(Delegation)
class DelegationAdmin(delegations_admin.DelegationAdmin):
    inlines = (delegations_admin.MemberInline, ItineraryItemInline, delegations_admin.FollowUpInline)

    def save_rows(self, request, formset):
        if formset.model is not ItineraryItem:
            return super().save_rows(request, formset)
        items = formset.save(commit=False)
        for item in formset.deleted_objects:
            item.delete()
        for item in items:
            itinerary_item_update(item=item)
        formset.save_m2m()
