"""The default event store: one embedded SQLite file, one transaction per document."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Unpack

from claimline.errors import StoreError
from claimline.model import Article, Event
from claimline.stages import EventFilters, EventPoint
from claimline.store.fingerprint import fingerprint

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    published TEXT,
    published_reason TEXT,
    title TEXT,
    url TEXT,
    source TEXT,
    path TEXT,
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    event_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    date TEXT,
    date_end TEXT,
    time_precision TEXT,
    claimant TEXT,
    claimant_key TEXT,
    attribution TEXT NOT NULL,
    admin1 TEXT,
    admin1_key TEXT,
    admin1_iso TEXT,
    country_code TEXT,
    location_name TEXT,
    location_key TEXT,
    lat REAL,
    lon REAL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_doc ON events(doc_id, evidence_start);
CREATE INDEX IF NOT EXISTS events_by_kind_date ON events(kind, date);
CREATE INDEX IF NOT EXISTS events_by_date ON events(date, date_end);
CREATE INDEX IF NOT EXISTS events_by_place ON events(location_key);
CREATE INDEX IF NOT EXISTS events_by_admin1_iso ON events(admin1_iso);
CREATE INDEX IF NOT EXISTS events_by_admin1 ON events(admin1_key);
"""

_UPSERT_DOCUMENT = """
INSERT INTO documents (doc_id, content_hash, text, published, published_reason, title, url, source,
                       path, ingested_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT(doc_id) DO UPDATE SET
    content_hash = excluded.content_hash, text = excluded.text, published = excluded.published,
    published_reason = excluded.published_reason, title = excluded.title, url = excluded.url,
    source = excluded.source, path = excluded.path, ingested_at = excluded.ingested_at
"""

# an extractor may emit the same event twice; the event id says they are one, and the first wins
_INSERT_EVENT = """
INSERT INTO events (event_id, doc_id, kind, date, date_end, time_precision, claimant, claimant_key,
                    attribution, admin1, admin1_key, admin1_iso, country_code, location_name,
                    location_key, lat, lon, evidence_start, evidence_end, record)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT(event_id) DO NOTHING
"""

_ORDER = "ORDER BY date IS NULL, date, doc_id, evidence_start, event_id"

# The full-text index over the evidence sentence (and place and claimant), keyed by the rowid of
# `events` and kept in step by triggers. The same table `claimline datasette` searches; created on
# first open of a store that lacks it, so stores written before it existed gain it. The script
# ends by filling the index from `events`, so running it again rebuilds it (rowids may change on VACUUM).
FTS_TABLE = "evidence_fts"
_EVIDENCE = "json_extract({row}.record, '$.evidence.text')"
EVIDENCE_INDEX_SQL = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(evidence, place, claimant);
CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON events BEGIN
    INSERT INTO {FTS_TABLE}(rowid, evidence, place, claimant)
    VALUES (new.rowid, {_EVIDENCE.format(row="new")}, new.location_name, new.claimant);
END;
CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON events BEGIN
    DELETE FROM {FTS_TABLE} WHERE rowid = old.rowid;
END;
CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE ON events BEGIN
    DELETE FROM {FTS_TABLE} WHERE rowid = old.rowid;
    INSERT INTO {FTS_TABLE}(rowid, evidence, place, claimant)
    VALUES (new.rowid, {_EVIDENCE.format(row="new")}, new.location_name, new.claimant);
END;
DELETE FROM {FTS_TABLE};
INSERT INTO {FTS_TABLE}(rowid, evidence, place, claimant)
SELECT rowid, {_EVIDENCE.format(row="events")}, location_name, claimant FROM events;
"""
# The map reads these columns of every located event: an index holding them all spares it reading
# each row's JSON record. Added, like the full-text index, to stores that lack it.
_MAP_INDEX = "events_on_map"
_MAP_INDEX_SQL = (f"CREATE INDEX IF NOT EXISTS {_MAP_INDEX} "
                  "ON events(lat, lon, kind, date, date_end, attribution, event_id)")
_WORD = re.compile(r"\w+")


class SQLiteStore:
    """Documents and their events in a SQLite file (WAL mode, so readers do not block the writer)."""

    def __init__(self, path: str | Path = "claimline.db") -> None:
        self.path = str(path)
        self._connection: sqlite3.Connection | None = None
        try:
            self._connection = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            _prepare(self._connection)
        except sqlite3.Error as exc:
            self.close()
            raise StoreError(f"{self.path}: cannot open the event store ({exc})") from exc

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def add(self, article: Article, events: Sequence[Event]) -> bool:
        """Store a document and its events in one transaction; False when already stored with
        the same text, publication date, source and url."""
        _check_belongs(article, events)
        with self._transaction() as db:
            row = db.execute("SELECT content_hash FROM documents WHERE doc_id = ?",
                             (article.doc_id,)).fetchone()
            if row is not None and row[0] == fingerprint(article):
                return False
            db.execute("DELETE FROM events WHERE doc_id = ?", (article.doc_id,))
            db.execute(_UPSERT_DOCUMENT, _document_row(article))
            db.executemany(_INSERT_EVENT, (_event_row(event) for event in events))
        return True

    def events(
        self, *, limit: int | None = None, offset: int = 0, **filters: Unpack[EventFilters]
    ) -> Iterator[Event]:
        """Stored events matching every given filter, ordered by date then doc_id then offset;
        `offset` of them skipped, then at most `limit`."""
        where, params = _where(filters)
        sql = f"SELECT record FROM events {where} {_ORDER}"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params.extend([-1 if limit is None else _checked("limit", limit), _checked("offset", offset)])
        return (Event.from_record(json.loads(record)) for (record,) in self._rows(sql, params))

    def count(self, **filters: Unpack[EventFilters]) -> int:
        """How many stored events match every given filter."""
        where, params = _where(filters)
        return int(next(self._rows(f"SELECT count(*) FROM events {where}", params))[0])

    def points(self, **filters: Unpack[EventFilters]) -> Iterator[EventPoint]:
        """The located events matching every given filter, in storage order."""
        where, params = _where(filters, located=True)
        sql = f"SELECT event_id, kind, date, date_end, lat, lon, attribution FROM events {where}"
        return (EventPoint._make(row) for row in self._rows(sql, params))

    def day_counts(self, **filters: Unpack[EventFilters]) -> list[tuple[date, int]]:
        """Matching dated events per first day, by day."""
        where, params = _where(filters, dated=True)
        sql = f"SELECT date, count(*) FROM events {where} GROUP BY date ORDER BY date"
        return [(date.fromisoformat(day), count) for day, count in self._rows(sql, params)]

    def documents(self) -> Iterator[Article]:
        """Every stored document, by doc_id."""
        sql = ("SELECT doc_id, text, published, published_reason, title, url, source, path "
               "FROM documents ORDER BY doc_id")
        return (_article(row) for row in self._rows(sql, []))

    def document(self, doc_id: str) -> Article | None:
        """The stored document `doc_id`, or None."""
        sql = ("SELECT doc_id, text, published, published_reason, title, url, source, path "
               "FROM documents WHERE doc_id = ?")
        return next((_article(row) for row in self._rows(sql, [doc_id])), None)

    def counts(self) -> dict[str, int]:
        """Number of documents and events, and events per kind ("kind:strike": n)."""
        found = {
            "documents": next(self._rows("SELECT count(*) FROM documents", []))[0],
            "events": next(self._rows("SELECT count(*) FROM events", []))[0],
        }
        for kind, count in self._rows("SELECT kind, count(*) FROM events GROUP BY kind ORDER BY kind", []):
            found[f"kind:{kind}"] = count
        return found

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            raise StoreError(f"{self.path}: the event store is closed")
        return self._connection

    def _rows(self, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        try:
            yield from self._db().execute(sql, params)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot read the event store ({exc})") from exc

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self._db()
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot write to the event store ({exc})") from exc


def _prepare(db: sqlite3.Connection) -> None:
    """Set the pragmas and create (or check) the schema."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(f"schema version {version} is newer than this claimline's")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    if version < SCHEMA_VERSION:
        db.executescript(f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
    if not _exists(db, FTS_TABLE):
        db.executescript(f"BEGIN IMMEDIATE; {EVIDENCE_INDEX_SQL} COMMIT;")
    if not _exists(db, _MAP_INDEX):
        db.execute(_MAP_INDEX_SQL)


def _exists(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def _check_belongs(article: Article, events: Sequence[Event]) -> None:
    strays = {event.doc_id for event in events} - {article.doc_id}
    if strays:
        raise ValueError(f"events of {sorted(strays)} cannot be stored under document {article.doc_id!r}")


def _checked(name: str, value: int) -> int:
    if value < 0:
        raise ValueError(f"{name} must be zero or more, not {value}")
    return value


def _key(value: str | None) -> str | None:
    """The case-folded form the filters compare (SQLite's own lower() only folds ASCII)."""
    return value.casefold() if value else None


def _match_expression(text: str) -> str | None:
    """An FTS5 query for the evidence column: every word of `text` as a quoted prefix, so no
    user input is ever read as FTS5 syntax. None when `text` has no word."""
    words = _WORD.findall(text)
    if not words:
        return None
    return "evidence : (" + " AND ".join(f'"{word}"*' for word in words) + ")"


def _where(filters: EventFilters, *, located: bool = False, dated: bool = False) -> tuple[str, list[Any]]:
    """The WHERE clause and its parameters; values only ever travel as parameters."""
    clauses: list[str] = ["lat IS NOT NULL AND lon IS NOT NULL"] if located else []
    params: list[Any] = []

    def add(clause: str, *values: Any) -> None:
        clauses.append(clause)
        params.extend(values)

    if (kind := filters.get("kind")) is not None:
        add("kind = ?", kind)
    if (date_from := filters.get("date_from")) is not None:
        add("COALESCE(date_end, date) >= ?", date_from.isoformat())
    if (date_to := filters.get("date_to")) is not None:
        add("date <= ?", date_to.isoformat())
    if dated:
        add("date IS NOT NULL")
    if (place := filters.get("place")) is not None:
        add("location_key = ?", place.casefold())
    if (admin1 := filters.get("admin1")) is not None:
        add("(admin1_iso = ? OR admin1_key = ?)", admin1.upper(), admin1.casefold())
    if (claimant := filters.get("claimant")) is not None:
        add("instr(claimant_key, ?) > 0", claimant.casefold())
    if (attribution := filters.get("attribution")) is not None:
        add("attribution = ?", attribution)
    if (doc_id := filters.get("doc_id")) is not None:
        add("doc_id = ?", doc_id)
    if (event_id := filters.get("event_id")) is not None:
        add("event_id = ?", event_id)
    if (bbox := filters.get("bbox")) is not None:
        west, south, east, north = bbox
        joiner = "AND" if west <= east else "OR"
        add(f"lat BETWEEN ? AND ? AND (lon >= ? {joiner} lon <= ?)", south, north, west, east)
    if (text := filters.get("text")) is not None:
        match = _match_expression(text)
        if match is None:
            add("0")
        else:
            add(f"rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?)", match)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def _document_row(article: Article) -> tuple[Any, ...]:
    return (
        article.doc_id, fingerprint(article), article.text,
        article.published.isoformat() if article.published else None, article.published_reason,
        article.title, article.url, article.source, article.path,
        datetime.now(UTC).isoformat(timespec="seconds"),
    )


def _event_row(event: Event) -> tuple[Any, ...]:
    record = event.to_record()
    loc = event.location
    return (
        event.event_id, event.doc_id, event.kind, record["date"], record["date_end"],
        event.when.precision, event.claimant, _key(event.claimant), event.attribution,
        loc.admin1 if loc else None, _key(loc.admin1 if loc else None),
        loc.admin1_iso.upper() if loc and loc.admin1_iso else None, loc.country_code if loc else None,
        loc.name if loc else None, _key(loc.name if loc else None), loc.lat if loc else None,
        loc.lon if loc else None, event.evidence.start, event.evidence.end,
        json.dumps(record, ensure_ascii=False),
    )


def _article(row: tuple[Any, ...]) -> Article:
    doc_id, text, published, reason, title, url, source, path = row
    return Article(
        doc_id=doc_id, text=text, published=date.fromisoformat(published) if published else None,
        published_reason=reason, title=title, url=url, source=source, path=path,
    )
