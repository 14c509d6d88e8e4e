"""Who may download which PDF: the public gets published visits, share links and active invitations only
(404 otherwise); the admin's documents need a staff member who may view the visit."""

import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from pypdf import PdfReader

from delegations.models import ShareLink
from delegations.services import share_link_create, share_links_revoke
from matchmaking.models import Registration
from matchmaking.services import agendas_publish, invitation_create
from meetings.models import MeetingParticipant
from tests.factories import (
    DelegationFactory,
    ItineraryItemFactory,
    MeetingFactory,
    OrganizationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.fixture
def draft():
    return DelegationFactory(is_published=False, title="Secret draft visit", slug="secret-draft")


def test_public_programme_of_a_draft_is_404_even_for_staff(client, staff_client, draft):
    url = reverse("documents:programme", kwargs={"slug": draft.slug})
    assert client.get(url).status_code == 404
    assert staff_client.get(url).status_code == 404


def test_public_programme_of_a_published_visit_is_its_pdf(client):
    visit = DelegationFactory(title="Open visit", slug="open-visit")
    text = pdf_text(client.get(reverse("documents:programme", kwargs={"slug": visit.slug})))
    assert "Open visit" in text


def test_share_link_serves_the_draft_programme_until_revoked(client, draft):
    link, token = share_link_create(delegation=draft, label="for a partner", created_by=None)
    url = reverse("public:shared-visit-programme", kwargs={"token": token})
    response = client.get(url)
    assert "Secret draft visit" in pdf_text(response)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    share_links_revoke(links=ShareLink.objects.filter(pk=link.pk))
    assert client.get(url).status_code == 404
    assert client.get(reverse("public:shared-visit-programme", kwargs={"token": "unknown"})).status_code == 404


def test_visit_pages_link_the_programme_pdf_only_where_the_public_may_have_it(client, draft):
    visit = DelegationFactory(slug="open-visit")
    page = client.get(reverse("public:visit-detail", kwargs={"slug": visit.slug})).content.decode()
    assert '<a href="/delegations/open-visit/programme.pdf" download>Programme (PDF)</a>' in page
    _link, token = share_link_create(delegation=draft, label="for a partner", created_by=None)
    page = client.get(reverse("public:shared-visit-detail", kwargs={"token": token})).content.decode()
    assert f'<a href="/share/{token}/programme.pdf" download>Programme (PDF)</a>' in page


def test_organization_agenda_is_404_for_a_draft_and_names_only_public_people(client, draft):
    company = OrganizationFactory(name="Acme", slug="acme")
    url = reverse("documents:organization-agenda", kwargs={"slug": company.slug, "visit": draft.slug})
    assert client.get(url).status_code == 404
    visit = DelegationFactory(slug="open-visit")
    meeting = MeetingFactory(delegation=visit, host_organization=company, table="7")
    hidden = PersonFactory(name="Hidden Person", is_public=False, email="hidden@example.org")
    MeetingParticipant.objects.create(meeting=meeting, person=hidden, side="host")
    page = client.get(reverse("public:organization-agenda", kwargs={"slug": company.slug})).content.decode()
    pdf_url = reverse("documents:organization-agenda", kwargs={"slug": company.slug, "visit": visit.slug})
    assert f'<a href="{pdf_url}" download>Agenda for {visit.title} (PDF)</a>' in page
    text = pdf_text(client.get(pdf_url))
    assert meeting.delegation_organization.name in text
    assert "a representative of Acme" in text
    assert "Hidden Person" not in text
    assert "hidden@example.org" not in text


def test_invitation_agenda_shows_published_sessions_and_refuses_unknown_or_revoked_links(client):
    visit = DelegationFactory(slug="open-visit")
    session = ItineraryItemFactory(delegation=visit, kind="b2b_session", title="Morning B2B", b2b_tables="1")
    invitation, token = invitation_create(
        delegation=visit, label="Acme", side="host", sessions=[session], created_by=None
    )
    company = OrganizationFactory(name="Acme")
    Registration.objects.create(delegation=visit, invitation=invitation, organization=company)
    MeetingFactory(delegation=visit, session=session, date=session.day, host_organization=company, table="1")
    url = reverse("documents:invitation-agenda", kwargs={"token": token})
    text = pdf_text(client.get(url))
    assert "Morning B2B" not in text  # not published yet
    agendas_publish(sessions=[session], status="final")
    text = pdf_text(client.get(url))
    assert "Morning B2B Final" in text
    assert client.get(reverse("documents:invitation-agenda", kwargs={"token": "nope"})).status_code == 404
    invitation.revoked_at = invitation.created_at
    invitation.save()
    assert client.get(url).status_code == 404


def admin_urls(visit, session, organization) -> list[str]:
    return [
        reverse("admin:delegations_delegation_documents", args=[visit.pk]),
        reverse("admin:delegations_delegation_programme_pdf", args=[visit.pk]),
        reverse("admin:delegations_delegation_badges_pdf", args=[visit.pk]),
        reverse("admin:delegations_delegation_agenda_pdf", args=[visit.pk, organization.pk]),
        reverse("admin:delegations_delegation_table_cards_pdf", args=[visit.pk, session.pk]),
    ]


def test_admin_documents_refuse_anonymous_and_staff_without_permission(client, django_user_model, draft):
    session = ItineraryItemFactory(delegation=draft, kind="b2b_session")
    urls = admin_urls(draft, session, OrganizationFactory())
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    client.force_login(django_user_model.objects.create_user("nobody", is_staff=True))
    for url in urls:
        assert client.get(url).status_code == 403


def test_admin_viewer_downloads_a_draft_programme_from_the_visit_page(client, django_user_model, draft):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.groups.add(Group.objects.get(name="Viewers"))
    client.force_login(viewer)
    page = client.get(reverse("admin:delegations_delegation_change", args=[draft.pk])).content.decode()
    programme = reverse("admin:delegations_delegation_programme_pdf", args=[draft.pk])
    assert f'<a href="{programme}" download>Programme (PDF)</a>' in page
    assert "Secret draft visit" in pdf_text(client.get(programme))
