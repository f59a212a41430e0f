"""The quarantine: what `claimline ingest` rejected, why, and the raw bytes, in the store's own file.

A table beside the store's, written on its own connection: a rejection is recorded in its own small
transaction and never touches the documents and events already stored.
"""

from __future__ import annotations

import base64
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

from claimline.errors import InputError, StoreError

EXCERPT_BYTES = 64 * 1024
# files whose InputError lines are records of their own: the rejected line is kept, not the file's head
_LINE_RECORD_SUFFIXES = (".jsonl", ".ndjson", ".csv")
# a row number in a binary dump names no stretch of bytes worth keeping
_BINARY_RECORD_SUFFIXES = (".parquet",)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS quarantine (
    path TEXT,
    line INTEGER,
    reason TEXT NOT NULL,
    raw BLOB,
    raw_size INTEGER,
    rejected_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS quarantine_by_path ON quarantine(path, line);
"""


@dataclass(frozen=True)
class Rejection:
    """One rejected file or record: where, why, its first EXCERPT_BYTES bytes and its full size."""

    path: str | None
    line: int | None
    reason: str
    raw: bytes | None
    raw_size: int | None
    rejected_at: str

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict; the raw bytes in base64, since they are often not text."""
        return {
            "path": self.path, "line": self.line, "reason": self.reason, "rejected_at": self.rejected_at,
            "raw_size": self.raw_size, "raw_base64": base64.b64encode(self.raw).decode("ascii") if self.raw else None,
        }

    def preview(self, width: int = 40) -> str:
        """The start of the raw bytes as printable text (undecodable bytes and control characters escaped)."""
        if not self.raw:
            return ""
        text = self.raw[: width * 4].decode("utf-8", errors="backslashreplace")
        return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)[:width]


class Quarantine:
    """The `quarantine` table of a store's SQLite file.

    For each file, it holds the rejections of the latest run that read it: the first time a run
    meets a file, the rejections recorded for it by earlier runs are forgotten.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._forgotten: set[str | None] = set()
        self._excerpts = _Excerpts()
        try:
            self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the quarantine ({exc})") from exc
        try:
            self._write(_SCHEMA, script=True)
        except StoreError:
            self.close()
            raise

    def __enter__(self) -> Quarantine:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def met(self, path: str | None) -> None:
        """Note that this run read `path`: forget what earlier runs rejected from it (once per run)."""
        if path in self._forgotten:
            return
        self._forgotten.add(path)
        self._write("DELETE FROM quarantine WHERE path IS ?", (path,))

    def add(self, error: InputError) -> None:
        """Record a rejected file or record with its raw bytes (or their first EXCERPT_BYTES)."""
        self.met(error.path)
        raw, size = self._excerpts.of(error)
        rejected_at = datetime.now(UTC).isoformat(timespec="seconds")
        self._write("INSERT INTO quarantine (path, line, reason, raw, raw_size, rejected_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (error.path, error.line, error.problem, raw, size, rejected_at))

    def rejections(self) -> list[Rejection]:
        """Every recorded rejection, by path then line."""
        sql = ("SELECT path, line, reason, raw, raw_size, rejected_at FROM quarantine "
               "ORDER BY path, line IS NOT NULL, line, rowid")
        try:
            return [Rejection(*row) for row in self._db.execute(sql)]
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot read the quarantine ({exc})") from exc

    def close(self) -> None:
        self._excerpts.close()
        self._db.close()

    def _write(self, sql: str, params: tuple[object, ...] = (), *, script: bool = False) -> None:
        try:
            if script:
                self._db.executescript(f"BEGIN IMMEDIATE; {sql} COMMIT;")
            else:
                self._db.execute(sql, params)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot write to the quarantine ({exc})") from exc


class _Excerpts:
    """Reads the bytes rejections are about. Errors come in file order, so for line records it keeps
    its place in the file and reads on, rather than rereading the file from the top for each one."""

    def __init__(self) -> None:
        self._path: str | None = None
        self._stream: BinaryIO | None = None
        self._next_line = 1

    def of(self, error: InputError) -> tuple[bytes | None, int | None]:
        """The rejected line of a JSON Lines or CSV file, else the head of the file, with its full
        size; (None, None) when there is nothing to read."""
        if error.path is None:
            return None, None
        suffix = Path(error.path).suffix.lower()
        if error.line is not None and suffix in _BINARY_RECORD_SUFFIXES:
            return None, None
        try:
            if error.line is not None and suffix in _LINE_RECORD_SUFFIXES:
                return self._line(error.path, error.line)
            return _head(Path(error.path))
        except OSError:
            self.close()
            return None, None

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
        self._path, self._stream, self._next_line = None, None, 1

    def _line(self, path: str, number: int) -> tuple[bytes | None, int | None]:
        if self._stream is None or path != self._path or number < self._next_line:
            self.close()
            self._path, self._stream = path, Path(path).open("rb")  # noqa: SIM115 - kept open across calls
        while self._next_line < number and _read_line(self._stream) is not None:
            self._next_line += 1
        found = _read_line(self._stream)
        self._next_line += 1
        return found if found is not None else (None, None)


def _head(path: Path) -> tuple[bytes, int]:
    with path.open("rb") as stream:
        return stream.read(EXCERPT_BYTES), os.fstat(stream.fileno()).st_size


def _read_line(stream: BinaryIO) -> tuple[bytes, int] | None:
    """The next line's first EXCERPT_BYTES bytes and its full size, never holding more than that."""
    head = piece = stream.readline(EXCERPT_BYTES)
    size = len(piece)
    while piece and not piece.endswith(b"\n"):
        piece = stream.readline(EXCERPT_BYTES)
        size += len(piece)
    return (head, size) if head else None
