"""An in-memory event store with the same behaviour as SQLiteStore, for tests."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from types import TracebackType

from claimline.model import Article, Event
from claimline.store.fingerprint import fingerprint


@dataclass(frozen=True, slots=True)
class _Filter:
    kind: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    place: str | None = None
    admin1: str | None = None
    claimant: str | None = None
    doc_id: str | None = None

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
            self.doc_id is None or event.doc_id == self.doc_id,
        )
        return all(checks)

    def _admin1_matches(self, name: str | None, iso: str | None) -> bool:
        wanted = self.admin1 or ""
        return _fold(name) == wanted.casefold() or (iso or "").upper() == wanted.upper()


def _fold(value: str | None) -> str:
    return value.casefold() if value else ""


def _order(event: Event) -> tuple[bool, date, str, int, str]:
    return (event.when.start is None, event.when.start or date.min, event.doc_id,
            event.evidence.start, event.event_id)


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
        self,
        *,
        kind: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        place: str | None = None,
        admin1: str | None = None,
        claimant: str | None = None,
        doc_id: str | None = None,
        limit: int | None = None,
    ) -> Iterator[Event]:
        """Stored events matching every given filter, ordered by date then doc_id then offset."""
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be zero or more, not {limit}")
        wanted = _Filter(kind, date_from, date_to, place, admin1, claimant, doc_id)
        found = sorted((e for group in self._events.values() for e in group.values() if wanted.matches(e)),
                       key=_order)
        return islice(found, limit)

    def documents(self) -> Iterator[Article]:
        """Every stored document, by doc_id."""
        return iter(sorted(self._documents.values(), key=lambda article: article.doc_id))

    def counts(self) -> dict[str, int]:
        """Number of documents and events, and events per kind ("kind:strike": n)."""
        found = {"documents": len(self._documents), "events": sum(map(len, self._events.values()))}
        for group in self._events.values():
            for event in group.values():
                found[f"kind:{event.kind}"] = found.get(f"kind:{event.kind}", 0) + 1
        return dict(sorted(found.items(), key=lambda item: (item[0].startswith("kind:"), item[0])))

    def close(self) -> None:
        """Nothing to release."""
