"""The workbook's schema: its sheets, each one's columns by code, and their names as people read them.

A sheet and a column have a code (`itinerary`, `title_fr`) that never changes, and a name in each shipped
language, taken from the models' own verbose names (already translated): a workbook is written with the
names of the language of the staff member who downloads it, and read back whatever the language of the
one who uploads it, since a sheet or column name in any shipped language, or its code, is understood.
"""

from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst

from contacts.models import Organization, Person, Position, Sector
from delegations.models import Agreement, AgreementParty, Delegation, DelegationMember, FollowUp, ItineraryItem, Venue
from meetings.models import Meeting

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
EXCEL_TITLE_CHARACTERS = 31


def translated(field: str) -> tuple[str, ...]:
    """A translated field's columns, one per shipped language: title_en, title_fr, title_ru."""
    return tuple(f"{field}_{language}" for language in LANGUAGES)


SHEETS = {
    "visit": (
        "slug", *translated("title"), "origin_country", *translated("origin_region"), "leading_body",
        "host_countries", "organiser", "supporting_organizations", "start_date", "end_date", "home_time_zone",
        "status", "is_published", *translated("purpose"), *translated("description"), "priority_sectors",
        "reported_meetings", "agreements_without_detail", *translated("agreements_without_detail_summary"),
    ),
    "sectors": ("slug", *translated("name")),
    "organizations": (
        "id", "name", "slug", "native_name", "other_names", "kind", "country", "city", "sectors", "website", "parent",
        "description", "contact_email", "contact_phone",
    ),
    "people": (
        "id", "name", "slug", "native_name", "other_names", "honorific", "is_public", "email", "phone", "private_notes",
    ),
    "positions": ("id", "person", "organization", *translated("title"), "start_date", "end_date"),
    "members": ("id", "person", "role", *translated("title"), "organization", "order"),
    "venues": ("id", "name", "address", "city", "country", "time_zone", "organization"),
    "itinerary": (
        "id", "day", "start_time", "end_time", "start_fold", "end_fold", "kind", *translated("title"),
        *translated("description"), "venue", "city", "time_zone", "hosts", "delegation_participants",
        "host_participants", "audience_size", "audience_approximation", "reported_meetings",
        "agreements_without_detail", *translated("agreements_without_detail_summary"), "order", "b2b_tables",
        "b2b_slot_minutes",
    ),
    "meetings": (
        "id", "session", "date", "start_time", "end_time", "start_fold", "end_fold", "venue", "city", "time_zone",
        "table", "delegation_organization", "host_organization", "sector", "status", "is_locked",
        *translated("outcome"), "follow_up_expected", "follow_ups", "delegation_participants", "host_participants",
        "private_notes",
    ),
    "agreements": (
        "id", "kind", *translated("title"), *translated("subject"), "signed_on", "place", "signing_item", "status",
    ),
    "parties": ("id", "agreement", "organization", "signatory", "signatory_title", "order"),
    "follow_ups": (
        "id", "kind", *translated("title"), *translated("description"), "organizations", "sector", "status",
        *translated("next_step"), "due_date", "itinerary_item", "agreement",
    ),
}  # fmt: skip

MODELS = {
    "visit": Delegation, "sectors": Sector, "organizations": Organization, "people": Person,
    "positions": Position, "members": DelegationMember, "venues": Venue, "itinerary": ItineraryItem,
    "meetings": Meeting, "agreements": Agreement, "parties": AgreementParty, "follow_ups": FollowUp,
}  # fmt: skip

# Columns that are no field of their sheet's model: the field whose name they take.
BORROWED = {
    ("meetings", "delegation_participants"): ItineraryItem._meta.get_field("delegation_participants"),
    ("meetings", "host_participants"): ItineraryItem._meta.get_field("host_participants"),
}
SHEET_NAMES = {
    "visit": Delegation._meta.verbose_name,
    "itinerary": ItineraryItem._meta.verbose_name_plural,
    "meetings": Meeting._meta.verbose_name_plural,
}


def sheet_label(sheet: str) -> str:
    """The sheet's name in the active language, as short as Excel allows."""
    name = SHEET_NAMES.get(sheet) or MODELS[sheet]._meta.verbose_name_plural
    return capfirst(str(name))[:EXCEL_TITLE_CHARACTERS]


def column_label(sheet: str, column: str) -> str:
    """The column's name in the active language: its field's verbose name, with the language of a
    translated field's column (“Title (FR)”)."""
    if column == "id":
        return "id"
    base, _sep, language = column.rpartition("_")
    suffix = ""
    if language in LANGUAGES and base:
        column, suffix = base, f" ({language.upper()})"
    field = BORROWED.get((sheet, column)) or MODELS[sheet]._meta.get_field(column)
    return f"{capfirst(str(field.verbose_name))}{suffix}"


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


@cache
def _codes() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Every name of every sheet and column, in every shipped language, to its code."""
    sheets: dict[str, str] = {}
    columns: dict[str, dict[str, str]] = {sheet: {} for sheet in SHEETS}
    for language in LANGUAGES:
        with translation.override(language):
            for sheet, codes in SHEETS.items():
                sheets.setdefault(_key(sheet_label(sheet)), sheet)
                for code in codes:
                    columns[sheet].setdefault(_key(column_label(sheet, code)), code)
    for sheet, codes in SHEETS.items():  # a code is always understood, and wins over any name
        sheets[_key(sheet)] = sheet
        columns[sheet] |= {_key(code): code for code in codes}
    return sheets, columns


def sheet_code(name: str) -> str | None:
    """The code of a sheet named in any shipped language (or by its code); None for another sheet."""
    return _codes()[0].get(_key(name))


def column_code(sheet: str, name: str) -> str:
    """The code of a column named in any shipped language, or the name itself when it is no column's."""
    return _codes()[1][sheet].get(_key(name), name)


def name_collisions() -> list[tuple[str, str, str, str]]:
    """(sheet, name, code, other code) for any name that two columns of a sheet share across languages:
    the reader could not tell them apart (a test keeps this empty)."""
    found = []
    for sheet, codes in SHEETS.items():
        seen: dict[str, str] = {}
        for language in LANGUAGES:
            with translation.override(language):
                for code in codes:
                    key = _key(column_label(sheet, code))
                    if seen.setdefault(key, code) != code:
                        found.append((sheet, key, seen[key], code))
    return found
