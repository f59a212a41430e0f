"""Plain-text and Markdown files: the text exactly as decoded, so offsets stay valid."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from claimline.errors import InputError
from claimline.model import Article

LEADING_DATE_REASON = "leading 'date' line"

# `date 2025-06-08` at the very start, possibly followed on the same line by the article itself
_LEADING_DATE = re.compile(r"\A\s*date\s*:?\s+(\d{4}-\d{2}-\d{2})(?!\S)", re.IGNORECASE)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_bytes(path: Path) -> bytes | InputError:
    """The file's bytes, or an InputError saying why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        return InputError(f"cannot read file: {exc.strerror or exc}", path=str(path))


def decode(data: bytes, path: Path) -> str | InputError:
    """UTF-8 text with only a byte-order mark removed, or an InputError for empty/binary/other input."""
    if data.startswith(_UTF16_BOMS):
        return InputError("UTF-16 text is not supported; save the file as UTF-8", path=str(path))
    if b"\x00" in data:
        return InputError("binary file (contains NUL bytes)", path=str(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return InputError(f"not valid UTF-8 (byte {exc.start})", path=str(path), line=line)
    if not text.strip():
        return InputError("empty file", path=str(path))
    return text


def leading_date(text: str) -> date | None:
    """The date of a leading `date YYYY-MM-DD` line, which stays in the text for the segmenter."""
    match = _LEADING_DATE.match(text)
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def read_text(path: Path) -> Iterator[Article | InputError]:
    """One Article for a .txt/.md file; doc_id is the file stem."""
    data = read_bytes(path)
    text = data if isinstance(data, InputError) else decode(data, path)
    if isinstance(text, InputError):
        yield text
    else:
        yield Article(doc_id=path.stem, text=text, path=str(path))
