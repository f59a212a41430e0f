"""What the API answers, built from store records: plain JSON-ready values, no HTTP here."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from json.encoder import encode_basestring
from typing import Any, Literal

from claimline.model import Article, Event
from claimline.stages import EventPoint

Bucket = Literal["day", "week", "month"]

# How much of the document the evidence panel shows on either side of the evidence sentence.
CONTEXT_CHARS = 400


class BadParameter(ValueError):
    """A query parameter that parses but makes no sense; the message names the parameter."""


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """`west,south,east,north` in degrees; west > east is a box across the antimeridian."""
    parts = text.split(",")
    if len(parts) != 4:
        raise BadParameter(f"bbox: expected west,south,east,north, got {len(parts)} value(s)")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError as exc:
        raise BadParameter(f"bbox: {text!r} holds something that is not a number") from exc
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise BadParameter("bbox: every value must be a finite number")
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise BadParameter("bbox: longitudes must lie between -180 and 180")
    if not (-90 <= south <= north <= 90):
        raise BadParameter("bbox: latitudes must lie between -90 and 90, south not above north")
    return west, south, east, north


_MAP_FEATURE = ('{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{lon},{lat}]}},'
                '"properties":{{"id":{id},"kind":{kind},"date":{date},"end":{end},"attribution":{attribution}}}}}')


def _json_text(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def map_geojson(points: Iterable[EventPoint]) -> bytes:
    """The located events as a compact GeoJSON FeatureCollection, for the map's clustered layer.

    Written as text directly: for 100,000 points this is several times faster than building the
    dictionaries for json.dumps, and the map page fetches it whole."""
    features = ",".join(
        _MAP_FEATURE.format(lon=round(p.lon, 5), lat=round(p.lat, 5), id=_json_text(p.event_id),
                            kind=_json_text(p.kind), date=_json_text(p.date), end=_json_text(p.date_end or p.date),
                            attribution=_json_text(p.attribution))
        for p in points
    )
    return ('{"type":"FeatureCollection","features":[' + features + "]}").encode("utf-8")


def event_feature(event: Event) -> dict[str, Any]:
    """One event as a GeoJSON Feature with its whole record as properties (no geometry if unplaced)."""
    loc = event.location
    located = loc is not None and loc.lat is not None and loc.lon is not None
    geometry = {"type": "Point", "coordinates": [loc.lon, loc.lat]} if located and loc else None
    return {"type": "Feature", "id": event.event_id, "geometry": geometry, "properties": event.to_record()}


def _context(article: Article, event: Event) -> dict[str, Any]:
    """The stretch of the document around the evidence, with where the evidence lies inside it."""
    evidence = event.evidence
    text = article.text
    if text[evidence.start:evidence.end] != evidence.text:
        return {"text": evidence.text, "start": evidence.start, "highlight": [0, len(evidence.text)]}
    start = max(0, evidence.start - CONTEXT_CHARS)
    end = min(len(text), evidence.end + CONTEXT_CHARS)
    # widen to whole words so the context never opens or closes mid-word
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return {"text": text[start:end], "start": start,
            "highlight": [evidence.start - start, evidence.end - start]}


def document_record(article: Article) -> dict[str, Any]:
    return {
        "doc_id": article.doc_id, "title": article.title, "url": article.url, "source": article.source,
        "published": article.published.isoformat() if article.published else None,
        "published_reason": article.published_reason,
    }


def event_detail(event: Event, article: Article | None) -> dict[str, Any]:
    """The event with its document's metadata and the evidence in its context."""
    return {
        "event": event.to_record(),
        "document": document_record(article) if article else None,
        "context": _context(article, event) if article else None,
    }


def _bucket_start(day: date, bucket: Bucket) -> date:
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    return day


def histogram(day_counts: Sequence[tuple[date, int]], bucket: Bucket) -> list[dict[str, Any]]:
    """Event counts per day, week (from Monday) or month, in date order; empty buckets left out."""
    totals: Counter[date] = Counter()
    for day, count in day_counts:
        totals[_bucket_start(day, bucket)] += count
    return [{"date": day.isoformat(), "count": count} for day, count in sorted(totals.items())]


def source_summary(documents: Iterable[Article]) -> list[dict[str, Any]]:
    """Per outlet (documents that name none together under null): documents and the dates they cover."""
    by_source: dict[str, list[Article]] = {}
    for article in documents:
        by_source.setdefault(article.source or "", []).append(article)
    summary = []
    for source, articles in sorted(by_source.items()):
        days = sorted(a.published for a in articles if a.published)
        summary.append({
            "source": source or None,
            "documents": len(articles),
            "first_published": days[0].isoformat() if days else None,
            "last_published": days[-1].isoformat() if days else None,
            "doc_ids": sorted(a.doc_id for a in articles),
        })
    return summary
