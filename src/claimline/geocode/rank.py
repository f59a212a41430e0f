"""Choosing one gazetteer entry per name, from the sentence and the document around it, with a
reason for every choice."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from claimline.geocode.gazetteer import NameMatch, Place, km_between
from claimline.geocode.mentions import NameSpan
from claimline.geocode.names import name_key

# A list of names: "A, B, C and D".
_LIST_GAP = re.compile(r"^\s*(?:,\s*(?:and|or)?|and|or|&)\s*$", re.IGNORECASE)
# What joins a list (or one name) to the region after it: "… and D in Donetsk",
# "… settlements of the Donetsk Region", "… in the Sumy region".
_REGION_GAP = re.compile(
    r"^\s*(?:(?:villages?|settlements?|towns?|cities|areas?|localities)\s+)?(?:in|of|near)\s+(?:the\s+)?$",
    re.IGNORECASE,
)

# Weights of the evidence, in the units of the score.
_LIST_REGION = 6.0
_SENTENCE_REGION = 3.0
_DOCUMENT_REGION = 1.5
_FOCUS_COUNTRY = 2.0
_SAME_HROMADA = 3.0
_SAME_RAION = 2.0
_NEAR_KM = ((30.0, 1.5), (100.0, 0.75))
_FARTHEST_NEAR = max(limit for limit, _ in _NEAR_KM)
_KM_PER_DEGREE = 6371.0 * math.pi / 180
# the register still uses the name, so it counts as more than an alternate name
_HROMADA_BEARS_NAME = 1.2
_KIND_PRIOR = {"continent": 3.0, "country": 3.2, "admin1": 2.0, "admin2": 0.8, "facility": 0.5}
_FACILITY_OF_NAME = 4.0
# Candidates scored per name at most; the rest are far behind on every count.
SHORTLIST = 12
_FACILITY_KEEPS_NAME = 2.5
_FACILITY_SIZE_WEIGHT = 0.5
# An entry's own name beats another entry's alternate or former name ("Kirovske" is a village's
# name in Crimea and a former name of a town in Donetsk oblast).
_HOW_PRIOR = {"name": 0.3, "alias": 0.3, "news spelling": 0.1, "alternate name": -0.6, "former name": -0.4}


class Choice(NamedTuple):
    """The place chosen for a span, with the evidence for it."""

    place: Place
    how: str
    evidence: tuple[str, ...]
    score: float


class Setting(NamedTuple):
    """What a span's sentence and list say about where it is."""

    list_region: str | None
    list_region_name: str | None
    sentence_regions: frozenset[str]
    neighbours: tuple[int, ...]


def lists_of(spans: Sequence[NameSpan], text: str) -> list[list[int]]:
    """Indices of spans that form one list ("A, B, C and D") within a sentence."""
    groups: list[list[int]] = []
    for i, span in enumerate(spans):
        previous = spans[i - 1] if i else None
        if (
            previous is not None and previous.sentence == span.sentence
            and _LIST_GAP.match(text[previous.end : span.start])
        ):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


_REGIONS_BEFORE = re.compile(
    r"(?:oblasts|regions|provinces)\s*(?::|of|including|such as)?\s*(?:the\s+)?$", re.IGNORECASE
)


def is_region_list(group: Sequence[int], spans: Sequence[NameSpan], text: str) -> bool:
    """A list of regions: "the Poltava and Kharkiv oblasts", "in nine oblasts: Rivne, Volyn …"."""
    last = spans[group[-1]]
    if last.cue == "region" and last.cue_text.lower().endswith("s"):
        return True
    first = spans[group[0]]
    return len(group) > 1 and bool(_REGIONS_BEFORE.search(text[max(0, first.start - 40) : first.start]))


def region_after(group: Sequence[int], spans: Sequence[NameSpan], text: str) -> int | None:
    """The span right after a list that names its region, if one follows "in"/"of the"."""
    last = spans[group[-1]]
    following = group[-1] + 1
    if following >= len(spans) or spans[following].sentence != last.sentence:
        return None
    if _REGION_GAP.match(text[last.end : spans[following].start]):
        return following
    return None


def admin1_of(matches: Sequence[NameMatch], focus: Counter[str]) -> Place | None:
    """The subdivision among a name's matches, preferring the document's focus country."""
    regions = [m.place for m in matches if m.place.kind == "admin1"]
    if not regions:
        return None
    return max(regions, key=lambda p: (focus.get(p.country_code or "", 0), p.country_code == "UA"))


def focus_shares(focus: Counter[str]) -> dict[str, float]:
    """Each focus country's share of the document's country evidence."""
    total = max(1, sum(focus.values()))
    return {code: count / total for code, count in focus.items()}


class Scored(NamedTuple):
    """One candidate's score before nearness to the names around it counts (see `scored_alone`)."""

    match: NameMatch
    total: float
    evidence: tuple[str, ...]


def scored_alone(
    key: str, matches: Sequence[NameMatch], setting: Setting, document_regions: Counter[str],
    shares: Mapping[str, float], *, facility: bool = False,
) -> list[Scored]:
    """Score every candidate (`shares` from `focus_shares`) with no neighbours; the evidence names
    what counted. Nearness is added last (`best_near`), so the names around a name change only that
    part. For the town of a facility ("Kirovske airfield") a facility of that name counts most, and
    so does a hromada that still bears the name (airfields and plants keep their Soviet names when
    towns are renamed), while size counts for less (airfields lie by villages)."""
    scored = []
    for match in matches:
        total, evidence = _scored(key, match, setting, document_regions, shares, facility)
        scored.append(Scored(match, total, tuple(evidence)))
    return scored


def best_near(scored: Sequence[Scored], neighbour_places: Sequence[Place]) -> Choice | None:
    """The best of the candidates `scored_alone` scored, with nearness to `neighbour_places` added:
    highest score, then population, then the first entry; a `Choice` is made of the winner alone."""
    best: tuple[NameMatch, tuple[str, ...], float] | None = None
    best_rank: tuple[float, int, int] | None = None
    for match, total, evidence in scored:
        place = match.place
        if neighbour_places and place.kind == "settlement":  # nearness counts between settlements only
            reason: list[str] = []
            total += _proximity(place, neighbour_places, reason)
            evidence += tuple(reason)
        rank = (total, place.population, -place.place_id)
        if best_rank is None or rank > best_rank:  # the first of equals wins, as with max()
            best, best_rank = (match, evidence, total), rank
    if best is None:
        return None
    match, evidence, total = best
    return Choice(match.place, match.how, evidence, total)


def _scored(
    key: str, match: NameMatch, setting: Setting, document_regions: Counter[str], shares: Mapping[str, float],
    facility: bool,
) -> tuple[float, list[str]]:
    """One candidate's total and evidence (see `scored_alone`)."""
    place, how = match.place, match.how
    kind, region = place.kind, place.admin1_iso
    evidence: list[str] = []
    prior = _kind_prior(place)
    if facility and kind == "settlement":
        prior *= _FACILITY_SIZE_WEIGHT
    total = _HOW_PRIOR.get(how, 0.0) + prior
    if facility and kind == "facility":
        total += _FACILITY_OF_NAME
        evidence.append(f"a facility of that name ({place.category}) in the gazetteer")
    if how == "alternate name" and _hromada_bears(place, key):
        total += _HROMADA_BEARS_NAME * (_FACILITY_KEEPS_NAME if facility else 1.0)
        if facility:
            evidence.append(f"its {place.hromada} still bears that name, as a facility keeps its old name")
        else:
            evidence.append(f"its {place.hromada} still bears that name")
    if setting.list_region and region == setting.list_region and kind != "admin1":
        total += _LIST_REGION
        evidence.append(f"{setting.list_region_name} named after the list it is in")
    elif region in setting.sentence_regions and kind != "admin1":
        total += _SENTENCE_REGION
        evidence.append("region named in the sentence")
    elif region and (named := document_regions.get(region)):
        total += _DOCUMENT_REGION * min(1.0, named / 2)
        evidence.append("region named elsewhere in the document")
    share = shares.get(place.country_code or "", 0.0)
    if share:
        total += _FOCUS_COUNTRY * share
    return total, evidence


def shortlist(
    matches: Sequence[NameMatch], setting: Setting, document_regions: Counter[str], focus: Counter[str],
    neighbours: Sequence[Place] = (), limit: int = SHORTLIST,
) -> Sequence[NameMatch]:
    """At most `limit` candidates worth scoring: those in a region or country the text names,
    then the most prominent by kind, size and how the name matched ("Shevchenko" names dozens
    of villages; most could never win)."""
    if len(matches) <= limit:
        return matches

    def worth(match: NameMatch) -> tuple[bool, float]:
        place = match.place
        named = (
            place.admin1_iso == setting.list_region or place.admin1_iso in setting.sentence_regions
            or bool(document_regions.get(place.admin1_iso or ""))
            or any(place.admin1_iso == other.admin1_iso for other in neighbours)
        )
        return named, _HOW_PRIOR.get(match.how, 0.0) + _kind_prior(place) + (
            _FOCUS_COUNTRY if focus.get(place.country_code or "") else 0.0
        )

    return sorted(matches, key=worth, reverse=True)[:limit]


def may_be_near(matches: Sequence[NameMatch], limit: int = SHORTLIST) -> bool:
    """Whether the places named with a name can change its choice: any can where its shortlist
    is cut, else settlements can, and only for a name that may be a settlement (nearness counts
    between settlements alone)."""
    return len(matches) > limit or any(m.place.kind == "settlement" for m in matches)


def relevant_neighbours(
    matches: Sequence[NameMatch], neighbours: Sequence[Place], limit: int = SHORTLIST
) -> tuple[Place, ...]:
    """The neighbours that can change a name's choice (see `may_be_near`), so that a name said
    again is chosen once."""
    if not neighbours or not may_be_near(matches, limit):
        return ()
    if len(matches) > limit:
        return tuple(neighbours)
    return tuple(p for p in neighbours if p.kind == "settlement")


def _hromada_bears(place: Place, key: str) -> bool:
    """A renamed centre whose hromada kept the old name ("Kirovske", the Kirovska hromada)."""
    if not place.hromada:
        return False
    adjective = name_key(place.hromada).split(" ")[0]
    shared = next((i for i, (a, b) in enumerate(zip(adjective, key, strict=False)) if a != b), len(key))
    return shared >= max(4, len(key) - 2)


def _kind_prior(place: Place) -> float:
    if place.kind in _KIND_PRIOR:
        return _KIND_PRIOR[place.kind]
    size = 0.35 * math.log10(place.population + 10)
    city = 0.6 if place.settlement_rank <= 1 else 0.0
    return size + city


def _proximity(place: Place, neighbours: Sequence[Place], evidence: list[str]) -> float:
    best = 0.0
    reason = ""
    for other in neighbours:
        if other.place_id == place.place_id or place.kind != "settlement" or other.kind != "settlement":
            continue
        if place.hromada and place.hromada == other.hromada:
            gain, why = _SAME_HROMADA, f"same hromada as {other.name}"
        elif place.admin2 and place.admin2 == other.admin2 and place.admin1_iso == other.admin1_iso:
            gain, why = _SAME_RAION, f"same raion as {other.name}"
        else:
            gain, why = _near(place, other)
        if gain > best:
            best, reason = gain, why
    if reason:
        evidence.append(reason)
    return best


def _near(place: Place, other: Place) -> tuple[float, str]:
    if place.lat is None or other.lat is None or abs(place.lat - other.lat) * _KM_PER_DEGREE > _FARTHEST_NEAR:
        return 0.0, ""  # a degree of latitude is the shortest a degree can be
    distance = km_between(place, other)
    if distance is None:
        return 0.0, ""
    for limit, gain in _NEAR_KM:
        if distance <= limit:
            return gain, f"{distance:.0f} km from {other.name}, named with it"
    return 0.0, ""


def describe(choice: Choice, candidates: int, setting_regions: Mapping[str, str] | None = None) -> str:
    """The reason string of a choice: what the place is, why it won, where its point comes from."""
    place = choice.place
    parts = [_what(place)]
    why = list(choice.evidence)
    if candidates == 1:
        why.append("only gazetteer entry of that name")
    elif not why:
        why.append(f"largest or most prominent of {candidates} entries of that name")
    if choice.how not in ("name", "alias"):
        why.append(f"matched by {choice.how}")
    text = f"{parts[0]} ({'; '.join(why)})"
    if place.placement:
        text += f"; {place.placement}"
    return text


def _what(place: Place) -> str:
    if place.kind == "continent":
        return "continent"
    if place.kind == "facility":
        return f"GeoNames facility ({place.category}) in {place.admin1 or place.country_code}"
    if place.kind == "country":
        return "country"
    if place.kind == "admin1":
        return f"ISO 3166-2 subdivision {place.admin1_iso}"
    if place.kind == "admin2":
        return f"district in {place.admin1 or place.country_code}"
    if place.gazetteer_id.startswith("katottg:"):
        return f"KATOTTG {place.category or 'settlement'} in {place.admin1} oblast"
    where = ", ".join(p for p in (place.admin1, place.country_code) if p)
    return f"GeoNames populated place in {where}"
