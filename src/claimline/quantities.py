"""Numbers in war reports: counts of drones and missiles, people, areas, distances and money.

Handles digits and words ("nine billion euros"), ranges ("10-12 kilometres" keeps the upper bound),
qualifiers ("at least", "over", "up to"), units given twice ("70 to 120 kilometres (40 to 75
miles)" is one quantity) and arithmetic in words ("all but one of the drones").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from claimline.folding import case_folded, for_folded_text, may_contain

# ── numbers ──
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
_UP_TO_THREE_WORDS = (r"^(?:(?!(?:with|in|at|on|from|by|for|to|of|and|or|places|locations|times|areas)\b)"
                      r"[\w'’-]+\s+){0,3}?")
_NOUN_KEYS: tuple[tuple[str, str], ...] = (
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
# _NOUNS_BEFORE[i]: whether one of the first i nouns follows within three words, each in its own
# group, so that one match tells the earliest noun and which of them it is (`lastindex`)
_NOUNS_BEFORE: tuple[re.Pattern[str], ...] = tuple(
    re.compile(_UP_TO_THREE_WORDS + "(?:" + "|".join(rf"((?:{pattern})\b)" for pattern, _ in _NOUN_KEYS[:count])
               + ")", re.I) if count else re.compile(r"(?!)")
    for count in range(len(_NOUN_KEYS) + 1)
)
_FOLDED_NOUNS_BEFORE = tuple(for_folded_text(pattern) for pattern in _NOUNS_BEFORE)
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
_CASUALTY_WORDS = ("killed", "wounded", "injured", "dead", "hurt", "missing")
_CASUALTY_AFTER = re.compile(r"(?:(?:were|was|have been|had been)\s+)?(?:killed|wounded|injured|dead|hurt|missing)\b",
                             re.I)


def _is_anaphoric(text: str, start: int) -> bool:
    """'the six casualties': a number the story already gave."""
    before = text[max(0, start - 7):start]
    return may_contain(before, ("the", "those", "all", "both")) and bool(_DEFINITE_BEFORE.search(before))


def _is_all_but(before: str) -> bool:
    return may_contain(before, ("all but",)) and bool(_ALL_BUT_BEFORE.search(before))


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
    found = _SCALE_WORD.search(match_text) if match_text else None
    return float(_SCALES[found.group(1).lower()]) if found else 1.0


def _noun_key(following: str) -> str | None:
    """The key of the first of `_NOUN_KEYS` that matches, found with the combined patterns: the first
    match of `_NOUNS_BEFORE[i]` names one of the keys before the i-th, until none of those matches."""
    folded = case_folded(following)
    text, patterns = (following, _NOUNS_BEFORE) if folded is None else (folded, _FOLDED_NOUNS_BEFORE)
    found = patterns[len(_NOUN_KEYS)].match(text)
    best = None
    while found is not None:
        assert found.lastindex is not None
        best = found.lastindex - 1
        found = patterns[best].match(text)
    return None if best is None else _NOUN_KEYS[best][1]


# Where a number can begin, in lower-cased text: a run of digits or one of these words (no other
# number word starts with one of them). `QUANTITY` is tried only just before these places, since
# trying its many choices at every word costs many times more.
_DIGIT_RUN = re.compile(r"\d\d*")  # not "\d+": a pattern that opens with a class is searched faster
_NUMBER_WORDS = tuple(sorted(
    word for word in {*_UNITS, *_DIGIT_WORD[3:-1].split("|"), "a hundred"}
    if not any(word.startswith(shorter) and word != shorter for shorter in _UNITS)))
_QUALIFIERS = tuple(_QUALIFIER.split("(?P<qual>", 1)[1].split(")?", 1)[0].split("|"))
_QUALIFIERS_ENDING: dict[str, tuple[str, ...]] = {
    tail: tuple(q for q in _QUALIFIERS if q.endswith(tail)) for tail in {q[-4:] for q in _QUALIFIERS}}
_CURRENCIES = "€$£"
def _quantity_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of `QUANTITY.finditer(text)`, found by trying `QUANTITY` only where a number can begin.

    A match is a qualifier, spaces, a currency sign and spaces before its number, and no qualifier
    holds a number word, so a match that starts before the next place a number can begin has its
    number there: only the few starts just before that place need a try."""
    lowered = case_folded(text)
    if lowered is None:
        yield from QUANTITY.finditer(text)
        return
    pos = 0
    for at in _number_starts(lowered):
        if at < pos:
            continue
        found = _match_with_number_at(text, lowered, pos, at)
        if found is not None:
            yield found
            pos = found.end()
        else:
            pos = at + 1


def _number_starts(lowered: str) -> list[int]:
    """Every place in `lowered` where a number can begin, in order: the digits that begin a run (no
    number begins inside one) and the number words, "hundred" in "a hundred" too."""
    starts = [found.start() for found in _DIGIT_RUN.finditer(lowered)]
    for word in _NUMBER_WORDS:
        at = lowered.find(word)
        while at >= 0:
            starts.append(at)
            at = lowered.find(word, at + 1)
    return sorted(set(starts))


def _match_with_number_at(text: str, lowered: str, lowest: int, at: int) -> re.Match[str] | None:
    """The first `QUANTITY` match that starts at or after `lowest` and has its number at `at`."""
    start = at
    while start > lowest and text[start - 1].isspace():
        start -= 1
    if start > lowest and text[start - 1] in _CURRENCIES:
        start -= 1
        while start > lowest and text[start - 1].isspace():
            start -= 1
    qualifiers = _QUALIFIERS_ENDING.get(lowered[start - 4:start])
    tries = sorted(start - len(q) for q in qualifiers
                   if start - len(q) >= lowest and lowered.startswith(q, start - len(q))) if qualifiers else []
    tries += (start, start + 1) if start < at else (start,)
    for begin in tries:
        if _may_begin_at(text, begin):
            return QUANTITY.match(text, begin)
    return None


def _may_begin_at(text: str, position: int) -> bool:
    """`QUANTITY`'s look-behind: no word character, dot or hyphen just before."""
    before = text[position - 1] if position else " "
    return not (before.isalnum() or before in "_.-")


def find_quantities(text: str) -> Iterator[Quantity]:
    """Every number in `text` with the noun it counts (or None)."""
    bracketed = "(" in text or "[" in text
    depth_open = [m.start() for m in _OPENING_BRACKET.finditer(text)] if bracketed else []
    depth_close = [m.start() for m in _CLOSING_BRACKET.finditer(text)] if bracketed else []
    for match in _quantity_matches(text):
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
        # "73 of over 90 cruise missiles", "98 of the drones"
        share = _SHARE_OF.match(following) if following[:2].lower() == "of" else None
        if share:
            following = following[share.end():]
        if _is_all_but(text[max(0, match.start() - 9):match.start()]):
            continue  # "all but two of the missiles" is arithmetic, read by the event stage
        casualty = may_contain(following, _CASUALTY_WORDS) and _CASUALTY_AFTER.match(following)
        key = _CURRENCY_SYMBOLS.get(match.group("cur") or "") or ("people" if casualty else _noun_key(following))
        if _looks_like_a_year_or_date(text, match.start("num"), match.end(), value, key):
            continue
        opened = sum(1 for p in depth_open if p < match.start())
        closed = sum(1 for p in depth_close if p < match.start())
        yield Quantity(
            value=value, key=key, qualifier=(match.group("qual") or "").lower() or None,
            start=match.start("num") if not match.group("cur") else match.start("cur"), end=match.end(),
            in_parentheses=opened > closed, lower=lower,
            anaphoric=not match.group("qual") and _is_anaphoric(text, match.start()),
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
