"""A large workbook goes to a worker (at once without a broker, as here): its batch follows it, then leads to the
same preview as a small one's; a bad row still gives the row-by-row report and writes nothing. The size at
which an upload counts as large is lowered by a setting, so that the demo visit's workbook is one."""

import pytest

from contacts.models import Person
from core.batches import batch_done_so_far, batch_progress, batch_start
from core.models import Batch
from delegations.models import Delegation, ItineraryItem
from tests import factories
from tests.workbooks.test_workbook_identity import assert_refused_until_answered, identity_files
from tests.workbooks.test_workbooks import counts, download, edited, errors, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(settings):
    settings.WORKBOOK_BACKGROUND_BYTES = 1


def test_large_upload_is_previewed_by_a_worker_then_imported(staff_client, demo, large):
    content = edited(download(staff_client, demo), "itinerary", {"title_en": "Opening, renamed"})

    response = upload(staff_client, ("irkutsk.xlsx", content))

    batch = Batch.objects.get()
    assert (batch.label, batch.status, batch.done) == ("Visit workbook · preview", "done", batch.total)
    assert response.status_code == 302 and response["Location"] == batch.result_url
    preview = staff_client.get(response["Location"])
    assert errors(preview) == []
    assert counts(preview)["itinerary"] == {"created": 0, "updated": 1, "unchanged": demo.itinerary_items.count() - 1}
    assert not ItineraryItem.objects.filter(title_en="Opening, renamed").exists()

    done = staff_client.post("/admin/workbooks/confirm/", {"token": preview.context["token"]}, follow=True)

    assert done.redirect_chain[-1][0] == f"/admin/delegations/delegation/{demo.pk}/change/"
    assert ItineraryItem.objects.filter(delegation=demo, title_en="Opening, renamed").count() == 1


def test_large_upload_with_a_bad_row_is_reported_and_writes_nothing(staff_client, demo, large):
    content = edited(download(staff_client, demo), "itinerary", {"day": "2018-11-31", "title_en": "Never"})

    preview = staff_client.get(upload(staff_client, ("irkutsk.xlsx", content))["Location"])

    assert errors(preview) == [
        ("itinerary", 2, "day", "“2018-11-31” is not a date that exists: write it as 2018-11-26.")
    ]
    assert "Confirm the import" not in preview.content.decode()
    assert not ItineraryItem.objects.filter(title_en="Never").exists()


def test_large_upload_refused_by_the_reader_says_why_on_the_upload_page(staff_client, large):
    response = upload(staff_client, ("fake.xlsx", b"not a zip"))

    assert response.context["form"].non_field_errors() == ["This file is not an Excel workbook (.xlsx) nor a CSV file."]
    assert Batch.objects.get().error == "This file is not an Excel workbook (.xlsx) nor a CSV file."


def test_batch_page_shows_progress_written_from_inside_a_transaction(staff_client):
    batch = batch_start(label="Visit workbook · preview", total=1)
    batch_progress(batch_id=batch.pk, done=0, total=50_000)
    batch_progress(batch_id=batch.pk, done=12_500)
    batch.refresh_from_db()

    assert batch_done_so_far(batch) == 12_500
    page = staff_client.get(f"/admin/core/batch/{batch.pk}/change/").content.decode()
    assert '<progress max="50000" value="12500">' in page


def test_large_upload_carries_the_identity_answers_to_the_worker(staff_client, large):
    """The look-alike question of a large upload: a confirmation without its answer ends back on the preview
    with the question, writing nothing; with it, the worker keeps the row's spelling on the known person."""
    factories.OrganizationFactory(name="Chamber of Lyon", slug="chamber")
    serguei = factories.PersonFactory(name="Sergueï Levtchenko", native_name="Сергей Левченко", slug="serguei")
    files = identity_files()
    preview = staff_client.get(upload(staff_client, *files)["Location"])
    (question,) = preview.context["report"].questions
    assert (question.key, [c.pk for c in question.candidates]) == ("people-2", [serguei.pk])
    assert f'name="identity-people-2" value="same:{serguei.pk}"' in preview.content.decode()

    refused = staff_client.post("/admin/workbooks/confirm/", {"token": preview.context["token"]}, follow=True)

    assert Batch.objects.filter(label="Visit workbook · import", status="done").count() == 1
    assert refused.redirect_chain[-1][0].startswith("/admin/workbooks/preview/?token=")
    assert_refused_until_answered(refused)

    done = staff_client.post(
        "/admin/workbooks/confirm/",
        {"token": refused.context["token"], "identity-people-2": f"same:{serguei.pk}"},
        follow=True,
    )

    visit = Delegation.objects.get(slug="identity-visit")
    assert done.redirect_chain[-1][0] == f"/admin/delegations/delegation/{visit.pk}/change/"
    assert Person.objects.count() == 1
    serguei.refresh_from_db()
    assert (serguei.name, serguei.other_names) == ("Sergueï Levtchenko", "Sergei Levchenko")
    assert [m.person for m in visit.members.all()] == [serguei]
