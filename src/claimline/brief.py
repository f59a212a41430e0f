"""A briefing written from the store: the period's claims grouped by theme, each line cited.

Every line is generated from stored events (one line per claim cluster, so a claim told by several
reports is one line with its corroboration count), and carries a citation for each report that
tells it; numbers come only from the events' quantities. Nothing here reads the article text beyond
the evidence sentence the store keeps. Rendering to Markdown, HTML and PDF is in `brief_render`,
the charts in `charts`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from anyascii import anyascii

from claimline.merge import ClaimCluster, Telling, cluster_claims
from claimline.model import Article, Event, Location


class BriefingStore(Protocol):
    """What a briefing reads from a store (SQLiteStore and MemoryStore both fit)."""

    def events(self, *, date_from: date | None = None, date_to: date | None = None,
               admin1: str | None = None) -> Iterator[Event]: ...

    def documents(self) -> Iterator[Article]: ...


@dataclass(frozen=True, slots=True)
class Theme:
    key: str
    title: str
    kinds: tuple[str, ...]
    group_by: str  # "region", "country" or "none": how the theme's lines are split under sub-headings


THEMES: tuple[Theme, ...] = (
    Theme("territory", "Territory claims", ("territory",), "region"),
    Theme("fighting", "Ground fighting", ("clash",), "region"),
    Theme("strikes", "Strikes and interceptions", ("strike", "interception"), "country"),
    Theme("casualties", "Casualties", ("casualties",), "country"),
    Theme("statements", "Statements and threats", ("statement",), "none"),
    Theme("diplomacy", "Diplomacy", ("diplomacy",), "none"),
    Theme("sanctions_aid", "Sanctions and aid", ("sanctions", "aid"), "none"),
    Theme("policy", "Laws, mobilisation and treaties", ("policy",), "none"),
    Theme("other", "Other reports", ("other",), "none"),
)

# From least to most cautious: a line takes the most cautious attribution among its reports.
CAUTION: tuple[str, ...] = ("asserted", "claimed", "hedged", "unverified", "denied", "disputed")

# The quantities the air-war table adds up, in column order.
AIR_KEYS: tuple[str, ...] = ("drones", "missiles", "drones_intercepted", "missiles_intercepted")
AIR_KINDS: tuple[str, ...] = ("strike", "interception")
UNATTRIBUTED = "unattributed"
UNLOCATED = "Place not stated"

_QUANTITY_LABELS = {
    "drones": "drones launched", "missiles": "missiles launched",
    "drones_intercepted": "drones shot down", "missiles_intercepted": "missiles shot down",
    "aircraft_destroyed": "aircraft destroyed", "helicopters_destroyed": "helicopters destroyed",
    "killed": "killed", "injured": "injured", "area_km2": "km²", "distance_km": "km",
    "amount_eur": "EUR", "amount_usd": "USD",
}
_CURRENCY_KEYS = ("amount_eur", "amount_usd")
_FORCES = {"Military Forces of Russia": "Russian forces", "Military Forces of Ukraine": "Ukrainian forces"}
_STRIKE_NOUNS = {
    "Air/drone strike": "Air or drone strike",
    "Shelling/artillery/missile attack": "Shelling, artillery or missile attack",
    "Remote explosive/landmine/IED": "Explosive attack",
}


@dataclass(frozen=True, slots=True)
class Citation:
    """One report behind a line: where it was published and the sentence the event rests on."""

    event_id: str
    doc_id: str
    source: str
    published: date | None
    claimant: str | None
    attribution: str
    url: str | None
    evidence: str
    start: int
    end: int

    @property
    def label(self) -> str:
        day = self.published.isoformat() if self.published else "undated"
        return f"{self.source}, {day}, {self.claimant or 'no claimant named'}"


@dataclass(frozen=True, slots=True)
class Line:
    """One sentence of the briefing: a claim as the store records it, with its citations."""

    kind: str
    day: date | None
    day_end: date | None
    text: str
    status: str
    status_note: str | None
    corroborations: int
    citations: tuple[Citation, ...]
    quote: Citation | None = None  # the evidence quoted verbatim, for kinds with little structure


@dataclass(frozen=True, slots=True)
class Group:
    title: str | None
    lines: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    groups: tuple[Group, ...]

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for group in self.groups for line in group.lines)


@dataclass(frozen=True, slots=True)
class AirDay:
    """What one claimant says was launched and shot down on one day."""

    day: date
    claimant: str
    numbers: Mapping[str, float]
    event_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RegionWeek:
    """Territorial claims made about one region in one week (weeks start on Monday)."""

    week: date
    region: str
    claims: int


@dataclass(frozen=True, slots=True)
class Briefing:
    date_from: date
    date_to: date
    place: str | None
    events: tuple[Event, ...]
    documents: int
    sources: int
    kind_counts: tuple[tuple[str, int], ...]
    sections: tuple[Section, ...]
    air_days: tuple[AirDay, ...]
    territory_weeks: tuple[RegionWeek, ...]
    citations: tuple[Citation, ...]

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for section in self.sections for line in section.lines)

    @property
    def empty(self) -> bool:
        return not self.events


def briefing_from_store(store: BriefingStore, date_from: date, date_to: date, place: str | None = None) -> Briefing:
    """The briefing for the events dated within [date_from, date_to] (and in region `place`, if given)."""
    events = list(store.events(date_from=date_from, date_to=date_to, admin1=place))
    documents = {doc.doc_id: doc for doc in store.documents()}
    return build_briefing(events, documents, date_from=date_from, date_to=date_to, place=place)


def build_briefing(
    events: Sequence[Event], documents: Mapping[str, Article], *, date_from: date, date_to: date,
    place: str | None = None,
) -> Briefing:
    """Group the events by theme into cited lines, and total what the tables and charts show."""
    published = {doc_id: doc.published for doc_id, doc in documents.items()}
    clusters = cluster_claims(Telling(event, published.get(event.doc_id)) for event in events)
    sections = tuple(s for s in (_section(theme, clusters, published) for theme in THEMES) if s.groups)
    return Briefing(
        date_from=date_from, date_to=date_to, place=place, events=tuple(events),
        documents=len({e.doc_id for e in events}), sources=len({_source(e) for e in events}),
        kind_counts=tuple(kind_counts(events)), sections=sections, air_days=tuple(air_days(events)),
        territory_weeks=tuple(territory_weeks(events)),
        citations=_appendix(sections),
    )


def kind_counts(events: Iterable[Event]) -> list[tuple[str, int]]:
    """Events per kind, most first (ties by name)."""
    counts = Counter(event.kind for event in events)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def air_days(events: Iterable[Event]) -> list[AirDay]:
    """Drones and missiles launched and shot down, per day (the day an attack began) and claimant.

    A number stated in one sentence counts once even when that sentence made several events (one per
    place named); within a report the sentences add up (27 over Belgorod, 9 over Voronezh); when
    several reports give the same claimant's figure for a day, the largest report total is kept,
    since outlets repeating one statement must not add up.
    """
    per_report: dict[tuple[date, str, str, str], dict[tuple[int, int, float], None]] = defaultdict(dict)
    cited: dict[tuple[date, str], list[str]] = defaultdict(list)
    for event in events:
        day = event.when.start
        if event.kind not in AIR_KINDS or day is None:
            continue
        claimant = event.claimant or UNATTRIBUTED
        for key in AIR_KEYS:
            value = event.quantities.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                per_report[(day, claimant, event.doc_id, key)][(event.evidence.start, event.evidence.end, value)] = None
                cited[(day, claimant)].append(event.event_id)
    best: dict[tuple[date, str], dict[str, float]] = defaultdict(dict)
    for (day, claimant, _doc, key), stated in per_report.items():
        total = sum(value for _start, _end, value in stated)
        numbers = best[(day, claimant)]
        numbers[key] = max(numbers.get(key, 0), total)
    return [AirDay(day, claimant, numbers, tuple(dict.fromkeys(cited[(day, claimant)])))
            for (day, claimant), numbers in sorted(best.items())]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def region_label(location: Location | None) -> str:
    """A region as the briefing names it: "Donetsk (UA-14)", or the country where no region is known."""
    if location is None:
        return UNLOCATED
    if location.geo_precision == "country" and not location.admin1:
        return location.name
    if location.admin1 and location.admin1_iso:
        return f"{location.admin1} ({location.admin1_iso})"
    return location.admin1 or location.admin1_iso or location.name


def territory_weeks(events: Iterable[Event]) -> list[RegionWeek]:
    """Territorial claims (events of kind territory) per week, by region of the place claimed."""
    counts = Counter((week_start(e.when.start), region_label(e.location))
                     for e in events if e.kind == "territory" and e.when.start is not None)
    return [RegionWeek(week, region, n) for (week, region), n in sorted(counts.items())]


def kinds_per_day(events: Iterable[Event], date_from: date, date_to: date) -> dict[date, Counter[str]]:
    """Events per kind on each day of the period; an event that began earlier counts on the first day."""
    days = {date_from + timedelta(days=i): Counter[str]() for i in range((date_to - date_from).days + 1)}
    for event in events:
        if event.when.start is None or event.when.start > date_to:
            continue
        days[max(event.when.start, date_from)][event.kind] += 1
    return days


def format_number(value: float) -> str:
    """12, 1,320 or 4.2: integers with thousands separators, other numbers as short as exact."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:g}"


def quantity_phrase(key: str, value: float) -> str:
    """'98 drones shot down', '4.2 km²', 'EUR 1,200,000,000'."""
    label = _QUANTITY_LABELS.get(key, key.replace("_", " "))
    if key in _CURRENCY_KEYS:
        return f"{label} {format_number(value)}"
    return f"{format_number(value)} {label}"


def _source(event: Event) -> str:
    return event.source or event.doc_id


def _section(theme: Theme, clusters: Sequence[ClaimCluster], published: Mapping[str, date | None]) -> Section:
    lines_by_group: dict[str, list[Line]] = defaultdict(list)
    for cluster in clusters:
        if _theme_of(cluster.kind) is theme:
            lines_by_group[_group_title(theme, cluster)].append(_line(cluster, published))
    groups = tuple(
        Group(None if theme.group_by == "none" else title, tuple(sorted(lines, key=_line_order)))
        for title, lines in sorted(lines_by_group.items(), key=lambda kv: (kv[0] == UNLOCATED, kv[0]))
    )
    return Section(theme.key, theme.title, groups)


def _theme_of(kind: str) -> Theme:
    """The theme a kind belongs to; kinds no theme names go under the last, "Other reports"."""
    return next((theme for theme in THEMES if kind in theme.kinds), THEMES[-1])


def _line_order(line: Line) -> tuple[date, str, str]:
    return (line.day or date.max, line.text, line.citations[0].event_id)


def _group_title(theme: Theme, cluster: ClaimCluster) -> str:
    location = cluster.tellings[0].event.location
    if theme.group_by == "region":
        return region_label(location)
    if theme.group_by == "country":
        return _country_label(location)
    return ""


def _country_label(location: Location | None) -> str:
    if location is None or not location.country_code:
        return UNLOCATED
    names = {"UA": "Ukraine", "RU": "Russia"}
    return f"In {names.get(location.country_code, location.country_code)}"


def _line(cluster: ClaimCluster, published: Mapping[str, date | None]) -> Line:
    events = [telling.event for telling in cluster.tellings]
    citations = tuple(_citation(event, published.get(event.doc_id)) for event in events)
    status = _status(cluster)
    return Line(
        kind=cluster.kind, day=cluster.start, day_end=cluster.end if cluster.end != cluster.start else None,
        text=_sentence(cluster), status=status, status_note=_status_note(cluster, status),
        corroborations=cluster.corroborations, citations=citations,
        quote=None if cluster.kind in _HEADLINES else citations[0],
    )


def _citation(event: Event, published: date | None) -> Citation:
    return Citation(
        event_id=event.event_id, doc_id=event.doc_id, source=_source(event), published=published,
        claimant=event.claimant, attribution=event.attribution, url=event.url, evidence=event.evidence.text,
        start=event.evidence.start, end=event.evidence.end,
    )


def _status(cluster: ClaimCluster) -> str:
    if cluster.disputed:
        return "disputed"
    return max((t.event.attribution for t in cluster.tellings), key=_caution)


def _caution(attribution: str) -> int:
    return CAUTION.index(attribution) if attribution in CAUTION else 0


def _status_note(cluster: ClaimCluster, status: str) -> str | None:
    if cluster.contradictions:
        return cluster.contradictions[0].why.replace("_", " ")
    if status in ("hedged", "unverified", "denied"):
        cues = [t.event.attribution_cue for t in cluster.tellings if t.event.attribution == status]
        return next((cue for cue in cues if cue), None)
    return None


def _sentence(cluster: ClaimCluster) -> str:
    """The line's text, from the cluster's kind, place, actors, numbers and claimants only."""
    first = cluster.tellings[0].event
    place = _places_phrase([t.event.location for t in cluster.tellings])
    forces = _FORCES.get(first.actor1 or "")
    headline = _HEADLINES.get(cluster.kind, _headline_other)(first, place, forces)
    numbers = _numbers_phrase(cluster)
    claimants = cluster.claimants
    text = headline + (f": {numbers}" if numbers else "")
    if claimants:
        text += f", according to {_join(claimants)}"
    return text + "."


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _places_phrase(locations: Sequence[Location | None]) -> str | None:
    """'Kubatkin, Malaya Loknya and Martynovka (Kursk)': every place the reports name, with its region."""
    named = [loc for loc in locations if loc is not None]
    if not named:
        return None
    names = sorted({loc.name for loc in named})
    regions = {loc.admin1 for loc in named if loc.admin1 and not loc.is_area}
    region = next(iter(regions)) if len(regions) == 1 else None
    if region and all(_fold(region) != _fold(name) for name in names):
        return f"{_join(names)} ({region})"
    return _join(names)


def _fold(name: str) -> str:
    return anyascii(name).casefold()


def _headline_territory(event: Event, place: str | None, forces: str | None) -> str:
    verb = "retook" if event.acled_sub_event_type == "Government regains territory" else "gained ground at"
    if forces is None:
        return f"Territorial change at {place}" if place else "Territorial change (place not stated)"
    return f"{forces} {verb} {place}" if place else f"{forces} gained ground (place not stated)"


def _headline_clash(event: Event, place: str | None, forces: str | None) -> str:
    return f"Ground fighting near {place}" if place else "Ground fighting (place not stated)"


def _headline_strike(event: Event, place: str | None, forces: str | None) -> str:
    noun = _STRIKE_NOUNS.get(event.acled_sub_event_type or "", "Strike")
    text = f"{noun} on {place}" if place else f"{noun} (place not stated)"
    return text + (f" by {forces}" if forces else "")


def _headline_interception(event: Event, place: str | None, forces: str | None) -> str:
    return f"Air defences in action over {place}" if place else "Air defences in action (place not stated)"


def _headline_casualties(event: Event, place: str | None, forces: str | None) -> str:
    return f"Casualties in {place}" if place else "Casualties reported (place not stated)"


def _headline_other(event: Event, place: str | None, forces: str | None) -> str:
    noun = {"statement": "Statement", "diplomacy": "Talks, visits or exchanges", "sanctions": "Sanctions",
            "aid": "Aid", "policy": "Law, decree or treaty"}.get(event.kind, "Report")
    return noun + (f" in {place}" if place else "")


# Kinds whose record says what happened; the others (statements, talks, aid, laws…) hold little beyond
# who and when, so their line quotes the evidence sentence.
_HEADLINES = {
    "territory": _headline_territory, "clash": _headline_clash, "strike": _headline_strike,
    "interception": _headline_interception, "casualties": _headline_casualties,
}


def _numbers_phrase(cluster: ClaimCluster) -> str:
    """The numbers reported; split by claimant when the claimants' reports do not agree."""
    by_claimant: dict[str, list[Event]] = defaultdict(list)
    for telling in cluster.tellings:
        by_claimant[telling.event.claimant or UNATTRIBUTED].append(telling.event)
    spreads = {claimant: _spread(events) for claimant, events in by_claimant.items()}
    stated = {claimant: spread for claimant, spread in spreads.items() if spread}
    if len(set(map(_frozen, stated.values()))) <= 1:
        return _spread_phrase(next(iter(stated.values()), {}))
    return "; ".join(f"{_spread_phrase(spread)} ({claimant})" for claimant, spread in sorted(stated.items()))


def _spread(events: Sequence[Event]) -> dict[str, tuple[float, float]]:
    spread: dict[str, tuple[float, float]] = {}
    for event in events:
        for key, value in event.quantities.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                low, high = spread.get(key, (value, value))
                spread[key] = (min(low, value), max(high, value))
    return spread


def _frozen(spread: Mapping[str, tuple[float, float]]) -> tuple[tuple[str, tuple[float, float]], ...]:
    return tuple(sorted(spread.items()))


def _spread_phrase(spread: Mapping[str, tuple[float, float]]) -> str:
    parts = []
    for key, (low, high) in sorted(spread.items(), key=lambda kv: _key_order(kv[0])):
        if low == high:
            parts.append(quantity_phrase(key, low))
        else:
            parts.append(quantity_phrase(key, low).replace(format_number(low), f"{format_number(low)}–"
                                                           f"{format_number(high)}", 1))
    return ", ".join(parts)


def _key_order(key: str) -> tuple[int, str]:
    order = list(_QUANTITY_LABELS)
    return (order.index(key) if key in order else len(order), key)


def _appendix(sections: Sequence[Section]) -> tuple[Citation, ...]:
    """Every cited report once, by document and position in it."""
    cited = {c.event_id: c for section in sections for line in section.lines for c in line.citations}
    return tuple(sorted(cited.values(), key=lambda c: (c.doc_id, c.start, c.event_id)))
