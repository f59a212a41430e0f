"""The publication date a document's own text gives, when no manifest, record or page metadata does.

In order: a leading `date YYYY-MM-DD` line; a dateline ("KYIV, March 4 (Reuters) -", "March 4,
2025 —"); a "Published …" (else "Updated …") line near the top; then a statement that fixes the
day ("published today, January 22"). A day written without its year takes one only when the text
pins it: a weekday beside that date, a weekday-and-date next to it ("On Saturday, January 21, …"),
or a full date with a year in the week before it. Nothing here looks at the clock: a document that
does not say when it appeared stays undated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from claimline.ingest.text import LEADING_DATE_REASON, leading_date

__all__ = ["UNKNOWN_REASON", "Discovery", "discover_published"]

UNKNOWN_REASON = "unknown: no manifest, record or page date, and the text does not fix one"

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|Thurs|Fri|Sat|Sun)\b\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
_YEAR = r"(?:19\d\d|20\d\d)(?!\d)"
# a written date, optionally with weekday and year: "Monday, March 4, 2025", "4 March 2025", "Sept. 13"
_DATE = (
    rf"(?:(?P<wd>{_WEEKDAY}),?\s+)?"
    rf"(?:(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH}))"
    rf"(?:,?\s+(?P<y>{_YEAR}))?"
)
_ISO = r"(?P<iy>\d{4})-(?P<im>\d\d)-(?P<id>\d\d)(?![\d-])"
_DASH = r"[-–—]"

# Datelines open the story or its first paragraph: an upper-case place, the date, the agency, a dash.
_DATELINE = re.compile(
    rf"(?m)^[ \t]*(?:[A-Z][A-Z .'’-]{{1,40}}(?:,\s*[A-Z][A-Za-z .'’-]{{1,30}})?,\s+)?{_DATE}"
    rf"(?:\s*\([A-Za-z .&/-]{{1,40}}\))?\s*{_DASH}+(?=\s+\S)"
)
_WIRE_DATELINE = re.compile(
    rf"(?m)^[ \t]*[A-Z][A-Z .'’-]{{1,40}}(?:,\s*[A-Z][A-Za-z .'’-]{{1,30}})?\s*\([A-Za-z .&/-]{{1,40}}\)\s*,?\s*"
    rf"{_DATE}\s*{_DASH}+(?=\s+\S)"
)
_STAMP = re.compile(
    rf"\b(?P<label>(?i:first\s+published|published|posted|last\s+updated|updated))(?:\s+(?i:on|at))?\s*:?\s*"
    rf"(?:{_DATE}|{_ISO})"
)
# "published today, January 22", "today (Sunday, January 22)", "January 22 (today)"
_TODAY = (
    re.compile(rf"\b(?i:today)\s*(?:,|\(|—|–)\s*{_DATE}"),
    re.compile(rf"\b{_DATE}\s*\(\s*(?i:today)\s*\)"),
)
_WEEKDAY_DATE = re.compile(
    rf"\b(?P<wd>{_WEEKDAY}),?\s+(?:\(\s*)?"
    rf"(?:(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH}))(?:,?\s+(?P<y>{_YEAR}))?"
)
_FULL_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH})),?\s+(?P<y>{_YEAR})"
)
_ANY_YEAR = re.compile(rf"(?<![\d.,$€£])({_YEAR})(?![\d%])")
# "by 2027", "until the end of 2030": years a story looks ahead to say nothing about when it was written
_AHEAD = re.compile(r"(?i:\b(?:by|until|till|through|before|end\s+of|in\s+time\s+for)\s+(?:the\s+)?)$")

_HEAD = 1500  # datelines and stamps sit at the top; later dates are the story's own
# a weekday fixes the year only where it matches once from a year before the latest year the text
# names (written in January, a story names last year) to this many years after it
_YEAR_REACH = 5
_CLUE_DAYS = 7  # a dated clue pins the year of a day at most this many days after it


@dataclass(frozen=True, slots=True)
class Discovery:
    """What the text says about its publication date: the day, or None, and why."""

    published: date | None
    reason: str


@dataclass(frozen=True, slots=True)
class _Written:
    """A written date as found: its year and weekday may be missing."""

    text: str
    month: int
    day: int
    year: int | None
    weekday: int | None


def discover_published(text: str) -> Discovery:
    """The publication date the text itself gives, with the reason; unknown when it gives none."""
    day = leading_date(text)
    if day is not None:
        return Discovery(day, LEADING_DATE_REASON)
    head = text[:_HEAD]
    years = _year_clues(text)
    partial: Discovery | None = None
    for found, label in _candidates(head, text):
        resolved = _with_year(found, years, text)
        if resolved.published is not None:
            return Discovery(resolved.published, f"{label}: {resolved.reason}")
        partial = partial or Discovery(None, f"unknown: {label}, but {resolved.reason}")
    return partial or Discovery(None, UNKNOWN_REASON)


def _candidates(head: str, text: str) -> Iterable[tuple[_Written, str]]:
    """Written publication days, most trusted first, each with a label for the reason."""
    for pattern in (_WIRE_DATELINE, _DATELINE):
        for m in pattern.finditer(head):
            found = _written(m)
            if found is not None:
                yield found, f"dateline '{_clip(m.group(0))}'"
    stamps = [(m, _written(m)) for m in _STAMP.finditer(head)]
    # a page's "Published" stamp is the date; "Updated" only stands in when there is none
    stamps.sort(key=lambda pair: "updated" in pair[0]["label"].lower())
    for m, found in stamps:
        if found is not None:
            yield found, f"'{m['label']}' line '{_clip(m.group(0))}'"
    for pattern in _TODAY:
        for m in pattern.finditer(text):
            found = _written(m)
            if found is not None:
                yield found, f"'{_clip(m.group(0))}' in the text"


def _clip(written: str) -> str:
    return " ".join(written.split()).rstrip(" -–—").strip()[:60]


def _written(m: re.Match[str]) -> _Written | None:
    groups = m.groupdict()
    if groups.get("iy"):
        day = _safe(int(groups["iy"]), int(groups["im"]), int(groups["id"]))
        return _Written(m.group(0), day.month, day.day, day.year, None) if day else None
    month_name = groups.get("m1") or groups.get("m2")
    day_text = groups.get("d1") or groups.get("d2")
    if not month_name or not day_text:
        return None
    weekday = groups.get("wd")
    year = groups.get("y")
    return _Written(
        m.group(0), _MONTHS.index(month_name.lower()[:3]) + 1, int(re.sub(r"\D", "", day_text)),
        int(year) if year else None, _WEEKDAYS.index(weekday.lower()[:3]) if weekday else None,
    )


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year_clues(text: str) -> frozenset[int]:
    """The years the text names, less those it looks ahead to ("by 2027")."""
    return frozenset(int(m.group(1)) for m in _ANY_YEAR.finditer(text)
                     if not _AHEAD.search(text[max(0, m.start() - 20):m.start()]))


def _weekday_years(month: int, day: int, weekday: int, years: frozenset[int]) -> set[int]:
    """Years around the latest one the text names in which (month, day) falls on `weekday`."""
    if not years:
        return set()
    latest = max(years)
    return {y for y in range(latest - 1, latest + _YEAR_REACH + 1)
            if (d := _safe(y, month, day)) and d.weekday() == weekday}


def _with_year(found: _Written, years: frozenset[int], text: str) -> Discovery:
    """The written day with its year: as written, or pinned by the text; else why not."""
    if found.year is not None:
        day = _safe(found.year, found.month, found.day)
        return Discovery(day, "as written") if day else Discovery(None, "not a calendar date")
    if found.weekday is not None:
        fits = _weekday_years(found.month, found.day, found.weekday, years)
        if len(fits) == 1:
            (year,) = fits
            why = f"the weekday matches only in {year} of the years around {max(years)}, the latest the text names"
            return Discovery(_safe(year, found.month, found.day), why)
    pinned = _year_from_clues(found, years, text)
    if pinned is not None:
        return pinned
    return Discovery(None, "nothing in the text fixes the year")


def _year_from_clues(found: _Written, years: frozenset[int], text: str) -> Discovery | None:
    """A year from a dated clue in the week up to the written day (a weekday-and-date or a full date)."""
    fits: dict[date, str] = {}
    for m in _WEEKDAY_DATE.finditer(text):
        clue = _written(m)
        if clue is None or clue.weekday is None:
            continue
        clue_years = {clue.year} if clue.year else _weekday_years(clue.month, clue.day, clue.weekday, years)
        if len(clue_years) == 1:
            _add_fit(fits, found, clue, clue_years.pop(), f"'{_clip(m.group(0))}'")
    for m in _FULL_DATE.finditer(text):
        clue = _written(m)
        if clue is not None and clue.year is not None:
            _add_fit(fits, found, clue, clue.year, f"'{_clip(m.group(0))}'")
    if len({d.year for d in fits}) != 1:
        return None
    day, why = next(iter(fits.items()))
    return Discovery(day, f"year from {why}, a week or less before")


def _add_fit(fits: dict[date, str], found: _Written, clue: _Written, clue_year: int, why: str) -> None:
    """Record `found` in the year that puts it 0–7 days after the clue, if one does."""
    clue_day = _safe(clue_year, clue.month, clue.day)
    if clue_day is None or (clue.weekday is not None and clue_day.weekday() != clue.weekday):
        return
    for year in (clue_year, clue_year + 1):
        day = _safe(year, found.month, found.day)
        if day is not None and timedelta(0) <= day - clue_day <= timedelta(days=_CLUE_DAYS):
            fits.setdefault(day, why)
