import datetime

from django.urls import reverse

from tests.factories import DelegationFactory


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
