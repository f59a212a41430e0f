"""Who claims to hold each settlement, and since when: the raw material of a front-line map.

For every place named in territorial claims, the dated sequence of claims and counter-claims by
claimant, in the order they say things happened, exportable as GeoJSON (one Point per place with
its timeline as a property).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from claimline.model import Event, Location

_LOSS = re.compile(r"\b(?:withdr[ae]w|withdrawn|retreat|pulled out|fell back|lost|abandoned|left the)\b", re.I)
_HOLD = re.compile(r"\b(?:remains? under|still (?:held|holds|controls?)|repelled|held off|not (?:been )?captured)\b",
                   re.I)


@dataclass(frozen=True, slots=True)
class ControlClaim:
    """One dated claim about who holds a place."""

    day: date | None
    claimant: str | None
    holder: str | None
    stance: str  # "captured", "held", "lost", "contested"
    attribution: str
    event_id: str
    doc_id: str
    evidence: str


@dataclass(frozen=True, slots=True)
class PlaceTimeline:
    location: Location
    claims: tuple[ControlClaim, ...]

    def to_feature(self) -> dict[str, Any]:
        loc = self.location
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [loc.lon, loc.lat]},
            "properties": {
                "name": loc.name, "admin1_iso": loc.admin1_iso, "country_code": loc.country_code,
                "gazetteer_id": loc.gazetteer_id,
                "timeline": [
                    {"date": c.day.isoformat() if c.day else None, "claimant": c.claimant, "holder": c.holder,
                     "stance": c.stance, "attribution": c.attribution, "event_id": c.event_id,
                     "doc_id": c.doc_id}
                    for c in self.claims
                ],
                "last_claimed_holder": next((c.holder for c in reversed(self.claims) if c.holder), None),
            },
        }


def _stance(event: Event) -> str:
    if event.attribution == "denied":
        return "held"
    text = event.evidence.text
    if _LOSS.search(text):
        return "lost"
    if event.kind == "clash" or _HOLD.search(text):
        return "held" if _HOLD.search(text) else "contested"
    return "captured"


def _holder(event: Event, stance: str) -> str | None:
    """The side the claim says holds the place afterwards."""
    actor, other = event.actor1, event.actor2
    if stance == "captured":
        return actor
    if stance == "held":
        return other if actor and event.attribution != "denied" else actor or other
    if stance == "lost":
        return other
    return None


def control_timelines(events: Iterable[Event]) -> list[PlaceTimeline]:
    """One timeline per settlement named in territorial claims or ground fighting."""
    by_place: dict[str, tuple[Location, list[ControlClaim]]] = {}
    for event in events:
        location = event.location
        if event.kind not in ("territory", "clash") or location is None or location.lat is None:
            continue
        if location.is_area or (location.feature is None and location.geo_precision in ("admin1", "country")):
            continue
        stance = _stance(event)
        claim = ControlClaim(
            day=event.when.start, claimant=event.claimant, holder=_holder(event, stance), stance=stance,
            attribution=event.attribution, event_id=event.event_id, doc_id=event.doc_id, evidence=event.evidence.text,
        )
        key = location.gazetteer_id or f"{location.name}|{location.admin1_iso}"
        by_place.setdefault(key, (location, []))[1].append(claim)
    timelines = [
        PlaceTimeline(location, tuple(sorted(claims, key=lambda c: (c.day or date.max, c.event_id))))
        for location, claims in by_place.values()
    ]
    return sorted(timelines, key=lambda t: (t.location.admin1_iso or "", t.location.name))


def timelines_geojson(timelines: Iterable[PlaceTimeline]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [t.to_feature() for t in timelines]}
