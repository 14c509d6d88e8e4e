"""The staff CSV export of meetings, from the admin: the public columns with every person named,
then what never leaves the staff's hands (private notes, contact details).

Built on the public export (meetings.export), so both files read alike: same columns first, same
quoting, byte-order mark and formula neutralisation.
"""

from collections.abc import Iterable, Iterator

from contacts.models import Organization, Person

from . import export
from .models import Meeting, MeetingParticipant

COLUMNS = (
    *export.COLUMNS,
    "private_notes",
    "delegation_organization_email",
    "delegation_organization_phone",
    "delegation_people_contacts",
    "host_organization_email",
    "host_organization_phone",
    "host_people_contacts",
)


def people(meeting: Meeting, side: str) -> list[Person]:
    """One side's people, every one named, public or not; uses the prefetched participants."""
    return [participant.person for participant in meeting.participants.all() if participant.side == side]


def person_names(meeting: Meeting, side: str) -> list[str]:
    return [person.name for person in people(meeting, side)]


def contacts(persons: Iterable[Person]) -> str:
    """“Name: e-mail, phone” for each person, whatever they left empty."""
    lines = []
    for person in persons:
        details = ", ".join(detail for detail in (person.email, person.phone) if detail)
        lines.append(f"{person.name}: {details}" if details else person.name)
    return export.PEOPLE_SEPARATOR.join(lines)


def organization_contacts(organization: Organization) -> tuple[str, str]:
    return organization.contact_email, organization.contact_phone


def row_values(meeting: Meeting) -> list[str]:
    """The meeting's cells, in COLUMNS order, neutralised."""
    extra = (
        meeting.private_notes,
        *organization_contacts(meeting.delegation_organization),
        contacts(people(meeting, MeetingParticipant.Side.DELEGATION)),
        *organization_contacts(meeting.host_organization),
        contacts(people(meeting, MeetingParticipant.Side.HOST)),
    )
    return export.row_values(meeting, people=person_names) + [export.neutralise(value) for value in extra]


def csv_lines(meetings: Iterable[Meeting]) -> Iterator[str]:
    return export.csv_lines(meetings, columns=COLUMNS, row=row_values)
