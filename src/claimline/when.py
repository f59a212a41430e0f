"""Date expressions in war reports → `When`, resolved against the publication date and the narrative.

Three anchors, in this order of preference:

* the expression itself ("27 June 2025", "in 2022", "late 2024");
* the narrative, i.e. the last day-precision date the story mentioned ("the following day",
  "that day") or the last year it named ("in September of that year");
* the publication date ("on Tuesday", "last month", "in May", "June 27").

Choices worth knowing:

* A bare weekday is the most recent such day on or before the publication day, so "on Friday" in a
  Friday paper is the publication day: wire copy names the day of the news that way. Pass
  ``same_weekday="week_before"`` to read it as seven days earlier instead. "last Friday" is always
  strictly before the publication day, "next Friday" strictly after.
* A month and day without a year ("June 27") take the year that puts them at the latest point no
  more than ``future_days`` after publication; a month alone ("in May") is the most recent such month
  up to the publication month, "last May" the most recent one strictly before it.
* "last summer" is the most recent summer that ended before publication; "in the summer" the most
  recent one begun by publication.
* Month ranges ("from May to July") end in the most recent such month up to publication; halves
  and quarters ("the first half of 2024", "Q3 2024") are month-precision spans; "on the 27th" is a
  day of the story's month, else the most recent 27th up to publication.
* A slashed date ("27/06/2025") is read only when one number cannot be a month.
* Vague expressions ("recently", "in recent weeks", "in the coming days") become mentions with an
  unknown `When`, so that a later stage does not borrow another date for them.
* Without a publication date nothing relative to it is resolved; the reason says so.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, NamedTuple

from claimline.folding import case_folded
from claimline.model import Article, DateMention, Precision, Sentence, When

__all__ = ["RuleDateResolver", "resolve_expression"]

SameWeekday = Literal["publication", "week_before"]

_MONTH_NUMBERS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAYS: tuple[str, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "couple": 2,
}
# (first month, last month, year offset of the last month) of each season
_SEASONS: dict[str, tuple[int, int, int]] = {
    "spring": (3, 5, 0), "summer": (6, 8, 0), "autumn": (9, 11, 0), "fall": (9, 11, 0), "winter": (12, 2, 1),
}

# ── regex building blocks (month and weekday names are case-sensitive: "may", "march" are verbs) ──
_MONTH = (
    r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"|(?:Jan|Feb|Febr|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
_DAY = r"(?<![\d.,])(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
_YEAR = r"(?<![\d.,$€£])(?:19\d\d|20\d\d|2100)(?![\d%]|[.,]\d)"
_NUM = (
    r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|a\s+couple\s+of|couple\s+of)"
)
_PART = r"(?:early|mid|middle|late|(?:the\s+)?(?:end|beginning|start|middle)\s+of)"
# a year followed by one of these is a count ("up to 2000 soldiers"), not a year
_COUNT_NOUN = (
    r"(?!\s*(?:km|kilomet|mile|met|m\b|kg|ton|soldier|troop|servicem|people|civilian|drone|missile|shell"
    r"|round|men\b|women|residents|prisoner|unit|sq|square|hectare|dollar|euro|pound|hryvni|rouble|ruble"
    r"|times|tank|vehicle|aircraft|jet|home|house|building))"
)
_AFTER = r"(?!\s+(?:the|a|an|his|her|its|their|this|that|he|she|it|they)\b)"

_DATE_CUES = r"(?:in|since|by|until|till|from|during|through|throughout|before|after|of|as\s+of|to|between)"
_YEAR_CUES = (
    r"(?:in|since|by|until|till|from|for|during|through|throughout|before|after|of|as\s+of|(?<!up\s)to)"
)


# (?i) matches a letter in either case, and "i" also as "İ" or "ı", "s" as "ſ", "k" as the Kelvin sign
_CASE_FOLDS = {"i": "İı", "s": "ſ", "k": "\u212a"}
_ANY_DIGIT = r"\d"  # as _NUM's \d{1,3} matches it: any Unicode decimal digit


def _opens_with(letters: str, also: str = "") -> str:
    """A lookahead for what a match can start with: `letters` in any case, or a character of the
    character-class body `also`. Placed after a leading word boundary, it spares the regex engine from trying
    the whole pattern at every word."""
    folded = "".join(c.lower() + c.upper() + _CASE_FOLDS.get(c, "") for c in letters)
    return f"(?=[{folded}{also}])"


def _atom(p: str) -> str:
    """A single day-month date, group names prefixed by `p`."""
    return (
        rf"(?:(?P<{p}m>{_MONTH})\s+(?P<{p}d>{_DAY})|(?:the\s+)?(?P<{p}e>{_DAY})\s+(?:of\s+)?(?P<{p}n>{_MONTH}))"
        rf"(?:,?\s+(?P<{p}y>{_YEAR}))?"
    )


_DAY_RANGE = r"(?:\s*[-–—]\s*|\s+(?:and|to|through)\s+)"
_EXPLICIT = re.compile(
    rf"\b{_opens_with('tlfb', 'MWFSJAOND' + _ANY_DIGIT)}(?P<expr>"
    r"(?:(?P<weekend>(?i:the\s+weekend\s+of))\s+|(?P<last>(?i:last|this\s+past))\s+)?"
    rf"(?:(?P<wd>{_WEEKDAY})(?:\s*(?:,|and|or|&|-|–|to)\s*{_WEEKDAY}){{0,3}}(?:\s*,\s*|\s+|\s*(?P<paren>\(\s*)))?"
    r"(?:"
    rf"(?P<between>(?i:from|between)\s+)?{_atom('a')}"
    rf"(?(between)(?:\s+(?:and|to|until|till|through)\s+)|(?:\s*[-–—]\s*|\s+(?:to|until|till|through)\s+))"
    rf"{_atom('b')}"
    rf"|(?P<mdm>{_MONTH})\s+(?P<mdd>{_DAY})(?:{_DAY_RANGE}(?P<mdd2>{_DAY}))?(?:,?\s+(?P<mdy>{_YEAR}))?"
    rf"|(?:the\s+)?(?P<dmd>{_DAY})(?:{_DAY_RANGE}(?P<dmd2>{_DAY}))?\s+(?:of\s+)?(?P<dmm>{_MONTH})"
    rf"(?:,?\s+(?P<dmy>{_YEAR}))?"
    r")"
    r"(?(paren)\s*\))"
    r")"
)
_NUMERIC = re.compile(
    r"(?<![\d./-])(?P<expr>(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])"
    r"|(?P<d2>0?[1-9]|[12]\d|3[01])\.(?P<m2>0?[1-9]|1[0-2])\.(?P<y2>(?:19|20)\d\d))(?![\d.]\d)"
)
_MONTH_YEAR = re.compile(
    rf"\b{_opens_with('emltbs', 'JFMASOND')}(?P<expr>(?:(?P<part>(?i:{_PART}))(?:\s+|-))?(?P<m>{_MONTH}),?\s+(?:of\s+)?"
    rf"(?:(?P<y>{_YEAR})"
    r"|(?P<yref>(?i:that|the\s+same|the\s+following|the\s+next|the\s+previous|last|this|next)\s+year)\b))"
)
_MONTH_CUED = re.compile(
    rf"\b{_opens_with('isbutfdoa')}(?i:{_DATE_CUES})\s+(?P<expr>(?:(?P<mod>(?i:last|this|next|past))\s+)?"
    rf"(?:(?P<part>(?i:{_PART}))(?:\s+|-))?(?P<m>{_MONTH}))(?!\s*\d)"
)
_MONTH_MODIFIED = re.compile(
    rf"\b{_opens_with('ltnpembs')}(?P<expr>(?:(?P<mod>(?i:last|this|next|past))\s+(?:(?P<part>(?i:{_PART}))(?:\s+|-))?"
    rf"|(?P<part2>(?i:{_PART}))(?:\s+|-))(?P<m>{_MONTH}))(?!\s*\d)"
)
_MONTH_LEADING = re.compile(rf"^[\s\"“‘']*(?P<expr>(?P<m>{_MONTH}))(?=,)")
_YEAR_CUED = re.compile(
    rf"\b{_opens_with('isbutfdoa')}(?i:{_YEAR_CUES})\s+(?P<expr>(?:(?P<part>(?i:{_PART}))(?:\s+|-))?(?P<y>{_YEAR})"
    rf"(?:\s*[-–]\s*(?P<y2>{_YEAR}|\d\d(?!\d)))?){_COUNT_NOUN}"
)
_YEAR_SPAN = re.compile(
    rf"\b(?P<expr>(?i:from|between)\s+(?P<y>{_YEAR})\s+(?i:to|and|until|till|through)\s+(?P<y2>{_YEAR})){_COUNT_NOUN}"
)
_YEAR_PART = re.compile(rf"\b(?P<expr>(?P<part>(?i:early|mid|late))(?:\s+|-)(?P<y>{_YEAR})){_COUNT_NOUN}")
_YEAR_POSSESSIVE = re.compile(rf"(?P<expr>(?P<y>{_YEAR}))(?=['’]s\b)")
_YEAR_DETERMINER = re.compile(
    rf"\b{_opens_with('tih')}(?i:the|its|their|his|her|this|that)\s+(?P<expr>(?P<y>{_YEAR})){_COUNT_NOUN}(?=\s+[a-z])"
)
_DECADE = re.compile(
    r"\b(?P<expr>(?i:the\s+)?(?:(?P<part>(?i:early|mid|late))(?:\s+|-))?(?<![\d.,])(?P<dec>(?:19|20)\d0)['’]?s)\b"
)
_SEASON = r"(?P<season>(?i:spring|summer|autumn|fall|winter))"
_SEASON_YEAR = re.compile(
    rf"\b(?P<expr>(?:(?i:the)\s+)?{_SEASON}(?:\s+of)?\s+(?P<y>{_YEAR}))"
)
_SEASON_RELATIVE = re.compile(
    r"\b(?P<expr>(?P<mod>(?i:last|this|next|past|earlier\s+this|later\s+this))\s+"
    rf"{_SEASON})\b"
)
_SEASON_CUED = re.compile(
    r"\b(?i:in|during|over|through|throughout|since|by)\s+(?P<expr>(?i:the)\s+"
    rf"{_SEASON})\b(?!\s+(?:of\b|[a-z]*offensive|campaign|\d))"
)
_WEEKDAY_ALONE = re.compile(
    rf"\b{_opens_with('ltnp', 'MWFS')}(?P<expr>(?:(?P<mod>(?i:last|this|next|past|previous))\s+)?(?P<wd>{_WEEKDAY})"
    r"(?:\s+(?i:morning|afternoon|evening|night))?)"
)
_DAY_WORD = re.compile(
    rf"\b{_opens_with('tylo')}(?P<expr>(?i:(?P<before>the\s+day\s+before\s+yesterday)|(?P<today>today|tonight)"
    r"|(?P<this>this\s+(?:morning|afternoon|evening))"
    r"|(?P<yesterday>yesterday)|(?P<tomorrow>tomorrow)|(?P<night>last\s+night|overnight)))\b"
)
_PAST_WINDOW = re.compile(
    rf"\b{_opens_with('tpl')}(?P<expr>(?i:(?:the\s+(?:past|last)\s+(?:(?P<n>{_NUM}|twenty-four)\s+)?"
    rf"|(?:past|last)\s+(?P<n2>{_NUM}"
    r"|twenty-four)\s+)(?P<unit>hours?|days?|weeks?|fortnight|months?|years?)))\b(?!\s+of\b)"
)
_AGO = re.compile(
    rf"\b{_opens_with('aotfsenc', _ANY_DIGIT)}"
    rf"(?P<expr>(?i:(?P<n>{_NUM})\s+(?P<unit>days?|weeks?|fortnights?|months?|years?)\s+ago))\b"
)


def _calendar_pattern(units: str) -> re.Pattern[str]:
    return re.compile(
        rf"\b{_opens_with('ltnem')}(?P<expr>(?i:(?P<mod>last|this|next|earlier\s+this|later\s+this"
        r"|(?P<part>early|mid|late)(?:\s+|-)(?:last|this|next)"
        rf"|the\s+(?:start|beginning|end|middle)\s+of\s+(?:this|last|next|the))\s+(?P<unit>{units})))\b"
    )


_CALENDAR_RELATIVE = _calendar_pattern("week|month")
_CALENDAR_YEAR = _calendar_pattern("year")
_WEEKEND = re.compile(
    r"\b(?P<expr>(?i:(?P<mod>this\s+past|this|last|next|the\s+past|the\s+previous|the\s+preceding|the\s+following"
    r"|the\s+next|that|the)\s+weekend))\b(?!\s+of\b)"
)
_NARRATIVE_DAY = re.compile(
    rf"\b{_opens_with('tadle')}(?P<expr>(?i:(?P<next>the\s+(?:following|next)\s+(?:day|morning|afternoon|evening|night)\b"
    rf"|a\s+day\s+later\b|(?:the\s+)?day\s+after\b{_AFTER})"
    r"|(?P<prev>the\s+(?:previous|preceding)\s+(?:day|night|evening)\b"
    rf"|the\s+(?:day|night)\s+before\b{_AFTER}|a\s+day\s+earlier\b)"
    r"|(?P<same>(?:that|the\s+same|that\s+same)\s+(?:day|morning|afternoon|evening|night)\b"
    r"|(?:later|earlier)\s+(?:that|in\s+the|on\s+the)\s+(?:day|morning|afternoon|evening|night)\b)))"
)
_NARRATIVE_SHIFT = re.compile(
    rf"\b{_opens_with('aotfsenc', _ANY_DIGIT)}"
    rf"(?P<expr>(?i:(?P<n>{_NUM})\s+(?P<unit>days?|weeks?)\s+(?:(?P<dir>later|earlier)\b"
    rf"|(?P<dir2>after|before)\b{_AFTER}(?!\s+[A-Z\d]))))"
)
_NARRATIVE_WEEK = re.compile(
    r"\b(?P<expr>(?i:(?P<mod>later|earlier)\s+that\s+week|(?P<next>the\s+(?:following|next)\s+week)"
    rf"|(?P<prev>the\s+(?:previous|preceding)\s+week|the\s+week\s+before\b{_AFTER})|that\s+(?:same\s+)?week))\b"
)
_NARRATIVE_YEAR = re.compile(
    r"\b(?P<expr>(?i:(?P<same>that\s+(?:same\s+)?year|the\s+same\s+year)"
    r"|(?P<next>the\s+following\s+year|a\s+year\s+later)"
    r"|(?P<prev>the\s+(?:previous|preceding)\s+year|the\s+year\s+before|a\s+year\s+earlier)))\b"
)
_VAGUE = re.compile(
    r"\b(?P<expr>(?i:recently|lately|in\s+recent\s+(?:days|weeks|months|years)"
    r"|(?:in|over)\s+the\s+(?:coming|next\s+few|past\s+few|last\s+few)\s+(?:days|weeks|months|years)"
    r"|(?:the\s+)?(?:past|last)\s+(?:few|several)\s+(?:days|weeks|months|years)"
    r"|(?:a\s+few|several)\s+(?:days|weeks|months|years)\s+ago|in\s+the\s+near\s+future))\b"
)
_YEAR_REF = rf"(?:(?P<y>{_YEAR})|(?P<yref>(?i:this|last|next|the|that))\s+(?i:year))"
_HALF = re.compile(
    rf"\b(?P<expr>(?i:the\s+)?(?P<which>(?i:first|second|1st|2nd|last))\s+(?i:half)\s+(?i:of\s+)?"
    rf"(?:(?P<m>{_MONTH})(?:,?\s+(?P<my>{_YEAR}))?|{_YEAR_REF})"
    rf"|H(?P<h>[12])\s+(?P<hy>{_YEAR}))"
)
_QUARTER = re.compile(
    rf"\b(?P<expr>(?i:the\s+)?(?P<which>(?i:first|second|third|fourth|last|1st|2nd|3rd|4th))\s+(?i:quarter)\s+"
    rf"(?i:of\s+)?{_YEAR_REF}|Q(?P<q>[1-4])\s+(?P<qy>{_YEAR}))"
)
_MONTH_SPAN = re.compile(
    rf"\b{_opens_with('bf', 'JFMASOND')}"
    rf"(?P<expr>(?:(?P<between>(?i:between))\s+|(?i:from)\s+)?(?P<m1>{_MONTH})(?:\s+(?P<y1>{_YEAR}))?"
    rf"(?(between)\s+(?i:and)\s+|(?:\s*[-–—]\s*|\s+(?i:to|until|till|through)\s+))"
    rf"(?P<m2>{_MONTH})(?:,?\s+(?P<y2>{_YEAR}))?)(?!\s*\d)"
)
_NARRATIVE_MONTH = re.compile(
    r"\b(?P<expr>(?i:(?P<next>the\s+(?:following|next)\s+month)|(?P<prev>the\s+(?:previous|preceding)\s+month)"
    r"|(?P<mod>later|earlier)\s+(?:that|the\s+same)\s+month|that\s+(?:same\s+)?month|the\s+same\s+month))\b"
)
_NARRATIVE_MONTHS = re.compile(
    rf"\b(?P<expr>(?i:(?P<n>{_NUM})\s+months?\s+(?P<dir>later|earlier)))\b"
)
_HOLIDAY = re.compile(
    r"\b(?P<expr>(?P<name>Christmas\s+(?:Day|Eve)|New\s+Year['’]s\s+(?:Day|Eve))"
    rf"(?:,?\s+(?P<y>{_YEAR}))?)"
)
_SLASHED = re.compile(
    r"(?<![\d/.])(?P<expr>(?P<a>0?[1-9]|[12]\d|3[01])/(?P<b>0?[1-9]|[12]\d|3[01])/(?P<y>(?:19|20)\d\d))(?![\d/])"
)
_ORDINAL_DAY = re.compile(
    r"\b(?i:on|by|until|till|since|from)\s+(?P<expr>the\s+(?P<d>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th))\b"
    r"(?=\s*[,.;:)]|\s*$|\s+(?:and|when|as|at|after|before|with|in\s+the)\b)"
)
_ANY_YEAR = re.compile(_YEAR)
# every rule needs one of these; a sentence without any skips the rules altogether (only checked
# where a rule's `needs` cannot be trusted: a search for it costs as much as three rules)
_TRIGGER = re.compile(
    r"\d|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
    r"|(?i:day|night|week|month|year|hour|today|tonight|tomorrow|recent|lately|summer|spring|autumn|fall"
    r"|winter|coming|future|morning|evening|afternoon|christmas|fortnight|half|quarter)"
)


@dataclass(slots=True)
class _Context:
    """What a resolution may lean on; one per article, never shared."""

    anchor: date | None
    narrative: When | None = None
    last_year: int | None = None
    year_clues: frozenset[int] = frozenset()
    same_weekday: SameWeekday = "publication"
    future_days: int = 92
    anchor_label: str | None = None  # _fmt(anchor), made on first use



Resolve = Callable[[re.Match[str], _Context], When]


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    resolve: Resolve
    names_year: bool = False  # a later "that year" refers to the year this rule resolves to
    # Cue strings: the pattern can only match a sentence that holds one of each group, so a sentence
    # without them skips the pattern (most sentences skip most rules). Lower-case cues are looked for
    # in the lower-cased sentence, capitalised ones (month and weekday names) as written.
    needs: tuple[tuple[str, ...], ...] = ()
    # Cheaper patterns that find something wherever `pattern` matches: a sentence whose cues pass
    # but where none of them is found skips the pattern.
    probes: tuple[_Probe, ...] = ()


@dataclass(frozen=True, slots=True)
class _Probe:
    """A pattern searched for in the sentence as written, or (`lowered`) in the lower-cased sentence."""

    pattern: re.Pattern[str]
    lowered: bool = False
    # found only where the pattern is found twice, the second time from one character past the first
    twice: bool = False


# ── calendar helpers ──────────────────────────────────────────────────────────────────────────────


def _month_number(name: str) -> int:
    return _MONTH_NUMBERS[name.lower()[:3]]


def _weekday_number(name: str) -> int:
    return _WEEKDAYS.index(name.lower())


def _number(word: str) -> int:
    word = word.lower().replace("a couple of", "couple").replace("couple of", "couple")
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def _week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _fmt(day: date) -> str:
    return f"{day:%a} {day.isoformat()}"


def _fmt_anchor(anchor: date, ctx: _Context) -> str:
    """`_fmt(anchor)` for the context's anchor, formatted once per context."""
    if ctx.anchor_label is None:
        ctx.anchor_label = _fmt(anchor)
    return ctx.anchor_label


def _month_part(year: int, month: int, part: str | None) -> tuple[date, date, Precision]:
    """A month, or its first, middle or last third ("early June", "mid-June", "late June")."""
    last = _month_end(year, month)
    kind = _part_kind(part)
    if kind == "early":
        return date(year, month, 1), date(year, month, 10), "week"
    if kind == "mid":
        return date(year, month, 11), date(year, month, 20), "week"
    if kind == "late":
        return date(year, month, 21), last, "week"
    return date(year, month, 1), last, "month"


def _year_part(year: int, part: str | None) -> tuple[date, date, Precision]:
    """A year, or its early (Jan–Apr), mid (May–Aug) or late (Sep–Dec) third."""
    kind = _part_kind(part)
    if kind == "early":
        return date(year, 1, 1), date(year, 4, 30), "month"
    if kind == "mid":
        return date(year, 5, 1), date(year, 8, 31), "month"
    if kind == "late":
        return date(year, 9, 1), date(year, 12, 31), "month"
    return date(year, 1, 1), date(year, 12, 31), "year"


def _part_kind(part: str | None) -> str | None:
    if not part:
        return None
    words = part.lower()
    if "early" in words or "beginning" in words or "start" in words:
        return "early"
    if "mid" in words:
        return "mid"
    return "late"


def _yearless(month: int, day: int, anchor: date, future_days: int) -> date | None:
    """The latest (month, day) no more than `future_days` after the anchor."""
    limit = anchor + timedelta(days=future_days)
    candidates = [d for y in range(anchor.year - 4, anchor.year + 2) if (d := _safe_date(y, month, day))]
    fitting = [d for d in candidates if d <= limit]
    return max(fitting) if fitting else None


def _month_before(month: int, anchor: date, *, strictly: bool) -> int:
    """Year of the most recent `month` up to (or strictly before) the anchor's month."""
    if month < anchor.month or (month == anchor.month and not strictly):
        return anchor.year
    return anchor.year - 1


def _weekday_year(month: int, day: int, weekday: int, ctx: _Context) -> tuple[int | None, str]:
    """The year in which (month, day) falls on `weekday`, and why."""
    if ctx.anchor is not None:
        anchor = ctx.anchor
        fits = [d for y in range(anchor.year - 11, anchor.year + 12)
                if (d := _safe_date(y, month, day)) and d.weekday() == weekday]
        if not fits:
            return None, "no nearby year where the weekday matches"
        best = min(fits, key=lambda d: abs((d - anchor).days))
        return best.year, f"weekday matches in {best.year}, the nearest such year to publication {anchor}"
    years = {y for clue in ctx.year_clues for y in range(clue - 5, clue + 6)
             if (d := _safe_date(y, month, day)) and d.weekday() == weekday}
    if len(years) == 1:
        (year,) = years
        return year, f"no publication date; {year} is the only year near the text's years with that weekday"
    return None, "no publication date and the weekday does not single out a year"


def _unknown(text: str, reason: str) -> When:
    return When(text=text, reason=reason)


def _no_anchor(text: str, what: str) -> When:
    return _unknown(text, f"no publication date: '{text}' {what}")


# ── resolvers, one per rule ──────────────────────────────────────────────────────────────────────


def _explicit(m: re.Match[str], ctx: _Context) -> When:
    """Day-month dates, with optional year, weekday, day range or month range."""
    text = m["expr"]
    if m["am"] or m["ae"]:
        return _month_range(m, ctx)
    if m["mdm"]:
        month, d1, d2, year = m["mdm"], m["mdd"], m["mdd2"], m["mdy"]
    else:
        month, d1, d2, year = m["dmm"], m["dmd"], m["dmd2"], m["dmy"]
    mon = _month_number(month)
    first, last = _day_value(d1), _day_value(d2) if d2 else None
    if last is not None and last <= first:
        return _unknown(text, f"day range {first}-{last} runs backwards")
    resolved_year, why = _explicit_year(mon, first, year, m["wd"], ctx, last=bool(m["last"]))
    if resolved_year is None:
        return _unknown(text, why)
    start = _safe_date(resolved_year, mon, first)
    end = _safe_date(resolved_year, mon, last) if last is not None else start
    if start is None or end is None:
        return _unknown(text, "not a calendar date")
    if m["weekend"] and last is None:
        start, end = _weekend_around(start)
    return When(start, end, "day", text, why)


_NON_DIGIT = re.compile(r"\D")


def _day_value(day: str) -> int:
    return int(_NON_DIGIT.sub("", day))


def _explicit_year(month: int, day: int, year: str | None, weekday: str | None,
                   ctx: _Context, *, last: bool = False) -> tuple[int | None, str]:
    if year:
        if weekday and _safe_date(int(year), month, day) and date(int(year), month, day).weekday() != (
                _weekday_number(weekday)):
            return int(year), f"explicit date (the weekday '{weekday}' does not match it)"
        return int(year), "explicit date"
    if weekday:
        return _weekday_year(month, day, _weekday_number(weekday), ctx)
    if ctx.anchor is None:
        return None, "no publication date to give the date a year"
    if last:
        found = _yearless(month, day, ctx.anchor, -1)
        return (found.year if found else None), f"most recent such date before publication {ctx.anchor}"
    found = _yearless(month, day, ctx.anchor, ctx.future_days)
    if found is None:
        return None, "no fitting year"
    return found.year, f"year {found.year} from publication {ctx.anchor}"


def _weekend_around(day: date) -> tuple[date, date]:
    if day.weekday() == 5:
        return day, day + timedelta(days=1)
    if day.weekday() == 6:
        return day - timedelta(days=1), day
    return day, day


def _month_range(m: re.Match[str], ctx: _Context) -> When:
    """"from June 27 to July 2": two atoms; a year on either side serves both."""
    text = m["expr"]
    m1, d1 = _month_number(m["am"] or m["an"]), _day_value(m["ad"] or m["ae"])
    m2, d2 = _month_number(m["bm"] or m["bn"]), _day_value(m["bd"] or m["be"])
    y1, y2 = (int(m["ay"]) if m["ay"] else None), (int(m["by"]) if m["by"] else None)
    wraps = (m2, d2) < (m1, d1)
    if y1 is None and y2 is not None:
        y1 = y2 - 1 if wraps else y2
    if y1 is None:
        y1, why = _explicit_year(m1, d1, None, m["wd"], ctx)
        if y1 is None:
            return _unknown(text, why)
    else:
        why = "explicit date range"
    if y2 is None:
        y2 = y1 + 1 if wraps else y1
    start, end = _safe_date(y1, m1, d1), _safe_date(y2, m2, d2)
    if start is None or end is None or end < start:
        return _unknown(text, "not a calendar date range")
    return When(start, end, "day", text, why)


def _numeric(m: re.Match[str], ctx: _Context) -> When:
    year, month, day = (m["y"], m["m"], m["d"]) if m["y"] else (m["y2"], m["m2"], m["d2"])
    found = _safe_date(int(year), int(month), int(day))
    if found is None:
        return _unknown(m["expr"], "not a calendar date")
    return When(found, found, "day", m["expr"], "explicit numeric date")


def _month_year(m: re.Match[str], ctx: _Context) -> When:
    """"September 2022", "late June 2025", "September of that year", "March last year"."""
    text, month = m["expr"], _month_number(m["m"])
    if m["y"]:
        year, why = int(m["y"]), "explicit month and year"
    else:
        ref = m["yref"].lower().split()
        if ref[0] in ("last", "this", "next"):
            if ctx.anchor is None:
                return _no_anchor(text, "needs the publication year")
            year = ctx.anchor.year + {"last": -1, "this": 0, "next": 1}[ref[0]]
            why = f"'{m['yref']}' from publication {ctx.anchor}"
        else:
            if ctx.last_year is None:
                return _unknown(text, "no earlier year in the story")
            year = ctx.last_year + {"following": 1, "next": 1, "previous": -1}.get(ref[-2], 0)
            why = f"'{m['yref']}' after the story's year {ctx.last_year}"
    start, end, precision = _month_part(year, month, m["part"])
    return When(start, end, precision, text, why)


def _month_alone(m: re.Match[str], ctx: _Context) -> When:
    """"in May", "last March", "late June": the most recent such month before publication."""
    text, month = m["expr"], _month_number(m["m"])
    if ctx.anchor is None:
        return _no_anchor(text, "needs the publication date for its year")
    groups = m.groupdict()
    mod = (groups.get("mod") or "").lower()
    part = groups.get("part") or groups.get("part2")
    if mod == "next":
        year = ctx.anchor.year if month > ctx.anchor.month else ctx.anchor.year + 1
        why = f"next {m['m']} after publication {ctx.anchor}"
    elif mod == "this":
        year, why = ctx.anchor.year, f"{m['m']} of the publication year {ctx.anchor.year}"
    else:
        strictly = mod in ("last", "past")
        year = _month_before(month, ctx.anchor, strictly=strictly)
        relation = "before" if strictly else "up to"
        why = f"most recent {m['m']} {relation} publication {ctx.anchor}"
    start, end, precision = _month_part(year, month, part)
    return When(start, end, precision, text, why)


def _year_alone(m: re.Match[str], ctx: _Context) -> When:
    """"in 2022", "since 2014", "late 2024", "2022's", "in 2022-23"."""
    text, year = m["expr"], int(m["y"])
    groups = m.groupdict()
    if groups.get("y2"):
        raw = groups["y2"]
        last = int(raw) if len(raw) == 4 else year // 100 * 100 + int(raw)
        if last <= year:
            return _unknown(text, "year range runs backwards")
        return When(date(year, 1, 1), date(last, 12, 31), "year", text, "explicit year range")
    part = _part_kind(groups.get("part"))
    start, end, precision = _year_part(year, part)
    why = f"{part} part of explicit year {year}" if part else "explicit year"
    return When(start, end, precision, text, why)


def _decade(m: re.Match[str], ctx: _Context) -> When:
    first = int(m["dec"])
    span = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}.get(_part_kind(m["part"]) or "", (0, 9))
    return When(date(first + span[0], 1, 1), date(first + span[1], 12, 31), "year", m["expr"], "decade")


def _season_span(season: str, year: int) -> tuple[date, date]:
    first, last, offset = _SEASONS[season.lower()]
    return date(year, first, 1), _month_end(year + offset, last)


def _season_year(m: re.Match[str], ctx: _Context) -> When:
    start, end = _season_span(m["season"], int(m["y"]))
    return When(start, end, "month", m["expr"], "explicit season and year")


def _season_relative(m: re.Match[str], ctx: _Context) -> When:
    """"last summer": the most recent one that ended before publication."""
    text, season, mod = m["expr"], m["season"], m["mod"].lower()
    if ctx.anchor is None:
        return _no_anchor(text, "is relative to it")
    year = ctx.anchor.year
    mod = " ".join(mod.split())
    if mod in ("last", "past"):
        while _season_span(season, year)[1] >= ctx.anchor:
            year -= 1
        why = f"most recent {season.lower()} ended before publication {ctx.anchor}"
    elif mod in ("earlier this", "later this"):
        start, end = _season_span(season, year)
        start, end = (start, min(end, ctx.anchor)) if mod == "earlier this" else (max(start, ctx.anchor), end)
        return When(start, end, "month", text, f"{mod} {season.lower()} from publication {ctx.anchor}")
    elif mod == "next":
        while _season_span(season, year)[0] <= ctx.anchor:
            year += 1
        why = f"next {season.lower()} after publication {ctx.anchor}"
    else:
        why = f"{season.lower()} of the publication year {year}"
    start, end = _season_span(season, year)
    return When(start, end, "month", text, why)


def _season_cued(m: re.Match[str], ctx: _Context) -> When:
    """"in the summer": the most recent one that began by publication."""
    text, season = m["expr"], m["season"]
    if ctx.anchor is None:
        return _no_anchor(text, "needs the publication date for its year")
    year = ctx.anchor.year
    while _season_span(season, year)[0] > ctx.anchor:
        year -= 1
    start, end = _season_span(season, year)
    return When(start, end, "month", text, f"most recent {season.lower()} begun by publication {ctx.anchor}")


def _weekday(m: re.Match[str], ctx: _Context) -> When:
    """"on Tuesday": the most recent Tuesday before publication (see the module docstring)."""
    text, name = m["expr"], m["wd"]
    if ctx.anchor is None:
        return _no_anchor(text, "is relative to it")
    anchor, target = ctx.anchor, _weekday_number(name)
    mod = (m["mod"] or "").lower()
    back = (anchor.weekday() - target) % 7
    if mod == "next":
        day = anchor + timedelta(days=(target - anchor.weekday()) % 7 or 7)
        return When(day, day, "day", text, f"weekday '{name}' after publication {_fmt_anchor(anchor, ctx)}")
    if mod == "this":
        day = _week_of(anchor)[0] + timedelta(days=target)
        return When(day, day, "day", text, f"weekday '{name}' in the week of publication {_fmt_anchor(anchor, ctx)}")
    if back == 0 and (mod in ("last", "past", "previous") or ctx.same_weekday == "week_before"):
        back = 7
    day = anchor - timedelta(days=back)
    relation = "is the publication day" if back == 0 else "before publication"
    return When(day, day, "day", text, f"weekday '{name}' {relation} {_fmt_anchor(anchor, ctx)}")


def _day_word(m: re.Match[str], ctx: _Context) -> When:
    """today, yesterday, tomorrow, overnight, last night."""
    text = m["expr"]
    if ctx.anchor is None:
        return _no_anchor(text, "is relative to it")
    pub = ctx.anchor
    if m["night"]:
        return When(pub - timedelta(days=1), pub, "day", text, f"the night before publication {_fmt_anchor(pub, ctx)}")
    offset = -2 if m["before"] else -1 if m["yesterday"] else 1 if m["tomorrow"] else 0
    day = pub + timedelta(days=offset)
    return When(day, day, "day", text, f"'{text}' from publication {_fmt_anchor(pub, ctx)}")


def _past_window(m: re.Match[str], ctx: _Context) -> When:
    """"the past 24 hours", "the past day", "the last week": a window ending on publication."""
    text = m["expr"]
    if ctx.anchor is None:
        return _no_anchor(text, "is relative to it")
    raw = (m["n"] or m["n2"] or "1").lower()
    n = 24 if raw == "twenty-four" else _number(raw)
    unit = m["unit"].lower().rstrip("s")
    pub = ctx.anchor
    if unit == "fortnight":
        n, unit = 2 * n, "week"
    if unit in ("hour", "day"):
        days = max(1, -(-n // 24)) if unit == "hour" else n
        precision: Precision = "day" if days <= 2 else "week" if days <= 14 else "month"
        why = f"{days} day(s) up to publication {pub}"
        return When(pub - timedelta(days=days), pub, precision, text, why)
    if unit == "week":
        return When(pub - timedelta(days=7 * n), pub, "week", text, f"{n} week(s) up to publication {pub}")
    if unit == "month":
        y, mo = _shift_month(pub.year, pub.month, -n)
        start = _safe_date(y, mo, pub.day) or _month_end(y, mo)
        return When(start, pub, "month", text, f"{n} month(s) up to publication {pub}")
    return When(date(pub.year - n, pub.month, min(pub.day, 28)), pub, "year", text,
                f"{n} year(s) up to publication {pub}")


def _ago(m: re.Match[str], ctx: _Context) -> When:
    """"20 days ago", "a couple of days ago", "two weeks ago", "three months ago"."""
    text = m["expr"]
    if ctx.anchor is None:
        return _no_anchor(text, "is relative to it")
    pub, n, unit = ctx.anchor, _number(m["n"]), m["unit"].lower().rstrip("s")
    if unit == "fortnight":
        n, unit = 2 * n, "week"
    if unit == "day":
        day = pub - timedelta(days=n)
        return When(day, day, "day", text, f"{n} day(s) before publication {_fmt_anchor(pub, ctx)}")
    if unit == "week":
        start, end = _week_of(pub - timedelta(days=7 * n))
        return When(start, end, "week", text, f"the week {n} week(s) before publication {pub}")
    if unit == "month":
        y, mo = _shift_month(pub.year, pub.month, -n)
        why = f"{n} month(s) before publication {pub}"
        return When(date(y, mo, 1), _month_end(y, mo), "month", text, why)
    return When(date(pub.year - n, 1, 1), date(pub.year - n, 12, 31), "year", text,
                f"{n} year(s) before publication {pub}")


def _calendar_relative(m: re.Match[str], ctx: _Context) -> When:
    """"last week" (Monday–Sunday), "this month", "earlier this year", "next week"."""
    text = m["expr"]
    if ctx.anchor is None:
        return _no_anchor(text, "is relative to it")
    pub, unit = ctx.anchor, m["unit"].lower()
    mod = " ".join(m["mod"].lower().split())
    shift = -1 if mod.endswith("last") else 1 if mod.endswith("next") else 0
    start, end = _calendar_unit(pub, unit, shift)
    if mod == "earlier this":
        end = pub
    elif mod == "later this":
        start = pub
    precision: Precision = "week" if unit == "week" else "month" if unit == "month" else "year"
    part = m["part"] or (_EDGE_WORD.search(mod) if mod.startswith("the") else None)
    if part is not None:
        kind = _part_kind(part if isinstance(part, str) else part.group(0))
        if unit == "month":
            start, end, precision = _month_part(start.year, start.month, kind)
        elif unit == "year":
            start, end, precision = _year_part(start.year, kind)
        else:
            start, end = _edge_of(start, end, kind or "late")
            precision = "day"
    return When(start, end, precision, text, f"'{text}' from publication {_fmt_anchor(pub, ctx)}")


_EDGE_WORD = re.compile(r"start|beginning|middle|end")


def _calendar_unit(pub: date, unit: str, shift: int) -> tuple[date, date]:
    if unit == "week":
        monday, sunday = _week_of(pub)
        return monday + timedelta(weeks=shift), sunday + timedelta(weeks=shift)
    if unit == "month":
        y, mo = _shift_month(pub.year, pub.month, shift)
        return date(y, mo, 1), _month_end(y, mo)
    return date(pub.year + shift, 1, 1), date(pub.year + shift, 12, 31)


def _edge_of(start: date, end: date, edge: str) -> tuple[date, date]:
    """First ("early"), middle ("mid") or last third of a week ("the end of next week")."""
    length = (end - start).days + 1
    third = timedelta(days=max(1, length // 3) - 1)
    if edge == "early":
        return start, start + third
    if edge == "mid":
        return start + third + timedelta(days=1), end - third - timedelta(days=1)
    return end - third, end


def _weekend(m: re.Match[str], ctx: _Context) -> When:
    """"over the weekend": the most recent Saturday–Sunday up to publication."""
    text = m["expr"]
    if ctx.anchor is None:
        return _no_anchor(text, "is relative to it")
    pub = ctx.anchor
    mod = " ".join(m["mod"].lower().split())
    if mod in ("the previous", "the preceding", "the following", "the next", "that"):
        return _narrative_weekend(text, mod, ctx)
    saturday = pub - timedelta(days=(pub.weekday() - 5) % 7)
    if mod == "next":
        saturday += timedelta(days=7)
        return When(saturday, saturday + timedelta(days=1), "day", text,
                    f"the weekend after publication {_fmt_anchor(pub, ctx)}")
    if mod == "last" and pub.weekday() >= 5:
        saturday -= timedelta(days=7)
    elif mod == "this" and pub.weekday() < 5:
        saturday += timedelta(days=7)
        return When(saturday, saturday + timedelta(days=1), "day", text,
                    f"the coming weekend after publication {_fmt_anchor(pub, ctx)}")
    return When(saturday, saturday + timedelta(days=1), "day", text,
                f"the weekend up to publication {_fmt_anchor(pub, ctx)}")


def _narrative_weekend(text: str, mod: str, ctx: _Context) -> When:
    """"the previous weekend", "the following weekend", "that weekend": around the story's last date."""
    base, source = _narrative_base(ctx)
    if base is None or base.start is None or base.end is None:
        return _unknown(text, "no earlier date in the story and no publication date")
    if mod == "that":
        saturday = base.start - timedelta(days=(base.start.weekday() - 5) % 7)
    elif mod in ("the previous", "the preceding"):
        saturday = base.start - timedelta(days=(base.start.weekday() - 5) % 7 or 7)
    else:
        saturday = base.end + timedelta(days=(5 - base.end.weekday()) % 7 or 7)
    return When(saturday, saturday + timedelta(days=1), "day", text, f"'{text}' around {source} {base.start}")


def _narrative_day(m: re.Match[str], ctx: _Context) -> When:
    """"the following day", "the previous day", "that day": against the last date the story named."""
    text = m["expr"]
    base, source = _narrative_base(ctx)
    if base is None or base.start is None or base.end is None:
        return _unknown(text, "no earlier date in the story and no publication date")
    if m["next"]:
        day, relation = base.end + timedelta(days=1), "after"
    elif m["prev"]:
        day, relation = base.start - timedelta(days=1), "before"
    else:
        return When(base.start, base.end, "day", text, f"'{text}' is the {source} {base.start}")
    return When(day, day, "day", text, f"'{text}' {relation} {source} {base.start}")


def _narrative_base(ctx: _Context) -> tuple[When | None, str]:
    if ctx.narrative is not None:
        return ctx.narrative, "narrative date"
    if ctx.anchor is not None:
        return When(ctx.anchor, ctx.anchor, "day"), "publication date (no earlier date in the story)"
    return None, ""


def _narrative_shift(m: re.Match[str], ctx: _Context) -> When:
    """"two days later", "a week earlier"."""
    text = m["expr"]
    base, source = _narrative_base(ctx)
    if base is None or base.start is None or base.end is None:
        return _unknown(text, "no earlier date in the story and no publication date")
    n, unit = _number(m["n"]), m["unit"].lower().rstrip("s")
    forward = (m["dir"] or m["dir2"]).lower() in ("later", "after")
    days = timedelta(days=n * (7 if unit == "week" else 1))
    day = base.end + days if forward else base.start - days
    precision: Precision = "week" if unit == "week" else "day"
    return When(day, day, precision, text, f"'{text}' from {source} {base.start}")


def _narrative_week(m: re.Match[str], ctx: _Context) -> When:
    """"later that week", "the following week": weeks around the last date the story named."""
    text = m["expr"]
    base, source = _narrative_base(ctx)
    if base is None or base.start is None or base.end is None:
        return _unknown(text, "no earlier date in the story and no publication date")
    monday, sunday = _week_of(base.start)
    mod = (m["mod"] or "").lower()
    if m["next"]:
        monday, sunday = monday + timedelta(weeks=1), sunday + timedelta(weeks=1)
    elif m["prev"]:
        monday, sunday = monday - timedelta(weeks=1), sunday - timedelta(weeks=1)
    elif mod == "later":
        monday = min(base.end + timedelta(days=1), sunday)
    elif mod == "earlier":
        sunday = max(base.start - timedelta(days=1), monday)
    return When(monday, sunday, "week", text, f"'{text}' around {source} {base.start}")


def _narrative_year(m: re.Match[str], ctx: _Context) -> When:
    text = m["expr"]
    if ctx.last_year is None:
        return _unknown(text, "no earlier year in the story")
    year = ctx.last_year + (1 if m["next"] else -1 if m["prev"] else 0)
    return When(date(year, 1, 1), date(year, 12, 31), "year", text,
                f"'{text}' after the story's year {ctx.last_year}")


_HALF_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "last": 2}
_QUARTER_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": 4}


def _referred_year(m: re.Match[str], ctx: _Context) -> tuple[int | None, str]:
    """The year of "2024", "this year", "last year", "next year", "the year", "that year"."""
    if m["y"]:
        return int(m["y"]), "explicit year"
    ref = m["yref"].lower()
    if ref == "that":
        if ctx.last_year is None:
            return None, "no earlier year in the story"
        return ctx.last_year, f"the story's year {ctx.last_year}"
    if ctx.anchor is None:
        return None, f"no publication date: '{ref} year' is relative to it"
    year = ctx.anchor.year + {"last": -1, "next": 1}.get(ref, 0)
    return year, f"'{ref} year' from publication {ctx.anchor}"


def _half(m: re.Match[str], ctx: _Context) -> When:
    """"the first half of 2024", "the second half of June", "H2 2024"."""
    text = m["expr"]
    half = int(m["h"]) if m["h"] else _HALF_WORDS[m["which"].lower()]
    if m["m"]:
        month = _month_number(m["m"])
        if m["my"]:
            year, why = int(m["my"]), "explicit month and year"
        elif ctx.anchor is None:
            return _no_anchor(text, "needs the publication date for its year")
        else:
            year = _month_before(month, ctx.anchor, strictly=False)
            why = f"most recent {m['m']} up to publication {ctx.anchor}"
        start = date(year, month, 1 if half == 1 else 16)
        end = date(year, month, 15) if half == 1 else _month_end(year, month)
        return When(start, end, "week", text, why)
    found, why = (int(m["hy"]), "explicit year") if m["hy"] else _referred_year(m, ctx)
    if found is None:
        return _unknown(text, why)
    start, end = (date(found, 1, 1), date(found, 6, 30)) if half == 1 else (date(found, 7, 1), date(found, 12, 31))
    return When(start, end, "month", text, f"half {half} of {found}: {why}")


def _quarter(m: re.Match[str], ctx: _Context) -> When:
    """"the first quarter of 2025", "Q3 2024", "the last quarter of this year"."""
    text = m["expr"]
    quarter = int(m["q"]) if m["q"] else _QUARTER_WORDS[m["which"].lower()]
    year, why = (int(m["qy"]), "explicit year") if m["qy"] else _referred_year(m, ctx)
    if year is None:
        return _unknown(text, why)
    first = 3 * quarter - 2
    return When(date(year, first, 1), _month_end(year, first + 2), "month", text, f"quarter {quarter} of {year}: {why}")


def _month_span(m: re.Match[str], ctx: _Context) -> When:
    """"from May to July", "between June and August 2024", "December 2023-February 2024"."""
    text = m["expr"]
    m1, m2 = _month_number(m["m1"]), _month_number(m["m2"])
    y1, y2 = (int(m["y1"]) if m["y1"] else None), (int(m["y2"]) if m["y2"] else None)
    wraps = m2 < m1
    if y1 is None and y2 is not None:
        y1 = y2 - 1 if wraps else y2
    if y1 is not None:
        why = "explicit month range"
        y2 = y2 if y2 is not None else y1 + 1 if wraps else y1
    elif ctx.anchor is None:
        return _no_anchor(text, "needs the publication date for its year")
    else:
        y2 = _month_before(m2, ctx.anchor, strictly=False)
        y1 = y2 - 1 if wraps else y2
        why = f"months up to publication {ctx.anchor}"
    start, end = date(y1, m1, 1), _month_end(y2, m2)
    if end < start:
        return _unknown(text, "month range runs backwards")
    return When(start, end, "month", text, why)


def _narrative_month(m: re.Match[str], ctx: _Context) -> When:
    """"the following month", "later that month", "two months later": months around the story's last date."""
    text = m["expr"]
    base, source = _narrative_base(ctx)
    if base is None or base.start is None or base.end is None:
        return _unknown(text, "no earlier date in the story and no publication date")
    groups = m.groupdict()
    if groups.get("n"):
        shift = _number(groups["n"]) * (1 if groups["dir"].lower() == "later" else -1)
    else:
        shift = 1 if groups.get("next") else -1 if groups.get("prev") else 0
    year, month = _shift_month(base.start.year, base.start.month, shift)
    start, end = date(year, month, 1), _month_end(year, month)
    mod = (groups.get("mod") or "").lower()
    if mod == "later":
        start = min(base.end + timedelta(days=1), end)
    elif mod == "earlier":
        end = max(base.start - timedelta(days=1), start)
    return When(start, end, "month", text, f"'{text}' around {source} {base.start}")


def _holiday(m: re.Match[str], ctx: _Context) -> When:
    """Christmas Day and Eve, New Year's Day and Eve (Gregorian calendar)."""
    text, name = m["expr"], " ".join(m["name"].lower().split())
    month, day = {"christmas day": (12, 25), "christmas eve": (12, 24)}.get(
        name, (1, 1) if name.endswith("day") else (12, 31))
    if m["y"]:
        found = date(int(m["y"]), month, day)
        return When(found, found, "day", text, "explicit holiday and year")
    if ctx.anchor is None:
        return _no_anchor(text, "needs the publication date for its year")
    found_day = _yearless(month, day, ctx.anchor, ctx.future_days)
    if found_day is None:
        return _unknown(text, "no fitting year")
    return When(found_day, found_day, "day", text, f"year {found_day.year} from publication {ctx.anchor}")


def _slashed(m: re.Match[str], ctx: _Context) -> When:
    """"27/06/2025" (day first) or "06/27/2025" (month first) when one number cannot be a month."""
    a, b, year = int(m["a"]), int(m["b"]), int(m["y"])
    if a > 12 or a == b:
        day, month, why = a, b, "numeric date, day first"
    elif b > 12:
        day, month, why = b, a, "numeric date, month first"
    else:
        return _unknown(m["expr"], "numeric date: day and month order is ambiguous")
    found = _safe_date(year, month, day)
    if found is None:
        return _unknown(m["expr"], "not a calendar date")
    return When(found, found, "day", m["expr"], why)


def _ordinal_day(m: re.Match[str], ctx: _Context) -> When:
    """"on the 27th": in the story's month, else the most recent such day up to publication."""
    text, day = m["expr"], _day_value(m["d"])
    if ctx.narrative is not None and ctx.narrative.start is not None:
        base = ctx.narrative.start
        found = _safe_date(base.year, base.month, day)
        why = f"day {day} of the month of narrative date {base}"
    elif ctx.anchor is not None:
        year, month = ctx.anchor.year, ctx.anchor.month
        if day > ctx.anchor.day:
            year, month = _shift_month(year, month, -1)
        found = _safe_date(year, month, day)
        why = f"most recent day {day} up to publication {ctx.anchor}"
    else:
        return _unknown(text, "no narrative date and no publication date for its month")
    if found is None:
        return _unknown(text, "not a calendar date")
    return When(found, found, "day", text, why)


def _vague(m: re.Match[str], ctx: _Context) -> When:
    return _unknown(m["expr"], f"vague: '{m['expr']}' names no definite time")


# what the patterns' building blocks need: _MONTH (case-sensitive), _DAY (an ASCII digit), _YEAR, …
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAY_NAMES = tuple(name.capitalize() for name in _WEEKDAYS)
_DIGITS = tuple("0123456789")
_YEARS = ("19", "20", "2100")
_SEASONS_WORDS = ("spring", "summer", "autumn", "fall", "winter")
_DAY_PARTS = ("day", "morning", "afternoon", "evening", "night")

# Probes: each is found wherever its rule's pattern matches (see the rule's pattern for why), and
# opens with a literal or a character class so that the regex engine can skip ahead to candidates.
_MONTH_START = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
# a _MONTH name or abbreviation with its optional full stop; its letters are taken whole ("*+"), as
# the \b after them in _MONTH demands
_MONTH_WORD = rf"{_MONTH_START}[a-z]*+\.?"


def _probe(pattern: str, *, lowered: bool = False, twice: bool = False) -> _Probe:
    return _Probe(re.compile(pattern, re.S), lowered, twice)


def _led_by(words: Sequence[str], rest: str) -> str:
    """`(?:w1|w2|…)rest` written as `w1rest|w2rest|…`: alternatives that each open with a literal let
    the regex engine skip to the characters they open with."""
    return "|".join(word + rest for word in words)


_PROBE_MONTH_DAY = (_probe(rf"{_MONTH_WORD}\s+\d"), _probe(rf"\d(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_START}"))
# two month names with a character or more between them, found with two searches: one pattern
# with ".+?" between them steps through the rest of the sentence one character at a time
_PROBE_TWO_MONTHS = (_probe(_MONTH_START, twice=True),)
# a month not followed by a day, after a space or a hyphen (the end of a cue, `mod` or _PART word);
# the lookbehind looks past the three letters just read, and what may follow them makes a _MONTH
# name or abbreviation, so that a place such as "Novoolenivka" is not taken for one
_PROBE_MONTH_NO_DAY = (_probe(
    rf"{_MONTH_START}(?<=[\s-]...)(?:uary|ruary|ch|il|e|y|ust|tember|ober|ember|r|t)?\b\.?(?!\s*\d)"),)
_PROBE_MONTH_YEAR = (_probe(rf"{_MONTH_WORD},?\s+(?:of\s+)?(?:19|20|2100|(?i:that|the|last|this|next)\s)"),)
_UNITS = "(?:hour|day|week|fortnight|month|year)"
_PROBE_PAST_WINDOW = (_probe(
    rf"the\s+(?:past|last)\s+(?:\S+\s+){{0,3}}?{_UNITS}|"
    + _led_by(("past", "last"), rf"\s+\S+\s+(?:\S+\s+){{0,2}}?{_UNITS}"),
    lowered=True),)
_PROBE_NUMERIC = (_probe(r"\d[-.]\d"),)
_PROBE_YEAR = (_probe(r"(?:19|20)\d\d|2100"),)  # a _YEAR, less what may stand around it
_PROBE_HOLIDAY = (_probe(r"Christmas|New\s+Year"),)
_PROBE_ORDINAL = (_probe(r"the\s+\d\d?(?:st|nd|rd|th)"),)
_PROBE_DECADE = (_probe(r"(?:19|20)\d0['’]?s"),)
_SEASON_WORDS = "(?:spring|summer|autumn|fall|winter)"
_PROBE_SEASON_RELATIVE = (_probe(_led_by(("last", "this", "next", "past"), rf"\s+{_SEASON_WORDS}"), lowered=True),)
_PROBE_SEASON_CUED = (_probe(rf"the\s+{_SEASON_WORDS}", lowered=True),)
# a day part after the word that makes it a narrative one ("the previous day", "that night"), or
# one before "later", "after", …
_PROBE_NARRATIVE_DAY = (
    _probe(r"(?:following|next|previous|preceding|that|same|the)\s+(?:day|morning|afternoon|evening|night)",
           lowered=True),
    _probe(_led_by(("day", "night"), r"\s+(?:later|after|before|earlier)"), lowered=True),
)
_PROBE_NARRATIVE_WEEK = (_probe(
    _led_by(("that", "same", "following", "next", "previous", "preceding"), r"\s+week") + r"|week\s+before",
    lowered=True),)
_PROBE_NARRATIVE_YEAR = (_probe(
    _led_by(("that", "same", "following", "previous", "preceding"), r"\s+year") + r"|year\s+(?:later|before|earlier)",
    lowered=True),)
_PROBE_NARRATIVE_MONTH = (_probe(
    _led_by(("following", "next", "previous", "preceding", "that", "same"), r"\s+month"), lowered=True),)
_PROBE_NARRATIVE_MONTHS = (_probe(r"months?\s+(?:later|earlier)", lowered=True),)
_PROBE_VAGUE = (_probe(
    "recent|lately|" + _led_by(("coming", "few", "several"), r"\s+(?:day|week|month|year)") + r"|near\s+future",
    lowered=True),)

_RULES: tuple[_Rule, ...] = (
    _Rule(_EXPLICIT, _explicit, names_year=True, needs=(_MONTHS, _DIGITS), probes=_PROBE_MONTH_DAY),
    _Rule(_NUMERIC, _numeric, names_year=True, needs=(("19", "20"),), probes=_PROBE_NUMERIC),
    _Rule(_SLASHED, _slashed, names_year=True, needs=(("/",), ("19", "20"))),
    _Rule(_HOLIDAY, _holiday, needs=(("christmas", "year"),), probes=_PROBE_HOLIDAY),
    _Rule(_HALF, _half, names_year=True, needs=(("half", "h1", "h2"),)),
    _Rule(_QUARTER, _quarter, names_year=True, needs=(("quarter", "q1", "q2", "q3", "q4"),)),
    _Rule(_MONTH_SPAN, _month_span, names_year=True, needs=(_MONTHS,), probes=_PROBE_TWO_MONTHS),
    _Rule(_ORDINAL_DAY, _ordinal_day, needs=(_DIGITS,), probes=_PROBE_ORDINAL),
    _Rule(_MONTH_YEAR, _month_year, names_year=True, needs=(_MONTHS, (*_YEARS, "year")),
          probes=_PROBE_MONTH_YEAR),
    _Rule(_MONTH_CUED, _month_alone, needs=(_MONTHS,), probes=_PROBE_MONTH_NO_DAY),
    _Rule(_MONTH_MODIFIED, _month_alone, needs=(_MONTHS,), probes=_PROBE_MONTH_NO_DAY),
    _Rule(_MONTH_LEADING, _month_alone, needs=(_MONTHS,)),
    _Rule(_YEAR_CUED, _year_alone, names_year=True, needs=(_YEARS,), probes=_PROBE_YEAR),
    _Rule(_YEAR_SPAN, _year_alone, names_year=True, needs=(_YEARS, ("from", "between"))),
    _Rule(_YEAR_PART, _year_alone, names_year=True, needs=(_YEARS, ("early", "mid", "late"))),
    _Rule(_YEAR_POSSESSIVE, _year_alone, names_year=True, needs=(_YEARS, ("'s", "’s"))),
    _Rule(_YEAR_DETERMINER, _year_alone, names_year=True, needs=(_YEARS,), probes=_PROBE_YEAR),
    _Rule(_DECADE, _decade, needs=(("19", "20"),), probes=_PROBE_DECADE),
    _Rule(_SEASON_YEAR, _season_year, names_year=True, needs=(_SEASONS_WORDS, _YEARS)),
    _Rule(_SEASON_RELATIVE, _season_relative, needs=(_SEASONS_WORDS,), probes=_PROBE_SEASON_RELATIVE),
    _Rule(_SEASON_CUED, _season_cued, needs=(_SEASONS_WORDS,), probes=_PROBE_SEASON_CUED),
    _Rule(_WEEKDAY_ALONE, _weekday, needs=(_WEEKDAY_NAMES,)),
    _Rule(_DAY_WORD, _day_word, needs=(("yesterday", "today", "tonight", "tomorrow", *_DAY_PARTS[1:]),)),
    _Rule(_PAST_WINDOW, _past_window, needs=(("past", "last"), ("hour", "day", "week", "fortnight", "month", "year")),
          probes=_PROBE_PAST_WINDOW),
    _Rule(_AGO, _ago, needs=(("ago",),)),
    _Rule(_CALENDAR_RELATIVE, _calendar_relative, needs=(("week", "month"),)),
    _Rule(_CALENDAR_YEAR, _calendar_relative, names_year=True, needs=(("year",),)),
    _Rule(_WEEKEND, _weekend, needs=(("weekend",),)),
    _Rule(_NARRATIVE_DAY, _narrative_day, needs=(_DAY_PARTS,), probes=_PROBE_NARRATIVE_DAY),
    _Rule(_NARRATIVE_SHIFT, _narrative_shift, needs=(("day", "week"), ("later", "earlier", "after", "before"))),
    _Rule(_NARRATIVE_WEEK, _narrative_week, needs=(("week",),), probes=_PROBE_NARRATIVE_WEEK),
    _Rule(_NARRATIVE_YEAR, _narrative_year, names_year=True, needs=(("year",),), probes=_PROBE_NARRATIVE_YEAR),
    _Rule(_NARRATIVE_MONTH, _narrative_month, needs=(("month",),), probes=_PROBE_NARRATIVE_MONTH),
    _Rule(_NARRATIVE_MONTHS, _narrative_month, needs=(("month",), ("later", "earlier")),
          probes=_PROBE_NARRATIVE_MONTHS),
    _Rule(_VAGUE, _vague, needs=(("recent", "lately", "coming", "few", "several", "future"),), probes=_PROBE_VAGUE),
)
# one bit per group of cues: a sentence holds the groups of the cues it holds, and a rule may match
# when it holds all the rule's groups
_GROUP_BITS: dict[tuple[str, ...], int] = {
    group: 1 << i for i, group in enumerate(dict.fromkeys(group for rule in _RULES for group in rule.needs))
}
# each distinct tuple of probes once: rules that share one search for it once per sentence
_PROBE_SETS: tuple[tuple[_Probe, ...], ...] = tuple(dict.fromkeys(rule.probes for rule in _RULES if rule.probes))
# (rule, the bits of its cue groups, the index of its probes in _PROBE_SETS or -1)
_RULE_GROUPS: tuple[tuple[_Rule, int, int], ...] = tuple(
    (rule, sum(_GROUP_BITS[group] for group in set(rule.needs)),
     _PROBE_SETS.index(rule.probes) if rule.probes else -1)
    for rule in _RULES
)
_CUE_GROUPS: dict[str, int] = {
    cue: sum(bit for group, bit in _GROUP_BITS.items() if cue in group) for group in _GROUP_BITS for cue in group
}
_LOWER_CUES: tuple[tuple[str, int], ...] = tuple((cue, bits) for cue, bits in _CUE_GROUPS.items() if cue == cue.lower())
_CASED_CUES: tuple[tuple[str, int], ...] = tuple((cue, bits) for cue, bits in _CUE_GROUPS.items() if cue != cue.lower())


# ── scanning ─────────────────────────────────────────────────────────────────────────────────────


class _Found(NamedTuple):  # a tuple: made for every match, and cheaper to make than a dataclass
    start: int
    end: int
    rule: _Rule
    match: re.Match[str]


def _rules_for(text: str) -> Sequence[_Rule]:
    """The rules that may match `text`: those whose cues it holds and whose probes find something."""
    return _RuleGate().rules_for(text)


class _RuleGate:
    """Picks the rules worth running on each sentence of one article.

    Cues the article lacks are not looked for in its sentences, and the rules a set of cue groups
    admits are worked out once per article.
    """

    def __init__(self, article: str | None = None) -> None:
        self._by_groups: dict[int, list[tuple[_Rule, int]]] = {}
        self._lower_cues, self._cased_cues = _LOWER_CUES, _CASED_CUES
        if article is not None:
            lowered = article.lower()
            self._lower_cues = tuple((cue, bits) for cue, bits in _LOWER_CUES if cue in lowered)
            self._cased_cues = tuple((cue, bits) for cue, bits in _CASED_CUES if cue in article)

    def rules_for(self, text: str) -> Sequence[_Rule]:
        """`_rules_for(text)`, for a `text` taken from the article the gate was made for."""
        lowered = case_folded(text)
        if lowered is None:  # `needs` cannot be trusted: every rule runs
            return _RULES if _TRIGGER.search(text) else ()
        held = 0
        for cue, groups in self._lower_cues:
            if cue in lowered:
                held |= groups
        for cue, groups in self._cased_cues:
            if cue in text:
                held |= groups
        cued = self._by_groups.get(held)
        if cued is None:
            cued = self._by_groups[held] = [(rule, probes) for rule, needs, probes in _RULE_GROUPS
                                            if needs & held == needs]
        rules: list[_Rule] = []
        verdicts: dict[int, bool] = {}  # probes shared by several rules are searched for once
        for rule, probes in cued:
            if probes >= 0:
                verdict = verdicts.get(probes)
                if verdict is None:
                    verdict = verdicts[probes] = _probed(_PROBE_SETS[probes], text, lowered)
                if not verdict:
                    continue
            rules.append(rule)
        return rules


def _probed(probes: tuple[_Probe, ...], text: str, lowered: str) -> bool:
    for probe in probes:
        source = lowered if probe.lowered else text
        found = probe.pattern.search(source)
        if found is not None and (not probe.twice or probe.pattern.search(source, found.end() + 1) is not None):
            return True
    return False


def _find(text: str, rules: Sequence[_Rule] | None = None) -> list[_Found]:
    """Every rule's matches in `text` (of `rules`, default those `_rules_for` picks), keeping the
    longest where they overlap; sorted by start."""
    found = [
        _Found(m.start("expr"), m.end("expr"), rule, m)
        for rule in (_rules_for(text) if rules is None else rules)
        for m in rule.pattern.finditer(text)
    ]
    if len(found) > 1:
        found.sort(key=lambda f: (f.start - f.end, f.start))
        kept: list[_Found] = []
        taken = bytearray(len(text))  # one flag per character keeps the overlap test linear
        for f in found:
            if not any(taken[f.start:f.end]):
                kept.append(f)
                taken[f.start:f.end] = b"\x01" * (f.end - f.start)
        kept.sort(key=lambda f: f.start)
        return kept
    return found


def _apply(found: _Found, ctx: _Context) -> When:
    """Resolve one match and move the narrative on."""
    when = found.rule.resolve(found.match, ctx)
    if when.known and when.precision == "day":
        ctx.narrative = when
    if when.start is not None and found.rule.names_year:
        ctx.last_year = when.start.year
    return when


def _year_clues(text: str, anchor: date | None) -> frozenset[int]:
    """The years named in `text`: used only where there is no publication date to resolve against."""
    if anchor is not None:
        return frozenset()
    return frozenset(int(y) for y in _ANY_YEAR.findall(text))


def resolve_expression(
    text: str, anchor: date | None, narrative: date | None = None, *, last_year: int | None = None,
) -> When:
    """Resolve the first date expression in `text` (publication date `anchor`, narrative date
    `narrative`, last year the story named `last_year`); an unknown When if there is none."""
    ctx = _Context(
        anchor=anchor,
        narrative=When(narrative, narrative, "day") if narrative else None,
        last_year=last_year,
        year_clues=_year_clues(text, anchor),
    )
    found = _find(text)
    if not found:
        return _unknown(text, "no date expression")
    return _apply(found[0], ctx)


class RuleDateResolver:
    """Rule-based `DateResolver`: regular expressions plus calendar arithmetic, no models."""

    def __init__(self, *, same_weekday: SameWeekday = "publication", future_days: int = 92) -> None:
        if same_weekday not in ("publication", "week_before"):
            raise ValueError(f"same_weekday must be 'publication' or 'week_before', not {same_weekday!r}")
        self.same_weekday: SameWeekday = same_weekday
        self.future_days = future_days

    def mentions(self, article: Article, sentences: Sequence[Sentence]) -> list[DateMention]:
        """Every date expression in the non-furniture sentences, in document order."""
        ctx = _Context(
            anchor=article.published,
            year_clues=_year_clues(article.text, article.published),
            same_weekday=self.same_weekday,
            future_days=self.future_days,
        )
        gate, fallback = _RuleGate(article.text), _RuleGate()
        out: list[DateMention] = []
        for sentence in sorted(sentences, key=lambda s: s.start):
            if sentence.furniture:
                continue
            text = sentence.text
            from_article = article.text[sentence.start:sentence.end] == text
            for found in _find(text, (gate if from_article else fallback).rules_for(text)):
                when = _apply(found, ctx)
                start, end = sentence.start + found.start, sentence.start + found.end
                out.append(DateMention(start, end, article.text[start:end], when))
        return out
