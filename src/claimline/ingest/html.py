"""HTML pages: the main text via trafilatura, the publication date from the page's own metadata."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import trafilatura
from lxml.html import HtmlElement

from claimline.errors import InputError
from claimline.ingest.dates import parse_published
from claimline.ingest.text import read_bytes
from claimline.model import Article

_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
# htmldate without its free-text search: a date printed in the story is not the publication date
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def read_html(path: Path) -> Iterator[Article | InputError]:
    """One Article whose text is the page's extracted main text (offsets refer to that text)."""
    data = read_bytes(path)
    markup = data if isinstance(data, InputError) else _decode_html(data, path)
    if isinstance(markup, InputError):
        yield markup
        return
    tree = trafilatura.load_html(markup)
    if tree is None:
        yield InputError("not an HTML document", path=str(path))
        return
    published = _declared_published(tree)
    doc = trafilatura.bare_extraction(
        tree, with_metadata=True, include_comments=False, include_tables=False,
        date_extraction_params=_DATE_PARAMS,
    )
    text = getattr(doc, "text", None)
    if not text or not text.strip():
        yield InputError("no article text found in the page", path=str(path))
        return
    guessed = getattr(doc, "date", None)
    if published is None and isinstance(guessed, str):
        published = _parsed(guessed, "HTML date found by htmldate")
    yield Article(
        doc_id=path.stem, text=text, published=published[0] if published else None,
        published_reason=published[1] if published else None,
        title=getattr(doc, "title", None) or None, url=getattr(doc, "url", None) or None,
        path=str(path),
    )


def _decode_html(data: bytes, path: Path) -> str | InputError:
    if b"\x00" in data:
        return InputError("binary file (contains NUL bytes)", path=str(path))
    if not data.strip():
        return InputError("empty file", path=str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    match = _DECLARED_CHARSET.search(data[:4096])
    if match is not None:
        try:
            return data.decode(codecs.lookup(match.group(1).decode("ascii")).name)
        except (LookupError, UnicodeDecodeError):
            pass
    line = data.count(b"\n", 0, utf8_error.start) + 1
    return InputError(f"not valid UTF-8 and no usable declared charset (byte {utf8_error.start})",
                      path=str(path), line=line)


def _declared_published(tree: HtmlElement) -> tuple[date, str] | None:
    """The first parseable date among the page's explicit publication-date markers."""
    sources = (
        ("<meta article:published_time>",
         tree.xpath("//meta[@property='article:published_time' or @name='article:published_time']"
                    "/@content")),
        ("JSON-LD datePublished", list(_json_ld_dates(tree))),
        ("<time datetime>", tree.xpath("//time[@datetime]/@datetime")),
    )
    for label, values in sources:
        for value in values:
            found = _parsed(str(value), f"HTML {label}")
            if found is not None:
                return found
    return None


def _parsed(value: str, reason: str) -> tuple[date, str] | None:
    try:
        return parse_published(value), reason
    except ValueError:
        return None


def _json_ld_dates(tree: HtmlElement) -> Iterator[str]:
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(str(script))
            found = list(_find_key(data, "datePublished"))
        except (ValueError, RecursionError):
            # malformed or absurdly nested JSON-LD says nothing about the date
            continue
        yield from found


def _find_key(data: Any, key: str) -> Iterator[str]:
    if isinstance(data, dict):
        value = data.get(key)
        if isinstance(value, str):
            yield value
        for child in data.values():
            yield from _find_key(child, key)
    elif isinstance(data, list):
        for child in data:
            yield from _find_key(child, key)
