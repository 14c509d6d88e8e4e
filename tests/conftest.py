import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from tests.helpers import manage, server_env
from tests.shared_demo import SharedDemo, shares_demo

# CI sends the same requests every run (derandomized, no example database); HYPOTHESIS_PROFILE=explore
# draws new ones, twenty times as many.
hypothesis_settings.register_profile(
    "ci", max_examples=200, derandomize=True, database=None, deadline=None, print_blob=True
)
hypothesis_settings.register_profile("explore", database=None, deadline=None, max_examples=3000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Static files from the source folders (tests do not run collectstatic); a fast password hasher; an empty cache."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_USE_FINDERS = True
    # Each test starts with an empty cache of its own, whatever DJANGO_REDIS_URL says.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    cache.clear()


@pytest.fixture(autouse=True)
def _content_types_of_this_database(request):
    """A test that commits starts with the content types read afresh: an earlier such test in the same
    process (pytest-xdist runs them in any order) flushed the database, whose content types were made
    again under new keys, and the process's cache of the old ones would point the admin's log to rows
    that are gone (a foreign key error at commit)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _english_to_start():
    """Each test starts in English: a French request in an earlier test leaves French active in the thread."""
    translation.activate("en")
    yield
    translation.deactivate()


SHARED_DEMO = SharedDemo()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before any fixture of the test: the shared demo loaded if the test uses it, rolled back if not
    (tests/shared_demo.py)."""
    SHARED_DEMO.wanted = shares_demo(item)
    if SHARED_DEMO.wanted:
        SHARED_DEMO.load()
    else:
        SHARED_DEMO.unload()


@pytest.fixture(scope="module")
def _shared_demo(django_db_setup, django_db_blocker):
    """The shared demo's database access, for the module's tests; rolled back at the module's end."""
    SHARED_DEMO.blocker = django_db_blocker
    if SHARED_DEMO.wanted:
        SHARED_DEMO.load()
    yield SHARED_DEMO
    SHARED_DEMO.unload()
    SHARED_DEMO.blocker = None


@pytest.fixture
def demo(_shared_demo, db):
    """The Irkutsk visit, as `manage.py load_demo` loads it: loaded once for consecutive tests that use it
    (tests/shared_demo.py), or by the test itself when it commits."""
    if not _shared_demo.loaded:
        call_command("load_demo", verbosity=0)
    from delegations.models import Delegation

    return Delegation.objects.get(slug="irkutsk-region-france-2018")


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.org", "correct-horse-battery")


@pytest.fixture
def staff_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def member_client(client, django_user_model):
    """Logs a staff member (not a superuser) of the named group in: member_client("Viewers")."""

    def login(group: str):
        from django.contrib.auth.models import Group

        user = django_user_model.objects.create_user(group.lower(), is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
        return client

    return login


@pytest.fixture
def viewer_client(member_client):
    return member_client("Viewers")


@pytest.fixture
def meeting_grid(db):
    """Three public meetings over two published visits, and one in a draft visit; tables name them.

    A1: visit-a, 26 Nov 2018 10:00–10:30 at the Senate in Paris, health, held, Government / Eastmed,
        in the visit's B2B session; Anne Public and Boris Hidden (not public) on the host side.
    A2: visit-a, 28 Nov 2018, no time, Lyon, energy, confirmed, Government / Dalkia.
    B1: visit-b, 11 Jun 2019 09:00–10:00 at Eurexpo in Lyon, health, cancelled, Dalkia / Société Générale.
    D1: draft-visit, 26 Nov 2018 in Paris, held, Government / Eastmed: never public.
    """
    import datetime
    from types import SimpleNamespace

    from delegations.models import ItineraryItem
    from meetings.models import Meeting, MeetingParticipant
    from tests import factories

    health = factories.SectorFactory(name="Health", slug="health")
    energy = factories.SectorFactory(name="Energy", slug="energy")
    government = factories.OrganizationFactory(name="Government of the Irkutsk region", slug="government")
    eastmed = factories.OrganizationFactory(name="Eastmed", slug="eastmed")
    dalkia = factories.OrganizationFactory(name="Dalkia", slug="dalkia")
    societe = factories.OrganizationFactory(name="Société Générale", slug="societe-generale")
    visit_a = factories.DelegationFactory(title="Visit A", slug="visit-a")
    visit_b = factories.DelegationFactory(
        title="Visit B", slug="visit-b", start_date=datetime.date(2019, 6, 10), end_date=datetime.date(2019, 6, 12)
    )
    draft = factories.DelegationFactory(title="Draft visit", slug="draft-visit", is_published=False)
    senate = factories.VenueFactory(name="Senate", address="15 rue de Vaugirard", city="Paris")
    eurexpo = factories.VenueFactory(name="Eurexpo", address="Boulevard de l'Europe", city="Lyon")
    session = factories.ItineraryItemFactory(
        delegation=visit_a, kind=ItineraryItem.Kind.B2B_SESSION, title="B2B session", venue=senate
    )
    a1 = factories.MeetingFactory(
        delegation=visit_a,
        session=session,
        date=datetime.date(2018, 11, 26),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(10, 30),
        venue=senate,
        table="A1",
        delegation_organization=government,
        host_organization=eastmed,
        sector=health,
        status=Meeting.Status.HELD,
        outcome="Signed a letter of intent.",
    )
    a2 = factories.MeetingFactory(
        delegation=visit_a,
        date=datetime.date(2018, 11, 28),
        start_time=None,
        end_time=None,
        venue=None,
        city="Lyon",
        time_zone="Europe/Paris",
        table="A2",
        delegation_organization=government,
        host_organization=dalkia,
        sector=energy,
        status=Meeting.Status.CONFIRMED,
    )
    b1 = factories.MeetingFactory(
        delegation=visit_b,
        date=datetime.date(2019, 6, 11),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 0),
        venue=eurexpo,
        table="B1",
        delegation_organization=dalkia,
        host_organization=societe,
        sector=health,
        status=Meeting.Status.CANCELLED,
        outcome="Postponed.",
    )
    d1 = factories.MeetingFactory(
        delegation=draft,
        date=datetime.date(2018, 11, 26),
        venue=senate,
        table="D1",
        delegation_organization=government,
        host_organization=eastmed,
        sector=health,
        status=Meeting.Status.HELD,
        outcome="Draft secret.",
    )
    anne = factories.PersonFactory(name="Anne Public", slug="anne-public")
    boris = factories.PersonFactory(name="Boris Hidden", slug="boris-hidden", is_public=False)
    for person in (anne, boris):
        factories.MeetingParticipantFactory(meeting=a1, person=person, side=MeetingParticipant.Side.HOST)
    return SimpleNamespace(
        a1=a1, a2=a2, b1=b1, d1=d1, session=session, visit_a=visit_a, visit_b=visit_b, draft=draft, eastmed=eastmed
    )


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory) -> Path:
    """collectstatic into an empty folder, with the production storage (compressed, hashed names)."""
    root = tmp_path_factory.mktemp("static")
    result = manage("collectstatic", "--noinput", env=server_env(DJANGO_STATIC_ROOT=str(root)))
    assert result.returncode == 0, result.stdout + result.stderr
    return root
