"""`claimline watch`: poll RSS/Atom feeds and folders, drop duplicates, ingest what is new.

Each poll reads every source, skips what an earlier poll already handled (remembered in the
database), fetches each new feed item's page, drops exact copies and near-copies of an article
already stored or kept earlier in the same poll (syndicated copies of one wire story), and stores
each remaining article with its events at once, so an interrupted watch loses nothing it finished.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import sqlite3
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import feedparser

from claimline.dedup import DEFAULT_SIMILARITY, DuplicateIndex, Fingerprint, fingerprint
from claimline.errors import InputError, StoreError
from claimline.ingest import iter_articles, parse_published
from claimline.model import Article
from claimline.pipeline import Pipeline
from claimline.store import SQLiteStore

FETCH_TIMEOUT_S = 20.0
MAX_FETCH_BYTES = 10 * 1024 * 1024
USER_AGENT = "claimline-watch/0.1"
FEED_DATE_REASON = "feed item date"

Status = Literal["stored", "unchanged", "duplicate", "near-duplicate", "error"]

# Lives in the event store's file, beside (and joined to) its documents table.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS watch_seen (
    key TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    doc_id TEXT,
    status TEXT NOT NULL,
    seen_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS watch_fingerprints (
    doc_id TEXT PRIMARY KEY,
    document_hash TEXT NOT NULL,
    exact TEXT NOT NULL,
    signature BLOB NOT NULL
);
"""


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    """What a poll did with one new item."""

    status: Status
    source: str
    doc_id: str | None = None
    events: int = 0
    detail: str = ""
    error: InputError | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class FeedItem:
    key: str  # the entry's id, else its link
    link: str
    title: str | None
    published: date | None
    source: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class Candidate:
    """A new article and the key under which it is remembered once handled."""

    key: str
    source: str
    article: Article


def is_feed_url(source: str) -> bool:
    return urllib.parse.urlsplit(source).scheme in ("http", "https")


class WatchState:
    """What earlier polls handled, and the fingerprints of stored documents, in the store's file."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the watch state ({exc})") from exc

    def __enter__(self) -> WatchState:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._db.close()

    def seen(self, key: str) -> bool:
        return self._db.execute("SELECT 1 FROM watch_seen WHERE key = ?", (key,)).fetchone() is not None

    def remember(self, key: str, source: str, outcome: Outcome) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO watch_seen (key, source, doc_id, status, seen_at) VALUES (?, ?, ?, ?, ?)",
            (key, source, outcome.doc_id, outcome.status, datetime.now(UTC).isoformat(timespec="seconds")),
        )

    def duplicate_index(self, threshold: float) -> DuplicateIndex:
        """Fingerprints of every stored document, computing those missing or out of date."""
        stale = self._db.execute(
            "SELECT d.doc_id, d.text, d.content_hash FROM documents d "
            "LEFT JOIN watch_fingerprints f ON f.doc_id = d.doc_id "
            "WHERE f.doc_id IS NULL OR f.document_hash != d.content_hash").fetchall()
        for doc_id, text, document_hash in stale:
            self._keep(fingerprint(doc_id, text), document_hash)
        rows = self._db.execute(
            "SELECT f.doc_id, f.exact, f.signature FROM watch_fingerprints f "
            "JOIN documents d ON d.doc_id = f.doc_id ORDER BY d.rowid").fetchall()
        return DuplicateIndex(threshold, (Fingerprint(doc_id, exact, bytes(sig)) for doc_id, exact, sig in rows))

    def keep(self, found: Fingerprint) -> None:
        """Record the fingerprint of a document just stored."""
        row = self._db.execute("SELECT content_hash FROM documents WHERE doc_id = ?", (found.doc_id,)).fetchone()
        if row is not None:
            self._keep(found, row[0])

    def _keep(self, found: Fingerprint, document_hash: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO watch_fingerprints (doc_id, document_hash, exact, signature) VALUES (?, ?, ?, ?)",
            (found.doc_id, document_hash, found.exact, found.signature),
        )


class Watcher:
    """Polls sources into the store: new articles only, duplicates dropped, each stored at once."""

    def __init__(
        self, store: SQLiteStore, state: WatchState, pipeline: Pipeline, *,
        similarity: float = DEFAULT_SIMILARITY, timeout: float = FETCH_TIMEOUT_S,
    ) -> None:
        self.store = store
        self.state = state
        self.pipeline = pipeline
        self.similarity = similarity
        self.timeout = timeout

    def poll(self, sources: Sequence[str]) -> Iterator[Outcome]:
        """One pass over `sources`, yielding what happened to each new item as it happens."""
        index = self.state.duplicate_index(self.similarity)
        for source in sources:
            for found in self._candidates(source):
                if isinstance(found, Outcome):
                    yield found
                    continue
                outcome = self._take(found, index)
                self.state.remember(found.key, source, outcome)
                yield outcome

    def _candidates(self, source: str) -> Iterator[Candidate | Outcome]:
        if is_feed_url(source):
            yield from self._feed_candidates(source)
        else:
            yield from self._folder_candidates(source)

    def _take(self, candidate: Candidate, index: DuplicateIndex) -> Outcome:
        article = candidate.article
        found = fingerprint(article.doc_id, article.text)
        duplicate = index.find(found)
        if duplicate is not None:
            status: Status = "duplicate" if duplicate.exact else "near-duplicate"
            detail = f"of {duplicate.of}" + ("" if duplicate.exact else f" (similarity {duplicate.similarity:.2f})")
            return Outcome(status, candidate.source, article.doc_id, detail=detail)
        events = self.pipeline.process(article)
        stored = self.store.add(article, events)
        index.add(found)
        self.state.keep(found)
        return Outcome("stored" if stored else "unchanged", candidate.source, article.doc_id, len(events))

    def _feed_candidates(self, url: str) -> Iterator[Candidate | Outcome]:
        items = read_feed(url, timeout=self.timeout)
        if isinstance(items, InputError):
            yield _failed(url, items)
            return
        for item in items:
            if self.state.seen(item.key):
                continue
            article = fetch_article(item, timeout=self.timeout)
            # a page that cannot be fetched now is tried again at the next poll: it is not remembered
            yield _failed(url, article) if isinstance(article, InputError) else Candidate(item.key, url, article)

    def _folder_candidates(self, folder: str) -> Iterator[Candidate | Outcome]:
        for item in iter_articles([folder]):
            if isinstance(item, InputError):
                key = f"error:{item}"
                if not self.state.seen(key):
                    outcome = _failed(folder, item)
                    self.state.remember(key, folder, outcome)
                    yield outcome
                continue
            key = f"file:{item.path}#{item.doc_id}@{item.content_hash}"
            if not self.state.seen(key):
                yield Candidate(key, folder, item)


def _failed(source: str, error: InputError) -> Outcome:
    return Outcome("error", source, detail=error.problem, error=error)


def fetch(url: str, *, timeout: float = FETCH_TIMEOUT_S, limit: int = MAX_FETCH_BYTES) -> tuple[bytes, str]:
    """The body of `url` and its content type; InputError (naming the URL) on any failure."""
    if not is_feed_url(url):
        raise InputError("not an http(s) URL", path=url)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(limit + 1)
            content_type = response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        raise InputError(f"cannot fetch: HTTP {exc.code} {exc.reason}", path=url) from exc
    except urllib.error.URLError as exc:
        raise InputError(f"cannot fetch: {exc.reason}", path=url) from exc
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot fetch: {exc}", path=url) from exc
    if len(body) > limit:
        raise InputError(f"larger than {limit} bytes; skipped", path=url)
    return body, content_type


def read_feed(url: str, *, timeout: float = FETCH_TIMEOUT_S) -> list[FeedItem] | InputError:
    """The feed's items, oldest first, or why the feed cannot be read."""
    try:
        body, _ = fetch(url, timeout=timeout)
    except InputError as exc:
        return exc
    parsed: Any = feedparser.parse(body)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        reason = parsed.get("bozo_exception") or "no RSS or Atom items"
        return InputError(f"not an RSS or Atom feed ({reason})", path=url)
    source = parsed.feed.get("title") or urllib.parse.urlsplit(url).hostname
    items = [item for entry in parsed.entries if (item := _feed_item(entry, url, source)) is not None]
    # feeds list the newest first; the first of several copies kept should be the earliest
    return sorted(items, key=lambda item: item.published or date.max)


def _feed_item(entry: Any, feed_url: str, source: str | None) -> FeedItem | None:
    link = entry.get("link")
    if not link:
        return None
    link = urllib.parse.urljoin(feed_url, link)
    return FeedItem(key=entry.get("id") or link, link=link, title=entry.get("title") or None,
                    published=_entry_date(entry), source=source)


def _entry_date(entry: Any) -> date | None:
    for field in ("published", "updated"):
        written = entry.get(field)
        if written:
            try:
                return parse_published(written)
            except ValueError:
                continue
    return None


def fetch_article(item: FeedItem, *, timeout: float = FETCH_TIMEOUT_S) -> Article | InputError:
    """The item's page read as claimline reads a saved page, with the feed's title, date and source."""
    try:
        body, content_type = fetch(item.link, timeout=timeout)
    except InputError as exc:
        return exc
    suffix = ".txt" if content_type == "text/plain" else ".html"
    doc_id = doc_id_for(item.link)
    with tempfile.TemporaryDirectory(prefix="claimline-watch-") as folder:
        page = Path(folder) / f"{doc_id}{suffix}"
        page.write_bytes(body)
        # the ingest readers take files; reading the page as one keeps every format rule in one place
        read = list(iter_articles([page]))
    problems = [found for found in read if isinstance(found, InputError)]
    articles = [found for found in read if isinstance(found, Article)]
    if problems or not articles:
        problem = problems[0].problem if problems else "no article found in the page"
        return InputError(problem, path=item.link)
    return _with_feed_metadata(articles[0], item)


def _with_feed_metadata(article: Article, item: FeedItem) -> Article:
    published = (item.published, FEED_DATE_REASON) if item.published else (article.published, article.published_reason)
    return dataclasses.replace(
        article, published=published[0], published_reason=published[1], title=item.title or article.title,
        url=item.link, source=item.source, path=item.link,
    )


def doc_id_for(link: str) -> str:
    """A readable, stable doc_id: the page's name and a short hash of its whole URL."""
    parts = urllib.parse.urlsplit(link)
    name = Path(parts.path.rstrip("/")).stem or parts.hostname or "page"
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "page"
    return f"{slug}-{hashlib.sha1(link.encode('utf-8')).hexdigest()[:8]}"
