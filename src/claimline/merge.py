"""The same claim across reports: clusters with their sources, and the contradictions between them.

Two events tell the same claim when they are of the same kind, at the same place (or both without
one), on compatible dates, and their numbers, if both give any, do not say different things about
the same key beyond a small tolerance. A cluster keeps every telling, the first report, how many
distinct sources corroborate it and the spread of the numbers reported. Clusters that contradict
each other — a capture and a denial at the same place, the same attack with different counts —
are linked, and both are marked disputed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from itertools import combinations

from claimline.model import Event

# Dates at most this far apart can describe the same fact (reports round "overnight" differently);
# a place changes hands rarely, so a capture confirmed a week or two later is the same capture.
_DATE_SLACK = timedelta(days=1)
_TERRITORY_SLACK = timedelta(days=14)
_DENIAL_WORDS = re.compile(
    r"\b(?:denied|denies|rejected (?:the |these )?(?:[\w-]+ )?claims?|false|fake|remains? under (?:\w+ )?control"
    r"|still (?:held|holds|holding|controls?)|not (?:been )?"
    r"captured|no evidence|did not (?:confirm|capture)|were not confirmed)\b",
    re.I)
# "all 31 drones were destroyed": nothing got through, which a strike claimed that night denies.
_ALL_SHOT_DOWN = re.compile(
    r"\ball (?:of )?(?:the )?(?:[\d,]+ )?(?:[\w-]+ ){0,2}(?:drones|uavs|missiles|targets)\b[^.;]{0,60}?"
    r"\b(?:were |had been |have been )?(?:shot down|destroyed|intercepted|downed)\b"
    r"|\b(?:intercepted|destroyed|shot down|downed)\b(?: and \w+)? all (?:of )?(?:the )?(?:[\d,]+ )?"
    r"(?:[\w-]+ ){0,2}(?:drones|uavs|missiles)\b",
    re.I)
# The toll of a strike is the same claim as the strike: the record carries it as the strike's numbers.
_KIND_FAMILY = {"casualties": "strike"}
# Numbers for the same key further apart than this share are a dispute (0: any difference is one).
_NUMBER_TOLERANCE = 0.0
_DENIAL_WINDOW = timedelta(days=10)


@dataclass(frozen=True, slots=True)
class Telling:
    """One report of a claim: the event and the document's publication date."""

    event: Event
    published: date | None


@dataclass(frozen=True, slots=True)
class Contradiction:
    other: str
    why: str


@dataclass(frozen=True, slots=True)
class ClaimCluster:
    """One claim as told by every report that tells it."""

    cluster_id: str
    kind: str
    place: str | None
    admin1_iso: str | None
    start: date | None
    end: date | None
    tellings: tuple[Telling, ...]
    contradictions: tuple[Contradiction, ...] = field(default_factory=tuple)

    @property
    def sources(self) -> tuple[str, ...]:
        """Distinct documents (or outlets, where known) that tell the claim."""
        return tuple(sorted({t.event.source or t.event.doc_id for t in self.tellings}))

    @property
    def corroborations(self) -> int:
        return len(self.sources)

    @property
    def claimants(self) -> tuple[str, ...]:
        return tuple(sorted({t.event.claimant for t in self.tellings if t.event.claimant}))

    @property
    def first_report(self) -> Telling:
        return min(self.tellings, key=lambda t: (t.published or date.max, t.event.doc_id))

    @property
    def disputed(self) -> bool:
        return bool(self.contradictions)

    def number_spread(self) -> dict[str, tuple[float, float]]:
        """For every number reported, the smallest and largest value across tellings."""
        spread: dict[str, tuple[float, float]] = {}
        for telling in self.tellings:
            for key, value in telling.event.quantities.items():
                if not isinstance(value, (int, float)):
                    continue
                low, high = spread.get(key, (value, value))
                spread[key] = (min(low, value), max(high, value))
        return spread

    def to_record(self) -> dict[str, object]:
        first = self.first_report
        return {
            "cluster_id": self.cluster_id,
            "kind": self.kind,
            "place": self.place,
            "admin1_iso": self.admin1_iso,
            "date": self.start.isoformat() if self.start else None,
            "date_end": self.end.isoformat() if self.end else None,
            "corroborations": self.corroborations,
            "sources": list(self.sources),
            "claimants": list(self.claimants),
            "first_report": {"doc_id": first.event.doc_id,
                             "published": first.published.isoformat() if first.published else None},
            "event_ids": [t.event.event_id for t in self.tellings],
            "numbers": {k: list(v) for k, v in self.number_spread().items()},
            "disputed": self.disputed,
            "contradictions": [{"cluster_id": c.other, "why": c.why} for c in self.contradictions],
        }


def _place_key(event: Event) -> str | None:
    location = event.location
    if location is None or (location.geo_precision == "country" and location.feature in ("country", None)):
        return None
    return location.gazetteer_id or f"{location.name}|{location.admin1_iso}"


def _same_place(a: Event, b: Event) -> bool:
    """One place: the same gazetteer entry, or the same name in the same region (a report that does
    not say which of a region's several Novoselivkas it means is read as the one the others name)."""
    key_a, key_b = _place_key(a), _place_key(b)
    if key_a == key_b:
        return True
    if key_a is None or key_b is None or a.location is None or b.location is None:
        return False
    return (a.location.name.casefold() == b.location.name.casefold() and a.location.admin1_iso is not None
            and a.location.admin1_iso == b.location.admin1_iso)


def _dates_meet(a: Event, b: Event) -> bool:
    if a.when.start is None or b.when.start is None:
        return True
    slack = _TERRITORY_SLACK if a.kind == "territory" else _DATE_SLACK
    a_end = a.when.end or a.when.start
    b_end = b.when.end or b.when.start
    return a.when.start - slack <= b_end and b.when.start - slack <= a_end


def _numbers_differ(a: Mapping[str, object], b: Mapping[str, object]) -> list[str]:
    """Keys both report with values further apart than the tolerance."""
    differing = []
    for key in set(a) & set(b):
        x, y = a[key], b[key]
        if not (isinstance(x, (int, float)) and isinstance(y, (int, float))):
            continue
        if abs(x - y) > _NUMBER_TOLERANCE * max(abs(x), abs(y)):
            differing.append(key)
    return sorted(differing)


def _is_denial(event: Event) -> bool:
    return event.attribution == "denied" or _denies(event.evidence.text)


@lru_cache(maxsize=65536)
def _denies(text: str) -> bool:
    return bool(_DENIAL_WORDS.search(text))


def _family(kind: str) -> str:
    return _KIND_FAMILY.get(kind, kind)


def same_claim(a: Event, b: Event) -> bool:
    """Whether two events tell the same claim (numbers aside: a different count is a dispute)."""
    if _family(a.kind) != _family(b.kind) or _is_denial(a) != _is_denial(b):
        return False
    return _same_place(a, b) and _dates_meet(a, b)


def _cluster_id(kind: str, place: str | None, first: Event) -> str:
    key = f"{kind}|{place or ''}|{first.when.start or ''}|{first.event_id}"
    return "c" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:15]


def cluster_claims(tellings: Iterable[Telling]) -> list[ClaimCluster]:
    """Group tellings of the same claim, then link contradicting clusters."""
    ordered = sorted(tellings, key=lambda t: (t.published or date.max, t.event.doc_id, t.event.evidence.start))
    placed = _group([t for t in ordered if _place_key(t.event) is not None])
    index = _PlacedIndex(placed)
    unplaced: list[Telling] = []
    for telling in (t for t in ordered if _place_key(t.event) is None):
        home = _placed_home(telling, index)
        if home is None:
            unplaced.append(telling)
        else:
            home.append(telling)
    clusters = [_cluster(group) for group in placed + _group(unplaced)]
    return _link_contradictions(clusters)


class _PlacedIndex:
    """Placed groups by kind family and by the day of their first telling, so that a telling with
    no place is compared only with the claims of nearby days."""

    def __init__(self, groups: list[list[Telling]]) -> None:
        self._by_day: dict[tuple[str, date | None], list[list[Telling]]] = {}
        self._by_family: dict[str, list[list[Telling]]] = {}
        self._by_doc: dict[str, list[list[Telling]]] = {}
        for group in groups:
            first = group[0].event
            self._by_day.setdefault((_family(first.kind), first.when.start), []).append(group)
            self._by_family.setdefault(_family(first.kind), []).append(group)
            for doc_id in {t.event.doc_id for t in group}:
                self._by_doc.setdefault(doc_id, []).append(group)

    def of_report(self, doc_id: str) -> list[list[Telling]]:
        return self._by_doc.get(doc_id, [])

    def near(self, event: Event) -> list[list[Telling]]:
        family = _family(event.kind)
        days = _days_that_meet(family, event.when.start)
        if days is None:
            return self._by_family.get(family, [])
        return [group for day in days for group in self._by_day.get((family, day), [])]


def _group(tellings: Iterable[Telling]) -> list[list[Telling]]:
    """Tellings of the same claim together. A telling is compared only with the groups that can
    hold it: those at its place (by gazetteer entry or by name in its region), or, without a place,
    those of its kind family from nearby days."""
    groups: list[list[Telling]] = []
    order: dict[int, int] = {}
    shelves: dict[tuple[object, ...], list[list[Telling]]] = {}
    for telling in tellings:
        keys = _shelf_keys(telling.event)
        candidates = {id(g): g for key in _lookup_keys(keys) for g in shelves.get(key, [])}
        home = next((g for g in sorted(candidates.values(), key=lambda g: order[id(g)])
                     if all(same_claim(telling.event, other.event) for other in g)), None)
        if home is None:
            home = [telling]
            order[id(home)] = len(groups)
            groups.append(home)
        else:
            home.append(telling)
        for key in keys:
            shelf = shelves.setdefault(key, [])
            if not any(g is home for g in shelf):
                shelf.append(home)
    return groups


def _days_that_meet(family: str, day: date | None) -> list[date | None] | None:
    """The first-telling days of the groups a telling of this day can join: the days either side
    within which a group's tellings fall, and the undated; None for an undated telling, which meets
    every day."""
    if day is None:
        return None
    window = 2 * (_TERRITORY_SLACK if family == "territory" else _DATE_SLACK).days + 2
    return [day + timedelta(days=k) for k in range(-window, window + 1)] + [None]


def _shelf_keys(event: Event) -> list[tuple[object, ...]]:
    """Where a telling is filed: its gazetteer entry and its name in its region, or, with no
    place, its kind family and day."""
    family, location = _family(event.kind), event.location
    if _place_key(event) is None or location is None:
        return [(family, "day", event.when.start), (family, "every day")]
    keys: list[tuple[object, ...]] = [(family, "key", _place_key(event))]
    if location.admin1_iso:
        keys.append((family, "name", location.name.casefold(), location.admin1_iso))
    return keys


def _lookup_keys(keys: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """The shelves that can hold a telling's claim: its own place, or, for a telling with no place,
    the days its date can meet and the undated (an undated telling meets every day)."""
    family, kind_of_key, day = keys[0][0], keys[0][1], keys[0][-1]
    if kind_of_key != "day":
        return keys
    days = _days_that_meet(str(family), day if isinstance(day, date) else None)
    if days is None:
        return [(family, "every day")]
    return [(family, "day", d) for d in days]


# Counts of what was launched describe a whole wave of strikes, not the one place a report names.
_WAVE_KEYS = frozenset({"drones", "missiles", "bombs", "aircraft", "airstrikes"})


def _placed_home(telling: Telling, index: _PlacedIndex) -> list[Telling] | None:
    """The placed claim a telling that names no place belongs to: the one its own report places
    (a toll told a sentence after the strike), else the only one it fits. A country-wide figure,
    or the count of a whole wave, stays apart."""
    event = telling.event
    if event.location is not None or _WAVE_KEYS & set(event.quantities):
        return None
    own_report = [g for g in index.of_report(event.doc_id) if _fits_group(event, g)]
    if own_report:
        return own_report[0] if len(own_report) == 1 else None
    fits: list[list[Telling]] = []
    for group in index.near(event):
        if _fits_group(event, group):
            fits.append(group)
            if len(fits) > 1:
                return None
    return fits[0] if fits else None


def _fits_group(event: Event, group: list[Telling]) -> bool:
    return all(_unplaced_fits(event, other.event) for other in group)


def _unplaced_fits(unplaced: Event, placed: Event) -> bool:
    return (_family(unplaced.kind) == _family(placed.kind) and _is_denial(unplaced) == _is_denial(placed)
            and _dates_meet(unplaced, placed))


def _cluster(group: Sequence[Telling]) -> ClaimCluster:
    first = next((t.event for t in group if t.event.kind == _family(t.event.kind)), group[0].event)
    starts = [t.event.when.start for t in group if t.event.when.start]
    ends = [t.event.when.end or t.event.when.start for t in group if t.event.when.start]
    location = first.location
    return ClaimCluster(
        cluster_id=_cluster_id(first.kind, _place_key(first), first),
        kind=_family(first.kind),
        place=location.name if location else None,
        admin1_iso=location.admin1_iso if location else None,
        start=min(starts) if starts else None,
        end=max(e for e in ends if e) if ends else None,
        tellings=tuple(group),
    )


def _link_contradictions(clusters: list[ClaimCluster]) -> list[ClaimCluster]:
    links: dict[str, list[Contradiction]] = {c.cluster_id: [] for c in clusters}
    for a, b in _candidate_pairs(clusters):
        why = _contradiction(a, b)
        if why:
            links[a.cluster_id].append(Contradiction(b.cluster_id, why))
            links[b.cluster_id].append(Contradiction(a.cluster_id, why))
    for cluster in clusters:
        differing = _internal_number_dispute(cluster)
        if differing:
            links[cluster.cluster_id].append(
                Contradiction(cluster.cluster_id, f"sources give different {', '.join(differing)}"))
    return [_with_links(c, links[c.cluster_id]) for c in clusters]


def _candidate_pairs(clusters: list[ClaimCluster]) -> Iterator[tuple[ClaimCluster, ClaimCluster]]:
    """The pairs that can contradict: the same kind in the same region, and strikes with the
    interceptions of the day before, the day itself and the day after."""
    by_place: dict[tuple[object, ...], list[ClaimCluster]] = {}
    interceptions: dict[date | None, list[ClaimCluster]] = {}
    for cluster in clusters:
        first = cluster.tellings[0].event
        if _place_key(first) is not None:
            for key in _shelf_keys(first):
                by_place.setdefault((cluster.kind, *key), []).append(cluster)
        if cluster.kind == "interception":
            interceptions.setdefault(cluster.start, []).append(cluster)
    seen: set[tuple[str, str]] = set()
    for group in by_place.values():
        for a, b in combinations(group, 2):
            if (a.cluster_id, b.cluster_id) not in seen:
                seen.add((a.cluster_id, b.cluster_id))
                yield a, b
    for strike in (c for c in clusters if c.kind == "strike"):
        days = [None] if strike.start is None else [strike.start + timedelta(days=k) for k in (-1, 0, 1)]
        nearby = [c for day in days for c in interceptions.get(day, [])]
        if strike.start is not None:
            nearby.extend(interceptions.get(None, []))
        else:
            nearby = [c for group in interceptions.values() for c in group]
        yield from ((strike, interception) for interception in nearby)


def _with_links(cluster: ClaimCluster, found: list[Contradiction]) -> ClaimCluster:
    return ClaimCluster(
        cluster.cluster_id, cluster.kind, cluster.place, cluster.admin1_iso, cluster.start, cluster.end,
        cluster.tellings, tuple(found),
    )


def _internal_number_dispute(cluster: ClaimCluster) -> list[str]:
    differing: set[str] = set()
    tellings = cluster.tellings
    for i, a in enumerate(tellings):
        for b in tellings[i + 1:]:
            differing.update(_numbers_differ(a.event.quantities, b.event.quantities))
    return sorted(differing)


def _near(a: ClaimCluster, b: ClaimCluster, window: timedelta) -> bool:
    if a.start is None or b.start is None:
        return True
    return abs(a.start - b.start) <= window


def _contradiction(a: ClaimCluster, b: ClaimCluster) -> str | None:
    """Why two clusters contradict each other, or None."""
    if {a.kind, b.kind} == {"strike", "interception"}:
        strike, interception = (a, b) if a.kind == "strike" else (b, a)
        return _all_shot_down_against(strike, interception)
    first_a, first_b = a.tellings[0].event, b.tellings[0].event
    if a.kind != b.kind or _place_key(first_a) is None or not _same_place(first_a, first_b):
        return None
    a_denied = any(_is_denial(t.event) for t in a.tellings)
    b_denied = any(_is_denial(t.event) for t in b.tellings)
    if a_denied != b_denied and _near(a, b, _DENIAL_WINDOW):
        return "one side denies what the other claims"
    return None


def _all_shot_down_against(strike: ClaimCluster, interception: ClaimCluster) -> str | None:
    """'All the drones were shot down' over the region a strike hit that night denies the strike."""
    if not _near(strike, interception, _DATE_SLACK):
        return None
    names = {word for t in strike.tellings if t.event.location
             for name in (t.event.location.name, t.event.location.admin1) if name
             for word in name.split()[:1] if len(word) >= 4}
    for telling in interception.tellings:
        text = telling.event.evidence.text
        same_region = bool(strike.admin1_iso) and any(
            t.event.location is not None and t.event.location.admin1_iso == strike.admin1_iso
            for t in interception.tellings)
        if _ALL_SHOT_DOWN.search(text) and (same_region or any(re.search(rf"\b{re.escape(n)}\b", text)
                                                               for n in names)):
            return "one side says every drone was shot down where the other claims a hit"
    return None


def events_with_disputes(clusters: Sequence[ClaimCluster]) -> list[Event]:
    """Every telling's event, marked disputed where its cluster is contradicted."""
    out = []
    for cluster in clusters:
        for telling in cluster.tellings:
            event = telling.event
            if cluster.disputed and event.attribution not in ("denied",):
                event = replace(event, attribution="disputed", attribution_cue=cluster.contradictions[0].why)
            out.append(event)
    return out
