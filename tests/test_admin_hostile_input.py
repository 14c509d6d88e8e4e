"""Every admin add and change form of a domain model answers arbitrary values (dates, times, zones, every text
field) with a page or a form error, never a server error, and writes nothing unless it saves the whole.

Hypothesis draws the values; the "ci" profile (tests/conftest.py) is derandomized, and this test draws a
fifth of the profile's examples (each is two requests): HYPOTHESIS_PROFILE=explore draws more.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.models import Organization
from delegations.services import share_link_create
from matchmaking.models import Availability, MeetingRequest, Registration, RegistrationAttendee
from matchmaking.services import agendas_publish, invitation_create
from meetings.models import Meeting, MeetingParticipant
from tests.factories import MeetingFactory, MeetingParticipantFactory, PersonFactory
from tests.helpers import change_form_data

DOMAIN_MODELS = (
    "contacts.organization",
    "contacts.person",
    "contacts.position",
    "contacts.sector",
    "delegations.delegation",
    "delegations.delegationmember",
    "delegations.venue",
    "delegations.itineraryitem",
    "delegations.agreement",
    "delegations.agreementparty",
    "delegations.followup",
    "delegations.sharelink",
    "meetings.meeting",
    "meetings.meetingparticipant",
    "matchmaking.invitation",
    "matchmaking.registration",
    "matchmaking.registrationattendee",
    "matchmaking.availability",
    "matchmaking.meetingrequest",
    "matchmaking.sessionagenda",
)

# Admins with no form to fuzz: Schedule all's sessions and proposals, made and changed only by its actions and
# the proposal page's buttons (tests/matchmaking/test_schedule_all.py).
READ_ONLY_ADMINS = {"matchmaking.b2bsession", "matchmaking.schedulingproposal"}

HOSTILE = (
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999",
    "NaN",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "1899-12-31",
    "2201-01-01",
    "2026-03-29",
    "2026-10-25",
    "2018-02-30",
    "24:00",
    "25:61",
    "02:30",
    "23:59:59.999999",
    "Mars/Base",
    "../../etc/passwd",
    "Europe/Paris",
    "Pacific/Kiritimati",
    "Etc/GMT+12",
    "on",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    '=HYPERLINK("x")',
    "x" * 5000,
    "🏳️‍🌈" * 100,
    "\u202e\ufffd",
)

WHEN = re.compile(r"(date|day|_time|zone|fold|expires|signed_on)$")

value = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=30).filter(lambda text: "\x00" not in text or len(text) < 5),
    st.integers().map(str),
    st.dates().map(str),
    st.times().map(lambda time: time.strftime("%H:%M")),
)


def matchmaking_rows(visit):
    """A company registered for the visit, with a person, a slot and a request; the session's agendas published."""
    invitation, _token = invitation_create(delegation=visit, label="fuzz", side="host", created_by=None)
    session = visit.itinerary_items.filter(kind="b2b_session").order_by("pk").first()
    company = Organization.objects.exclude(pk=visit.leading_body_id).order_by("pk").first()
    registered = Registration.objects.create(delegation=visit, invitation=invitation, organization=company)
    RegistrationAttendee.objects.create(registration=registered, person=PersonFactory())
    Availability.objects.create(
        registration=registered, session=session, start_time=datetime.time(14), end_time=datetime.time(14, 20)
    )
    MeetingRequest.objects.create(
        delegation=visit,
        registration=registered,
        asker_organization=company,
        target_organization=visit.leading_body,
        reason="Biomass boilers.",
    )
    agendas_publish(sessions=[session], status="preliminary", user=None)


@pytest.fixture
def change_pages(demo, superuser):
    """The add page of each domain model and the change page of one of its rows."""
    share_link_create(delegation=demo, label="fuzz", created_by=None)
    meeting = Meeting.objects.order_by("pk").first() or MeetingFactory(delegation=demo)
    MeetingParticipantFactory(meeting=meeting, person=PersonFactory(), side=MeetingParticipant.Side.HOST)
    matchmaking_rows(demo)
    pages = {}
    for label in DOMAIN_MODELS:
        model = apps.get_model(label)
        obj = model.objects.order_by("pk").first()
        assert obj is not None, label
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages[label] = {"add": reverse(f"{prefix}_add"), "change": reverse(f"{prefix}_change", args=[obj.pk])}
    return pages


def field_names(response) -> list[str]:
    """The names of every field of the page's form and its inline rows, empty ones included."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", ()):
        forms.extend(inline.formset.forms)
    return sorted(form[name].html_name for form in forms for name in form.fields)


def row_counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in DOMAIN_MODELS}


def row_state(label: str, address: str):
    """The changed row's values (nothing for an add page: the counts tell)."""
    if address.endswith("/add/"):
        return []
    model = apps.get_model(label)
    pk = address.rstrip("/").split("/")[-2]
    return list(model.objects.filter(pk=pk).values())


@settings(
    max_examples=max(settings.default.max_examples // 5, 10),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_admin_forms_answer_arbitrary_values_without_server_error_or_half_rows(client, superuser, change_pages, data):
    client.force_login(superuser)
    label = data.draw(st.sampled_from(sorted(change_pages)), label="model")
    address = change_pages[label][data.draw(st.sampled_from(("add", "change")), label="page")]
    with transaction.atomic():
        page = client.get(address)
        form, every = change_form_data(page), field_names(page)
        # Half the time among the dates, times and zones (inline rows included), where the findings were.
        when = sorted(name for name in every if WHEN.search(name)) or every
        fields = st.sampled_from(when) | st.sampled_from(every)
        names = data.draw(st.lists(fields, min_size=1, max_size=4, unique=True), label="names")
        for name in names:
            form[name] = data.draw(value, label=name)
        before, state = row_counts(), row_state(label, address)

        response = client.post(address, form)

        assert response.status_code in (200, 302), (label, names, response.status_code)
        if response.status_code == 200:  # refused: nothing written anywhere
            assert row_counts() == before
            assert row_state(label, address) == state
        transaction.set_rollback(True)


def test_admin_fuzz_covers_every_domain_model():
    domain = {
        f"{model._meta.app_label}.{model._meta.model_name}"
        for app_label in ("contacts", "delegations", "meetings", "matchmaking")
        for model in apps.get_app_config(app_label).get_models()
        if not model._meta.model_name.startswith("historical") and model._meta.model_name != "booking"
    }

    assert domain == set(DOMAIN_MODELS) | READ_ONLY_ADMINS


def test_admin_fuzz_values_include_the_range_edges_and_unknown_zones():
    assert {"9999-12-31", "2201-01-01", "Mars/Base", "../../etc/passwd", "02:30"} <= set(HOSTILE)
    assert datetime.date(2026, 3, 29).isoformat() in HOSTILE
