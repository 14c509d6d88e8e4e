from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from delegations.models import Delegation
from tests.factories import DelegationFactory, DelegationMemberFactory, ItineraryItemFactory

DOMAIN_APPS = ("contacts", "delegations", "meetings", "matchmaking")


def domain_permissions(*actions: str, historical: bool = False) -> set[str]:
    return {
        f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.model_name.startswith("historical") == historical
        for action in actions
    }


def group_permissions(name: str) -> set[str]:
    return {
        f"{permission.content_type.app_label}.{permission.codename}"
        for permission in Group.objects.get(name=name).permissions.select_related("content_type")
    }


def test_editors_group_may_add_change_delete_and_view_every_domain_model_and_only_view_history(db):
    # and the background batches' progress; sending agendas adds to their send log, which no one edits
    assert group_permissions("Editors") == (
        domain_permissions("add", "change", "delete", "view")
        | domain_permissions("view", historical=True)
        | {"core.view_batch", "mailings.view_agendamailing", "mailings.view_agendasend", "mailings.add_agendasend"}
    )


def test_viewers_group_may_only_view_every_domain_model_and_its_history(db):
    # and the background batches' progress (core.Batch), the agenda mailings and their send log
    assert group_permissions("Viewers") == (
        domain_permissions("view")
        | domain_permissions("view", historical=True)
        | {"core.view_batch", "mailings.view_agendamailing", "mailings.view_agendasend"}
    )


def delegation_url(view, *args):
    return reverse(f"admin:delegations_delegation_{view}", args=args)


def test_editor_opens_delegation_add_page(member_client):
    response = member_client("Editors").get(delegation_url("add"))

    assertContains(response, "<h1>Add delegation visit</h1>")


def test_viewer_refused_delegation_add_page(member_client):
    response = member_client("Viewers").get(delegation_url("add"))

    assert response.status_code == 403


def test_viewer_refused_delegation_change(member_client):
    delegation = DelegationFactory(title="Irkutsk region in France")

    response = member_client("Viewers").post(delegation_url("change", delegation.pk), {"title": "Changed"})

    assert response.status_code == 403
    assert Delegation.objects.get().title == "Irkutsk region in France"


def test_viewer_reads_delegation_changelist_and_change_page(member_client):
    delegation = DelegationFactory(title="Irkutsk region in France")
    DelegationMemberFactory(delegation=delegation, person__name="Sergey Levchenko")
    ItineraryItemFactory(delegation=delegation, title="Meeting at the Senate")
    client = member_client("Viewers")

    changelist = client.get(delegation_url("changelist"))
    change_page = client.get(delegation_url("change", delegation.pk))

    assertContains(changelist, f'href="{delegation_url("change", delegation.pk)}"')
    assertContains(change_page, "<h1>View delegation visit</h1>")
    assertContains(change_page, '<div class="readonly">Irkutsk region in France</div>')
    assertContains(change_page, "Sergey Levchenko")
    assertContains(change_page, "Meeting at the Senate")
    assertNotContains(change_page, 'name="_save"')
