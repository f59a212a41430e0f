"""Numbers in war reports: counts of drones and missiles, people, areas, distances and money.

Handles digits and words ("nine billion euros"), ranges ("10-12 kilometres" keeps the upper bound),
qualifiers ("at least", "over", "up to"), units given twice ("70 to 120 kilometres (40 to 75
miles)" is one quantity) and arithmetic in words ("all but one of the drones").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "a dozen": 12, "dozen": 12, "a hundred": 100, "hundred": 100, "a thousand": 1000,
}
_SCALES = {
    "thousand": 1_000, "million": 1_000_000, "mn": 1_000_000, "m": 1_000_000, "billion": 1_000_000_000,
    "bn": 1_000_000_000, "b": 1_000_000_000, "trillion": 1_000_000_000_000, "k": 1_000,
}
_WORD_NUMBER = "|".join(sorted((re.escape(w) for w in _UNITS), key=len, reverse=True))
_DIGIT_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TENS_WORD = (r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
              rf"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ]{_DIGIT_WORD})?|{_DIGIT_WORD})")
# "One hundred and seventy-three", "two hundred": the hundreds written out at a sentence start.
_HUNDREDS_WORDS = rf"(?:{_DIGIT_WORD}|a) hundred(?:(?: and)? {_TENS_WORD})?"
_NUMBER = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|{_HUNDREDS_WORDS}"
    rf"|(?:{_WORD_NUMBER})(?:[- ]{_DIGIT_WORD})?)"
)
_SCALE = r"(?:\s*(?:thousand|million|billion|trillion|mn|bn)\b|(?<=\d)(?:m|bn|b|k)\b)?"
_QUALIFIER = (
    r"(?P<qual>at least|at most|more than|over|up to|about|around|approximately|nearly|almost|some|roughly"
    r"|fewer than|less than|as many as|no less than|no fewer than)?\s*"
)
_CURRENCY_PREFIX = r"(?P<cur>[€$£])?\s*"
QUANTITY = re.compile(
    rf"(?<![\w.-]){_QUALIFIER}{_CURRENCY_PREFIX}(?P<num>{_NUMBER}){_SCALE}"
    rf"(?:\s*(?:-|–|to)\s*(?P<num2>{_NUMBER}){_SCALE})?(?![\w-])",
    re.I,
)

# What the counted noun is; the first noun within a few words after the number decides.
_NOUN_KEYS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"^(?:(?!(?:with|in|at|on|from|by|for|to|of|and|or|places|locations|times|areas)\b)"
                rf"[\w'’-]+\s+){{0,3}}?(?:{pattern})\b", re.I), key)
    for pattern, key in (
        (r"square (?:kilomet(?:er|re)s?|km)|sq\.? ?km|km2|km²", "area_km2"),
        (r"square miles?|sq\.? ?mi", "area_sq_miles"),
        (r"kilomet(?:er|re)s?|km\b", "distance_km"),
        (r"miles?", "distance_miles"),
        (r"euros?|eur\b", "amount_eur"),
        (r"dollars?|usd\b", "amount_usd"),
        (r"pounds?(?! of)|gbp\b", "amount_gbp"),
        (r"rubles?|roubles?", "amount_rub"),
        (r"drones?|uavs?|unmanned aerial vehicles?|shaheds?|geran", "drones"),
        (r"(?:cruise |ballistic |guided |air[- ]launched )?missiles?|rockets?", "missiles"),
        (r"glide bombs?|guided aerial bombs?|bombs?", "bombs"),
        (r"(?:attack )?helicopters?", "helicopters"),
        (r"aircraft|(?:fighter )?jets?|fighters?|bombers?|planes?|su-\d+s?|tu-\d+s?|mig-\d+s?|sukhoi", "aircraft"),
        (r"airstrikes?|air strikes?", "airstrikes"),
        (r"tanks?", "tanks"),
        (r"(?:armou?red )?vehicles?", "vehicles"),
        (r"settlements?|villages?|towns?|cities|localities|(?:cities|towns) and villages", "settlements"),
        (r"people|civilians?|persons?|residents?|children|soldiers?|servicem[ae]n|troops|fighters|occupiers"
         r"|militants|men|women|service members?|personnel|casualties|prisoners|pows?|bodies", "people"),
        (r"percent|per cent|%", "percent"),
    )
)
_SHARE_OF = re.compile(
    r"of\s+(?:the\s+)?(?:(?=(?:drones|uavs|missiles|rockets)\b)|(?:over |more than |about |around |some |nearly |"
    r"almost )?(?:\d[\d,]*|[a-z]+)\s+(?=(?:[\w-]+\s+)?[a-z]))", re.I)
_CURRENCY_SYMBOLS = {"€": "amount_eur", "$": "amount_usd", "£": "amount_gbp"}


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number found in text: value, what it counts, the qualifier and where it sits."""

    value: float
    key: str | None
    qualifier: str | None
    start: int
    end: int
    in_parentheses: bool = False
    lower: float | None = None

    anaphoric: bool = False  # "the six casualties": a number already given

    @property
    def exact(self) -> bool:
        return self.qualifier in (None, "at least", "some", "as many as", "no less than", "no fewer than")


_DEFINITE_BEFORE = re.compile(r"\b(?:the|these|those|all|both)\s+$", re.I)
_HUNDREDS = re.compile(r"(\w+) hundred(?:(?: and)? (.+))?")
_HYPHEN_OR_SPACE = re.compile(r"[- ]")
_SCALE_WORD = re.compile(r"(thousand|million|billion|trillion|mn|bn|(?<=\d)(?:m|b|k))\b", re.I)
_OPENING_BRACKET = re.compile(r"[(\[]")
_CLOSING_BRACKET = re.compile(r"[)\]]")
_ALL_BUT_BEFORE = re.compile(r"\ball but\s*$", re.I)
_CASUALTY_AFTER = re.compile(r"(?:(?:were|was|have been|had been)\s+)?(?:killed|wounded|injured|dead|hurt|missing)\b",
                             re.I)


def _is_anaphoric(text: str, start: int) -> bool:
    """'the six casualties': a number the story already gave."""
    return bool(_DEFINITE_BEFORE.search(text[max(0, start - 7):start]))


def parse_number(text: str) -> float | None:
    """'1,000' → 1000, 'nine' → 9, 'twenty-five' → 25, '5.5' → 5.5."""
    raw = text.strip().lower().replace(",", "")
    try:
        return float(raw)
    except ValueError:
        pass
    if raw in _UNITS:
        return float(_UNITS[raw])
    hundreds = _HUNDREDS.fullmatch(raw)
    if hundreds:
        head = 1.0 if hundreds.group(1) == "a" else parse_number(hundreds.group(1))
        rest = parse_number(hundreds.group(2)) if hundreds.group(2) else 0.0
        return head * 100 + rest if head is not None and rest is not None else None
    parts = _HYPHEN_OR_SPACE.split(raw)
    if len(parts) == 2 and parts[0] in _UNITS and parts[1] in _UNITS:
        return float(_UNITS[parts[0]] + _UNITS[parts[1]])
    return None


def _scale_of(match_text: str) -> float:
    found = _SCALE_WORD.search(match_text)
    return float(_SCALES[found.group(1).lower()]) if found else 1.0


def _noun_key(following: str) -> str | None:
    for pattern, key in _NOUN_KEYS:
        if pattern.match(following):
            return key
    return None


def find_quantities(text: str) -> Iterator[Quantity]:
    """Every number in `text` with the noun it counts (or None)."""
    depth_open = [m.start() for m in _OPENING_BRACKET.finditer(text)]
    depth_close = [m.start() for m in _CLOSING_BRACKET.finditer(text)]
    for match in QUANTITY.finditer(text):
        num = parse_number(match.group("num"))
        if num is None:
            continue
        if match.group("num").lower() in ("one", "a dozen") and not match.group("qual"):
            # "one of the", "one person": keep, but only as a count when a counted noun follows
            pass
        scale = _scale_of(match.group(0)[match.end("num") - match.start():])
        value = num * scale
        lower = None
        if match.group("num2"):
            upper = parse_number(match.group("num2"))
            if upper is not None:
                lower, value = value, upper * _scale_of(match.group(0)[match.end("num2") - match.start():])
                if lower < value / 1000:  # "9-12 billion": the scale belongs to both
                    lower *= _scale_of(match.group(0)[match.end("num2") - match.start():])
        following = text[match.end(): match.end() + 60].lstrip()
        share = _SHARE_OF.match(following)  # "73 of over 90 cruise missiles", "98 of the drones"
        if share:
            following = following[share.end():]
        if _ALL_BUT_BEFORE.search(text[max(0, match.start() - 9):match.start()]):
            continue  # "all but two of the missiles" is arithmetic, read by the event stage
        casualty = _CASUALTY_AFTER.match(following)
        key = _CURRENCY_SYMBOLS.get(match.group("cur") or "") or ("people" if casualty else _noun_key(following))
        if _looks_like_a_year_or_date(text, match.start("num"), match.end(), value, key):
            continue
        opened = sum(1 for p in depth_open if p < match.start())
        closed = sum(1 for p in depth_close if p < match.start())
        yield Quantity(
            value=value, key=key, qualifier=(match.group("qual") or "").lower() or None,
            start=match.start("num") if not match.group("cur") else match.start("cur"), end=match.end(),
            in_parentheses=opened > closed, lower=lower,
            anaphoric=_is_anaphoric(text, match.start()) and not match.group("qual"),
        )


_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_MONTH_BEFORE = re.compile(rf"{_MONTHS}\s*$")
_MONTH_AFTER = re.compile(rf"\s*{_MONTHS}")
_ORDINAL_SUFFIX = re.compile(r"\s*(?:st|nd|rd|th)\b")


def _looks_like_a_year_or_date(text: str, start: int, end: int, value: float, key: str | None) -> bool:
    if key is not None:
        return False
    before = text[max(0, start - 12):start].lower()
    after = text[end:end + 12].lower()
    if 1900 <= value <= 2100 and float(value).is_integer():
        return True
    if _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after):
        return True
    return bool(_ORDINAL_SUFFIX.match(after))


def as_int(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def merged(*parts: Mapping[str, float | int]) -> dict[str, float | int]:
    out: dict[str, float | int] = {}
    for part in parts:
        for key, value in part.items():
            out.setdefault(key, value)
    return out
