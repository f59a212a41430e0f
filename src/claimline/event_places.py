"""Which of a sentence's places a fact happened at: settings, actors, datelines and reference points
are told apart from the places where something happened."""

from __future__ import annotations

import re
from bisect import bisect_right

from claimline.facts import PER_PLACE, Fact, is_cancelled
from claimline.folding import case_folded, for_folded_text, may_end_with
from claimline.model import (
    Location,
    PlaceMention,
)
from claimline.triggers import (
    Trigger,
    clause_end,
    clause_start,
    find_triggers,
)

_PRECISION_RANK = {"point": 0, "admin2": 1, "admin1": 2, "country": 3}
# where a fact other than a per-place one happened: first 'in', 'at', 'near', then 'to', 'from'
_SITE_PREPOSITIONS = tuple(
    re.compile(rf"\b(?:{preposition})\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,2}}$")
    for preposition in (r"in|at|near|visit(?:ed|ing|s)?", r"to|from")
)


def places_for(
    fact: Fact, facts: list[Fact], text: str, offset: int, places: list[PlaceMention], recent: list[int]
) -> list[PlaceMention]:
    """The places this fact happened at: for kinetic kinds every specific place named (one event
    each); for other kinds the one place where it happened, if any."""
    usable = [p for p in places if _is_location_use(text, p.start - offset, p.end - offset)
              and not _is_landmark(text, p, offset)]
    if not usable and fact.kind in PER_PLACE:
        usable = [p for p in places if _JURISDICTION.match(text[p.end - offset: p.end - offset + 40])][:1]
    usable = [p for p in usable if nearest_fact(facts, text, p.start - offset) is fact]
    usable = _drop_reference_points(usable, text, offset)
    usable = _drop_containers(usable, text, offset)
    if not usable:
        return []
    if fact.kind in PER_PLACE:
        scope = _Scope(text, fact, recent)
        scoped = [p for p in usable if scope.holds(p.start - offset)]
        return _countries_only_as_setting(_dedupe_places(scoped), text, offset)
    if fact.kind in ("sanctions", "aid", "policy"):
        return []
    for pattern in _SITE_PREPOSITIONS:
        located = [p for p in usable if pattern.search(text[max(0, p.start - offset - 30): p.start - offset])]
        if located:
            return located[:1]
    return []


def nearest_fact(facts: list[Fact], text: str, position: int) -> Fact | None:
    """The fact whose trigger is closest to a place; a trigger before the place wins ties."""
    if len(facts) <= 1:
        return facts[0] if facts else None
    distance = _TriggerDistance(text, position)
    return min(facts, key=lambda f: distance.to(f.trigger))


class _TriggerDistance:
    """Characters from a trigger to one place; a trigger earlier in the place's own clause is nearest.
    The place's clause is found once, for all the triggers measured."""

    def __init__(self, text: str, position: int) -> None:
        self._text = text
        self._position = position
        self._clause_start: int | None = None

    def to(self, trigger: Trigger) -> int:
        if trigger.start <= self._position:
            if self._clause_start is None:
                self._clause_start = clause_start(self._text, self._position)
            if self._clause_start <= trigger.start:
                return self._position - trigger.start
        return abs(trigger.start - self._position) + 200


_LOCATIVE_BEFORE = re.compile(r"\b(?:in|on|into|against|across|inside|over|at|within|throughout)\s+(?:the\s+)?$")


def _countries_only_as_setting(places: list[PlaceMention], text: str, offset: int) -> list[PlaceMention]:
    """A country is where a fact happened only when nothing finer is named and a locative
    preposition introduces it ('an attack on Ukraine'); 'between Russia and Ukraine' is not."""
    finer = [p for p in places if p.location and not (p.location.geo_precision == "country" and _is_area(p.location))]
    if finer:
        return finer
    return [p for p in places[:1] if _LOCATIVE_BEFORE.search(text[max(0, p.start - offset - 15): p.start - offset])]


class _Scope:
    """A place belongs to a fact when the nearest trigger of the fact's kind is live and the place
    sits in its clause ('after failing to capture Kyiv' keeps Kyiv out of an earlier capture). The
    fact's triggers, and whether each is live and where its clause lies, are found once per fact."""

    def __init__(self, text: str, fact: Fact, recent: list[int]) -> None:
        self._text = text
        self._fact = fact
        self._recent = recent
        self._same_kind = [t for t in find_triggers(text) if t.kind == fact.kind]
        # keyed by where the trigger starts: one kind's triggers never share a start, and an int hashes
        # without calling the dataclass's `__hash__`
        self._clause_of: dict[int, tuple[int, int] | None] = {}

    def holds(self, position: int) -> bool:
        if not self._same_kind:
            return False
        nearest = self._same_kind[0] if len(self._same_kind) == 1 else min(
            self._same_kind, key=_TriggerDistance(self._text, position).to)
        clause = self._live_clause(nearest)
        return clause is not None and clause[0] <= position < clause[1]

    def _live_clause(self, trigger: Trigger) -> tuple[int, int] | None:
        """Where the trigger's clause starts and ends; None when the trigger is cancelled."""
        if trigger.start not in self._clause_of:
            cancelled = trigger.start != self._fact.trigger.start and is_cancelled(self._text, trigger, self._recent)
            self._clause_of[trigger.start] = None if cancelled else (
                clause_start(self._text, trigger.start), clause_end(self._text, trigger.end))
        return self._clause_of[trigger.start]


_REFERENCE_POINT = re.compile(
    r"(?:(?:north|south|east|west)(?:[- ]?(?:north|south|east|west))?(?:ern)?|outside|from)\s+of\s+"
    r"(?:the\s+)?(?:regional capital\s+|city of\s+|town of\s+|occupied\s+)?$"
    r"|\b(?:according to|near the border with)\s+$"
    r"|\b(?:villages|settlements|towns|positions)\b[^,.;]{0,50}\b(?:around|near)\s+$"
    r"|\bkm\s+(?:from|of)\s+$|\bkilomet(?:er|re)s\s+(?:\w+\s+)?(?:from|of)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.I,
)
# each choice of `_REFERENCE_POINT` ends in one of these words and spaces, or holds "kilomet"
_REFERENCE_POINT_LAST_WORDS = ("of", "the", "capital", "occupied", "to", "with", "around", "near", "from")


_FOLDED_REFERENCE_POINT = for_folded_text(_REFERENCE_POINT)


def _is_reference_point(before: str) -> bool:
    """`_REFERENCE_POINT` searched in `before`, tried only when its end can match."""
    folded = case_folded(before)
    if folded is None:
        return bool(_REFERENCE_POINT.search(before))
    if not before[-1:].isspace():
        return False
    if not (folded.rstrip().endswith(_REFERENCE_POINT_LAST_WORDS) or "kilomet" in folded):
        return False
    return bool(_FOLDED_REFERENCE_POINT.search(folded))


_OWNED_BODY = re.compile(
    r"['’´]s (?:\w+ )?(?:forces|troops|army|military|president|government|defen[cs]e|air force|general staff|"
    r"ministry|hands)", re.I)


_MEDIA_AFTER = re.compile(
    r"\s+(?:city\s+)?(?:television|tv|radio|independent|post|times|news|media|newspaper|channel|pravda|agency|"
    r"herald|telegraph|journal|daily|today|broadcaster)\b", re.I)


_OFFICIALS = (
    r"governor|mayor|head|authorities|military administration|administration|officials?|police|council|prosecutor"
)
_NOT_A_PLACE_AFTER = re.compile(
    r"\s+(?:(?:oblast|region|regional|city|district)\s+)?(?:river|sea|lake|bay|strait|mountains?|group|grouping|"
    rf"battlegroup|brigade|battalion|regiment|division|corps|fleet|pipeline|{_OFFICIALS})\b", re.I)
# "Kyiv mayor Vitaliy Klitschko": the official's territory, where the fact happened when nothing finer is named.
_JURISDICTION = re.compile(rf"\s+(?:(?:oblast|region|regional|city)\s+)?(?:{_OFFICIALS})\b", re.I)


_ATTRIBUTION_TAIL = re.compile(
    r"^[^,;]{0,40}?\b(?:said|says|reported|reports|announced|claimed|told|stated|wrote|added)\b[^,;]*$", re.I)


def _is_attribution_tail(text: str, start: int, end: int) -> bool:
    """', Kyiv officials said': the place ends the sentence inside an attribution after a comma."""
    rest = text[end:]
    if "," in rest or ";" in rest or "," not in text[:start]:
        return False  # `_ATTRIBUTION_TAIL` allows neither after the place, `_LAST_COMMA_PHRASE` needs one before
    return bool(_ATTRIBUTION_TAIL.match(rest)) and bool(_LAST_COMMA_PHRASE.search(text[:start]))


_CAPITALS_CITY = re.compile(r"[A-Z]{3,}(?:,\s*)?")
_DATELINE_DASH = re.compile(r"\s*(?:\([^)]*\))?\s*[:\-–—]")
_DATELINE_OPENING = re.compile(r"\s*(?:,\s*\w+\s*)?(?:\([^)]*\))?\s*[:\-–—]\s")


def _is_dateline(text: str, start: int, end: int) -> bool:
    """'MOSCOW (Reuters) -', 'KYIV, Ukraine:': where the report was filed, not where it happened."""
    if start > 0 and text[:start].strip():
        return bool(_CAPITALS_CITY.fullmatch(text[:start].strip())) and bool(
            _DATELINE_DASH.match(text[end:end + 20]))
    opens_the_text = _DATELINE_OPENING.match(text[end:end + 30])
    return text[start:end].isupper() or bool(opens_the_text)


_FEATURE_WITH_ARTICLE = re.compile(r"(?:across|along|over|on|of|beyond|behind|to) the\s+$", re.I)
_REGION_WORD_AFTER = re.compile(
    r"\s+(?:region|oblast|province|district|raion|county|area|direction|sector|front)", re.I)


def _is_landmark(text: str, place: PlaceMention, offset: int) -> bool:
    """'across the Dnipro': a settlement's name after 'the' is a river or a landmark."""
    start, end = place.start - offset, place.end - offset
    settlement = place.location is not None and not _is_area(place.location)
    before = text[max(0, start - 12):start]
    return settlement and may_end_with(before, ("the",)) and bool(_FEATURE_WITH_ARTICLE.search(before)) and not bool(
        _REGION_WORD_AFTER.match(text[end:end + 20]))


_LAST_COMMA_PHRASE = re.compile(r",\s+(?:the\s+)?[^,]*$")
_POSSESSIVE = re.compile(r"['’´]s?\b")
_AT_IN_TO_ON_BEFORE = re.compile(r"\b(?:at|in|to|on)\s+$")
_SUBJECT_VERB_AFTER = re.compile(
    r"\s+(?:said|says|has|have|had|is|was|will|would|launched|claims?|claimed|agreed|announced|"
    r"demanded|refused|denied|controls|annexed|uses|used|invaded|wants|continues|may|might|could|"
    r"should|can|must|did|does|struck|attacked|hit|fired|sent|sends|plans|seeks|insists|"
    r"responded|retaliated|accused|warned|threatened|rejected|dismissed|disputed|confirmed|welcomed)\b")
_IN_AT_OF_BEFORE = re.compile(r"\b(?:in|at|of)\s+(?:the\s+)?$")


def _is_location_use(text: str, start: int, end: int) -> bool:
    """Possessives ("Ukraine's air force") and subjects of verbs ("Moscow said") are actors;
    "south-west of Donetsk" is a reference point, not where it happened."""
    if _is_reference_point(text[max(0, start - 60):start]):
        return False
    if _is_city_district(text, start, end) or _is_water_of(text[max(0, start - 9):start]):
        return False
    after = text[end:end + 20]
    spaced = after[:1].isspace()  # what `_MEDIA_AFTER`, `_NOT_A_PLACE_AFTER` and `_SUBJECT_VERB_AFTER` begin with
    if (spaced and _MEDIA_AFTER.match(text[end:end + 40])) or _is_dateline(text, start, end) or (
            spaced and _NOT_A_PLACE_AFTER.match(after)):
        return False
    if _is_attribution_tail(text, start, end):
        return False
    if after[:1] in _APOSTROPHES and _POSSESSIVE.match(after):
        before = text[max(0, start - 6):start].lower()
        return bool(_AT_IN_TO_ON_BEFORE.search(before)) and not _OWNED_BODY.match(after)
    if spaced and _SUBJECT_VERB_AFTER.match(after):
        return bool(_IN_AT_OF_BEFORE.search(text[max(0, start - 9):start]))
    return True


_APOSTROPHES = ("'", "’", "´")


def _is_water_of(before: str) -> bool:
    return " of" in before and bool(_WATER_OF.search(before))


_WATER_OF = re.compile(r"\b(?:Sea|Gulf|Bay|Strait) of\s+$")
_DISTRICT_WORD = r"(?:district|raion|neighbou?rhood|microdistrict)"
_ENDS_WITH_DISTRICT = re.compile(rf"\b{_DISTRICT_WORD}$", re.I)
_DISTRICT_AFTER = re.compile(rf"\s+{_DISTRICT_WORD}\b", re.I)
_CITY_POSSESSIVE_BEFORE = re.compile(r"\b(?:(?!Ukraine|Russia)[A-Z][\w’'-]+|the city|the town)['’]s\s+$")
_ADJECTIVAL_NAME = re.compile(r"\w+(?:sky[iy]?|skiy|ckyi|zkyi)\b", re.I)


def _names_a_district(name: str, after: str) -> bool:
    """'Dniprovskyi district' as one name, or a name with 'district' right after it."""
    # the district words end in "t", "n" or "d"; `_DISTRICT_AFTER` begins with a space
    return bool((name[-1:] in "tTnNdD" and _ENDS_WITH_DISTRICT.search(name))
                or (after[:1].isspace() and _DISTRICT_AFTER.match(after)))


def _is_city_district(text: str, start: int, end: int) -> bool:
    """"Kherson's Dniprovskyi district", "the city's Shevchenkivskyi district": a part of a city
    named in the report, not the district of that name elsewhere that a gazetteer would find."""
    return (_names_a_district(text[start:end], text[end:end + 20])
            and bool(_CITY_POSSESSIVE_BEFORE.search(text[max(0, start - 30):start])))


def without_foreign_city_districts(places: list[PlaceMention], text: str) -> list[PlaceMention]:
    """'…shelled Kherson… a stop in the Dniprovskyi district': a district named soon after a city,
    that a gazetteer places in another region, is a district of that city (which no gazetteer lists)."""
    kept: list[PlaceMention] = []
    last_settlement: PlaceMention | None = None
    for place in places:
        location = place.location
        assert location is not None
        names_a_district = _names_a_district(place.text, text[place.end:place.end + 20])
        # city districts are adjectives ("Dniprovskyi"); "Izmail district" is the raion of that town
        adjectival = names_a_district and bool(_ADJECTIVAL_NAME.match(place.text))
        if (names_a_district and adjectival and last_settlement is not None and last_settlement.location is not None
                and place.start - last_settlement.end < 400
                and last_settlement.location.admin1_iso != location.admin1_iso):
            continue
        if not names_a_district and not _is_area(location):
            last_settlement = place
        kept.append(place)
    return kept


def _is_area(location: Location) -> bool:
    """A region or district, not a settlement that merely lacks coordinates of its own."""
    if location.feature is not None:
        return location.is_area
    if location.geo_precision in ("admin1", "country"):
        return True
    return location.geo_precision == "admin2" and bool(location.admin2) and location.name == location.admin2


def _contains(outer: Location, inner: Location) -> bool:
    if not _is_area(outer):
        return False
    if _is_area(inner) and _PRECISION_RANK[outer.geo_precision] <= _PRECISION_RANK[inner.geo_precision]:
        return False
    if outer.geo_precision == "country":
        return outer.country_code == inner.country_code
    if outer.geo_precision == "admin1":
        return bool(outer.admin1_iso) and outer.admin1_iso == inner.admin1_iso
    return bool(outer.admin2) and outer.admin2 == inner.admin2 and outer.admin1_iso == inner.admin1_iso


_SETTING_BEFORE = re.compile(
    r"\b(?:in|near|across|around|within)\s+(?:the\s+)?(?:\w+['’]s\s+)?(?:[\w-]+\s+)?$"
    r"|\b(?:villages?|settlements?|towns?|cities|areas?|parts?) of\s+(?:the\s+)?$", re.I)


_FOLDED_SETTING_BEFORE = for_folded_text(_SETTING_BEFORE)


def _is_setting_before(before: str) -> bool:
    """`_SETTING_BEFORE` searched in `before`, tried only when one of its words can end it or sit in its
    last four words."""
    lowered = case_folded(before)
    if lowered is None:
        return bool(_SETTING_BEFORE.search(before))
    words = lowered.rsplit(None, 4)[-4:]
    if not (words and words[-1] in ("of", "the")) and not any(
            word.endswith(("in", "near", "across", "around", "within")) for word in words):
        return False
    return bool(_FOLDED_SETTING_BEFORE.search(lowered))


_NAME_AND_COMMA_BEFORE = re.compile(r"[A-Za-z’'-]+,\s*$")
_SETTING_AFTER = re.compile(r"\s+(?:oblast|region|province)?\s*(?:villages?|towns?|city|settlements?)\s+of\b", re.I)


_BESIDE = re.compile(
    r"^\s*,?\s*(?:an?\s+(?:small\s+|frontline\s+|front-line\s+)?(?:village|town|city|settlement|hamlet)\s+)?"
    r"(?:just\s+|about\s+[\d.,]+\s*(?:km|kilomet(?:er|re)s)\s+)?(?:near|outside|not far from|close to|"
    r"(?:north|south|east|west)(?:-?(?:north|south|east|west))?(?:ern)?\s+of)\s+(?:the\s+)?(?:town\s+of\s+|city\s+of\s+)?$",
    re.I)


def _drop_reference_points(places: list[PlaceMention], text: str, offset: int) -> list[PlaceMention]:
    """'the village of A near B': B only tells where A lies. A is the place named last before B
    (the words between two places farther apart hold a third place's name)."""
    kept = []
    ends = sorted({p.end for p in places})
    for place in places:
        before = bisect_right(ends, place.start) - 1
        beside = before >= 0 and _BESIDE.match(text[ends[before] - offset: place.start - offset]) is not None
        if not beside:
            kept.append(place)
    return kept


_FRONT_SECTOR_AFTER = re.compile(r"\s+(?:sector|direction|axis)\b", re.I)


def _is_front_sector(text: str, place: PlaceMention, offset: int) -> bool:
    after = text[place.end - offset: place.end - offset + 12]
    return after[:1].isspace() and bool(_FRONT_SECTOR_AFTER.match(after))


def _drop_containers(places: list[PlaceMention], text: str, offset: int) -> list[PlaceMention]:
    """Keep the most specific places: a region named as the setting of its own villages ('the
    villages of A and B in Donetsk') is context, while 'the entire Luhansk region' is a target;
    'the Toretsk sector' is context when villages are named."""
    not_sectors = [p for p in places if not _is_front_sector(text, p, offset)]
    if not_sectors:
        places = not_sectors
    kept = []
    for place in places:
        assert place.location is not None
        # whether it holds another place is asked first: most places are no area and hold none, and
        # it reads no text
        location = place.location
        inside = _is_area(location) and any(
            other is not place and other.location is not None and _contains(location, other.location)
            for other in places
        ) and _is_setting(text, place, location, offset)
        if not inside:
            kept.append(place)
    return kept


def _is_setting(text: str, place: PlaceMention, location: Location, offset: int) -> bool:
    """Whether the place is named as a setting ('in Donetsk', 'the villages of', a country), not as a target."""
    before = text[max(0, place.start - offset - 25): place.start - offset]
    after = text[place.end - offset: place.end - offset + 40]
    return (
        location.geo_precision == "country"
        or _is_setting_before(before)
        or (location.geo_precision == "admin1" and bool(_NAME_AND_COMMA_BEFORE.search(before)))
        or (after[:1].isspace() and bool(_SETTING_AFTER.match(after)))
    )


def _dedupe_places(places: list[PlaceMention]) -> list[PlaceMention]:
    seen: set[str] = set()
    out = []
    for place in places:
        assert place.location is not None
        key = f"{place.location.gazetteer_id}|{place.location.name}"
        if key not in seen:
            seen.add(key)
            out.append(place)
    return out
