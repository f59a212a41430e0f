"""Name keys, the official Ukrainian transliteration, and the spellings English news uses."""

from __future__ import annotations

import re

from anyascii import anyascii

_APOSTROPHES = re.compile(r"['’ʼ`´‘ʹ\"]")
_SEPARATORS = re.compile(r"[\s\-‐‑–—_/.,()]+")


def name_key(name: str) -> str:
    """The form every name is stored and looked up under: ASCII, lower case, no apostrophes,
    hyphens and runs of spaces folded to one space ("Zaporiz’ke" → "zaporizke")."""
    ascii_form = anyascii(name).lower()
    ascii_form = _APOSTROPHES.sub("", ascii_form)
    return _SEPARATORS.sub(" ", ascii_form).strip()


def is_latin_script(name: str) -> bool:
    """True for names written in Latin letters (with or without diacritics)."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c < "\u0250" or "\u1e00" <= c <= "\u1eff" for c in letters)


# The Cabinet of Ministers of Ukraine resolution No. 55 of 2010: the second form applies at the
# start of a word.
_KMU_2010: dict[str, tuple[str, str]] = {
    "а": ("a", "a"), "б": ("b", "b"), "в": ("v", "v"), "г": ("h", "h"), "ґ": ("g", "g"),
    "д": ("d", "d"), "е": ("e", "e"), "є": ("ie", "ye"), "ж": ("zh", "zh"), "з": ("z", "z"),
    "и": ("y", "y"), "і": ("i", "i"), "ї": ("i", "yi"), "й": ("i", "y"), "к": ("k", "k"),
    "л": ("l", "l"), "м": ("m", "m"), "н": ("n", "n"), "о": ("o", "o"), "п": ("p", "p"),
    "р": ("r", "r"), "с": ("s", "s"), "т": ("t", "t"), "у": ("u", "u"), "ф": ("f", "f"),
    "х": ("kh", "kh"), "ц": ("ts", "ts"), "ч": ("ch", "ch"), "ш": ("sh", "sh"),
    "щ": ("shch", "shch"), "ь": ("", ""), "ю": ("iu", "yu"), "я": ("ia", "ya"),
    "ъ": ("", ""), "ы": ("y", "y"), "э": ("e", "e"), "ё": ("io", "yo"),
}
_APOSTROPHE_CHARS = frozenset("'’ʼ`´‘")


def ukrainian_latin(name: str) -> str:
    """Transliterate Ukrainian with the official national system (KMU 2010):
    "Червона Зірка" → "Chervona Zirka", "Новоукраїнка" → "Novoukrainka", "Зоря" → "Zoria"."""
    out: list[str] = []
    word_start = True
    previous = ""
    for char in name:
        lower = char.lower()
        if char in _APOSTROPHE_CHARS:
            continue
        if lower in _KMU_2010:
            inner, initial = _KMU_2010[lower]
            latin = initial if word_start else inner
            if lower == "г" and previous == "з":
                latin = "gh"  # "зг" is "zgh", so that it is not read as "zh"
            if char.isupper() and latin:
                latin = latin[0].upper() + latin[1:]
            out.append(latin)
            word_start = False
        else:
            out.append(char)
            word_start = not char.isalpha()
        previous = lower
    return "".join(out)


# Russian-derived and older spellings that English reports keep using for Ukrainian places.
_ENDING_VARIANTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ske", ("skoye", "skoe", "skoie")),
    ("tske", ("tskoye", "tskoe")),
    ("ivka", ("ovka",)),
    ("ivske", ("ovskoye", "ovskoe")),
    ("yi", ("y", "iy")),
    ("iv", ("ov",)),
    ("ne", ("noye", "noe")),
)
_INNER_VARIANTS: tuple[tuple[str, str], ...] = (
    ("ia", "ya"), ("iu", "yu"), ("ie", "ye"), ("ii", "iyi"), ("ii", "iy"), ("ai", "ay"),
    ("oi", "oy"), ("ei", "ey"), ("ui", "uy"), ("zhzh", "zh"),
)
# Russian forms write "g" where Ukrainian has "h" (Krasna Hora / Krasnaya Gora); "kh", "zh", "sh"
# and "ch" are digraphs and keep their "h".
_H_AS_G = re.compile(r"(?<![kzscg])h")
_MAX_VARIANTS = 32


def news_variants(latin: str) -> set[str]:
    """Keys of the spellings English news uses for a transliterated Ukrainian name:
    "Zoria" → "zorya", "Novoselivske" → "novoselivskoye", "Kamianske" → "kamyanske"."""
    base = name_key(latin)
    words = base.split(" ")
    variants = {base}
    last = words[-1]
    for ending, replacements in _ENDING_VARIANTS:
        if last.endswith(ending) and len(last) > len(ending) + 2:
            for replacement in replacements:
                variants.add(" ".join([*words[:-1], last[: -len(ending)] + replacement]))
    for old, new in _INNER_VARIANTS:
        for variant in list(variants):
            if old in variant and len(variants) < _MAX_VARIANTS:
                variants.add(variant.replace(old, new))
    variants |= {_H_AS_G.sub("g", v) for v in list(variants)}
    return {v for v in variants if v}


def register_spellings(name_uk: str) -> set[str]:
    """Keys of every spelling of a Ukrainian name: the official transliteration, the soft sign
    written as "i" as many reports do ("Верхньокам'янське" → "Verkhniokamianske"), and the
    news variants of both."""
    official = ukrainian_latin(name_uk)
    spellings = news_variants(official)
    softened = ukrainian_latin(name_uk.replace("ьо", "йо").replace("ЬО", "ЙО"))
    if softened != official:
        spellings |= news_variants(softened)
    return spellings
