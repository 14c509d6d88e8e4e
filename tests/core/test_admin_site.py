"""The admin site's app list, kept once built (core.admin_site), is the list Django builds: for each user's
permissions, language and app, and it follows a change of permissions at once."""

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite as DjangosAdminSite
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.utils import translation

from core.admin_site import AdminSite


def request_of(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def djangos_list(request, app_label=None):
    return DjangosAdminSite.get_app_list(admin.site, request, app_label)


def test_the_projects_site_is_the_admin_site():
    assert isinstance(admin.site, AdminSite)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("app_label", [None, "meetings"])
def test_the_kept_list_is_djangos_for_each_user(db, django_user_model, language, app_label):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", "x")
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_meeting", "change_delegation"]))
    nobody = django_user_model.objects.create_user("nobody", is_staff=True)

    with translation.override(language):
        for user in (boss, clerk, nobody, boss, clerk):  # each twice: built, then kept
            request = request_of(django_user_model.objects.get(pk=user.pk))
            assert admin.site.get_app_list(request, app_label) == djangos_list(request, app_label)
    clerks = admin.site.get_app_list(request_of(clerk), app_label)
    assert sorted(model["object_name"] for app in clerks for model in app["models"]) == (
        ["Meeting"] if app_label else ["Delegation", "Meeting"]
    )


def test_the_kept_list_follows_a_new_permission(db, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    before = admin.site.get_app_list(request_of(django_user_model.objects.get(pk=clerk.pk)))

    clerk.user_permissions.add(Permission.objects.get(codename="add_meeting"))
    after = admin.site.get_app_list(request_of(django_user_model.objects.get(pk=clerk.pk)))

    (meetings,) = [model for app in before for model in app["models"]]
    assert (meetings["add_url"], meetings["view_only"]) == (None, True)
    (meetings,) = [model for app in after for model in app["models"]]
    assert meetings["add_url"] == "/admin/meetings/meeting/add/"


def test_a_callers_change_to_its_list_is_its_own(db, django_user_model):
    request = request_of(django_user_model.objects.create_superuser("boss", "boss@example.org", "x"))
    first = admin.site.get_app_list(request)
    first[0]["models"].clear()
    first[0]["name"] = "Changed"

    assert admin.site.get_app_list(request) == djangos_list(request)
