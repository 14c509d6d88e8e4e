"""Finding the record an imported name stands for. The importers (the admin lists, the visit workbook) call
`same_named()` for a name that must exist (a parent, a position's organization) and `ImportIdentities` for a
row that may create a person or organization, so that the rule is the same everywhere.

A row that names no existing record exactly but resembles some (the matcher of contacts.identity, with the
admin's threshold) is a question for staff: "same as …" (the row's spelling is kept as another name of that
record) or "new". Nothing is merged without their answer; an import with a question unanswered writes
nothing (a silent "new" would make the duplicate this is here to prevent)."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from core.text import fold

from .identity_candidates import organization_candidates, person_candidates
from .models import Organization, Person

Named = TypeVar("Named", Organization, Person)
NEW = "new"
SAME = "same:"


def same_named(model: type[Named], name: str, native_name: str = "") -> Named | None:
    """The one `model` row one of whose spellings (its Latin, native or other names) reads as `name` (or as
    `native_name`), ignoring case, accents, spaces and punctuation; None when there is none, or more than
    one (staff will tell them apart)."""
    for text in (name, native_name):
        folded = fold(text)
        if not folded:
            continue
        candidates = model._default_manager.filter(search_text__contains=folded).only(
            "name", "native_name", "other_names"
        )
        matches = [row for row in candidates if folded in {fold(spelling) for spelling in row.all_names()}]
        if len(matches) == 1:
            return model._default_manager.get(pk=matches[0].pk)
        if matches:
            return None
    return None


@dataclass
class IdentityQuestion:
    """A row that may be an existing record under another spelling, and staff's answer so far. People
    candidates come without their `current_positions` (ImportIdentityForm reads them for all at once)."""

    key: str  # the row's field in the answers: "4" (a list's row 4), "people-4" (a workbook's)
    sheet: str
    row: int | None
    name: str
    native_name: str
    candidates: list = field(default_factory=list)
    choice: str = ""  # as posted: "", NEW or SAME + pk

    @property
    def chosen(self):
        """The candidate staff chose as the same, or None."""
        return next((record for record in self.candidates if self.choice == f"{SAME}{record.pk}"), None)

    @property
    def answered(self) -> bool:
        return self.choice == NEW or self.chosen is not None


class ImportIdentities:
    """The identity questions and answers of one import, from preview to confirmation: `choices` are the
    answers posted with the confirmation ({key: "new" or "same:<pk>"}).

    Candidates are records that existed before this import: a record an earlier row created is left out
    (its id changes between the preview, rolled back, and the confirmation, so no answer could name it)."""

    def __init__(self, choices: Mapping[str, str] | None = None):
        self.choices = dict(choices or {})
        self.questions: list[IdentityQuestion] = []
        self._created: dict[type, set[int]] = defaultdict(set)

    def record_for(self, model: type[Named], *, key: str, name: str, native_name: str = "", sheet: str = "", row=None):
        """(record, same_as): the record of the same name (an update, no question; same_as when the name
        is one of its other names); else the candidate staff chose (same_as True); else None, a new record
        (chosen, or a question left unanswered, which `unanswered` lists)."""
        name, native_name = name.strip(), native_name.strip()
        found = same_named(model, name, native_name)
        if found is not None:
            # Found by one of its other names: it keeps its own, as when chosen "same as".
            own = {fold(found.name), fold(found.native_name)} - {""}
            return found, not own & {fold(name), fold(native_name)}
        if not (name or native_name):
            return None, False
        if model is Person:
            found_alike = person_candidates(name=name, native_name=native_name, positions=False)
        else:
            found_alike = organization_candidates(name=name, native_name=native_name)
        created = self._created[model]
        candidates = [record for record in found_alike if record.pk not in created]
        if not candidates:
            return None, False
        question = IdentityQuestion(
            key=key, sheet=sheet, row=row, name=name, native_name=native_name, candidates=candidates,
            choice=str(self.choices.get(key, "")),
        )  # fmt: skip
        self.questions.append(question)
        chosen = question.chosen
        return chosen, chosen is not None

    def note_created(self, record) -> None:
        self._created[type(record)].add(record.pk)

    @property
    def unanswered(self) -> list[IdentityQuestion]:
        return [question for question in self.questions if not question.answered]
