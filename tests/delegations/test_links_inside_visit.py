"""Links between records of a visit stay inside that visit (delegations.models.links): the forms, the
services and the admin's choices refuse another visit's record, and the database refuses a write that
bypasses them (core.same_owner's triggers), on SQLite and PostgreSQL alike."""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from delegations.models import Agreement, FollowUp, ItineraryItem, belongs_to_a_visit
from meetings.models import Meeting
from meetings.services import meeting_follow_ups_set, meeting_update
from tests.factories import (
    AgreementFactory,
    DelegationFactory,
    FollowUpFactory,
    ItineraryItemFactory,
    MeetingFactory,
    OrganizationFactory,
)
from tests.helpers import change_form_data, links_across_visits_allowed

MIGRATIONS = (
    "delegations.migrations.0010_links_inside_one_visit",
    "meetings.migrations.0009_links_inside_one_visit",
    "matchmaking.migrations.0003_links_inside_one_visit",
    "matchmaking.migrations.0006_session_agendas",
    "matchmaking.migrations.0007_proposal_sessions_one_visit",
)


def rules():
    return [rule for module in MIGRATIONS for rule in import_module(module).RULES]


@pytest.fixture
def two_visits(db):
    """A published visit with a session, an agreement and a follow-up linked to a meeting; a draft with the same."""

    def visit(title: str, published: bool):
        delegation = DelegationFactory(title=title, is_published=published)
        session = ItineraryItemFactory(delegation=delegation, kind=ItineraryItem.Kind.B2B_SESSION, title=f"{title} B2B")
        agreement = AgreementFactory(delegation=delegation, title=f"{title} agreement", signing_item=session)
        follow_up = FollowUpFactory(
            delegation=delegation, title=f"{title} follow-up", itinerary_item=session, agreement=agreement
        )
        meeting = MeetingFactory(delegation=delegation, session=session)
        meeting.follow_ups.add(follow_up)
        return {
            "visit": delegation,
            "session": session,
            "agreement": agreement,
            "follow_up": follow_up,
            "meeting": meeting,
        }

    return visit("Irkutsk in France", True), visit("Draft mission", False)


def refused_by_the_database(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_every_relation_between_two_records_of_a_visit_is_held_by_a_trigger():
    """A relation added between two models of a visit must get its rule in a migration too."""
    held = {(rule.table, rule.column) for rule in rules()}
    relations = set()
    for model in apps.get_models():
        if not belongs_to_a_visit(model) or hasattr(model, "instance_type"):  # a history's copy: no links
            continue
        for field in model._meta.get_fields():
            if not (field.concrete and field.is_relation and field.name != "delegation"):
                continue
            if belongs_to_a_visit(field.related_model) and field.many_to_many:
                relations.add((field.remote_field.through._meta.db_table, field.m2m_reverse_name()))
            elif belongs_to_a_visit(field.related_model):
                relations.add((model._meta.db_table, field.column))

    assert relations == held
    assert len(held) == 11


# -- the database ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "write",
    [
        "meeting session",
        "meeting follow-up",
        "agreement signing item",
        "follow-up item",
        "follow-up agreement",
        "session moved",
        "follow-up moved",
        "meeting moved",
        "agreement moved",
    ],
)
def test_database_refuses_a_link_across_visits_written_without_the_forms(two_visits, write):
    published, draft = two_visits
    writes = {
        "meeting session": lambda: Meeting.objects.filter(pk=published["meeting"].pk).update(session=draft["session"]),
        "meeting follow-up": lambda: published["meeting"].follow_ups.add(draft["follow_up"]),
        "agreement signing item": lambda: Agreement.objects.filter(pk=published["agreement"].pk).update(
            signing_item=draft["session"]
        ),
        "follow-up item": lambda: FollowUp.objects.filter(pk=published["follow_up"].pk).update(
            itinerary_item=draft["session"]
        ),
        "follow-up agreement": lambda: FollowUp.objects.filter(pk=published["follow_up"].pk).update(
            agreement=draft["agreement"]
        ),
        # A record moved to another visit while records of its former one still link to it.
        "session moved": lambda: ItineraryItem.objects.filter(pk=published["session"].pk).update(
            delegation=draft["visit"]
        ),
        "follow-up moved": lambda: FollowUp.objects.filter(pk=published["follow_up"].pk).update(
            delegation=draft["visit"], itinerary_item=None
        ),
        "meeting moved": lambda: Meeting.objects.filter(pk=published["meeting"].pk).update(
            delegation=draft["visit"], session=None
        ),
        "agreement moved": lambda: Agreement.objects.filter(pk=published["agreement"].pk).update(
            delegation=draft["visit"], signing_item=None
        ),
    }

    refused_by_the_database(writes[write])


def test_database_accepts_links_inside_one_visit_and_a_record_moving_with_nothing_linked(two_visits):
    published, _draft = two_visits
    other = FollowUpFactory(delegation=published["visit"])
    published["meeting"].follow_ups.add(other)
    lone = FollowUpFactory(delegation=published["visit"])
    FollowUp.objects.filter(pk=lone.pk).update(delegation=DelegationFactory())

    assert set(published["meeting"].follow_ups.all()) == {published["follow_up"], other}


def test_database_refuses_a_link_whose_target_arrives_later_with_another_visit(two_visits):
    """Foreign keys are checked at commit: a row may name a row not written yet, checked when that one is."""
    published, draft = two_visits
    item_id = ItineraryItem.objects.order_by("-pk").values_list("pk", flat=True).first() + 100
    Agreement.objects.filter(pk=published["agreement"].pk).update(signing_item_id=item_id)

    refused_by_the_database(
        lambda: ItineraryItemFactory(pk=item_id, delegation=draft["visit"], kind=ItineraryItem.Kind.SIGNING)
    )
    Agreement.objects.filter(pk=published["agreement"].pk).update(signing_item=published["session"])


def test_migration_removes_existing_links_across_visits_before_the_rule(two_visits):
    """A database holding such links (written before the rule) migrates: the links are emptied, records kept."""
    published, draft = two_visits
    with links_across_visits_allowed():
        Meeting.objects.filter(pk=published["meeting"].pk).update(session=draft["session"])
        published["meeting"].follow_ups.add(draft["follow_up"])
        Agreement.objects.filter(pk=published["agreement"].pk).update(signing_item=draft["session"])
        FollowUp.objects.filter(pk=published["follow_up"].pk).update(
            itinerary_item=draft["session"], agreement=draft["agreement"]
        )
        for module in MIGRATIONS[:2]:  # matchmaking's made its tables with the rule: nothing to remove
            import_module(module).remove_links_across_visits(apps, None)

    meeting = Meeting.objects.get(pk=published["meeting"].pk)
    agreement = Agreement.objects.get(pk=published["agreement"].pk)
    follow_up = FollowUp.objects.get(pk=published["follow_up"].pk)
    assert meeting.session is None
    assert list(meeting.follow_ups.all()) == [published["follow_up"]]
    assert (agreement.signing_item, follow_up.itinerary_item, follow_up.agreement) == (None, None, None)
    # The draft's own links are untouched.
    assert Meeting.objects.get(pk=draft["meeting"].pk).session == draft["session"]
    assert list(draft["meeting"].follow_ups.all()) == [draft["follow_up"]]


# -- forms and services ---------------------------------------------------------------------------------------


def test_item_moving_to_another_visit_refused_naming_what_links_to_it(two_visits):
    published, draft = two_visits
    session = ItineraryItem.objects.get(pk=published["session"].pk)
    session.delegation = draft["visit"]
    session.day = draft["visit"].start_date

    with pytest.raises(ValidationError) as refused:
        session.full_clean()

    [message] = refused.value.message_dict["delegation"]
    assert message.startswith("It cannot move to another visit while these records of its visit link to it: ")
    for record in (published["meeting"], published["agreement"], published["follow_up"]):
        assert f"“{record}”" in message


def test_follow_up_moving_to_another_visit_refused_while_a_meeting_links_to_it(two_visits):
    published, draft = two_visits
    follow_up = FollowUp.objects.get(pk=published["follow_up"].pk)
    follow_up.delegation, follow_up.itinerary_item, follow_up.agreement = draft["visit"], None, None

    with pytest.raises(ValidationError) as refused:
        follow_up.full_clean()

    assert refused.value.message_dict == {
        "delegation": [
            f"It cannot move to another visit while these records of its visit link to it: “{published['meeting']}”."
        ]
    }


def test_meeting_follow_ups_set_refuses_another_visits_naming_it(two_visits):
    published, draft = two_visits

    with pytest.raises(ValidationError) as refused:
        meeting_follow_ups_set(meeting=published["meeting"], follow_ups=[draft["follow_up"]])

    assert refused.value.message_dict == {
        "follow_ups": [
            "“Draft mission follow-up” belongs to another visit, “Draft mission”: choose one of this visit’s."
        ]
    }
    assert list(published["meeting"].follow_ups.all()) == [published["follow_up"]]


def test_meeting_update_refuses_a_move_that_would_leave_its_follow_ups_in_the_other_visit(two_visits):
    published, draft = two_visits
    meeting = Meeting.objects.get(pk=published["meeting"].pk)
    meeting.delegation, meeting.session = draft["visit"], None
    meeting.date = draft["visit"].start_date

    with pytest.raises(ValidationError) as refused:
        meeting_update(meeting=meeting)

    assert list(refused.value.message_dict) == ["follow_ups"]
    assert Meeting.objects.get(pk=meeting.pk).delegation == published["visit"]


def test_admin_add_form_refuses_a_follow_up_of_another_visit_naming_it(staff_client, two_visits):
    published, draft = two_visits
    page = staff_client.get(reverse("admin:meetings_meeting_change", args=[published["meeting"].pk]))
    data = change_form_data(page)
    data.update(
        {
            "start_time": "16:00",
            "end_time": "16:30",
            "table": "new table",
            "delegation_organization": str(OrganizationFactory().pk),
            "host_organization": str(OrganizationFactory().pk),
            "follow_ups": [str(draft["follow_up"].pk)],
        }
    )
    data = {name: value for name, value in data.items() if not name.startswith("participants-")}
    data.update({"participants-TOTAL_FORMS": "0", "participants-INITIAL_FORMS": "0"})
    count = Meeting.objects.count()

    response = staff_client.post(reverse("admin:meetings_meeting_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "follow_ups": [
            "“Draft mission follow-up” belongs to another visit, “Draft mission”: choose one of this visit’s."
        ]
    }
    assert Meeting.objects.count() == count


def test_admin_change_form_offers_only_the_visits_sessions_and_follow_ups(staff_client, two_visits):
    published, _draft = two_visits

    response = staff_client.get(reverse("admin:meetings_meeting_change", args=[published["meeting"].pk]))

    form = response.context["adminform"].form
    assert list(form.fields["session"].queryset) == [published["session"]]
    assert list(form.fields["follow_ups"].queryset) == [published["follow_up"]]


def test_admin_change_form_moves_a_meeting_to_another_visit_with_that_visits_follow_up(staff_client, two_visits):
    """The links to the former visit's follow-ups go before the meeting moves: no database error."""
    published, draft = two_visits
    meeting = published["meeting"]
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = change_form_data(staff_client.get(url))
    data.update({"delegation": str(draft["visit"].pk), "session": "", "date": f"{draft['visit'].start_date:%Y-%m-%d}"})
    data.pop("follow_ups")

    response = staff_client.post(url, data)

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.delegation, list(meeting.follow_ups.all())) == (draft["visit"], [])


def test_agreement_and_follow_up_change_forms_offer_only_the_visits_records(staff_client, two_visits):
    published, _draft = two_visits
    other_agreement = AgreementFactory(delegation=published["visit"], signing_item=None)

    agreement_form = (
        staff_client.get(reverse("admin:delegations_agreement_change", args=[published["agreement"].pk]))
        .context["adminform"]
        .form
    )
    follow_up_form = (
        staff_client.get(reverse("admin:delegations_followup_change", args=[published["follow_up"].pk]))
        .context["adminform"]
        .form
    )

    assert list(agreement_form.fields["signing_item"].queryset) == [published["session"]]
    assert list(follow_up_form.fields["itinerary_item"].queryset) == [published["session"]]
    assert set(follow_up_form.fields["agreement"].queryset) == {published["agreement"], other_agreement}
