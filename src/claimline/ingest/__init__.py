"""Files and folders → Articles, each with its publication date and the reason for it.

Bad input never stops the stream: each bad file or record is yielded as an InputError naming the
file (and line), so the caller can count it and go on.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from claimline.errors import InputError
from claimline.ingest.dates import parse_published
from claimline.ingest.manifest import Manifest, load_manifest
from claimline.ingest.published import Discovery, discover_published
from claimline.ingest.records import read_csv, read_jsonl
from claimline.ingest.text import read_text
from claimline.model import Article

__all__ = ["SUFFIXES", "Discovery", "discover_published", "iter_articles", "load_manifest", "parse_published"]

Reader = Callable[[Path], Iterator[Article | InputError]]

MANIFEST_NAME = "manifest.csv"
SUFFIXES: tuple[str, ...] = (
    ".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".ndjson", ".csv", ".parquet",
)


def iter_articles(
    paths: Sequence[str | Path], manifest: str | Path | None = None
) -> Iterator[Article | InputError]:
    """Yield an Article per document found in `paths` (files or folders), or an InputError per bad
    file or record. Raises InputError only when the manifest itself cannot be read.

    Folders are walked recursively in sorted order for SUFFIXES, skipping hidden entries and files
    named manifest.csv. A manifest gives doc_id, published, title, url and source to the single-
    document files it lists (text, Markdown, HTML); record dumps carry their own metadata.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    listing = load_manifest(manifest) if manifest is not None else None
    if listing is not None:
        yield from listing.problems
    for found in _discover(paths, skip=listing.path if listing else None):
        if isinstance(found, InputError):
            yield found
        else:
            yield from _read(found, listing)


def _discover(paths: Sequence[str | Path], skip: Path | None) -> Iterator[Path | InputError]:
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from (p for p in _walk(path) if skip is None or p.resolve() != skip)
        elif path.is_file():
            yield path
        else:
            yield InputError("no such file or directory", path=str(path))


def _walk(folder: Path) -> Iterator[Path]:
    """Readable files under `folder` in a stable order, skipping hidden files and folders and
    `manifest.csv` (a manifest lying next to the documents it describes is not a record dump)."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if _is_document(name):
                yield Path(root) / name


def _is_document(name: str) -> bool:
    return (not name.startswith(".") and name.lower() != MANIFEST_NAME
            and Path(name).suffix.lower() in SUFFIXES)


def _read(path: Path, listing: Manifest | None) -> Iterator[Article | InputError]:
    entry = listing.entry(path) if listing is not None else None
    if entry is not None and entry.problem is not None:
        yield entry.problem
    reader, one_document = _reader(path)
    for item in reader(path):
        if isinstance(item, Article):
            # a manifest row describes one document, so it cannot speak for a record dump
            if one_document and entry is not None:
                item = entry.apply(item)
            item = _with_text_date(item)
        yield item


def _reader(path: Path) -> tuple[Reader, bool]:
    """How to read `path`, and whether the file is a single document."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return read_jsonl, False
    if suffix == ".csv":
        return read_csv, False
    if suffix == ".parquet":
        from claimline.ingest.parquet import read_parquet

        return read_parquet, False
    if suffix in (".html", ".htm"):
        # trafilatura takes a third of a second to import; only pay for it when HTML shows up
        from claimline.ingest.html import read_html

        return read_html, True
    return read_text, True


def _with_text_date(article: Article) -> Article:
    """Where nothing else gave a date, the one the text gives (or why there is none); text unchanged."""
    if article.published is not None:
        return article
    found = discover_published(article.text)
    return dataclasses.replace(article, published=found.published, published_reason=found.reason)
