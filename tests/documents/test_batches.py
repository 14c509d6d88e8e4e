"""All organizations' agendas as one ZIP, made by a task (run at once here: no broker) and followed as a batch:
the ZIP holds a real PDF per organization, named by it; only staff who may view the visit start or download it;
a failure ends the batch failed with its reason."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from pypdf import PdfReader

from core.models import Batch
from tests.factories import DelegationFactory, MeetingFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    visit = DelegationFactory(is_published=False, title="Draft trade mission", slug="draft-mission")
    guests = OrganizationFactory(name="Irkutsk Timber", slug="irkutsk-timber")
    hosts = OrganizationFactory(
        name="Shanghai Electric", native_name="上海电气集团股份有限公司", slug="shanghai-electric"
    )
    MeetingFactory(delegation=visit, delegation_organization=guests, host_organization=hosts, table="A")
    OrganizationFactory(name="Not in this visit", slug="elsewhere")
    return visit


@pytest.fixture
def viewer(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", is_staff=True)
    user.groups.add(Group.objects.get(name="Viewers"))
    client.force_login(user)
    return client


@pytest.fixture
def start():
    """Post the button; the task runs at once (no broker)."""

    def post(client, visit):
        return client.post(reverse("admin:delegations_delegation_agendas_zip_start", args=[visit.pk]))

    return post


def test_agendas_zip_holds_a_pdf_per_participating_organization_named_by_it(viewer, visit, start):
    response = start(viewer, visit)
    batch = Batch.objects.get()
    batch.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:core_batch_change", args=[batch.pk])
    assert (batch.status, batch.total, batch.succeeded, batch.label) == (
        Batch.Status.DONE,
        2,
        2,
        "Agendas (ZIP) · Draft trade mission",
    )
    download = reverse("admin:delegations_delegation_agendas_zip", args=[visit.pk, batch.pk])
    assert batch.result_url == download
    assert f'href="{download}"' in viewer.get(response["Location"]).content.decode()

    response = viewer.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="draft-mission-agendas.zip"'
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["irkutsk-timber.pdf", "shanghai-electric.pdf"]
    for name, organization, counterpart in (
        ("irkutsk-timber.pdf", "Irkutsk Timber", "Shanghai Electric"),
        ("shanghai-electric.pdf", "Shanghai Electric", "Irkutsk Timber"),
    ):
        reader = PdfReader(io.BytesIO(archive.read(name)))
        text = " ".join(page.extract_text() for page in reader.pages)
        assert text.startswith("DRAFT TRADE MISSION")
        assert organization in text and counterpart in text
        assert "Not in this visit" not in text
    assert (
        "上海电气集团股份有限公司"
        in PdfReader(io.BytesIO(archive.read("shanghai-electric.pdf"))).pages[0].extract_text()
    )


def test_a_new_agendas_zip_replaces_the_visits_older_one(viewer, visit, start):
    start(viewer, visit)
    start(viewer, visit)
    first, second = Batch.objects.order_by("pk")
    assert viewer.get(reverse("admin:delegations_delegation_agendas_zip", args=[visit.pk, first.pk])).status_code == 404
    assert (
        viewer.get(reverse("admin:delegations_delegation_agendas_zip", args=[visit.pk, second.pk])).status_code == 200
    )


def test_agendas_zip_refuses_anonymous_and_staff_without_permission(client, django_user_model, viewer, visit, start):
    start(viewer, visit)
    batch = Batch.objects.get()
    download = reverse("admin:delegations_delegation_agendas_zip", args=[visit.pk, batch.pk])
    other_visit = DelegationFactory()
    assert (
        viewer.get(reverse("admin:delegations_delegation_agendas_zip", args=[other_visit.pk, batch.pk])).status_code
        == 404
    )
    client.logout()
    for response in (client.get(download), start(client, visit)):
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    client.force_login(django_user_model.objects.create_user("nobody", is_staff=True))
    assert client.get(download).status_code == 403
    assert start(client, visit).status_code == 403
    assert Batch.objects.count() == 1
    assert viewer.get(reverse("admin:delegations_delegation_agendas_zip_start", args=[visit.pk])).status_code == 405


def test_a_failed_agendas_zip_is_reported_in_its_batch(settings, tmp_path, viewer, visit, start):
    settings.DOCUMENTS_ROOT = tmp_path / "a-file"
    settings.DOCUMENTS_ROOT.write_text("not a folder")
    start(viewer, visit)
    batch = Batch.objects.get()
    assert batch.status == Batch.Status.FAILED
    assert batch.error.startswith(("FileExistsError", "NotADirectoryError"))
    assert batch.result_url == ""
    page = viewer.get(reverse("admin:core_batch_change", args=[batch.pk])).content.decode()
    assert batch.error in page or "Failed" in page
