"""The admin's navigation sidebar, its app list written once for each list of apps, language and current
app and model (core/templatetags/admin_sidebar.py), is what Django's own nav_sidebar.html writes on the
same page: for a superuser and a viewer, on lists and a change page, in English and French."""

from pathlib import Path

import django
import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from tests.factories import DelegationFactory

DJANGOS = Path(django.__file__).parent / "contrib/admin/templates/admin/nav_sidebar.html"


def sidebar(html: str) -> str:
    start = html.index('<button class="sticky toggle-nav-sidebar"')
    return html[start : html.index("</nav>", start) + len("</nav>")]


def djangos_sidebar(response, language: str) -> str:
    page = next(context for context in response.context if "available_apps" in context)
    template = engines["django"].from_string(DJANGOS.read_text())
    with translation.override(language):
        return template.render(page.flatten(), response.wsgi_request).strip()


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("who", ["superuser", "Viewers"])
def test_the_sidebar_is_djangos_on_every_kind_of_admin_page(client, staff_client, member_client, who, language):
    visit = DelegationFactory()
    viewer = staff_client if who == "superuser" else member_client(who)
    pages = [  # not the index nor an app's page: they show the app list in the page, not in a sidebar
        reverse("admin:delegations_delegation_changelist"),
        reverse("admin:delegations_delegation_change", args=[visit.pk]),
        reverse("admin:meetings_meeting_changelist"),
        reverse("admin:contacts_organization_changelist"),
    ]
    shown = []
    for page in pages * 2:  # the second time from what the first wrote
        response = viewer.get(page, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, page
        ours = sidebar(response.content.decode())
        assert ours == djangos_sidebar(response, language), page
        shown.append(ours)
    # Each page marks its own app and model as current, in the page's language.
    assert 'class="model-delegation current-model"' in shown[0] and 'class="model-meeting current-model"' in shown[2]
    assert 'class="model-organization current-model"' in shown[3] and "model-delegation current-model" not in shown[3]
    assert ("Add" if language == "en" else "Ajouter") in shown[0] or who == "Viewers"
