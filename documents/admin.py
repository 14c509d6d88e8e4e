"""The visit's documents in the admin: buttons on the visit's change page, and a page listing every document of
the visit (the programme, drafts included; each organization's agenda; each B2B session's table cards; the
name badges). Staff who may view the visit may download them all.

The visit's admin is the one registered by the apps below (meetings re-registers delegations'), extended here
and registered again, as meetings.admin_delegations does: delegations cannot import documents.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contacts.models import Organization
from delegations.models import Delegation, ItineraryItem

from .agendas import organization_agenda_pdf
from .batches import agendas_zip_path, agendas_zip_queue, participating_organizations
from .programme import programme_pdf
from .sheets import badges_pdf, table_cards_pdf
from .views import pdf_response, visits

BaseDelegationAdmin = type(admin.site.get_model_admin(Delegation))
admin.site.unregister(Delegation)


@admin.register(Delegation)
class DelegationAdmin(BaseDelegationAdmin):
    change_form_template = "admin/documents/delegation/change_form.html"

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        admin_view = self.admin_site.admin_view
        return [
            path("<int:pk>/documents/", admin_view(self.documents_view), name=f"{prefix}_documents"),
            path("<int:pk>/documents/programme.pdf", admin_view(self.programme_view), name=f"{prefix}_programme_pdf"),
            path("<int:pk>/documents/badges.pdf", admin_view(self.badges_view), name=f"{prefix}_badges_pdf"),
            path(
                "<int:pk>/documents/agenda/<int:organization>.pdf",
                admin_view(self.agenda_view),
                name=f"{prefix}_agenda_pdf",
            ),
            path(
                "<int:pk>/documents/table-cards/<int:session>.pdf",
                admin_view(self.table_cards_view),
                name=f"{prefix}_table_cards_pdf",
            ),
            path(
                "<int:pk>/documents/agendas/",
                admin_view(require_POST(self.agendas_zip_start_view)),
                name=f"{prefix}_agendas_zip_start",
            ),
            path(
                "<int:pk>/documents/agendas/<int:batch>.zip",
                admin_view(self.agendas_zip_view),
                name=f"{prefix}_agendas_zip",
            ),
            *super().get_urls(),
        ]

    def visible_visit(self, request, pk: int) -> Delegation:
        """The visit, drafts included, for staff who may view it; 404 for an unknown one, 403 otherwise."""
        delegation = get_object_or_404(visits(), pk=pk)
        if not self.has_view_permission(request, delegation):
            raise PermissionDenied
        return delegation

    def documents_view(self, request, pk: int):
        delegation = self.visible_visit(request, pk)
        organizations = participating_organizations(delegation)
        sessions = ItineraryItem.objects.filter(delegation=delegation, kind=ItineraryItem.Kind.B2B_SESSION).order_by(
            "day", "start_time", "order", "pk"
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": delegation,
            "title": _("Documents of %(visit)s") % {"visit": delegation.title},
            "organizations": organizations,
            "sessions": sessions,
        }
        return TemplateResponse(request, "admin/documents/delegation/documents.html", context)

    def programme_view(self, request, pk: int):
        delegation = self.visible_visit(request, pk)
        return pdf_response(programme_pdf(delegation), f"{delegation.slug}-programme.pdf")

    def badges_view(self, request, pk: int):
        delegation = self.visible_visit(request, pk)
        return pdf_response(badges_pdf(delegation), f"{delegation.slug}-badges.pdf")

    def agenda_view(self, request, pk: int, organization: int):
        delegation = self.visible_visit(request, pk)
        organization = get_object_or_404(Organization, pk=organization)
        content = organization_agenda_pdf(delegation, organization)
        return pdf_response(content, f"{delegation.slug}-{organization.slug}-agenda.pdf")

    def table_cards_view(self, request, pk: int, session: int):
        delegation = self.visible_visit(request, pk)
        item = get_object_or_404(
            ItineraryItem.objects.select_related("delegation"),
            pk=session,
            delegation=delegation,
            kind=ItineraryItem.Kind.B2B_SESSION,
        )
        return pdf_response(table_cards_pdf(item), f"{delegation.slug}-table-cards-{item.pk}.pdf")

    def agendas_zip_start_view(self, request, pk: int):
        """Start the batch that makes every participating organization's agenda into one ZIP; go to its page."""
        delegation = self.visible_visit(request, pk)
        batch = agendas_zip_queue(delegation=delegation, user=request.user)
        return HttpResponseRedirect(reverse("admin:core_batch_change", args=[batch.pk]))

    def agendas_zip_view(self, request, pk: int, batch: int):
        """A batch's ZIP of agendas, for staff who may view the visit; 404 once replaced by a newer one."""
        delegation = self.visible_visit(request, pk)
        path = agendas_zip_path(delegation.pk, batch)
        if not path.is_file():
            raise Http404(_("This file is no longer kept: make it again from the visit's documents."))
        return HttpResponse(
            path.read_bytes(),
            content_type="application/zip",
            headers={
                "Content-Disposition": content_disposition_header(
                    as_attachment=True, filename=f"{delegation.slug}-agendas.zip"
                )
            },
        )
