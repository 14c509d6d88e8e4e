import datetime
import re

from django.urls import reverse

from tests.factories import DelegationFactory, SectorFactory


def test_home_lists_published_visits_only(client, db):
    DelegationFactory(title="Published visit", is_published=True)
    DelegationFactory(title="Draft visit", is_published=False)

    response = client.get(reverse("public:home"))

    assert response.status_code == 200
    assert "Published visit" in response.text
    assert "Draft visit" not in response.text


def test_home_splits_upcoming_from_recent(client, db):
    today = datetime.date.today()
    DelegationFactory(
        title="Next month", start_date=today + datetime.timedelta(days=30), end_date=today + datetime.timedelta(days=33)
    )
    DelegationFactory(title="Last year", start_date=datetime.date(2018, 11, 26), end_date=datetime.date(2018, 11, 29))

    response = client.get(reverse("public:home"))

    assert [d.title for d in response.context["upcoming"]] == ["Next month"]
    assert [d.title for d in response.context["recent"]] == ["Last year"]


def test_home_card_names_sectors_in_the_language_ordered_by_it(client, db):
    """A card's sectors as a sector query gives them: ordered by the active language's name, each named in it, or
    in English where it has no name in that language."""
    visit = DelegationFactory(title="Visit", is_published=True)
    visit.priority_sectors.set(
        [
            SectorFactory(slug="water", name_en="Water", name_fr="Eau", name_ru=""),
            SectorFactory(slug="health", name_en="Health", name_fr="Santé", name_ru="Здравоохранение"),
            SectorFactory(slug="agriculture", name_en="Agriculture", name_fr="", name_ru="Сельское хозяйство"),
        ]
    )

    sectors = {}
    for language in ("en", "fr", "ru"):
        response = client.get(reverse("public:home"), HTTP_ACCEPT_LANGUAGE=language)
        sectors[language] = re.findall(r'<span class="tag">([^<]*)</span>', response.text)

    assert sectors == {
        "en": ["Agriculture", "Health", "Water"],
        "fr": ["Agriculture", "Eau", "Santé"],
        "ru": ["Water", "Здравоохранение", "Сельское хозяйство"],
    }
