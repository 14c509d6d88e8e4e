import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _static_files_from_source(settings):
    """Serve static files from the source folders: tests do not run collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture
def demo(db):
    """The Irkutsk visit, as `manage.py load_demo` loads it."""
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
