"""The grid of a B2B session: its tables across, its time slots down, each cell free or taken."""

import datetime
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

from delegations.models import ItineraryItem

from .models import Meeting

# Lines for the header of a session's grid from the apps above meetings, which meetings cannot import:
# matchmaking tells whether the session's agendas are published. Each takes the session, returns a text or "".
SESSION_NOTES: dict[str, Callable[[ItineraryItem], str]] = {}


def session_notes(session: ItineraryItem) -> list[str]:
    return [note for note in (make(session) for make in SESSION_NOTES.values()) if note]


@dataclass
class Cell:
    table: str
    meetings: list[Meeting] = field(default_factory=list)

    @property
    def is_free(self) -> bool:
        return not self.meetings


@dataclass
class Row:
    start: datetime.time
    end: datetime.time
    cells: list[Cell]


@dataclass
class Grid:
    session: ItineraryItem
    tables: list[str]
    rows: list[Row]
    unplaced: list[Meeting]  # no time yet, or outside every slot

    @property
    def free_count(self) -> int:
        return sum(cell.is_free for row in self.rows for cell in row.cells)


def normalise(label: str) -> str:
    return " ".join(label.split()).casefold()


def slots(session: ItineraryItem, meetings: list[Meeting], zone) -> list[tuple[datetime.time, datetime.time]]:
    """Regular slots over the session when its times and slot length are set, else the meetings' own slots."""
    if session.start_time and session.end_time and session.b2b_slot_minutes:
        step = datetime.timedelta(minutes=session.b2b_slot_minutes)
        start = datetime.datetime.combine(session.day, session.start_time)
        end = datetime.datetime.combine(session.day, session.end_time)
        result = []
        while start + step <= end:
            result.append((start.time(), (start + step).time()))
            start += step
        return result
    local = {(m.starts_at.astimezone(zone).time(), m.ends_at.astimezone(zone).time()) for m in meetings if m.starts_at}
    return sorted(local)


def session_grid(session: ItineraryItem) -> Grid:
    zone = zoneinfo.ZoneInfo(session.time_zone or "UTC")
    meetings = list(
        Meeting.objects.filter(session=session)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("delegation_organization", "host_organization", "venue")
        .order_by("starts_at", "table", "pk")
    )
    tables = list(session.table_labels)
    known = {normalise(label) for label in tables}
    for meeting in meetings:
        label = meeting.table.strip()
        if normalise(label) not in known:
            known.add(normalise(label))
            tables.append(label)
    rows = [Row(start, end, [Cell(table) for table in tables]) for start, end in slots(session, meetings, zone)]
    column = {normalise(label): index for index, label in enumerate(tables)}
    unplaced = []
    for meeting in meetings:
        placed = False
        if meeting.starts_at and meeting.ends_at:
            start = meeting.starts_at.astimezone(zone)
            end = meeting.ends_at.astimezone(zone)
            if start.date() == session.day:
                for row in rows:
                    if start.time() < row.end and (end.time() > row.start or end.date() > session.day):
                        row.cells[column[normalise(meeting.table)]].meetings.append(meeting)
                        placed = True
        if not placed:
            unplaced.append(meeting)
    return Grid(session=session, tables=tables, rows=rows, unplaced=unplaced)
