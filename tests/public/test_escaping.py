"""Markup typed into any free-text field is shown as text, on the public pages and in the admin.

The fields are found by introspection (every editable CharField and TextField without choices,
both languages of translated ones), so that a new field is covered without editing this test.
"""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import escape
from modeltranslation.translator import translator

from contacts.models import Organization, Person
from delegations.fields import TimeZoneField
from delegations.models import Delegation
from delegations.services import share_link_create
from meetings.models import Meeting, MeetingParticipant

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
DOMAIN_APPS = ("contacts", "delegations", "meetings")
NOT_FREE_TEXT = (models.SlugField, models.EmailField, models.URLField, TimeZoneField)


def free_text_fields(model) -> list[models.Field]:
    translated = translator.get_options_for_model(model).fields if model in translator.get_registered_models() else {}
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and field.editable
        and not field.choices
        and not isinstance(field, NOT_FREE_TEXT)
        and field.name not in translated  # the original column follows its English field
    ]


def domain_models():
    return [
        model
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
        if model in admin.site._registry
    ]


def payload(field: models.Field) -> str:
    """The hostile text, shortened for short fields."""
    return SCRIPT + BREAKOUT if (field.max_length or 1000) >= 80 else BREAKOUT[:2] + SCRIPT


def label(model, field) -> str:
    return f"{model.__name__}.{field.name}"


def mark(model, field) -> int:
    """A short number for the field, to fit in 50 characters with the markup."""
    return sorted(label(m, f) for m in domain_models() for f in free_text_fields(m)).index(label(model, field))


@pytest.fixture
def hostile_demo(demo):
    """The demo with every free-text field of every row replaced by markup, then a mark naming the
    field and the row: `<script>…#<row id>:<field number>#`."""
    meeting = Meeting.objects.order_by("pk").first()
    MeetingParticipant.objects.create(meeting=meeting, person=Person.objects.public().first(), side="host")
    share_link_create(delegation=demo, label="for Dalkia", created_by=None)
    for model in domain_models():
        fields = free_text_fields(model)
        for obj in model.objects.all():
            values = {field.attname: f"{payload(field)}#{obj.pk}:{mark(model, field)}#" for field in fields}
            values = {name: value[: model._meta.get_field(name).max_length or None] for name, value in values.items()}
            for name in (
                translator.get_options_for_model(model).fields if model in translator.get_registered_models() else ()
            ):
                values[name] = values[f"{name}_en"]
            model.objects.filter(pk=obj.pk).update(**values)
    return demo


def assert_escaped(response) -> str:
    content = response.content.decode()
    assert response.status_code == 200, response.request["PATH_INFO"]
    assert SCRIPT not in content, response.request["PATH_INFO"]
    assert BREAKOUT not in content, response.request["PATH_INFO"]
    assert "<img src=x" not in content, response.request["PATH_INFO"]
    return content


def shown_fields(contents: list[str]) -> set[str]:
    """The fields whose escaped markup one of the pages shows."""
    return {
        label(model, field)
        for model in domain_models()
        for field in free_text_fields(model)
        if any(
            re.search(f"{re.escape(escape(payload(field)))}#[0-9]+:{mark(model, field)}#", content)
            for content in contents
        )
    }


def public_addresses(delegation) -> list[str]:
    organizations = Organization.objects.filter(meetings_as_host__delegation=delegation).distinct()[:2]
    people = Person.objects.public().filter(memberships__delegation=delegation)[:2]
    return [
        "/",
        "/delegations/",
        f"/delegations/{delegation.slug}/",
        f"/delegations/{delegation.slug}/outcomes/",
        "/meetings/",
        "/organizations/",
        "/search/?q=irkutsk",
        *(f"/organizations/{organization.slug}/" for organization in organizations),
        *(f"/organizations/{organization.slug}/meetings/" for organization in organizations),
        *(f"/people/{person.slug}/" for person in people),
    ]


# The fields a partner reads: each must reach some public page, escaped, in its language.
PUBLIC_FIELDS = {
    "Delegation.title",
    "Delegation.origin_region",
    "Delegation.purpose",
    "DelegationMember.title",
    "ItineraryItem.title",
    "ItineraryItem.description",
    "ItineraryItem.city",
    "Venue.name",
    "Venue.address",
    "Agreement.title",
    "FollowUp.title",
    "FollowUp.next_step",
    "Meeting.outcome",
    "Organization.name",
    "Organization.native_name",
    "Person.name",
    "Person.native_name",
    "Position.title",
}
PRIVATE_FIELDS = {
    "Person.private_notes",
    "Person.phone",
    "Organization.contact_phone",
    "Meeting.private_notes",
}


@pytest.mark.parametrize("language", ("en", "fr", "ru"))
def test_public_pages_show_markup_of_every_field_escaped(client, hostile_demo, language):
    contents = [
        assert_escaped(client.get(address, HTTP_ACCEPT_LANGUAGE=language)) for address in public_addresses(hostile_demo)
    ]

    shown = shown_fields(contents)
    suffixed = {
        name if name.split(".")[1] in {"name", "native_name", "address", "city"} else f"{name}_{language}"
        for name in PUBLIC_FIELDS
    }
    assert suffixed - shown == set()
    assert shown & PRIVATE_FIELDS == set()


def test_admin_changelists_change_and_history_pages_show_markup_escaped(staff_client, hostile_demo):
    contents = []
    for model in domain_models():
        opts = model._meta
        obj = model.objects.order_by("pk").first()
        for view, args in (("changelist", ()), ("change", (obj.pk,)), ("history", (obj.pk,))):
            contents.append(
                assert_escaped(staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)))
            )

    every_field = {label(model, field) for model in domain_models() for field in free_text_fields(model)}
    assert every_field - shown_fields(contents) == set()


def test_deleted_records_page_shows_markup_escaped(staff_client, hostile_demo):
    Delegation.objects.create(
        title=SCRIPT + BREAKOUT,
        slug="hostile",
        origin_country="RU",
        host_countries=["FR"],
        organiser=Organization.objects.first(),
        start_date=hostile_demo.start_date,
        end_date=hostile_demo.end_date,
        home_time_zone="Asia/Irkutsk",
    ).delete()

    content = assert_escaped(staff_client.get(reverse("admin:delegations_delegation_deleted")))

    assert escape(SCRIPT + BREAKOUT) in content
