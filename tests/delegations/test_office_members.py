"""Members known only by their office, and the member roles: the rule in the model, the database and the
admin, and the migration that brings them keeping the triggers of the links inside one visit."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import IntegrityError
from django.urls import reverse

from core import triggers
from delegations.models import DelegationMember
from delegations.models.visits import member_role_label
from tests.delegations.test_links_inside_visit import rules
from tests.factories import DelegationFactory, DelegationMemberFactory, OrganizationFactory, PersonFactory
from tests.test_admin import inline_rows, management_form

OFFICE_NEEDS = "Give a person, or for an office whose holder is not named, its title (in English) and its organization."


def office(**fields) -> DelegationMember:
    fields = {"person": None, "title": "Head of the Regional Executive Committee", **fields}
    return DelegationMemberFactory(**fields)


def test_office_member_saved_and_named_by_its_title_at_its_organization(db):
    committee = OrganizationFactory(name="Irkutsk regional executive committee")
    member = office(organization=committee)

    member.full_clean()
    assert member.name == "Head of the Regional Executive Committee, Irkutsk regional executive committee"
    assert str(member) == "Head of the Regional Executive Committee, Irkutsk regional executive committee (Official)"


@pytest.mark.parametrize(
    ("title", "with_organization"), [("", True), ("Head of the Regional Executive Committee", False), ("", False)]
)
def test_member_without_person_needs_title_and_organization(db, title, with_organization):
    member = DelegationMember(
        delegation=DelegationFactory(),
        person=None,
        title=title,
        organization=OrganizationFactory() if with_organization else None,
    )

    with pytest.raises(ValidationError) as refused:
        member.full_clean()
    assert refused.value.message_dict == {"__all__": [OFFICE_NEEDS]}
    with pytest.raises(IntegrityError, match="member_person_or_office"), transaction.atomic():
        member.save()


def test_several_offices_in_one_visit_and_a_person_still_once(db):
    visit = DelegationFactory()
    office(delegation=visit, organization=OrganizationFactory())
    office(delegation=visit, organization=OrganizationFactory(), title="Deputy Minister of Economy")
    person = PersonFactory()
    DelegationMemberFactory(delegation=visit, person=person)

    assert visit.members.count() == 3
    with pytest.raises(ValidationError, match="already a member"):
        DelegationMember(delegation=visit, person=person, title="Adviser").full_clean()


@pytest.mark.parametrize(
    ("role", "title", "label"),
    [
        ("official", "State Secretary of the Irkutsk region", ""),
        ("minister", "Deputy Minister of Economic Development", ""),
        ("state_secretary", "", "State secretary or deputy minister"),
        ("adviser", "", "Adviser"),
        ("head", "Governor of the Irkutsk region", "Head of delegation"),
        ("deputy_head", "Vice-governor", "Deputy head of delegation"),
        ("press", "", "Press"),
    ],
)
def test_role_shown_beside_the_title_only_when_the_title_does_not_say_it(role, title, label):
    assert member_role_label(role, title) == label


def test_member_roles_of_real_delegations_offered():
    assert {"member", "deputy_head", "state_secretary", "adviser", "expert", "press", "security", "protocol"} <= set(
        DelegationMember.Role.values
    )


# -- admin ------------------------------------------------------------------------------------------------


def member_post(visit, **fields) -> dict:
    return {
        "delegation": visit.pk,
        "person": "",
        "role": "official",
        "title_en": "",
        "title_fr": "",
        "organization": "",
        "order": "0",
        **fields,
    }


def test_admin_member_page_adds_an_office_and_refuses_neither_person_nor_office(staff_client, db):
    visit, committee = DelegationFactory(), OrganizationFactory()
    url = reverse("admin:delegations_delegationmember_add")

    refused = staff_client.post(url, member_post(visit, title_en="Head of the committee"))
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {"__all__": [OFFICE_NEEDS]}

    added = staff_client.post(
        url, member_post(visit, title_en="Head of the committee", title_fr="Chef du comité", organization=committee.pk)
    )
    assert added.status_code == 302
    member = visit.members.get()
    assert (member.person, member.title_en, member.title_fr, member.organization) == (
        None,
        "Head of the committee",
        "Chef du comité",
        committee,
    )
    changelist = staff_client.get(reverse("admin:delegations_delegationmember_changelist"))
    assert f"Head of the committee, {committee.name}" in changelist.content.decode()


def test_admin_visit_members_inline_takes_an_office_and_names_the_row_without_one(staff_client, db):
    visit, committee = DelegationFactory(title_en="Irkutsk in Paris"), OrganizationFactory()
    url = reverse("admin:delegations_delegation_change", args=[visit.pk])
    page = staff_client.get(url)
    form = page.context["adminform"].form
    data = {
        name: form[name].value() for name in form.fields if form[name].value() is not None and name != "host_countries"
    }
    data["host_countries"] = ["FR"]
    data["supporting_organizations"] = []
    data["priority_sectors"] = []
    data.update(
        {
            **management_form("itinerary_items", 0),
            **management_form("follow_ups", 0),
            **management_form("members", 2),
            **inline_rows(
                "members",
                (
                    {
                        "order": "1",
                        "person": "",
                        "role": "head",
                        "title_en": "Head of the committee",
                        "organization": committee.pk,
                    },
                    {"order": "2", "person": "", "role": "adviser", "title_en": "", "organization": ""},
                ),
            ),
        }
    )

    refused = staff_client.post(url, data)
    assert refused.status_code == 200
    [members, _items, _follow_ups] = refused.context["inline_admin_formsets"]
    assert [form.errors for form in members.formset.forms] == [{}, {"__all__": [OFFICE_NEEDS]}]

    data["members-1-title_en"], data["members-1-organization"] = "Adviser to the Governor", committee.pk
    assert staff_client.post(url, data).status_code == 302
    assert [(m.person, m.role, m.title_en) for m in visit.members.order_by("order")] == [
        (None, "head", "Head of the committee"),
        (None, "adviser", "Adviser to the Governor"),
    ]


# -- the migration ----------------------------------------------------------------------------------------


MATCHMAKING_RULES = ("invitation_", "registration_", "request_", "agenda_", "proposal_")


@pytest.mark.django_db(transaction=True)
def test_migration_back_and_forth_keeps_the_triggers_of_links_inside_one_visit():
    expected = {f"{rule.name}_link" for rule in rules()} | {f"{rule.name}_target" for rule in rules()}
    assert expected <= triggers.installed(connection)
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([("delegations", "0010_links_inside_one_visit")])
        # Matchmaking's tables, made after, are unmade with their triggers; the others' triggers stay.
        assert {name for name in expected if not name.startswith(MATCHMAKING_RULES)} <= triggers.installed(connection)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
    assert expected <= triggers.installed(connection)
