"""Place mentions as flat records, one per mention (what `claimline places` prints)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from claimline.model import Article, PlaceMention


def place_records(article: Article, mentions: Sequence[PlaceMention]) -> list[dict[str, Any]]:
    """One dict per mention: where it is in the text and the place it was resolved to."""
    records = []
    for mention in mentions:
        location = mention.location
        records.append({
            "doc_id": article.doc_id,
            "start": mention.start,
            "end": mention.end,
            "text": mention.text,
            "name": location.name if location else None,
            "lat": location.lat if location else None,
            "lon": location.lon if location else None,
            "country_code": location.country_code if location else None,
            "admin1_iso": location.admin1_iso if location else None,
            "geo_precision": location.geo_precision if location else None,
            "gazetteer_id": location.gazetteer_id if location else None,
            "reason": location.reason if location else "not resolved to a gazetteer entry",
        })
    return records
