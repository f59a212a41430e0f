"""ISO 3166-2 subdivisions, and the mapping from GeoNames admin1 codes to them.

No installed package ships the GeoNames admin1 table, so the mapping is derived when the
gazetteer is built: each (country, admin1 code) group of GeoNames places is matched to the
subdivision that carries the name of its largest places and whose centroid is nearest most of
them, one subdivision per group.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from claimline.geocode.names import name_key, news_variants

# Type words that ISO names carry and English news drops ("Donetska oblast", "Adygeja, Respublika").
_TYPE_WORDS = re.compile(
    r"\b(oblast'?|oblast|kraj|krai|respublika|republic|autonomous|avtonomnyj|okrug|region|province|"
    r"county|governorate|district|department|prefecture|state|municipality|city|voivodship)\b",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"\[.*?\]|\(.*?\)")
_ENGLISH_OTHER = re.compile(r"([^,]+?)\s*\(eng\)")

# Names for the territories Russia declared "republics" or annexed, which ISO does not list.
OCCUPATION_NAMES: Mapping[str, tuple[str, ...]] = {
    "UA-09": ("Luhansk People's Republic", "LPR", "LNR", "Lugansk People's Republic"),
    "UA-14": ("Donetsk People's Republic", "DPR", "DNR"),
    "UA-43": ("Crimea", "Republic of Crimea", "Crimean Peninsula", "Krym"),
    "UA-40": ("Sevastopol",),
}


@dataclass(frozen=True, slots=True)
class Subdivision:
    """One ISO 3166-2 subdivision with the names it is known by."""

    code: str
    country_code: str
    name: str
    parent: str | None
    lat: float | None
    lon: float | None
    names: tuple[str, ...]

    @property
    def english_name(self) -> str:
        """The short English name news uses ("Donetsk" rather than "Donetska oblast")."""
        return self.names[0]


def load_subdivisions() -> dict[str, Subdivision]:
    """Every ISO 3166-2 subdivision from the iso3166-2 package, keyed by code."""
    raw = json.loads(resources.files("iso3166_2").joinpath("iso3166-2.json").read_text("utf-8"))
    found: dict[str, Subdivision] = {}
    for country, subdivisions in raw.items():
        for code, entry in subdivisions.items():
            found[code] = _subdivision(country, code, entry)
    return found


def _subdivision(country: str, code: str, entry: Mapping[str, Any]) -> Subdivision:
    official = _BRACKETED.sub("", str(entry.get("name") or "")).strip()
    english = [m.strip(" '\"") for m in _ENGLISH_OTHER.findall(str(entry.get("localOtherName") or ""))]
    english = [e for e in english if e and len(e) < 40]
    bare = _TYPE_WORDS.sub("", official).replace(",", " ").strip(" -'")
    bare = re.sub(r"\s+", " ", bare)
    names = _unique([*english[:1], bare, official, *english[1:], *OCCUPATION_NAMES.get(code, ())])
    lat_lng = entry.get("latLng") or [None, None]
    lat, lon = [*lat_lng, None, None][:2]
    return Subdivision(
        code=code, country_code=country, name=official, parent=entry.get("parentCode"),
        lat=float(lat) if lat is not None else None, lon=float(lon) if lon is not None else None,
        names=tuple(names),
    )


def _unique(names: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for name in names:
        key = name_key(name)
        if key and key not in seen:
            seen.add(key)
            kept.append(name)
    return kept


def subdivision_keys(sub: Subdivision) -> set[str]:
    """Lookup keys of a subdivision's names, with the Ukrainian news spellings for Ukraine."""
    keys = {name_key(n) for n in sub.names}
    if sub.country_code == "UA":
        keys |= {v for n in sub.names for v in news_variants(n)}
    return {k for k in keys if k}


_SAMPLE = 300  # the largest places of a group are enough to place it


@dataclass(frozen=True, slots=True)
class GroupedPlace:
    """The few facts about a GeoNames place that the admin1 mapping needs."""

    country_code: str
    admin1_code: str
    keys: frozenset[str]
    lat: float
    lon: float
    population: int


def map_geonames_admin1(
    places: Iterable[GroupedPlace], subdivisions: Mapping[str, Subdivision]
) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) → ISO 3166-2 code, for every country."""
    groups: dict[tuple[str, str], list[GroupedPlace]] = defaultdict(list)
    for place in places:
        if place.admin1_code and place.admin1_code != "00":
            groups[(place.country_code, place.admin1_code)].append(place)
    by_country: dict[str, list[Subdivision]] = defaultdict(list)
    for sub in subdivisions.values():
        by_country[sub.country_code].append(sub)
    mapping: dict[tuple[str, str], str] = {}
    for country in {c for c, _ in groups}:
        candidates = _top_level(by_country.get(country, []))
        country_groups = {code: members for (c, code), members in groups.items() if c == country}
        mapping.update({(country, code): iso for code, iso in _assign(country_groups, candidates).items()})
    return mapping


def _top_level(subdivisions: Sequence[Subdivision]) -> list[Subdivision]:
    top = [s for s in subdivisions if s.parent is None and s.lat is not None]
    return top or [s for s in subdivisions if s.lat is not None]


def _assign(groups: Mapping[str, list[GroupedPlace]], candidates: Sequence[Subdivision]) -> dict[str, str]:
    """Greedy one-to-one assignment of groups to subdivisions by name and centroid evidence."""
    if not candidates:
        return {}
    scored: list[tuple[float, str, str]] = []
    for code, members in groups.items():
        for sub, score in _group_scores(members, candidates).items():
            scored.append((score, code, sub))
    scored.sort(reverse=True)
    assigned: dict[str, str] = {}
    used: set[str] = set()
    for score, code, sub in scored:
        if score <= 0 or code in assigned or sub in used:
            continue
        assigned[code] = sub
        used.add(sub)
    for code, members in groups.items():
        if code not in assigned:
            # more GeoNames groups than ISO subdivisions: fall back to the nearest centroid
            best = max(_group_scores(members, candidates).items(), key=lambda kv: kv[1], default=None)
            if best is not None:
                assigned[code] = best[0]
    return assigned


def _group_scores(members: Sequence[GroupedPlace], candidates: Sequence[Subdivision]) -> dict[str, float]:
    scores: dict[str, float] = defaultdict(float)
    weight_total = 0.0
    sample = sorted(members, key=lambda p: -p.population)[:_SAMPLE]
    for place in sample:
        weight = math.log10(place.population + 10)
        weight_total += weight
        nearest = min(candidates, key=lambda s: _squared_distance(place, s))
        scores[nearest.code] += weight
    for code in scores:
        scores[code] /= weight_total or 1.0
    largest = sorted(members, key=lambda p: -p.population)[:3]
    for sub in candidates:
        keys = subdivision_keys(sub)
        for rank, place in enumerate(largest):
            if place.keys & keys:
                scores[sub.code] += 1.0 / (rank + 1)
                break
    return scores


def _squared_distance(place: GroupedPlace, sub: Subdivision) -> float:
    assert sub.lat is not None and sub.lon is not None
    dlon = (place.lon - sub.lon) * math.cos(math.radians(place.lat))
    return (place.lat - sub.lat) ** 2 + dlon**2
