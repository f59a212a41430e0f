"""The Python API: `extract` texts or files into `Events`, `open_store` to keep and query them.

    import claimline
    events = claimline.extract(["examples/corpus"], manifest="examples/corpus/manifest.csv")
    frame = events.to_geopandas()          # needs claimline[geo]

    with claimline.open_store("claimline.db") as store:
        store.ingest(["examples/corpus"], manifest="examples/corpus/manifest.csv")
        strikes = store.events(kind="strike")
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, overload

from claimline.config import Config, PipelineConfig
from claimline.errors import InputError
from claimline.ingest import SUFFIXES, iter_articles
from claimline.model import Article, Event
from claimline.pipeline import Pipeline
from claimline.store.sqlite import SQLiteStore

if TYPE_CHECKING:
    import geopandas
    import pandas
    import polars
    import pyarrow

    from claimline.export import Output

__all__ = ["Events", "IngestReport", "Source", "Store", "extract", "open_store", "read_articles"]

Source = str | Path | Article
"""What `extract` reads: an Article, a Path (file or folder), or a `str`: a path when it names an
existing file or folder or looks like one (no white space, a slash or a known suffix), else the text
of one article."""

PUBLISHED_REASON = "given to claimline.extract()"


class Events(Sequence[Event]):
    """An ordered, immutable list of events that converts to frames and files.

    It is a `Sequence[Event]` (index it, iterate it, `len()` it); `errors` holds the documents that
    could not be read when extraction was not strict.
    """

    __slots__ = ("_events", "errors")

    def __init__(self, events: Iterable[Event] = (), errors: Iterable[InputError] = ()) -> None:
        self._events: tuple[Event, ...] = tuple(events)
        self.errors: tuple[InputError, ...] = tuple(errors)

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> Events: ...
    def __getitem__(self, index: int | slice) -> Event | Events:
        if isinstance(index, slice):
            return Events(self._events[index])
        return self._events[index]

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Events):
            return self._events == other._events
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._events)

    def __repr__(self) -> str:
        return f"<Events: {len(self._events)} events>"

    def to_records(self) -> list[dict[str, Any]]:
        """Each event as one JSON object of the record contract."""
        return [event.to_record() for event in self._events]

    # frames and export load pyarrow (a third of a second), so they are imported when first used
    def to_arrow(self) -> pyarrow.Table:
        """One row per event, typed as the Parquet export."""
        from claimline import frames

        return frames.to_arrow(self._events)

    def to_pandas(self) -> pandas.DataFrame:
        """One row per event; `date` and `date_end` as datetime64 columns."""
        from claimline import frames

        return frames.to_pandas(self._events)

    def to_polars(self) -> polars.DataFrame:
        """One row per event (needs claimline[geo])."""
        from claimline import frames

        return frames.to_polars(self._events)

    def to_geopandas(self) -> geopandas.GeoDataFrame:
        """One row per event with a Point geometry in EPSG:4326 (needs claimline[geo])."""
        from claimline import frames

        return frames.to_geopandas(self._events)

    def write(self, out: Output, fmt: str | None = None) -> int:
        """Write the events as jsonl, csv, geojson, parquet or gpkg (by default the suffix of
        `out` decides); returns how many were written."""
        from claimline.export import write_events

        if fmt is None:
            suffix = Path(out).suffix.lower().lstrip(".") if isinstance(out, str | Path) else ""
            fmt = {"ndjson": "jsonl"}.get(suffix, suffix) or "jsonl"
        return write_events(self._events, fmt, out)


def read_articles(
    sources: Source | Iterable[Source],
    *,
    published: date | str | None = None,
    manifest: str | Path | None = None,
) -> Iterator[Article | InputError]:
    """The articles of `sources` with an InputError in place of each unreadable document: first the
    texts and Articles in the order given, then the documents of the files and folders.

    `published` dates the texts given as strings, and any file whose date could not be found.
    """
    day = date.fromisoformat(published) if isinstance(published, str) else published
    given = _as_list(sources)
    paths = [Path(source) for source in given if not isinstance(source, Article) and _names_a_path(source)]
    for source in given:
        if isinstance(source, Article):
            yield _dated(source, day)
        elif isinstance(source, str) and not _names_a_path(source):
            yield _dated(_text_article(source), day)
    if paths:
        for item in iter_articles(paths, manifest=manifest):
            yield item if isinstance(item, InputError) else _dated(item, day)


def extract(
    sources: Source | Iterable[Source],
    *,
    published: date | str | None = None,
    manifest: str | Path | None = None,
    config: Config | PipelineConfig | str | Path | None = None,
    pipeline: Pipeline | None = None,
    strict: bool = True,
) -> Events:
    """Read texts, files and folders and return their events, document by document (texts and
    Articles first, in the order given, then the files and folders, as `read_articles` reads them).

    `config` is a TOML path or a loaded configuration (default: `$CLAIMLINE_CONFIG` or the
    defaults); pass a `Pipeline` instead to reuse one across calls. With `strict` the first
    unreadable document raises InputError; otherwise it is skipped and kept in `Events.errors`.
    """
    runner = pipeline or Pipeline(_pipeline_config(config))
    events: list[Event] = []
    errors: list[InputError] = []
    for item in read_articles(sources, published=published, manifest=manifest):
        if isinstance(item, InputError):
            if strict:
                raise item
            errors.append(item)
            continue
        events.extend(runner.process(item))
    return Events(events, errors)


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What `Store.ingest` did."""

    added: int
    unchanged: int
    events: int
    errors: tuple[InputError, ...] = ()


class Store:
    """The SQLite event store, queried into `Events`; use it as a context manager."""

    def __init__(self, path: str | Path) -> None:
        self._store = SQLiteStore(path)
        self.path = Path(path)

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

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
        **more: Any,
    ) -> Events:
        """Stored events matching every given filter (admin1: a region name or ISO 3166-2 code,
        claimant: a case-insensitive substring), ordered by date, document and offset. `more`
        passes any further filter the store knows (see `SQLiteStore.events`)."""
        return Events(self._store.events(
            kind=kind, date_from=date_from, date_to=date_to, place=place, admin1=admin1,
            claimant=claimant, doc_id=doc_id, limit=limit, **more,
        ))

    def documents(self) -> list[Article]:
        """Every stored document, by doc_id."""
        return list(self._store.documents())

    def counts(self) -> dict[str, int]:
        """Documents, events, and events per kind (`"kind:strike": n`)."""
        return self._store.counts()

    def add(self, article: Article, events: Sequence[Event]) -> bool:
        """Store one document and its events; False when it was already stored unchanged."""
        return self._store.add(article, events)

    def ingest(
        self,
        sources: Source | Iterable[Source],
        *,
        published: date | str | None = None,
        manifest: str | Path | None = None,
        pipeline: Pipeline | None = None,
    ) -> IngestReport:
        """Extract and store every readable document of `sources` (idempotent, as `claimline ingest`)."""
        runner = pipeline or Pipeline(_pipeline_config(None))
        added = unchanged = stored_events = 0
        errors: list[InputError] = []
        for item in read_articles(sources, published=published, manifest=manifest):
            if isinstance(item, InputError):
                errors.append(item)
                continue
            found = runner.process(item)
            if self._store.add(item, found):
                added += 1
                stored_events += len(found)
            else:
                unchanged += 1
        return IngestReport(added, unchanged, stored_events, tuple(errors))

    def close(self) -> None:
        self._store.close()


def open_store(path: str | Path | None = None) -> Store:
    """Open (creating if needed) the event store at `path`, else the configured database
    (`[database] path`, `$CLAIMLINE_DATABASE_PATH`, default `claimline.db`)."""
    return Store(path if path is not None else Config.load().database.file)


def _pipeline_config(config: Config | PipelineConfig | str | Path | None) -> PipelineConfig:
    if isinstance(config, PipelineConfig):
        return config
    if isinstance(config, Config):
        return config.pipeline
    return Config.load(config).pipeline


def _as_list(sources: Source | Iterable[Source]) -> list[Source]:
    if isinstance(sources, str | Path | Article):
        return [sources]
    return list(sources)


def _names_a_path(source: str | Path) -> bool:
    """A Path always; a str when it names an existing file or folder, or looks like a path (no
    white space, and a slash or a known suffix) so that a mistyped name is reported, not extracted."""
    if isinstance(source, Path):
        return True
    if any(char.isspace() for char in source):
        return False
    return "/" in source or source.lower().endswith(SUFFIXES) or Path(source).exists()


def _text_article(text: str) -> Article:
    """A text given as a string; its doc_id is derived from the text, so it is stable across runs."""
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    return Article(doc_id=f"text-{digest}", text=text)


def _dated(article: Article, day: date | None) -> Article:
    if day is None or article.published is not None:
        return article
    return dataclasses.replace(article, published=day, published_reason=PUBLISHED_REASON)
