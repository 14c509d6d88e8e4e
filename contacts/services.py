"""Contacts created from the page where staff meet them (a visit's member row, an item's hosts), without
a page of their own first."""

from django.db import transaction
from django.utils.text import slugify

from core.text import fold

from .models import Organization, Person, Position, spellings


def free_slug(model, name: str) -> str:
    """A slug of `name` that no row of `model` holds yet: "name", else "name-2", "name-3"…"""
    base = slugify(name)[:190] or model._meta.model_name
    slug, number = base, 1
    while model._default_manager.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def organization_create(*, name: str, native_name: str = "") -> Organization:
    """A new organization of the default kind, under a free slug. Side effects: one row."""
    organization = Organization(name=name, native_name=native_name, slug=free_slug(Organization, name))
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def person_create_with_position(
    *, name: str, native_name: str, is_public: bool, organization: Organization, title: str
) -> Person:
    """A new person and the position they hold at `organization`. Side effects: a person and a position."""
    person = Person(name=name, native_name=native_name, is_public=is_public, slug=free_slug(Person, name))
    person.full_clean()
    person.save()
    position = Position(person=person, organization=organization, title=title)
    position.full_clean()
    position.save()
    return person


def spellings_missing(*, record: Person | Organization, names: list[str]) -> list[str]:
    """Those of `names` that are not yet a spelling of `record` (folded: case, accents and punctuation
    aside), each once, in their order. The admin's "same as" and the importers keep exactly these."""
    known = {fold(name) for name in record.all_names()}
    missing = []
    for name in names:
        name = name.strip()
        if name and fold(name) not in known:
            known.add(fold(name))
            missing.append(name)
    return missing


def spellings_joined(*, record: Person | Organization, names: list[str]) -> str:
    """`record`'s other names with the missing ones of `names` added, as the field holds them."""
    return "\n".join([*spellings(record.other_names), *spellings_missing(record=record, names=names)])


@transaction.atomic
def spellings_add(*, record: Person | Organization, names: list[str]) -> list[str]:
    """Keeps `names` as other spellings of `record` (those it does not hold yet); returns the ones added.
    Side effects: one save of the record (its search text and history follow)."""
    record = type(record)._default_manager.select_for_update().get(pk=record.pk)
    added = spellings_missing(record=record, names=names)
    if added:
        record.other_names = spellings_joined(record=record, names=added)
        record.save()
    return added
