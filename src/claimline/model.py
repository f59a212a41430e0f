"""Immutable records that flow through the pipeline: Article → Sentence → mentions → Event.

Every record carries character offsets into the article text *as read* (UTF-8 decoded, before any
cleaning), so evidence can always be shown in place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, Literal

Kind = Literal[
    "territory", "clash", "strike", "interception", "casualties", "statement",
    "diplomacy", "sanctions", "aid", "policy", "other",
]
KINDS: tuple[str, ...] = (
    "territory", "clash", "strike", "interception", "casualties", "statement",
    "diplomacy", "sanctions", "aid", "policy", "other",
)
Attribution = Literal["asserted", "claimed", "hedged", "unverified", "disputed", "denied"]
ATTRIBUTIONS: tuple[str, ...] = ("asserted", "claimed", "hedged", "unverified", "disputed", "denied")
Precision = Literal["day", "week", "month", "year"]
GeoPrecision = Literal["point", "admin2", "admin1", "country"]


@dataclass(frozen=True, slots=True)
class Article:
    """One document as read, with its metadata and where its publication date came from."""

    doc_id: str
    text: str
    published: date | None = None
    published_reason: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    path: str | None = None

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (or headline, or list item) with offsets into the article text."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0
    furniture: bool = False
    voice: str | None = None  # who speaks when the sentence sits inside an embedded social-media post


@dataclass(frozen=True, slots=True)
class Location:
    """A place resolved to the gazetteer, with the reason for the choice."""

    name: str
    country_code: str | None
    geo_precision: GeoPrecision
    admin1: str | None = None
    admin1_iso: str | None = None
    admin2: str | None = None
    lat: float | None = None
    lon: float | None = None
    gazetteer_id: str | None = None
    reason: str = ""
    feature: str | None = None  # country, admin1, admin2, settlement, facility; "unlisted" when only its area is known

    @property
    def is_area(self) -> bool:
        """A country or region in its own right, not a place merely located at that level."""
        return self.feature in ("country", "admin1", "admin2")

    def to_record(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country_code": self.country_code,
            "admin1": self.admin1,
            "admin1_iso": self.admin1_iso,
            "admin2": self.admin2,
            "lat": self.lat,
            "lon": self.lon,
            "geo_precision": self.geo_precision,
            "gazetteer_id": self.gazetteer_id,
            "feature": self.feature,
            "reason": self.reason,
        }

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> Location:
        return cls(
            name=rec["name"], country_code=rec.get("country_code"),
            geo_precision=rec["geo_precision"], admin1=rec.get("admin1"),
            admin1_iso=rec.get("admin1_iso"), admin2=rec.get("admin2"), lat=rec.get("lat"),
            lon=rec.get("lon"), gazetteer_id=rec.get("gazetteer_id"), reason=rec.get("reason", ""),
            feature=rec.get("feature"),
        )


@dataclass(frozen=True, slots=True)
class When:
    """A resolved date or span; `start is None` means the date is unknown."""

    start: date | None = None
    end: date | None = None
    precision: Precision | None = None
    text: str | None = None
    reason: str = ""

    @property
    def known(self) -> bool:
        return self.start is not None


UNKNOWN_WHEN = When(reason="no date expression and no usable anchor")


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression found in the text, already resolved against its anchors."""

    start: int
    end: int
    text: str
    when: When


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place name found in the text and the place it was resolved to (if any)."""

    start: int
    end: int
    text: str
    location: Location | None


@dataclass(frozen=True, slots=True)
class Evidence:
    text: str
    start: int
    end: int


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True, slots=True)
class Event:
    """One claimed fact: who claims what happened, where and when, and the sentence it rests on."""

    doc_id: str
    kind: str
    evidence: Evidence
    when: When = UNKNOWN_WHEN
    location: Location | None = None
    actor1: str | None = None
    actor2: str | None = None
    claimant: str | None = None
    attribution: str = "asserted"
    attribution_cue: str | None = None
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    quantities: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    fatalities: int | None = None
    historical: bool = False
    source: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "quantities", _frozen_mapping(self.quantities))

    @property
    def event_id(self) -> str:
        """Stable id: the same document, kind, evidence span and place always give the same id."""
        place = self.location.name if self.location else ""
        day = self.when.start.isoformat() if self.when.start else ""
        key = f"{self.doc_id}|{self.kind}|{self.evidence.start}|{self.evidence.end}|{place}|{day}"
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    def to_record(self) -> dict[str, Any]:
        """The event as one JSON object of the record contract."""
        return {
            "event_id": self.event_id,
            "doc_id": self.doc_id,
            "kind": self.kind,
            "acled_event_type": self.acled_event_type,
            "acled_sub_event_type": self.acled_sub_event_type,
            "date": self.when.start.isoformat() if self.when.start else None,
            "date_end": self.when.end.isoformat() if self.when.end else None,
            "time_precision": self.when.precision,
            "date_text": self.when.text,
            "date_reason": self.when.reason,
            "actor1": self.actor1,
            "actor2": self.actor2,
            "claimant": self.claimant,
            "attribution": self.attribution,
            "attribution_cue": self.attribution_cue,
            "historical": self.historical,
            "location": self.location.to_record() if self.location else None,
            "quantities": dict(self.quantities),
            "fatalities": self.fatalities,
            "evidence": {"text": self.evidence.text, "start": self.evidence.start, "end": self.evidence.end},
            "source": self.source,
            "url": self.url,
        }

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> Event:
        """Rebuild an event from `to_record()` output (as stored or exported)."""
        ev = rec["evidence"]
        when = When(
            start=date.fromisoformat(rec["date"]) if rec.get("date") else None,
            end=date.fromisoformat(rec["date_end"]) if rec.get("date_end") else None,
            precision=rec.get("time_precision"), text=rec.get("date_text"),
            reason=rec.get("date_reason") or "",
        )
        loc = rec.get("location")
        return cls(
            doc_id=rec["doc_id"], kind=rec["kind"],
            evidence=Evidence(ev["text"], int(ev["start"]), int(ev["end"])), when=when,
            location=Location.from_record(loc) if loc else None,
            actor1=rec.get("actor1"), actor2=rec.get("actor2"), claimant=rec.get("claimant"),
            attribution=rec.get("attribution") or "asserted", attribution_cue=rec.get("attribution_cue"),
            acled_event_type=rec.get("acled_event_type"),
            acled_sub_event_type=rec.get("acled_sub_event_type"),
            quantities=rec.get("quantities") or {}, fatalities=rec.get("fatalities"),
            historical=bool(rec.get("historical")), source=rec.get("source"), url=rec.get("url"),
        )
