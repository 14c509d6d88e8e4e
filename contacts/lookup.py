"""Finding the record an imported name stands for. The importers (the admin lists, the visit workbook) call
`same_named()` and nothing else, so that a better matcher can replace its inside without touching them."""

from typing import TypeVar

from core.text import fold

from .models import Organization, Person

Named = TypeVar("Named", Organization, Person)


def same_named(model: type[Named], name: str, native_name: str = "") -> Named | None:
    """The one `model` row whose Latin or native name reads as `name` (or as `native_name`), ignoring case,
    accents, spaces and punctuation; None when there is none, or more than one (staff will tell them apart)."""
    for text in (name, native_name):
        folded = fold(text)
        if not folded:
            continue
        candidates = model._default_manager.filter(search_text__contains=folded).only("name", "native_name")
        matches = [row for row in candidates if folded in (fold(row.name), fold(row.native_name))]
        if len(matches) == 1:
            return model._default_manager.get(pk=matches[0].pk)
        if matches:
            return None
    return None
