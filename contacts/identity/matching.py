"""Whether two names are one person's or one organization's: their word keys (folding.py) aligned and scored
with rapidfuzz. The admin, the registration form and the match_names command all decide with `names_decide`."""

from dataclasses import dataclass

from rapidfuzz import fuzz

from .folding import PATRONYMIC, name_words, word_key

PERSON = "person"
ORGANIZATION = "organization"
KINDS = (PERSON, ORGANIZATION)
# At or above: the same one. Measured on tests/contacts/identity_pairs.tsv (see the test there).
SAME_THRESHOLD = 89.0


@dataclass(frozen=True)
class Decision:
    score: float
    same: bool


def _word_score(a: str, b: str) -> float:
    """How alike two word keys are, 0-100. A word that only gains an ending (or a beginning of two letters or
    more) is another word: Levchenko and Levchenkov, Ivanov and Ivanova, Jun and Junzheng, Qiang and Keqiang."""
    if a == b:
        return 100.0
    shorter, longer = sorted((a, b), key=len)
    if longer.startswith(shorter) or (longer.endswith(shorter) and len(longer) - len(shorter) > 1):
        return min(fuzz.ratio(a, b), 60.0)
    return fuzz.ratio(a, b)


def _aligned_score(keys_a: list[str], keys_b: list[str], *, kind: str) -> float:
    """Each word of the shorter name paired with its best match in the other, best pairs first (so word order
    does not matter); the worst pair decides, lowered by the words left over."""
    shorter, longer = sorted((keys_a, keys_b), key=len)
    if not shorter:
        return 0.0
    pairs = sorted(
        ((_word_score(word, other), i, j) for i, word in enumerate(shorter) for j, other in enumerate(longer)),
        reverse=True,
    )
    scores, used_i, used_j = [], set(), set()
    for score, i, j in pairs:
        if i not in used_i and j not in used_j:
            scores.append(score)
            used_i.add(i)
            used_j.add(j)
    extra = [longer[j] for j in range(len(longer)) if j not in used_j]
    if kind == PERSON:
        extra = [word for word in extra if not PATRONYMIC.search(word)]
    matched = sum(len(word) for word in shorter) + sum(len(longer[j]) for j in used_j)
    coverage = matched / (matched + 2 * sum(len(word) for word in extra))
    return min(scores) * coverage


def names_score(name_a: str, name_b: str, *, kind: str) -> float:
    """0-100: how likely the two names name the same person or organization."""
    organization = kind == ORGANIZATION
    words_a = name_words(name_a, organization=organization)
    words_b = name_words(name_b, organization=organization)
    score = _aligned_score([word_key(w) for w in words_a], [word_key(w) for w in words_b], kind=kind)
    if organization and len(words_a) != len(words_b):
        # One word or two: Gazprom Neft / Gazpromneft, Hai Er / Haier.
        score = max(score, _word_score(word_key("".join(words_a)), word_key("".join(words_b))))
    return round(score, 1)


def names_decide(name_a: str, name_b: str, *, kind: str) -> Decision:
    """The score of two names, and whether staff are told it is the same one."""
    score = names_score(name_a, name_b, kind=kind)
    return Decision(score=score, same=score >= SAME_THRESHOLD)
