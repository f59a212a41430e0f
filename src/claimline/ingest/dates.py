"""Publication dates as feeds, dumps and manifests write them."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

# Day-first and month-first written forms; numeric d/m/y is left out because it is ambiguous.
_WRITTEN_FORMATS = (
    "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y",
    "%A %d %B %Y", "%a %d %b %Y", "%A %B %d %Y", "%a %b %d %Y", "%Y/%m/%d", "%Y.%m.%d",
)
_ISO_PREFIX = re.compile(r"\d{4}-\d{2}-\d{2}(?!\d)")


def parse_published(value: str) -> date:
    """The calendar day of `value` as written (time zones are not converted).

    Accepts ISO dates and datetimes ("2024-03-12", "2024-03-12T10:00:00Z"), RFC 2822 feed dates
    and written dates ("12 March 2024", "March 12, 2024"). Raises ValueError for anything else.
    """
    text = " ".join(value.replace(",", ", ").split()).strip()
    if not text:
        raise ValueError("empty date")
    iso = _from_iso(text)
    if iso is not None:
        return iso
    written = _from_written(text)
    if written is not None:
        return written
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"unknown date format {value!r}") from None


def _from_iso(text: str) -> date | None:
    if not _ISO_PREFIX.match(text):
        return None
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        # "2024-03-12 10:00 UTC" and similar: the day is what counts
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _from_written(text: str) -> date | None:
    cleaned = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", text).replace(", ", " ").replace(",", "")
    for fmt in _WRITTEN_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None
