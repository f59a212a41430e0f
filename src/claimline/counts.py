"""How an event reads the numbers of its sentence: launched or intercepted, killed or injured,
one total for several places or one count each."""

from __future__ import annotations

import re
from dataclasses import replace

from claimline.facts import PER_PLACE, Fact
from claimline.folding import may_contain
from claimline.model import (
    PlaceMention,
)
from claimline.quantities import Quantity, as_int, parse_number

_ALL_BUT = re.compile(r"\ball but (?P<n>\w+) of the (?P<what>drones|missiles)", re.I)


EVENT_COUNTS = frozenset({"drones", "missiles", "people", "aircraft", "helicopters", "airstrikes", "bombs", "tanks",
                           "area_km2", "distance_km", "settlements",
                           "vehicles"})


def shares_one_count(fact: Fact, text: str, quantities: list[Quantity]) -> bool:
    """'downed 36 drones over Bryansk, Kursk and Belgorod regions': one total for all of them."""
    counts = {q.key for q in quantities if not q.in_parentheses}
    launched = fact.kind in ("interception", "strike") and bool(counts & {"drones", "missiles"})
    return launched or "settlements" in counts


_DESTROYED = re.compile(r"\bdestroy(?:ed|ing)?\b|\bdamag(?:ed|ing)\b|\bhit\b", re.I)
_DESTROYED_WORDS = ("destroy", "damag", "hit")
_HARM_VERB_BEFORE = re.compile(r"\b(?:killed|killing|injured|injuring|wounded|wounding)\s+$", re.I)


def _harmed_before(before: str) -> bool:
    return may_contain(before, ("kill", "injur", "wound")) and bool(_HARM_VERB_BEFORE.search(before))


def quantities_for(kind: str, text: str, quantities: list[Quantity]) -> dict[str, int | float]:
    """Contract keys for the numbers in the sentence, read in the light of the event kind."""
    out: dict[str, int | float] = {}
    for_this_text = _OnDemand(text)
    for q in quantities:
        if q.key is None and _harmed_before(text[max(0, q.start - 12): q.start]):
            q = replace(q, key="people")
        if q.in_parentheses or q.key is None or (q.anaphoric and q.key == "people"):
            continue
        key = q.key
        if key in ("drones", "missiles") and not _is_total_of(text, q) and (
                _passively_intercepted(text, q) or for_this_text.intercepted_from(q.start)):
            key = f"{key}_intercepted"
        elif key in ("helicopters", "aircraft") and for_this_text.tells_of_destruction():
            key = f"{key}_destroyed"
        elif key == "people":
            key = _people_key(text, q) or ""
            if not key:
                continue
        elif key in ("distance_miles", "area_sq_miles"):
            continue
        if key in out or not _fits_kind(kind, key):
            continue
        out[key] = as_int(q.value)
    _apply_all_but(text, out)
    return out


class _OnDemand:
    """What `quantities_for` may ask of the whole sentence, each found once and only when asked."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._intercept_at: int | None = None
        self._destroyed: bool | None = None
        self._intercept_known = False

    def intercepted_from(self, position: int) -> bool:
        """Whether an air-defence verb comes at or before `position`."""
        if not self._intercept_known:
            self._intercept_at, self._intercept_known = _interception_start(self._text), True
        return self._intercept_at is not None and position >= self._intercept_at

    def tells_of_destruction(self) -> bool:
        if self._destroyed is None:
            self._destroyed = may_contain(self._text, _DESTROYED_WORDS) and bool(_DESTROYED.search(self._text))
        return self._destroyed


_PEOPLE_KEYS = frozenset({"killed", "injured", "missing", "prisoners"})


def _fits_kind(kind: str, key: str) -> bool:
    """Counts that belong to this kind of fact ('32 drones downed' is not a casualty figure)."""
    if kind == "casualties":
        return key in _PEOPLE_KEYS
    if kind == "interception":
        return key.startswith(("drones", "missiles", "aircraft", "helicopters"))
    if kind in ("sanctions", "aid", "diplomacy", "policy"):
        return not key.startswith(("drones", "missiles"))
    return True


_ACTIVE_DOWN = re.compile(
    r"\bshot down\b|\bdowned\b|\bintercept|\bdestroyed or|\bsuppressed\b|\bjammed\b|\bneutrali[sz]ed\b"
    r"|\bdestroyed (?:\d[\d,]*|\w+) (?:[\w-]+ )?(?:drones|uavs|missiles)", re.I)


_DOWNED_WEAPONS = (r"(?:drones?|uavs?|missiles?)\s+(?:were|was|had been|have been)\s+"
                   r"(?:\w+\s+)?(?:destroyed|downed|intercepted|shot down|neutrali[sz]ed|jammed)")
_PASSIVE_DOWN_COUNTED = re.compile(rf"(?:\d[\d,]*|\w+)\s+(?:\w+\s+)?{_DOWNED_WEAPONS}", re.I)
# every match of the pattern above holds a match of this one, which is found many times faster: the
# counted pattern, free to start inside any word, only runs over a text where this one matches
_PASSIVE_DOWN_CUE = re.compile(_DOWNED_WEAPONS, re.I)


# every match of the patterns above holds one of these words (lower-cased)
_ACTIVE_DOWN_WORDS = ("shot down", "downed", "intercept", "destroyed", "suppressed", "jammed", "neutrali")
_WEAPON_WORDS = ("drone", "uav", "missile")
_DOWNED_WORDS = ("destroyed", "downed", "intercepted", "shot down", "neutrali", "jammed")


def _interception_start(text: str) -> int | None:
    if not may_contain(text, _ACTIVE_DOWN_WORDS):
        return None  # both patterns need one of those words
    found = _ACTIVE_DOWN.search(text)
    if found:
        return found.start()
    cue = may_contain(text, _WEAPON_WORDS) and may_contain(text, _DOWNED_WORDS) and _PASSIVE_DOWN_CUE.search(text)
    passive = _PASSIVE_DOWN_COUNTED.search(text) if cue else None
    return passive.start() if passive else None


_PASSIVE_DOWN = re.compile(
    r"^\s*(?:[\w-]+\s+){0,3}?(?:drones?|uavs?|missiles?|rockets?|unmanned aerial vehicles)?\s*"
    r"(?:were|was|had been|have been|been)\s+(?:\w+\s+)?(?:destroyed|downed|intercepted|shot down|"
    r"neutrali[sz]ed|jammed|suppressed)", re.I)


_SHARE_AFTER = re.compile(r"\s+of\s+(?:the\s+)?(?:over\s+|more than\s+|about\s+)?(?:\d[\d,]*|[a-z]+)\b", re.I)


def _passively_intercepted(text: str, q: Quantity) -> bool:
    """'18 UAVs were destroyed or jammed', '31 of the 46 drones … had been downed': the count is the
    subject of an air-defence verb."""
    after = text[q.end: q.end + 100]
    if not may_contain(after, ("were", "was", "been")):
        return False  # `_PASSIVE_DOWN` needs one of them
    share = _SHARE_AFTER.match(after)
    return bool(_PASSIVE_DOWN.match(after[share.end():] if share else after))


_PART_OF_BEFORE = re.compile(r"\d\s+of\s+(?:the\s+)?(?:over\s+|more than\s+|about\s+|around\s+)?$")


def _is_total_of(text: str, q: Quantity) -> bool:
    """'73 of over 90 missiles': the 90 is the number launched, not intercepted."""
    before = text[max(0, q.start - 20): q.start]
    return "of" in before and bool(_PART_OF_BEFORE.search(before))


_PEOPLE_VERB_BEFORE = re.compile(
    r"\b(?P<verb>kill\w*|injur\w*|wound\w*|claimed the lives of|casualties at|losses at|left)\s+"
    r"(?:(?:at least|more than|over|about|some|up to)\s+)?$", re.I)


_PEOPLE_VERB_AFTER = re.compile(
    r"^\W*(?:[\w-]+\s+){0,3}?(?:(?:were|was|have been|had been|are|being)\s+)?(?:reportedly\s+)?"
    r"(?P<verb>killed|dead|died|deaths|lost their lives|injured|wounded|hurt|missing|casualties|losses)\b", re.I)


# every match of the two patterns above holds one of these words (lower-cased)
_PEOPLE_VERBS_BEFORE = ("kill", "injur", "wound", "claimed the lives of", "casualties at", "losses at", "left")
_PEOPLE_VERBS_AFTER = ("killed", "dead", "died", "deaths", "lost their lives", "injured", "wounded", "hurt", "missing",
                       "casualties", "losses")


_PRISONER_WORDS = re.compile(r"\b(?:prisoners|pows|exchange|swap|(?:have|had) been returned|(?:were|was) "
                             r"(?:returned|handed over|freed|released|repatriated))\b")


def _people_key(text: str, q: Quantity) -> str | None:
    """Whether a count of people counts the killed, the injured or the missing."""
    ahead, behind = text[max(0, q.start - 40): q.start], text[q.end: q.end + 60]
    before = _PEOPLE_VERB_BEFORE.search(ahead) if may_contain(ahead, _PEOPLE_VERBS_BEFORE) else None
    after = _PEOPLE_VERB_AFTER.search(behind) if may_contain(behind, _PEOPLE_VERBS_AFTER) else None
    verb = (before or after)
    if verb is None:
        nearby = text[max(0, q.start - 40): q.end + 40].lower()
        return "prisoners" if _PRISONER_WORDS.search(nearby) else None
    word = verb.group("verb").lower()
    if word.startswith(("injur", "wound", "hurt")):
        return "injured"
    if word == "missing":
        return "missing"
    if word == "left":
        return None
    return "killed"


def _apply_all_but(text: str, out: dict[str, int | float]) -> None:
    """'all but one of the drones' → total drones minus one, when the total is known."""
    if not may_contain(text, ("all but",)):
        return
    for match in _ALL_BUT.finditer(text):

        excepted = parse_number(match.group("n"))
        what = match.group("what").lower()
        total = out.get(what)
        if excepted is not None and total is not None:
            out[f"{what}_intercepted"] = as_int(total - excepted)
        elif excepted is not None:
            out[f"_{what}_all_but"] = as_int(excepted)


_DISTRIBUTIVE = re.compile(r"(?:,|\band)\s+(?P<n>[\w,]+)\s+(?:\w+\s+)?(?:in|over|near|at|on)\s+(?:the\s+)?$", re.I)


def distributed_counts(
    fact: Fact, text: str, offset: int, targets: list[PlaceMention], quantities: list[Quantity]
) -> dict[int, dict[str, int | float]]:
    """'18 drones were destroyed in A, nine in B and nine in C': one count per place. The first
    place takes the sentence's first count; each later one the number just before it."""
    if fact.kind not in PER_PLACE or len(targets) < 2:
        return {}
    counts = [q for q in quantities if not q.in_parentheses]
    if not counts:
        return {}
    first_key = next((q.key for q in counts if q.key in ("drones", "missiles", "people")), None)
    out: dict[int, dict[str, int | float]] = {}
    for index, place in enumerate(targets):
        local = place.start - offset
        if index == 0:
            q = next((q for q in counts if q.end <= local), None)
        else:
            if not _DISTRIBUTIVE.search(text[max(0, local - 40): local]):
                return {}
            q = next((q for q in reversed(counts) if q.end <= local and local - q.end <= 30), None)
        if q is None:
            return {}
        key = q.key or first_key
        if key is None:
            return {}
        if key in ("drones", "missiles") and fact.kind == "interception":
            key = f"{key}_intercepted"
        if key == "people":
            key = _people_key(text, q) or "people"
        out[id(place)] = {key: as_int(q.value)}
    return out


def fatalities_of(quantities: dict[str, int | float] | None) -> int | None:
    if not quantities or "killed" not in quantities:
        return None
    return int(quantities["killed"])
