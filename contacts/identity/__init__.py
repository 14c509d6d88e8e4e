"""Identity across spellings: one person or organization, whatever the script or transliteration."""

from .folding import name_keys, search_keys
from .matching import KINDS, ORGANIZATION, PERSON, SAME_THRESHOLD, Decision, names_decide, names_score

__all__ = [
    "KINDS",
    "ORGANIZATION",
    "PERSON",
    "SAME_THRESHOLD",
    "Decision",
    "name_keys",
    "names_decide",
    "names_score",
    "search_keys",
]
