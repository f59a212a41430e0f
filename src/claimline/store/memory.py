"""An in-memory event store with the same behaviour as SQLiteStore, for tests."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from types import TracebackType
from typing import Unpack

from claimline.model import Article, Event
from claimline.stages import EventFilters, EventPoint
from claimline.store.fingerprint import fingerprint

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class _Filter:
    kind: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    place: str | None = None
    admin1: str | None = None
    claimant: str | None = None
    attribution: str | None = None
    doc_id: str | None = None
    event_id: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    text: str | None = None

    def matches(self, event: Event) -> bool:
        loc = event.location
        start, end = event.when.start, event.when.end or event.when.start
        checks = (
            self.kind is None or event.kind == self.kind,
            self.date_from is None or (end is not None and end >= self.date_from),
            self.date_to is None or (start is not None and start <= self.date_to),
            self.place is None or (loc is not None and _fold(loc.name) == self.place.casefold()),
            self.admin1 is None or (loc is not None and self._admin1_matches(loc.admin1, loc.admin1_iso)),
            self.claimant is None or self.claimant.casefold() in _fold(event.claimant),
            self.attribution is None or event.attribution == self.attribution,
            self.doc_id is None or event.doc_id == self.doc_id,
            self.event_id is None or event.event_id == self.event_id,
            self.bbox is None or _inside(self.bbox, event),
            self.text is None or _holds_words(event.evidence.text, self.text),
        )
        return all(checks)

    def _admin1_matches(self, name: str | None, iso: str | None) -> bool:
        wanted = self.admin1 or ""
        return _fold(name) == wanted.casefold() or (iso or "").upper() == wanted.upper()


def _fold(value: str | None) -> str:
    return value.casefold() if value else ""


def _inside(bbox: tuple[float, float, float, float], event: Event) -> bool:
    loc = event.location
    if loc is None or loc.lat is None or loc.lon is None:
        return False
    west, south, east, north = bbox
    in_lon = west <= loc.lon <= east if west <= east else (loc.lon >= west or loc.lon <= east)
    return south <= loc.lat <= north and in_lon


def _holds_words(evidence: str, text: str) -> bool:
    """Every word of `text` begins some word of the evidence, as the SQLite full-text index finds them."""
    wanted = [word.casefold() for word in _WORD.findall(text)]
    words = [word.casefold() for word in _WORD.findall(evidence)]
    return bool(wanted) and all(any(word.startswith(w) for word in words) for w in wanted)


def _order(event: Event) -> tuple[bool, date, str, int, str]:
    return (event.when.start is None, event.when.start or date.min, event.doc_id,
            event.evidence.start, event.event_id)


def _point(event: Event) -> EventPoint | None:
    loc = event.location
    if loc is None or loc.lat is None or loc.lon is None:
        return None
    start, end = event.when.start, event.when.end
    return EventPoint(event.event_id, event.kind, start.isoformat() if start else None,
                      end.isoformat() if end else None, loc.lat, loc.lon, event.attribution)


class MemoryStore:
    """Documents and events in dictionaries; nothing survives the process."""

    def __init__(self) -> None:
        self._documents: dict[str, Article] = {}
        self._events: dict[str, dict[str, Event]] = {}

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def add(self, article: Article, events: Sequence[Event]) -> bool:
        """Store a document and its events; False when already stored with the same
        text, publication date, source and url."""
        strays = {event.doc_id for event in events} - {article.doc_id}
        if strays:
            raise ValueError(f"events of {sorted(strays)} cannot be stored under document {article.doc_id!r}")
        known = self._documents.get(article.doc_id)
        if known is not None and fingerprint(known) == fingerprint(article):
            return False
        by_id: dict[str, Event] = {}
        for event in events:
            by_id.setdefault(event.event_id, event)
        self._documents[article.doc_id] = article
        self._events[article.doc_id] = by_id
        return True

    def events(
        self, *, limit: int | None = None, offset: int = 0, **filters: Unpack[EventFilters]
    ) -> Iterator[Event]:
        """Stored events matching every given filter, ordered by date then doc_id then offset;
        `offset` of them skipped, then at most `limit`."""
        for name, value in (("limit", limit), ("offset", offset)):
            if value is not None and value < 0:
                raise ValueError(f"{name} must be zero or more, not {value}")
        found = sorted(self._matching(filters), key=_order)
        return islice(found, offset, None if limit is None else offset + limit)

    def count(self, **filters: Unpack[EventFilters]) -> int:
        """How many stored events match every given filter."""
        return sum(1 for _ in self._matching(filters))

    def points(self, **filters: Unpack[EventFilters]) -> Iterator[EventPoint]:
        """The located events matching every given filter."""
        return (point for event in self._matching(filters) if (point := _point(event)) is not None)

    def day_counts(self, **filters: Unpack[EventFilters]) -> list[tuple[date, int]]:
        """Matching dated events per first day, by day."""
        days = Counter(event.when.start for event in self._matching(filters) if event.when.start is not None)
        return sorted(days.items())

    def documents(self) -> Iterator[Article]:
        """Every stored document, by doc_id."""
        return iter(sorted(self._documents.values(), key=lambda article: article.doc_id))

    def document(self, doc_id: str) -> Article | None:
        """The stored document `doc_id`, or None."""
        return self._documents.get(doc_id)

    def counts(self) -> dict[str, int]:
        """Number of documents and events, and events per kind ("kind:strike": n)."""
        found = {"documents": len(self._documents), "events": sum(map(len, self._events.values()))}
        for group in self._events.values():
            for event in group.values():
                found[f"kind:{event.kind}"] = found.get(f"kind:{event.kind}", 0) + 1
        return dict(sorted(found.items(), key=lambda item: (item[0].startswith("kind:"), item[0])))

    def close(self) -> None:
        """Nothing to release."""

    def _matching(self, filters: EventFilters) -> Iterator[Event]:
        wanted = _Filter(**filters)
        return (event for group in self._events.values() for event in group.values() if wanted.matches(event))
