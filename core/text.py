import re
import unicodedata

_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Text for accent- and case-insensitive search: “Léon-Bérard” and “leon berard” both read “leon berard”.

    Latin accents go; Cyrillic and other scripts stay, case-folded (й keeps its breve: it is a letter of its own).
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = []
    for char in decomposed:
        if unicodedata.combining(char) and kept and kept[-1].isascii():
            continue
        kept.append(char)
    return _SEPARATORS.sub(" ", unicodedata.normalize("NFC", "".join(kept))).strip()
