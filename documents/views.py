"""PDF downloads from the public side: a published visit's programme (and a share link's, mounted by
public.urls under the link), an organization's agenda for a published visit, and an invited company's agenda
through its invitation link. Each shows what its page shows, never more: drafts are 404 at public addresses.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from contacts.models import Organization
from delegations.models import Delegation
from matchmaking.models import Registration
from matchmaking.views import invitation_required

from .agendas import invitation_agenda_pdf, organization_agenda_pdf
from .programme import programme_pdf


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type="application/pdf",
        headers={"Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)},
    )


def visits():
    return Delegation.objects.select_related("leading_body", "organiser").prefetch_related(
        "supporting_organizations", "priority_sectors"
    )


@require_safe
def programme_view(request, slug: str):
    """A published visit's programme; a draft is 404 here, for staff too (they have the admin's button)."""
    delegation = get_object_or_404(visits().published(), slug=slug)
    return pdf_response(programme_pdf(delegation), f"{delegation.slug}-programme.pdf")


@require_safe
def shared_programme_view(request, share_link, token: str):
    """The programme of a share link's visit, draft or not, as its shared page shows it (see public.sharing)."""
    delegation = get_object_or_404(visits(), pk=share_link.delegation_id)
    return pdf_response(programme_pdf(delegation), f"{delegation.slug}-programme.pdf")


@require_safe
def organization_agenda_view(request, slug: str, visit: str):
    """An organization's meetings in a published visit, named as the public pages name them."""
    organization = get_object_or_404(Organization, slug=slug)
    delegation = get_object_or_404(Delegation.objects.published(), slug=visit)
    content = organization_agenda_pdf(delegation, organization, public=True)
    return pdf_response(content, f"{delegation.slug}-{organization.slug}-agenda.pdf")


@require_safe
@invitation_required
def invitation_agenda_view(request, invitation):
    """The agenda the invitation's page shows (published sessions only), for an active link only."""
    registration = Registration.objects.filter(invitation=invitation).select_related("organization").first()
    return pdf_response(invitation_agenda_pdf(invitation, registration), "agenda.pdf")
