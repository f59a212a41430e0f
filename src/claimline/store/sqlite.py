"""The default event store: one embedded SQLite file, one transaction per document."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from claimline.errors import StoreError
from claimline.model import Article, Event
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
        where, params = _where(kind=kind, date_from=date_from, date_to=date_to, place=place,
                               admin1=admin1, claimant=claimant, doc_id=doc_id)
        sql = f"SELECT record FROM events {where} {_ORDER}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(_checked_limit(limit))
        return (Event.from_record(json.loads(record)) for (record,) in self._rows(sql, params))

    def documents(self) -> Iterator[Article]:
        """Every stored document, by doc_id."""
        sql = ("SELECT doc_id, text, published, published_reason, title, url, source, path "
               "FROM documents ORDER BY doc_id")
        return (_article(row) for row in self._rows(sql, []))

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


def _check_belongs(article: Article, events: Sequence[Event]) -> None:
    strays = {event.doc_id for event in events} - {article.doc_id}
    if strays:
        raise ValueError(f"events of {sorted(strays)} cannot be stored under document {article.doc_id!r}")


def _checked_limit(limit: int) -> int:
    if limit < 0:
        raise ValueError(f"limit must be zero or more, not {limit}")
    return limit


def _key(value: str | None) -> str | None:
    """The case-folded form the filters compare (SQLite's own lower() only folds ASCII)."""
    return value.casefold() if value else None


def _where(
    *, kind: str | None, date_from: date | None, date_to: date | None, place: str | None,
    admin1: str | None, claimant: str | None, doc_id: str | None,
) -> tuple[str, list[Any]]:
    """The WHERE clause and its parameters; values only ever travel as parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    if kind is not None:
        clauses.append("kind = ?")
        params.append(kind)
    if date_from is not None:
        clauses.append("COALESCE(date_end, date) >= ?")
        params.append(date_from.isoformat())
    if date_to is not None:
        clauses.append("date <= ?")
        params.append(date_to.isoformat())
    if place is not None:
        clauses.append("location_key = ?")
        params.append(place.casefold())
    if admin1 is not None:
        clauses.append("(admin1_iso = ? OR admin1_key = ?)")
        params.extend([admin1.upper(), admin1.casefold()])
    if claimant is not None:
        clauses.append("instr(claimant_key, ?) > 0")
        params.append(claimant.casefold())
    if doc_id is not None:
        clauses.append("doc_id = ?")
        params.append(doc_id)
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
