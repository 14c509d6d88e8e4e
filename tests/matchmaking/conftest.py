import datetime

import pytest

from delegations.models import ItineraryItem
from matchmaking.services import invitation_create
from tests.factories import (
    DelegationFactory,
    DelegationMemberFactory,
    ItineraryItemFactory,
    OrganizationFactory,
    PersonFactory,
    SectorFactory,
)


@pytest.fixture
def visit(db):
    """A published visit with one delegation-side organization, one public member of it, and a B2B
    session of four half-hour slots (14:00–16:00)."""
    delegation = DelegationFactory(slug="irkutsk")
    ministry = OrganizationFactory(name="Irkutsk Ministry of Economy", slug="ministry")
    member = DelegationMemberFactory(
        delegation=delegation, person=PersonFactory(name="Ruslan Bolotov", is_public=True), organization=ministry
    )
    session = ItineraryItemFactory(
        delegation=delegation,
        kind=ItineraryItem.Kind.B2B_SESSION,
        title="B2B session, Lyon",
        start_time=datetime.time(14, 0),
        end_time=datetime.time(16, 0),
        b2b_slot_minutes=30,
        b2b_tables="1, 2",
    )
    SectorFactory(name="Wood processing", slug="wood")
    return {"delegation": delegation, "ministry": ministry, "member": member, "session": session}


@pytest.fixture
def invitation(visit):
    """An active link for a host company, and its raw token."""
    return invitation_create(delegation=visit["delegation"], label="for Dalkia", side="host", created_by=None)


def registration_post(visit, **overrides) -> dict:
    """A valid registration as the form posts it: one person, one wish (the ministry), two slots."""
    session = visit["session"]
    data = {
        "organization_name": "Dalkia",
        "sectors": ["wood"],
        "profile": "Energy services; biomass boilers.",
        "slots": [f"{session.pk}@14:00", f"{session.pk}@15:00"],
        "website": "",
        "attendees-TOTAL_FORMS": "5",
        "attendees-INITIAL_FORMS": "0",
        "attendees-0-name": "Claire Martin",
        "attendees-0-title": "Export director",
        "attendees-0-email": "claire.martin@dalkia.example",
        "attendees-0-phone": "+33 4 72 00 00 00",
        "wishes-TOTAL_FORMS": "10",
        "wishes-INITIAL_FORMS": "0",
        "wishes-0-target": f"org:{visit['ministry'].pk}",
        "wishes-0-reason": "Biomass heating for Irkutsk schools.",
        "wishes-0-priority": "1",
    }
    for index in range(1, 5):
        data.update({f"attendees-{index}-{f}": "" for f in ("name", "title", "email", "phone")})
    for index in range(1, 10):
        data.update({f"wishes-{index}-target": "", f"wishes-{index}-reason": "", f"wishes-{index}-priority": "2"})
    data.update(overrides)
    return data
