"""The contract of each pipeline stage. Implementations are registered by name in `registry`.

    Article ─► Segmenter ─► [Sentence] ─┬─► Geocoder ─► [PlaceMention]
                                        ├─► DateResolver ─► [DateMention]
                                        └─► EventExtractor(sentences, places, dates) ─► [Event]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import NamedTuple, Protocol, TypedDict, Unpack, runtime_checkable

from claimline.model import Article, DateMention, Event, Location, PlaceMention, Sentence


@runtime_checkable
class Segmenter(Protocol):
    def sentences(self, article: Article) -> list[Sentence]:
        """Split the article into sentences with offsets into `article.text`; mark page furniture."""
        ...


@runtime_checkable
class Geocoder(Protocol):
    def places(self, article: Article, sentences: Sequence[Sentence]) -> list[PlaceMention]:
        """Find every place name in the non-furniture sentences and resolve it, using the sentence
        and the whole document as context. Offsets are into `article.text`, sorted by start."""
        ...

    def country(self, code: str) -> Location | None:
        """The country with ISO 3166-1 alpha-2 `code` as a country-precision Location."""
        ...


@runtime_checkable
class DateResolver(Protocol):
    def mentions(self, article: Article, sentences: Sequence[Sentence]) -> list[DateMention]:
        """Every date expression in the non-furniture sentences, resolved against the publication
        date and the narrative (the last date the story mentioned). Sorted by start."""
        ...


@runtime_checkable
class EventExtractor(Protocol):
    def events(
        self,
        article: Article,
        sentences: Sequence[Sentence],
        places: Sequence[PlaceMention],
        dates: Sequence[DateMention],
    ) -> list[Event]:
        """Every claimed fact in the article, one event per fact."""
        ...


class EventFilters(TypedDict, total=False):
    """The filters every store query takes; each one given narrows the events, None leaves it open."""

    kind: str | None
    date_from: date | None
    date_to: date | None
    place: str | None
    admin1: str | None
    claimant: str | None  # a case-insensitive substring
    attribution: str | None
    doc_id: str | None
    event_id: str | None
    bbox: tuple[float, float, float, float] | None  # west, south, east, north; west > east crosses 180°
    text: str | None  # words the evidence sentence holds (as word prefixes, in any order)


class EventPoint(NamedTuple):
    """What a map needs of a located event."""

    event_id: str
    kind: str
    date: str | None
    date_end: str | None
    lat: float
    lon: float
    attribution: str


@runtime_checkable
class EventStore(Protocol):
    """The one narrow interface to storage."""

    def add(self, article: Article, events: Sequence[Event]) -> bool:
        """Store a document and its events in one transaction. Returns False when the same
        document (same doc_id and text) was already stored; nothing changes then."""
        ...

    def events(
        self, *, limit: int | None = None, offset: int = 0, **filters: Unpack[EventFilters]
    ) -> Iterator[Event]:
        """Stored events matching every given filter, ordered by date then doc_id then offset;
        `offset` of them skipped, then at most `limit`."""
        ...

    def count(self, **filters: Unpack[EventFilters]) -> int:
        """How many stored events match every given filter."""
        ...

    def points(self, **filters: Unpack[EventFilters]) -> Iterator[EventPoint]:
        """The located events matching every given filter, in no particular order."""
        ...

    def day_counts(self, **filters: Unpack[EventFilters]) -> list[tuple[date, int]]:
        """Matching dated events per first day, by day."""
        ...

    def documents(self) -> Iterable[Article]:
        """Every stored document."""
        ...

    def document(self, doc_id: str) -> Article | None:
        """The stored document `doc_id`, or None."""
        ...

    def counts(self) -> dict[str, int]:
        """Number of documents and events, and events per kind ("kind:strike": n)."""
        ...

    def close(self) -> None: ...
