"""The PDFs read back with pypdf: exact names in every script, A4 pages, each day from a new page, fonts
embedded, and nothing private in the documents the public may download."""

import io

import pytest
from django.utils.formats import date_format
from pypdf import PdfReader

from delegations.models import ItineraryItem

from .conftest import CHINESE_NAME, PRIVATE_EMAIL, pdf_pages

pytestmark = pytest.mark.django_db

A4 = (595.28, 841.89)


def single_line(text: str) -> str:
    return " ".join(text.split())


def compact(text: str) -> str:
    """Without any white space: a line may break a Chinese name anywhere, and pypdf reads the break as a space."""
    return "".join(text.split())


@pytest.mark.parametrize("document", ["programme", "agenda", "cards", "badges"])
def test_every_page_is_a4_with_its_fonts_embedded(demo_world, document):
    reader = PdfReader(io.BytesIO(getattr(demo_world, document)))
    assert len(reader.pages) >= 1
    for page in reader.pages:
        assert page.mediabox.width == pytest.approx(A4[0], abs=1)
        assert page.mediabox.height == pytest.approx(A4[1], abs=1)
        fonts = page["/Resources"]["/Font"]
        assert fonts
        for font in fonts.values():
            font = font.get_object()
            descriptor = (
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in font
                else font["/FontDescriptor"]
            )
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.get_object())


def test_programme_cover_names_the_visit_its_route_and_organiser(demo_world):
    cover = single_line(demo_world.programme_text[0])
    assert "Delegation of the Irkutsk region to France" in cover
    assert "IRKUTSK REGION, RUSSIA → FRANCE" in cover  # in capitals, as the cover sets it
    assert "26 November 2018 – 29 November 2018" in cover
    assert f"Organised by {demo_world.visit.organiser.name}" in cover
    assert f"Sent by {demo_world.visit.leading_body.name}" in cover


def test_programme_names_members_in_their_script_and_the_office_without_a_holder(demo_world):
    members = single_line(demo_world.programme_text[1])
    assert members.startswith("Members of the delegation")
    assert f"{demo_world.levchenko.name} (Сергей Левченко)" in members
    assert f"Head of the Regional Executive Committee, {demo_world.visit.leading_body.name}" in members


def test_programme_starts_each_day_on_a_new_page(demo_world):
    days = sorted(set(ItineraryItem.objects.filter(delegation=demo_world.visit).values_list("day", flat=True)))
    headings = [f"{date_format(day, 'l')} {date_format(day)}" for day in days]
    first_lines = [text.strip().splitlines()[0] if text.strip() else "" for text in demo_world.programme_text]
    assert [line for line in first_lines if line in headings] == headings


def test_programme_shows_local_and_home_times_venues_and_sessions(demo_world):
    text = single_line(" ".join(demo_world.programme_text))
    assert "15:00–16:30 CET, UTC+1 22:00–23:30 home time (UTC+8)" in text
    assert "Time not announced" in text
    assert demo_world.session.venue.address in text
    session_row = "16:00–16:30 · A Government of the Irkutsk region"
    assert session_row in text
    assert compact(f"Shanghai Electric ({CHINESE_NAME})") in compact(text)
    assert compact("Li Wei (李伟)") in compact(text)
    assert "Hidden Person" not in text
    assert "a representative of Shanghai Electric" in text


def test_programme_lists_agreements_and_those_reported_without_detail(demo_world):
    text = single_line(" ".join(demo_world.programme_text))
    assert "Agreements" in text
    for agreement in demo_world.visit.agreements.all():
        assert single_line(agreement.title) in text


def test_agenda_shows_each_meeting_with_time_table_counterpart_and_venue(demo_world):
    text = single_line(" ".join(demo_world.agenda_text))
    assert text.startswith("DELEGATION OF THE IRKUTSK REGION TO FRANCE · 26 NOVEMBER 2018 – 29 NOVEMBER 2018")
    assert compact(f"Shanghai Electric {CHINESE_NAME} Meeting agenda") in compact(text)
    assert "16:00–16:30" in text
    assert "CET, UTC+1" in text
    assert " A " in text
    assert "Government of the Irkutsk region (Правительство Иркутской области)" in text
    assert f"{demo_world.levchenko.name} (Сергей Левченко)" in text
    assert demo_world.session.venue.address in text


def test_public_documents_hold_no_private_contact_or_person(demo_world):
    for text in (*demo_world.programme_text, *demo_world.agenda_text):
        assert PRIVATE_EMAIL not in text
        assert "office@example.org" not in text
        assert "Hidden Person" not in text


def test_table_cards_name_the_table_its_organizations_and_people_per_slot(demo_world):
    (card,) = demo_world.cards_text
    card = single_line(card)
    assert "Table A" in card
    assert "16:00–16:30" in card
    assert "Government of the Irkutsk region" in card
    assert demo_world.levchenko.name in card
    assert compact(f"Shanghai Electric ({CHINESE_NAME})") in compact(card)
    assert "Li Wei, Hidden Person" in card


def test_badges_name_each_member_in_both_scripts(demo_world):
    text = single_line(" ".join(demo_world.badges_text))
    assert f"{demo_world.levchenko.name} Сергей Левченко" in text
    assert text.count("DELEGATION OF THE IRKUTSK REGION TO FRANCE") == 5  # the five named members, not the office


def test_a_batch_gives_each_organization_its_own_agenda(demo_world):
    """Staff's agendas (for e-mail): own people by name, the counterpart's as the public sees them."""
    (chinese, chinese_pages), (government, government_pages) = demo_world.batch
    assert (chinese, government) == (demo_world.chinese, demo_world.visit.leading_body)
    chinese_text, government_text = single_line(" ".join(chinese_pages)), single_line(" ".join(government_pages))
    assert compact(f"Shanghai Electric {CHINESE_NAME} Meeting agenda") in compact(chinese_text)
    assert "For you: Li Wei, Hidden Person" in chinese_text
    assert f"{government.name} Правительство Иркутской области Meeting agenda" in government_text
    assert "a representative of Shanghai Electric" in government_text
    assert "Hidden Person" not in government_text


def test_a_batch_laid_out_in_worker_processes_gives_the_same_agendas(demo_world, monkeypatch):
    """One agenda a chunk: two chunks, laid out in two forked worker processes, read back in order."""
    from documents import agendas

    monkeypatch.setattr(agendas, "BATCH_SIZE", 1)
    organizations = [demo_world.chinese, demo_world.visit.leading_body]
    batch = [(o, pdf_pages(content)) for o, content in agendas.render_agendas(demo_world.visit, organizations)]
    assert batch == demo_world.batch


def outline(reader: PdfReader, items=None, depth: int = 0) -> list[tuple]:
    """The PDF's bookmarks as (depth, title, page index, left, top), in order."""
    entries = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            entries += outline(reader, item, depth + 1)
        else:
            entries.append((depth, item.title, reader.get_destination_page_number(item), item.left, item.top))
    return entries


@pytest.mark.parametrize("in_workers", [True, False], ids=["in worker processes", "in this process"])
def test_programme_laid_out_in_parts_is_the_programme_laid_out_whole(demo_world, monkeypatch, in_workers):
    """Parts joined (their page numbers "n / N" stamped afterwards, the outline built for the whole) read as the
    document laid out in one piece: the same pages, text, outline, title and language; whether the parts are laid
    out in worker processes (the margin pages meanwhile here) or one after the other here (a single core)."""
    from documents import rendering
    from documents.programme import programme_html
    from documents.rendering import PART_BREAK, html_document, paged_pdf

    if not in_workers:
        monkeypatch.setattr(rendering, "worker_count", lambda tasks: 1)
    elif rendering.worker_count(3) == 1:
        pytest.skip("a single core: no worker processes")

    html = programme_html(demo_world.visit, language="en")
    assert html.count(PART_BREAK) >= 3
    whole = PdfReader(io.BytesIO(html_document(html).write_pdf()))
    joined = PdfReader(io.BytesIO(paged_pdf(html, parts=3)))
    assert [page.extract_text() for page in joined.pages] == [page.extract_text() for page in whole.pages]
    assert outline(joined) == outline(whole)
    assert len(outline(whole)) > 10
    assert joined.metadata.title == whole.metadata.title == demo_world.visit.title + " · Programme"
    assert joined.trailer["/Root"]["/Lang"] == whole.trailer["/Root"]["/Lang"] == "en"
    pages = len(whole.pages)
    assert [page.extract_text().strip().splitlines()[-1] for page in joined.pages[1:]] == [
        f"{number} / {pages}" for number in range(2, pages + 1)
    ]
