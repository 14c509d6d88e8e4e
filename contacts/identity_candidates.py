"""Records that may be the one being created under another spelling: found in the database by the words' keys
(one query), then judged by the matcher (contacts.identity) against each of their names."""

from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When

from .identity import ORGANIZATION, PERSON, name_keys, names_decide
from .models import Organization, Person

# Rows read from the database before scoring: the ones sharing most words with the typed name.
SHORTLIST = 50


def _shortlist(model: type[models.Model], names: list[str], *, organization: bool, exclude_pk=None):
    keys = {key for name in names for key in name_keys(name, organization=organization) if len(key) >= 3}
    if not keys:
        return []
    shared = Q()
    for key in keys:
        shared |= Q(search_text__contains=key)
    hits = sum(
        (Case(When(search_text__contains=key, then=Value(1)), default=Value(0)) for key in keys),
        start=Value(0, output_field=IntegerField()),
    )
    rows = model._default_manager.filter(shared)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return list(rows.annotate(shared_keys=hits).order_by("-shared_keys", "name")[:SHORTLIST])


def _candidates(model, names: list[str], *, kind: str, exclude_pk=None) -> list:
    names = [name for name in names if name and name.strip()]
    found = []
    for row in _shortlist(model, names, organization=kind == ORGANIZATION, exclude_pk=exclude_pk):
        decisions = [names_decide(typed, known, kind=kind) for typed in names for known in row.all_names()]
        best = max(decisions, key=lambda decision: decision.score, default=None)
        if best is not None and best.same:
            row.match_score = best.score
            found.append(row)
    return sorted(found, key=lambda row: (-row.match_score, row.name))


def person_candidates(*, name: str, native_name: str = "", exclude_pk=None, positions: bool = True) -> list[Person]:
    """People who may be this one under another spelling, best first, each with its `match_score` and,
    if `positions`, its `current_positions` (an importer asks for them once for all its rows instead)."""
    people = _candidates(Person, [name, native_name], kind=PERSON, exclude_pk=exclude_pk)
    return with_current_positions(people) if positions else people


def with_current_positions(people: list[Person]) -> list[Person]:
    """`people`, each given its `current_positions` (the ones without an end date), read in one query."""
    current = Person.objects.with_positions().in_bulk({person.pk for person in people})
    for person in people:
        person.current_positions = [p for p in current[person.pk].positions.all() if p.end_date is None]
    return people


def organization_candidates(*, name: str, native_name: str = "", exclude_pk=None) -> list[Organization]:
    """Organizations that may be this one under another spelling, best first, each with its `match_score`."""
    return _candidates(Organization, [name, native_name], kind=ORGANIZATION, exclude_pk=exclude_pk)
