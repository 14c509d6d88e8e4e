"""The demo visit, read from `demo/irkutsk-2018.json` and written through the domain's own code.

Every record is validated with `full_clean()` and saved by its model (venues, items and meetings
by the services of `meetings.services`), so the demo holds to the same rules as data entered by
staff. Rows are looked up on their slug or natural key, English text on its own column
(`title_en`), never on `title`, whose meaning follows the active language.
"""

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname

from contacts.models import Organization, Person, Position, Sector
from core.cache import content_changes_batched
from delegations.models import Agreement, AgreementParty, Delegation, DelegationMember, FollowUp, ItineraryItem, Venue
from meetings.models import Meeting
from meetings.services import itinerary_item_update, meeting_schedule, meeting_update, venue_update

M = TypeVar("M", bound=models.Model)

DEMO_FILE = Path(__file__).parent / "demo" / "irkutsk-2018.json"


def _upsert(
    model: type[M], *, lookup: dict[str, Any], values: dict[str, Any], save: Callable[[M], object] | None = None
) -> M:
    """The row matching `lookup`, created or updated to hold `values`, validated, then saved by `save` (the
    domain service that writes such a row and what follows from it) or by the model.

    An existing row is saved only if something changed: a second run touches no row, not even
    `updated_at`, and writes no history.
    """
    try:
        obj = model.objects.get(**lookup)
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
    except model.DoesNotExist:
        obj, changed = model(**lookup), list(values)
    for field in changed:
        setattr(obj, field, values[field])
    obj.full_clean()
    if changed:
        (save or model.save)(obj)
    return obj


def _texts(field: str, text: dict[str, str] | None) -> dict[str, str]:
    """A translated field's columns from the file's {"en": …, "fr": …, "ru": …}: `title_en`, `title_fr`, `title_ru`."""
    return {build_localized_fieldname(field, language): value for language, value in (text or {}).items()}


def _day(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _save_meeting(meeting: Meeting) -> Meeting:
    if meeting.pk is None:
        return meeting_schedule(meeting=meeting)
    return meeting_update(meeting=meeting)


# modeltranslation saves into a translated model's original column (`title`) the text of the active
# language: the demo is written with English active so that a run from a French page, shell or
# command leaves exactly the same rows as one in English.
@content_changes_batched()
@transaction.atomic
@translation.override("en")
def demo_load(path: Path = DEMO_FILE) -> Delegation:
    """Create or update the Irkutsk region's visit to France (26–29 November 2018) and return it.

    Side effects, all in one transaction, keyed on slugs and natural keys so that a second run
    changes nothing:
    - sectors, organizations (with parents and sectors), people and their positions;
    - the published delegation, its supporting organization, priority sectors and members;
    - venues in Paris and Lyon, twelve itinerary items with hosts and participants;
    - the tripartite agreement and its three parties, five follow-ups, and five B2B meetings
      with health companies;
    - every cached page out of date, once, after the transaction (core.cache.content_changes_batched)
      rather than row by row, which took about a third of the load's time.
    Rows of the demo changed by hand are set back to the file's facts; other rows are left alone.
    """
    facts = json.loads(path.read_text(encoding="utf-8"))

    sectors = {
        data["slug"]: _upsert(Sector, lookup={"slug": data["slug"]}, values=_texts("name", data["name"]))
        for data in facts["sectors"]
    }

    orgs: dict[str, Organization] = {}
    for data in facts["organizations"]:  # a parent comes before its children
        org = _upsert(
            Organization,
            lookup={"slug": data["slug"]},
            values={
                "name": data["name"],
                "native_name": data.get("native_name", ""),
                "kind": data["kind"],
                "country": data.get("country", ""),
                "city": data.get("city", ""),
                "description": data.get("description", ""),
                "parent": orgs[data["parent"]] if "parent" in data else None,
            },
        )
        org.sectors.set([sectors[slug] for slug in data.get("sectors", ())])
        orgs[data["slug"]] = org

    people: dict[str, Person] = {}
    for data in facts["people"]:
        person = _upsert(
            Person,
            lookup={"slug": data["slug"]},
            values={
                "name": data["name"],
                "native_name": data.get("native_name", ""),
                "other_names": data.get("other_names", ""),
                "is_public": data.get("is_public", True),
            },
        )
        for position in data["positions"]:
            _upsert(
                Position,
                lookup={
                    "person": person,
                    "organization": orgs[position["organization"]],
                    "title_en": position["title"]["en"],
                },
                values=_texts("title", position["title"]),
            )
        people[data["slug"]] = person

    data = facts["delegation"]
    delegation = _upsert(
        Delegation,
        lookup={"slug": data["slug"]},
        values={
            **_texts("title", data["title"]),
            "origin_country": data["origin_country"],
            **_texts("origin_region", data["origin_region"]),
            "leading_body": orgs[data["leading_body"]],
            "host_countries": data["host_countries"],
            "organiser": orgs[data["organiser"]],
            "start_date": _day(data["start_date"]),
            "end_date": _day(data["end_date"]),
            "home_time_zone": data["home_time_zone"],
            **_texts("purpose", data["purpose"]),
            **_texts("description", data["description"]),
            "status": data["status"],
            "is_published": data["is_published"],
            "reported_meetings": data.get("reported_meetings"),
            "agreements_without_detail": data.get("agreements_without_detail"),
            **_texts("agreements_without_detail_summary", data.get("agreements_without_detail_summary")),
        },
    )
    delegation.supporting_organizations.set([orgs[slug] for slug in data["supporting_organizations"]])
    delegation.priority_sectors.set([sectors[slug] for slug in data["priority_sectors"]])

    for order, data in enumerate(facts["members"], start=1):
        _upsert(
            DelegationMember,
            # A member known only by their office has no person: the office is its title at its organization.
            lookup={"delegation": delegation, "person": people[data["person"]]}
            if data.get("person")
            else {"delegation": delegation, "person": None, "title_en": data["title"]["en"]},
            values={
                "role": data["role"],
                **_texts("title", data["title"]),
                "organization": orgs[data["organization"]],
                "order": order,
            },
        )

    venues = {
        data["key"]: _upsert(
            Venue,
            lookup={"name": data["name"], "city": data["city"]},
            values={
                "address": data["address"],
                "country": data["country"],
                "time_zone": data["time_zone"],
                "organization": orgs[data["organization"]],
            },
            save=lambda venue: venue_update(venue=venue),
        )
        for data in facts["venues"]
    }

    items: dict[str, ItineraryItem] = {}
    rank_in_day: dict[datetime.date, int] = {}
    for data in facts["itinerary"]:
        day = _day(data["day"])
        rank_in_day[day] = rank_in_day.get(day, 0) + 1
        venue = venues[data["venue"]] if "venue" in data else None
        item = _upsert(
            ItineraryItem,
            lookup={"delegation": delegation, "title_en": data["title"]["en"]},
            values={
                **_texts("title", data["title"]),
                "day": day,
                "start_time": None,
                "end_time": None,
                "kind": data["kind"],
                **_texts("description", data["description"]),
                "venue": venue,
                # What the item's save() copies from its venue, compared before saving.
                "city": venue.city if venue else data["city"],
                "time_zone": venue.time_zone if venue else data["time_zone"],
                "audience_size": data.get("audience_size"),
                "audience_approximation": data.get("audience_approximation", ItineraryItem.Approximation.EXACT),
                "reported_meetings": data.get("reported_meetings"),
                "agreements_without_detail": data.get("agreements_without_detail"),
                **_texts("agreements_without_detail_summary", data.get("agreements_without_detail_summary")),
                "order": rank_in_day[day],
            },
            save=lambda item: itinerary_item_update(item=item),
        )
        item.hosts.set([orgs[slug] for slug in data.get("hosts", ())])
        item.host_participants.set([people[slug] for slug in data.get("host_participants", ())])
        item.delegation_participants.set([people[slug] for slug in data.get("delegation_participants", ())])
        items[data["key"]] = item

    for data in facts["agreements"]:
        agreement = _upsert(
            Agreement,
            lookup={"delegation": delegation, "title_en": data["title"]["en"]},
            values={
                **_texts("title", data["title"]),
                "kind": data["kind"],
                **_texts("subject", data["subject"]),
                "signed_on": _day(data["signed_on"]),
                "place": data["place"],
                "signing_item": items[data["signing_item"]],
                "status": data["status"],
            },
        )
        for order, slug in enumerate(data["parties"], start=1):
            _upsert(
                AgreementParty,
                lookup={"agreement": agreement, "organization": orgs[slug]},
                values={"order": order, "signatory": None, "signatory_title": ""},
            )

    follow_ups: dict[str, FollowUp] = {}
    for data in facts["follow_ups"]:
        follow_up = _upsert(
            FollowUp,
            lookup={"delegation": delegation, "title_en": data["title"]["en"]},
            values={
                **_texts("title", data["title"]),
                "kind": data["kind"],
                **_texts("description", data["description"]),
                "sector": sectors[data["sector"]],
                "status": data["status"],
                **_texts("next_step", data.get("next_step", {"en": "", "fr": "", "ru": ""})),
                "due_date": _day(data.get("due_date")),
                "itinerary_item": items[data["itinerary_item"]],
                "agreement": None,
            },
        )
        follow_up.organizations.set([orgs[slug] for slug in data["organizations"]])
        follow_ups[data["key"]] = follow_up

    for data in facts["meetings"]:
        meeting = _upsert(
            Meeting,
            lookup={"delegation": delegation, "host_organization": orgs[data["host_organization"]]},
            values={
                "session": items[data["session"]],
                "date": _day(data["date"]),
                "start_time": None,
                "end_time": None,
                "venue": None,
                "city": data["city"],
                "time_zone": data["time_zone"],
                "table": "",
                "delegation_organization": orgs[data["delegation_organization"]],
                "sector": sectors[data["sector"]],
                "status": data["status"],
                **_texts("outcome", data["outcome"]),
                "follow_up_expected": data["follow_up_expected"],
            },
            save=_save_meeting,
        )
        meeting.follow_ups.set([follow_ups[key] for key in data["follow_ups"]])

    return delegation
