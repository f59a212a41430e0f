"""The manifest: a CSV giving each file's doc_id, publication date and other metadata."""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from claimline.errors import InputError
from claimline.ingest.dates import parse_published
from claimline.model import Article

MANIFEST_REASON = "manifest"


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """What the manifest says about one file; `problem` is an error to report when it is read."""

    doc_id: str | None = None
    published: date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    problem: InputError | None = None

    def apply(self, article: Article) -> Article:
        """The article with the manifest's values in place of what the file said."""
        return dataclasses.replace(
            article,
            doc_id=self.doc_id or article.doc_id,
            published=self.published or article.published,
            published_reason=MANIFEST_REASON if self.published else article.published_reason,
            title=self.title or article.title, url=self.url or article.url,
            source=self.source or article.source,
        )


@dataclass(frozen=True, slots=True)
class Manifest:
    path: Path
    entries: Mapping[Path, ManifestEntry]
    problems: tuple[InputError, ...] = ()

    def entry(self, path: Path) -> ManifestEntry | None:
        return self.entries.get(path.resolve())


def load_manifest(path: str | Path) -> Manifest:
    """Read a manifest; raises InputError when it cannot be read at all."""
    where = Path(path)
    try:
        with where.open(encoding="utf-8-sig", newline="") as stream:
            reader = csv.DictReader(stream)
            if "path" not in (reader.fieldnames or ()):
                raise InputError("manifest has no 'path' column", path=str(where), line=1)
            rows = list(_numbered(reader))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read manifest: {_describe(exc)}", path=str(where)) from exc
    return _build(where, rows)


def _numbered(reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str, str | None]]]:
    """Each row with the line it starts on (a quoted cell may span lines)."""
    line = reader.line_num + 1
    for row in reader:
        yield line, row
        line = reader.line_num + 1


def _describe(exc: Exception) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def _build(where: Path, rows: list[tuple[int, dict[str, str | None]]]) -> Manifest:
    entries: dict[Path, ManifestEntry] = {}
    problems: list[InputError] = []
    for line, row in rows:
        listed = _cell(row, "path")
        if listed is None:
            problems.append(InputError("manifest row has no path", path=str(where), line=line))
            continue
        key = (where.parent / listed).resolve()
        if key in entries:
            problems.append(InputError(f"{listed!r} is listed twice; the first row counts",
                                       path=str(where), line=line))
            continue
        entries[key] = _entry(row, where, line)
    return Manifest(where.resolve(), entries, tuple(problems))


def _entry(row: Mapping[str, str | None], where: Path, line: int) -> ManifestEntry:
    published, problem = None, None
    written = _cell(row, "published")
    if written is not None:
        try:
            published = parse_published(written)
        except ValueError as exc:
            problem = InputError(f"{exc}; the document is read without a date", path=str(where), line=line)
    note = _cell(row, "note")
    url = _cell(row, "url") or (note if note and _is_url(note) else None)
    return ManifestEntry(
        doc_id=_cell(row, "doc_id"), published=published, title=_cell(row, "title"), url=url,
        source=_cell(row, "source"), problem=problem,
    )


def _cell(row: Mapping[str, str | None], column: str) -> str | None:
    value = row.get(column)
    return value.strip() or None if value else None


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://")) and not any(c.isspace() for c in text)
