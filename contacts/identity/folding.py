"""Names folded to comparable keys: any script to Latin (anyascii), then one phonetic spelling for the French,
English and German romanisations of Russian, Ukrainian and Belarusian names, and for pinyin.

anyascii rather than unidecode: it is ISC-licensed (unidecode is GPL), keeps a space between the syllables of
Chinese names we can group (family name first), and maps Ukrainian and Belarusian letters (і, ї, є, ў) too.
"""

import re
import unicodedata

from anyascii import anyascii

# Words that say what kind of company it is, not which one: OOO Insitilab, Insitilab LLC and «ООО Инситилаб»
# are one company. Compared after folding to Latin, so ООО reads ooo and ПАО reads pao.
LEGAL_FORMS = frozenset(
    (
        "ooo",
        "oao",
        "zao",
        "pao",
        "ao",
        "pjsc",
        "ojsc",
        "cjsc",
        "jsc",
        "llc",
        "ltd",
        "inc",
        "corp",
        "corporation",
        "korporatsiya",
        "plc",
        "llp",
        "sa",
        "sas",
        "sasu",
        "sarl",
        "eurl",
        "snc",
        "sca",
        "se",
        "gmbh",
        "ag",
        "kg",
        "ug",
        "ev",
        "bv",
        "nv",
        "spa",
        "srl",
        "ip",
        "nk",
        "nak",
        "gk",
        "goskorporatsiya",
        "at",
        "pat",
        "prat",
        "tov",
        "aat",
        "zat",
    )
)
# Courtesy titles before a person's name.
HONORIFICS = frozenset(("mr", "mrs", "ms", "dr", "m", "mme", "mlle", "herr", "frau", "he", "prof"))
# Endings of Russian, Ukrainian and Belarusian patronymics once keyed (Sergeyevich, Ivanovna, Ilyinichna).
PATRONYMIC = re.compile(r"(viX|vna|iniXna)$")

_CLUSTERS = re.compile(r"schtsch|shch|chtch|tsch|tch|sch|ch|sh|zh|kh|ph|ck|tz|ts|c(?=[eiy])|[cqwzx]")
_CLUSTER_KEYS = {
    **dict.fromkeys(("schtsch", "shch", "chtch", "tsch", "tch", "sch", "ch", "sh", "zh", "kh"), "X"),
    "ph": "f",
    "ck": "k",
    "tz": "s",
    "ts": "s",
    "c": "k",
    "q": "k",
    "w": "v",
    "z": "s",
    "x": "ks",
}
_VOWELS = re.compile(r"jou|gue|gui|ou|ue|[jyh]")
_VOWEL_KEYS = {"jou": "Xu", "gue": "ge", "gui": "gi", "ou": "u", "ue": "u", "j": "i", "y": "i", "h": "g"}
_DOUBLES = re.compile(r"(.)\1+")


def _is_cjk(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK UNIFIED")


def latin_words(text: str) -> list[str]:
    """Lowercase ASCII words of `text` in any script. Chinese characters read as pinyin with the family name
    (the first character) apart and the given name in one word, as pinyin is written: 王俊哲 → wang junzhe."""
    text = unicodedata.normalize("NFC", text).replace("ё", "е").replace("Ё", "Е")
    pieces, run = [], []
    for char in text + " ":
        if _is_cjk(char):
            run.append(anyascii(char))
            continue
        if run:
            pieces.append(f" {run[0]} {''.join(run[1:])} ")
            run = []
        pieces.append(anyascii(char))
    # Apostrophes (soft signs, d'Encausse) and dots (S.A.S., Inc.) join what they separate.
    latin = re.sub(r"['’.]", "", "".join(pieces).lower())
    return re.findall(r"[a-z0-9]+", latin)


def word_key(word: str) -> str:
    """One spelling for the romanisations of a word: Levtchenko, Levchenko, Lewtschenko → levXenko."""
    key = _CLUSTERS.sub(lambda match: _CLUSTER_KEYS.get(match.group(), match.group()), word)
    # French writes ж as j, but before ou (Joukov) nobody else writes j: there it is ж.
    key = _VOWELS.sub(lambda match: _VOWEL_KEYS[match.group()], key)
    key = _DOUBLES.sub(r"\1", key)
    # ё as yo/io/jo (Fiodor, Pjotr) against e (Fedor, Petr); ye/ie/je (Yevgeny, Matviyenko) against e; after a
    # hushing sound German writes o where others write e (Gorbatschow, Gorbachev).
    key = key.replace("io", "e").replace("ie", "e").replace("Xo", "Xe")
    key = _DOUBLES.sub(r"\1", key)
    # French adds a silent e (Alexandre, Gagarine, Poutine).
    if len(key) > 3 and key.endswith("e") and key[-2] not in "aeiou":
        key = key[:-1]
    return key


def name_words(text: str, *, organization: bool) -> list[str]:
    """The Latin words of a name, without legal forms (organizations) or honorifics (people)."""
    words = latin_words(text)
    noise = LEGAL_FORMS if organization else HONORIFICS
    return [word for word in words if word not in noise] or words


def name_keys(text: str, *, organization: bool) -> list[str]:
    """The keys of a name's words (see name_words)."""
    return [word_key(word) for word in name_words(text, organization=organization)]


def search_keys(text: str) -> str:
    """The keys of every word of `text`, space-separated, for a search column (legal forms kept: a search for
    "OOO" may mean them)."""
    return " ".join(word_key(word) for word in latin_words(text))
