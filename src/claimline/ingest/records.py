"""Record dumps: JSON Lines and CSV, one document per record, read as a stream."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from claimline.errors import InputError
from claimline.ingest.dates import parse_published
from claimline.model import Article

RECORD_DATE_REASON = "record 'published' field"
_SNIFF_BYTES = 8192
# Articles can be longer than the csv module's default 128 KiB field limit.
_CSV_FIELD_LIMIT = 64 * 1024 * 1024


def read_jsonl(path: Path) -> Iterator[Article | InputError]:
    """An Article per JSON object line; an InputError (with the line) per bad line."""
    problem = _sniff(path)
    if problem is not None:
        yield problem
        return
    try:
        with path.open("rb") as stream:
            for number, raw in enumerate(stream, start=1):
                yield from _jsonl_line(raw.removeprefix(b"\xef\xbb\xbf") if number == 1 else raw,
                                       path, number)
    except OSError as exc:
        yield InputError(f"cannot read file: {exc.strerror or exc}", path=str(path))


def _jsonl_line(raw: bytes, path: Path, number: int) -> Iterator[Article | InputError]:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield InputError(f"not valid UTF-8 (column {exc.start + 1})", path=str(path), line=number)
        return
    if not line.strip():
        return
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        yield InputError(f"malformed JSON: {exc.msg} (column {exc.colno})", path=str(path), line=number)
        return
    except RecursionError:
        # json's parser recurses per bracket; a line of "[[[[…" must not end the whole run
        yield InputError("JSON nested too deeply", path=str(path), line=number)
        return
    yield from article_from_record(record, path, number)


def read_csv(path: Path) -> Iterator[Article | InputError]:
    """An Article per CSV row (header row required, with `text` and `doc_id` or `id` columns)."""
    problem = _sniff(path)
    if problem is not None:
        yield problem
        return
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    line = 1
    try:
        with path.open("rb") as stream:
            # strict: a quoted field with text after its closing quote, or one never closed, is an
            # error for that row (the reader goes on at the next line), not text silently changed
            reader = csv.DictReader(_decoded_lines(stream), strict=True)
            header_problem = _check_header(reader.fieldnames, path)
            if header_problem is not None:
                yield header_problem
                return
            line = reader.line_num + 1
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    yield InputError(_malformed_row(exc), path=str(path), line=line)
                else:
                    yield from _csv_row(row, path, line)
                line = reader.line_num + 1
    except _UndecodableLine as exc:
        yield InputError(f"not valid UTF-8 (column {exc.column}); rest of file skipped",
                         path=str(path), line=exc.line)
    except csv.Error as exc:
        yield InputError(f"malformed CSV: {exc}; rest of file skipped", path=str(path), line=line)
    except OSError as exc:
        yield InputError(f"cannot read file: {exc.strerror or exc}", path=str(path))


def _malformed_row(exc: csv.Error) -> str:
    if "unexpected end of data" in str(exc):
        return "a quoted field opened in this row is never closed; the rest of the file was read into it and skipped"
    return f"malformed CSV: {exc}; row skipped"


class _UndecodableLine(Exception):
    def __init__(self, line: int, column: int) -> None:
        super().__init__(f"line {line}")
        self.line = line
        self.column = column


def _decoded_lines(stream: IO[bytes]) -> Iterator[str]:
    """Decode line by line, so a bad byte can be pinned to its physical line."""
    for number, raw in enumerate(stream, start=1):
        try:
            yield (raw.removeprefix(b"\xef\xbb\xbf") if number == 1 else raw).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _UndecodableLine(number, exc.start + 1) from exc


def _check_header(fieldnames: Any, path: Path) -> InputError | None:
    columns = set(fieldnames or ())
    if "text" not in columns:
        hint = " (is it a manifest? pass it as the manifest)" if "path" in columns else ""
        return InputError(f"CSV header has no 'text' column{hint}", path=str(path), line=1)
    if not columns & {"doc_id", "id"}:
        return InputError("CSV header has no 'doc_id' or 'id' column", path=str(path), line=1)
    return None


def _csv_row(row: dict[str | Any, Any], path: Path, line: int) -> Iterator[Article | InputError]:
    if None in row:
        yield InputError("row has more fields than the header", path=str(path), line=line)
        return
    yield from article_from_record(row, path, line)


def article_from_record(record: Any, path: Path, line: int) -> Iterator[Article | InputError]:
    """The Article a record describes, with an InputError first for each problem found."""
    if not isinstance(record, Mapping):
        kind = type(record).__name__
        yield InputError(f"record is a JSON {kind}, not an object", path=str(path), line=line)
        return
    doc_id = _optional_str(record.get("doc_id")) or _optional_str(record.get("id"))
    if doc_id is None:
        yield InputError("record has no 'doc_id' or 'id'", path=str(path), line=line)
        return
    text = record.get("text")
    problem = _text_problem(text)
    if problem is not None or not isinstance(text, str):
        yield InputError(f"record {doc_id!r} has {problem}", path=str(path), line=line)
        return
    published = _optional_str(record.get("published"))
    day = None
    if published is not None:
        try:
            day = parse_published(published)
        except ValueError as exc:
            yield InputError(f"record {doc_id!r}: {exc}; read without a date", path=str(path), line=line)
    yield Article(
        doc_id=doc_id, text=text, published=day, published_reason=RECORD_DATE_REASON if day else None,
        title=_optional_str(record.get("title")), url=_optional_str(record.get("url")),
        source=_optional_str(record.get("source")), path=str(path),
    )


def _text_problem(text: Any) -> str | None:
    if text is None:
        return "no 'text'"
    if not isinstance(text, str):
        return "a non-string 'text'"
    return None if text.strip() else "an empty 'text'"


def _optional_str(value: Any) -> str | None:
    if value is None or isinstance(value, bool | dict | list):
        return None
    text = str(value).strip()
    return text or None


def _sniff(path: Path) -> InputError | None:
    """Catch unreadable, empty and binary files before parsing them as records."""
    try:
        with path.open("rb") as stream:
            head = stream.read(_SNIFF_BYTES)
    except OSError as exc:
        return InputError(f"cannot read file: {exc.strerror or exc}", path=str(path))
    if b"\x00" in head:
        return InputError("binary file (contains NUL bytes)", path=str(path))
    if len(head) < _SNIFF_BYTES and not head.removeprefix(b"\xef\xbb\xbf").strip():
        return InputError("empty file", path=str(path))
    return None
