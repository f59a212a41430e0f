"""Sentences, places and dates → events: one event per claimed fact.

The rule backend reads each sentence once: it finds trigger words per kind, keeps the kinds that
state a fact (not a hypothesis, a negation or a recap), ties each fact to its places, date,
numbers and claimant, then makes a document pass that folds follow-up sentences into the fact
they continue, merges repeats of the same fact, and marks claims contradicted nearby as disputed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from claimline.claimants import (
    clause_subject,
    find_attribution,
    is_denial,
    normalise_claimant,
    quoted_spans,
    refers_to_speaker,
)
from claimline.model import (
    UNKNOWN_WHEN,
    Article,
    DateMention,
    Event,
    Evidence,
    Location,
    PlaceMention,
    Sentence,
    When,
)
from claimline.quantities import Quantity, as_int, find_quantities
from claimline.triggers import (
    Trigger,
    clause_end,
    clause_start,
    find_triggers,
    is_background,
    is_habitual,
    is_hypothetical,
    is_negated,
)

_ACTS_OF_STATE = frozenset({"sanctions", "aid", "policy", "diplomacy"})
_PRECISION_RANK = {"point": 0, "admin2": 1, "admin1": 2, "country": 3}
_KINETIC = frozenset({"territory", "clash", "strike", "interception"})
_PER_PLACE = frozenset({"territory", "clash", "strike", "interception", "casualties"})
_HISTORICAL_AFTER = timedelta(days=365)

# A kind present in the sentence swallows these weaker readings of the same fact.
_ABSORBS: dict[str, frozenset[str]] = {
    "interception": frozenset({"strike", "clash"}),
    "strike": frozenset({"casualties"}),
    "territory": frozenset({"clash", "strike"}),
    "aid": frozenset({"diplomacy", "statement", "policy"}),
    "sanctions": frozenset({"policy", "statement", "diplomacy"}),
    "policy": frozenset({"statement"}),
    "diplomacy": frozenset({"statement"}),
    "clash": frozenset({"statement"}),
    "casualties": frozenset({"statement"}),
}
_NEEDS_SUPPORT = {
    # Words that are too common on their own: they count only with a supporting word nearby.
    "strike": re.compile(
        r"drone|missile|rocket|artillery|bomb|shell|air|strike|struck|attack|airfield|air ?base|depot|port"
        r"|refinery|infrastructure|headquarters|hit|target|explosion|destroy", re.I),
    "interception": re.compile(r"drones?|uavs?|missiles?|rockets?|shaheds?|aircraft|targets|air defen", re.I),
    "casualties": re.compile(
        r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|civilians?|people|soldiers?"
        r"|serviceman|servicemen|residents?|child(?:ren)?|persons?|troops)\b", re.I),
}
_WEAK_TRIGGER = re.compile(
    r"(?:hits?|targeting|targeted|explosions?|damaged|strikes?|kill\w*|dead|died|deaths?|wounded|injur\w*|"
    r"casualties|missing|fatalities|losses|intercept\w*|neutrali[sz]ed|jammed)$", re.I)
_SIDE_WORDS = {
    "Russia": re.compile(r"\b(?:russian?|russia['’]s|moscow|kremlin|putin)\b", re.I),
    "Ukraine": re.compile(r"\b(?:ukrainian?|ukraine['’]s|kyiv|kiev|zelensk\w*)\b", re.I),
}
_ACTOR_NAMES = {"Russia": "Military Forces of Russia", "Ukraine": "Military Forces of Ukraine"}
_CONTRADICTION = re.compile(
    r"\bnot everyone agreed\b|\bdisput(?:ed|es)\b|\bdenied\b|\brejected\b|\brefuted\b|\bcontradict"
    r"|\bremain(?:s|ed)? (?:free|under (?:\w+ )?control|in (?:\w+['’]s )?hands)\b|\bwere not confirmed\b"
    r"|\bwas not confirmed\b|\bdid not confirm\b|\bnot been confirmed\b|\brather than\b"
    r"|\bfalse\b|\bfake\b",
    re.I,
)
_ANAPHORIC_FOLLOW_UP = re.compile(
    r"\b(?:the|this|that) (?:attack|strike|raid|assault|operation|bombardment|shelling)\b"
    r"|\bbehind the (?:attack|strike)\b|\bin the (?:attack|strike)\b",
    re.I,
)
_ALL_BUT = re.compile(r"\ball but (?P<n>\w+) of the (?P<what>drones|missiles)", re.I)
_X_OF_Y = re.compile(r"(?P<x>\d[\d,]*) of (?:the )?(?:over |more than |about |around )?(?P<y>\d[\d,]*)\b", re.I)


@dataclass(frozen=True, slots=True)
class _Fact:
    """A kind stated in one sentence, before it is split per place."""

    kind: str
    trigger: Trigger


class RuleEventExtractor:
    """The default, rule-based event extractor ("rules.events.v1")."""

    def __init__(self, **_: object) -> None:
        pass

    def events(
        self,
        article: Article,
        sentences: Sequence[Sentence],
        places: Sequence[PlaceMention],
        dates: Sequence[DateMention],
    ) -> list[Event]:
        prose = [s for s in sentences if not s.furniture]
        found: list[Event] = []
        previous: list[Event] = []
        previous_at = -9
        last_speaker: str | None = None
        for position, sentence in enumerate(prose):
            local_places = [p for p in places if sentence.start <= p.start < sentence.end and p.location]
            local_dates = [d for d in dates if sentence.start <= d.start < sentence.end]
            context_when = _context_when(article, prose, position, dates)
            new = _sentence_events(article, sentence, local_places, local_dates, context_when, last_speaker)
            if _BULLET.match(sentence.text) and last_speaker:
                new = [e if e.claimant else replace(e, claimant=last_speaker, attribution="claimed",
                                                    attribution_cue="listed under the speaker") for e in new]
            credited = _REPORTED_BY.match(sentence.text)
            if credited and previous and previous_at == position - 1:
                who = normalise_claimant(credited.group("who"), sentence.text)
                for event in previous:
                    if not event.claimant:
                        found[found.index(event)] = replace(event, claimant=who, attribution="claimed",
                                                            attribution_cue=credited.group(0)[:40])
            if position - previous_at == 1:
                new = _fold_toll_into_strike(new, previous, found)
            new = _fold_into_previous(sentence, new, previous, found)
            found.extend(new)
            if new:
                previous, previous_at = new, position
            last_speaker = _speaker_of(sentence) or last_speaker
        found = _resolve_short_claimants(found)
        found = _credit_document_source(found, sentences)
        found = _resolve_place_anaphora(found, prose)
        found = _merge_repeats(found, article.text)
        found = _mark_disputed(found, prose)
        return [e for e in found if not _too_old(e, article.published)]


# ---------------------------------------------------------------------------------------------
# One sentence


def _sentence_events(
    article: Article,
    sentence: Sentence,
    places: list[PlaceMention],
    dates: list[DateMention],
    context_when: When,
    last_speaker: str | None,
) -> list[Event]:
    text = sentence.text
    recent = _recent_date_spans(sentence, dates, article.published)
    facts = _facts(text, recent, has_place=bool(places))
    if not facts:
        return []
    quantities = list(find_quantities(text))
    out: list[Event] = []
    for fact in facts:
        attribution = find_attribution(text, fact.trigger.start, voice=sentence.voice)
        claimant = attribution.claimant
        if refers_to_speaker(claimant):
            claimant = last_speaker
        if claimant is None and fact.kind in _ACTS_OF_STATE:
            claimant = clause_subject(text[clause_start(text, fact.trigger.start): fact.trigger.start])
        targets = _places_for(fact, facts, text, sentence.start, places, recent)
        distributed = _distributed_counts(fact, text, sentence.start, targets, quantities)
        if len(targets) > 1 and not distributed and _shares_one_count(fact, text, quantities):
            targets = []
        if _is_generic(fact, targets, dates, quantities):
            continue
        slots: list[PlaceMention | None] = list(targets) or [None]
        for place in slots:
            when = _when_for(fact, text, sentence.start, place, dates, context_when)
            numbers = distributed.get(id(place)) if place is not None and distributed else None
            qty = numbers if numbers is not None else _quantities_for(fact.kind, text, quantities)
            location = place.location if place is not None else None
            out.append(Event(
                doc_id=article.doc_id, kind=fact.kind,
                evidence=Evidence(text, sentence.start, sentence.end),
                when=when, location=location,
                actor1=_actor(text, fact), actor2=_target_side(text, fact, location),
                claimant=claimant, attribution=attribution.attribution, attribution_cue=attribution.cue,
                acled_event_type=_acled(fact.kind, text)[0], acled_sub_event_type=_acled(fact.kind, text)[1],
                quantities=qty, fatalities=_fatalities(qty),
                historical=_is_historical(when, article.published),
                source=article.source, url=article.url,
            ))
    return out


def _recent_date_spans(sentence: Sentence, dates: list[DateMention], published: date | None) -> list[int]:
    """Positions (in the sentence) of explicit dates that are news, not history."""
    out = []
    for mention in dates:
        when = mention.when
        if not when.known or when.precision not in ("day", "week"):
            continue
        if published and when.end and published - when.end > timedelta(days=60):
            continue
        out.append(mention.start - sentence.start)
    return out


def _facts(text: str, recent_dates: list[int], *, has_place: bool = True) -> list[_Fact]:
    """The kinds this sentence states as facts, one trigger each, weaker readings absorbed."""
    chosen: dict[str, Trigger] = {}
    for trigger in find_triggers(text):
        if trigger.kind in chosen:
            continue
        if _is_cancelled(text, trigger, recent_dates):
            continue
        support = _NEEDS_SUPPORT.get(trigger.kind) if _WEAK_TRIGGER.match(trigger.text) else None
        if support and not support.search(text[max(0, trigger.start - 80): trigger.start] + " "
                                          + text[trigger.end: trigger.end + 80]):
            continue
        if trigger.kind in _KINETIC and _inside_quote(text, trigger.start) and not has_place:
            continue
        act = _ACT_VERBS.get(trigger.kind)
        if act and not act.search(text[clause_start(text, trigger.start): clause_end(text, trigger.end)]):
            continue
        chosen[trigger.kind] = trigger
    if "statement" in chosen and not _is_statement(text):
        del chosen["statement"]
    if "diplomacy" in chosen and _is_venue(text, chosen["diplomacy"]):
        del chosen["diplomacy"]
    if "statement" in chosen and len(chosen) > 1:
        del chosen["statement"]
    kinds = set(chosen)
    for kind in list(kinds):
        for absorbed in _ABSORBS.get(kind, ()):
            if absorbed in chosen and absorbed != kind and not _separate_clauses(text, chosen[kind], chosen[absorbed]):
                kinds.discard(absorbed)
    return [_Fact(kind, chosen[kind]) for kind in sorted(kinds, key=lambda k: chosen[k].start)]


_ACT_VERBS: dict[str, re.Pattern[str]] = {
    # Non-kinetic kinds are facts only when someone did something: adopted, pledged, met, signed.
    "sanctions": re.compile(
        r"\b(?:adopt|approv|impos|announc|introduc|sign|agree|unveil|extend|slap|levi|blacklist|greenl|"
        r"target|freez|froze|expand|added|adds|listed|renew|prolong|lift)\w{0,5}\b", re.I),
    "aid": re.compile(
        r"\b(?:pledg|promis|announc|approv|deliver|send|sent|provid|allocat|sign|giv|gave|transfer|withh|paus|"
        r"suspend|halt|agree|worth|valued|earmark|donat|handed|ship|receiv|unveil|commit)\w{0,5}\b", re.I),
    "diplomacy": re.compile(
        r"\b(?:met|meet|held|hold|gather|visit|sign|agree|negotiat(?:ed)|exchang|swap|arriv|host|conduct|"
        r"discuss|took note|talked|spoke|call(?:ed)? with|travel|began|opened|conclud|resum|mediat)\w{0,5}\b", re.I),
    "policy": re.compile(
        r"\b(?:withdraw|sign|pass|adopt|approv|decree|announc|ratif|enact|introduc|extend|lower|rais|"
        r"declar|order|vot|suspend|revok|join|leav|left|exit)\w{0,5}\b", re.I),
}


def _inside_quote(text: str, position: int) -> bool:
    return any(a < position < b for a, b in quoted_spans(text))


_WITHHELD = re.compile(r"\bwould not be sending|\bwill not (?:send|deliver)|\bwithh[oe]ld", re.I)


def _is_cancelled(text: str, trigger: Trigger, recent_dates: list[int]) -> bool:
    """Hypotheses, negations, habits and recaps are not new facts; a recent date in the same
    clause ('after capturing the city last July 3') makes a recap news again."""
    if trigger.kind == "aid" and _WITHHELD.search(text):
        return False
    if trigger.kind in ("statement",):
        return False
    if is_hypothetical(text, trigger) or is_negated(text, trigger):
        return True
    if re.search(r",\s+(?:marking|making|meaning|which marks|which made)\b[^,;]*$", text[:trigger.start]):
        return True
    dated = any(clause_start(text, trigger.start) <= d <= clause_end(text, trigger.end) for d in recent_dates)
    return not dated and (is_background(text, trigger) or is_habitual(text, trigger))


def _is_statement(text: str) -> bool:
    """A statement event needs a speaker and words that carry intent: orders, threats, quotes."""
    has_quote = bool(quoted_spans(text))
    speaker = find_attribution(text, 0).claimant
    return speaker is not None and (has_quote or bool(re.search(
        r"\b(?:ordered|instructed|threaten|warn|vow|demand|called (?:on|for)|urged)", text, re.I)))


def _is_venue(text: str, trigger: Trigger) -> bool:
    """'told journalists at the summit in Minsk': the summit is where words were said, not the news."""
    before = text[max(0, trigger.start - 50): trigger.start]
    return bool(re.search(r"\bat (?:the|a|an) (?:[\w-]+ ){0,5}$", before)) and bool(
        re.search(r"\b(?:told|telling|said|saying|speaking|spoke)\b", text, re.I))


def _separate_clauses(text: str, first: Trigger, second: Trigger) -> bool:
    a, b = sorted((first, second), key=lambda t: t.start)
    return clause_end(text, a.end) < b.start and clause_start(text, b.start) > a.end


# ---------------------------------------------------------------------------------------------
# Places


def _places_for(
    fact: _Fact, facts: list[_Fact], text: str, offset: int, places: list[PlaceMention], recent: list[int]
) -> list[PlaceMention]:
    """The places this fact happened at: for kinetic kinds every specific place named (one event
    each); for other kinds the one place where it happened, if any."""
    usable = [p for p in places if _is_location_use(text, p.start - offset, p.end - offset)]
    if not usable and fact.kind in _PER_PLACE:
        usable = [p for p in places if _JURISDICTION.match(text[p.end - offset: p.end - offset + 40])][:1]
    usable = [p for p in usable if _nearest_fact(facts, text, p.start - offset) is fact]
    usable = _drop_containers(usable, text, offset)
    if not usable:
        return []
    if fact.kind in _PER_PLACE:
        scoped = [p for p in usable if _in_scope(text, p.start - offset, fact, recent)]
        return _countries_only_as_setting(_dedupe_places(scoped), text, offset)
    if fact.kind in ("sanctions", "aid", "policy"):
        return []
    for preposition in (r"in|at|near|visit(?:ed|ing|s)?", r"to|from"):
        pattern = re.compile(rf"\b(?:{preposition})\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,2}}$")
        located = [p for p in usable if pattern.search(text[max(0, p.start - offset - 30): p.start - offset])]
        if located:
            return located[:1]
    return []


def _nearest_fact(facts: list[_Fact], text: str, position: int) -> _Fact | None:
    """The fact whose trigger is closest to a place; a trigger before the place wins ties."""
    if not facts:
        return None
    return min(facts, key=lambda f: _trigger_distance(text, f.trigger, position))


def _trigger_distance(text: str, trigger: Trigger, position: int) -> int:
    """Characters from trigger to place; a trigger earlier in the place's own clause is nearest."""
    if trigger.start <= position and clause_start(text, position) <= trigger.start:
        return position - trigger.start
    return abs(trigger.start - position) + 200


def _countries_only_as_setting(places: list[PlaceMention], text: str, offset: int) -> list[PlaceMention]:
    """A country is where a fact happened only when nothing finer is named and a locative
    preposition introduces it ('an attack on Ukraine'); 'between Russia and Ukraine' is not."""
    finer = [p for p in places if p.location and not (p.location.geo_precision == "country" and _is_area(p.location))]
    if finer:
        return finer
    return [p for p in places[:1] if re.search(
        r"\b(?:in|on|into|against|across|inside|over|at|within|throughout)\s+(?:the\s+)?$",
        text[max(0, p.start - offset - 15): p.start - offset])]


def _in_scope(text: str, position: int, fact: _Fact, recent: list[int]) -> bool:
    """A place belongs to a fact when the nearest trigger of the fact's kind is live and the place
    sits in its clause ('after failing to capture Kyiv' keeps Kyiv out of an earlier capture)."""
    same_kind = [t for t in find_triggers(text) if t.kind == fact.kind]
    if not same_kind:
        return False
    nearest = min(same_kind, key=lambda t: _trigger_distance(text, t, position))
    if nearest.start != fact.trigger.start and _is_cancelled(text, nearest, recent):
        return False
    return clause_start(text, nearest.start) <= position < clause_end(text, nearest.end)


_REFERENCE_POINT = re.compile(
    r"(?:(?:north|south|east|west)(?:[- ]?(?:north|south|east|west))?(?:ern)?|outside|from)\s+of\s+"
    r"(?:the\s+)?(?:regional capital\s+|city of\s+|town of\s+|occupied\s+)?$"
    r"|\b(?:according to|near the border with)\s+$"
    r"|\bkm\s+(?:from|of)\s+$|\bkilomet(?:er|re)s\s+(?:\w+\s+)?(?:from|of)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.I,
)


_OWNED_BODY = re.compile(
    r"['’´]s (?:\w+ )?(?:forces|troops|army|military|president|government|defen[cs]e|air force|general staff|"
    r"ministry|hands)", re.I)
_MEDIA_AFTER = re.compile(
    r"\s+(?:city\s+)?(?:television|tv|radio|independent|post|times|news|media|newspaper|channel|pravda|agency|"
    r"herald|telegraph|journal|daily|today|broadcaster)\b", re.I)


_NOT_A_PLACE_AFTER = re.compile(
    r"\s+(?:(?:oblast|region|regional|city|district)\s+)?(?:river|sea|lake|bay|strait|mountains?|group|"
    r"grouping|battlegroup|brigade|battalion|regiment|division|corps|fleet|pipeline|governor|mayor|head|"
    r"authorities|administration|police|officials?|"
    r"council|military administration|prosecutor)\b", re.I)
# "Kyiv mayor Vitaliy Klitschko": the official's territory, where the fact happened when nothing finer is named.
_JURISDICTION = re.compile(
    r"\s+(?:(?:oblast|region|regional|city)\s+)?(?:governor|mayor|head|authorities|administration|officials?|"
    r"police|military administration)\b", re.I)
_ATTRIBUTION_TAIL = re.compile(
    r"^[^,;]{0,40}?\b(?:said|says|reported|reports|announced|claimed|told|stated|wrote|added)\b[^,;]*$", re.I)


def _is_dateline(text: str, start: int, end: int) -> bool:
    """'MOSCOW (Reuters) -', 'KYIV, Ukraine:': where the report was filed, not where it happened."""
    if start > 0 and text[:start].strip():
        return bool(re.fullmatch(r"[A-Z]{3,}(?:,\s*)?", text[:start].strip())) and bool(
            re.match(r"\s*(?:\([^)]*\))?\s*[:\-–—]", text[end:end + 20]))
    opens_the_text = re.match(r"\s*(?:,\s*\w+\s*)?(?:\([^)]*\))?\s*[:\-–—]\s", text[end:end + 30])
    return text[start:end].isupper() or bool(opens_the_text)


def _is_location_use(text: str, start: int, end: int) -> bool:
    """Possessives ("Ukraine's air force") and subjects of verbs ("Moscow said") are actors;
    "south-west of Donetsk" is a reference point, not where it happened."""
    if _REFERENCE_POINT.search(text[max(0, start - 60):start]):
        return False
    after = text[end:end + 20]
    if _MEDIA_AFTER.match(text[end:end + 40]) or _is_dateline(text, start, end) or _NOT_A_PLACE_AFTER.match(after):
        return False
    if _ATTRIBUTION_TAIL.match(text[end:]) and re.search(r",\s+(?:the\s+)?[^,]*$", text[:start]):
        return False
    if re.match(r"['’´]s?\b", after):
        before = text[max(0, start - 6):start].lower()
        return bool(re.search(r"\b(?:at|in|to|on)\s+$", before)) and not _OWNED_BODY.match(after)
    if re.match(r"\s+(?:said|says|has|have|had|is|was|will|would|launched|claims?|claimed|agreed|announced|"
                r"demanded|refused|denied|controls|annexed|uses|used|invaded|wants|continues|may|might|could|"
                r"should|can|must|did|does|struck|attacked|hit|fired|sent|sends|plans|seeks|insists|"
                r"responded|retaliated|accused|warned|threatened)\b", after):
        return bool(re.search(r"\b(?:in|at|of)\s+(?:the\s+)?$", text[max(0, start - 9):start]))
    return True


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
    r"\b(?:in|near|across|around|within)\s+(?:the\s+)?(?:\w+['’]s\s+)?(?:\w+\s+)?$"
    r"|\b(?:villages?|settlements?|towns?|cities|areas?|parts?) of\s+(?:the\s+)?$", re.I)
_SETTING_AFTER = re.compile(r"\s+(?:oblast|region|province)?\s*(?:villages?|towns?|city|settlements?)\s+of\b", re.I)


def _drop_containers(places: list[PlaceMention], text: str, offset: int) -> list[PlaceMention]:
    """Keep the most specific places: a region named as the setting of its own villages ('the
    villages of A and B in Donetsk') is context, while 'the entire Luhansk region' is a target."""
    kept = []
    for place in places:
        assert place.location is not None
        before = text[max(0, place.start - offset - 25): place.start - offset]
        after = text[place.end - offset: place.end - offset + 40]
        setting = (
            bool(_SETTING_BEFORE.search(before))
            or place.location.geo_precision == "country"
            or (bool(re.search(r"[A-Za-z’'-]+,\s*$", before)) and place.location.geo_precision == "admin1")
            or bool(_SETTING_AFTER.match(after))
        )
        inside = setting and any(
            other is not place and other.location is not None and _contains(place.location, other.location)
            for other in places
        )
        if not inside:
            kept.append(place)
    return kept


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


# ---------------------------------------------------------------------------------------------
# Dates


def _when_for(
    fact: _Fact, text: str, offset: int, place: PlaceMention | None, dates: list[DateMention], fallback: When
) -> When:
    """The date of the clause that names the place (or the trigger); else the context date."""
    usable = [d for d in dates if d.when.known]
    if not usable:
        unresolved = [d for d in dates if not d.when.known]
        return unresolved[0].when if unresolved and fallback is UNKNOWN_WHEN else fallback
    usable = _prefer_absolute(usable)
    anchor = (place.end if place is not None else offset + fact.trigger.start)
    following = [d for d in usable if d.start >= anchor and not _clause_between(text, offset, anchor, d.start)]
    if place is not None and following:
        return following[0].when
    return min(usable, key=lambda d: abs(d.start - anchor)).when


def _prefer_absolute(dates: list[DateMention]) -> list[DateMention]:
    """'overnight on 21 February': of two dates side by side the written-out one is exact."""
    out = []
    for mention in dates:
        twin = next((d for d in dates if d is not mention
                     and (abs(d.start - mention.end) <= 5 or abs(mention.start - d.end) <= 5)), None)
        if twin is not None and not re.search(r"\d", mention.text) and re.search(r"\d", twin.text):
            continue
        out.append(mention)
    return out or dates


def _clause_between(text: str, offset: int, first: int, second: int) -> bool:
    between = text[first - offset: second - offset]
    return bool(re.search(r",\s+(?:proceeding|and then|then|before|while)\b|;|\bthe following\b|\bthe next\b"
                          r"|\b(?:where|which|who|after|since|when)\b", between))


def _context_when(article: Article, prose: list[Sentence], position: int, dates: Sequence[DateMention]) -> When:
    """A sentence without a date of its own continues the previous sentence's day, or else the
    publication day; without a publication date it stays unknown."""
    if position > 0:
        before = prose[position - 1]
        recent = [d for d in dates if before.start <= d.start < before.end and d.when.known
                  and d.when.precision == "day"]
        if recent and article.published and recent[-1].when.start and \
                timedelta(0) <= article.published - recent[-1].when.start <= timedelta(days=31):
            found = recent[-1].when
            return replace(found, reason=f"no date in the sentence; continues the previous sentence ({found.text})")
    if article.published is None:
        return UNKNOWN_WHEN
    return When(
        start=article.published, end=article.published, precision="day", text=None,
        reason=f"no date in the sentence; publication date {article.published.isoformat()}",
    )


def _is_generic(fact: _Fact, targets: list[PlaceMention], dates: list[DateMention], quantities: list[Quantity]) -> bool:
    """'Drone strikes do not demonstrate commitment': a kinetic word with no place below country
    level, no date of its own and no number describes a pattern, not an event."""
    if fact.kind not in _KINETIC and fact.kind != "casualties":
        return False
    placed = any(p.location and p.location.geo_precision != "country" for p in targets)
    counted = any(q.key in _EVENT_COUNTS and not q.in_parentheses and not q.anaphoric for q in quantities)
    dated = any(d.when.precision in ("day", "week") for d in dates)
    return not placed and not dated and not counted


_EVENT_COUNTS = frozenset({"drones", "missiles", "people", "aircraft", "helicopters", "airstrikes", "bombs", "tanks",
                           "area_km2", "distance_km", "settlements",
                           "vehicles"})


def _shares_one_count(fact: _Fact, text: str, quantities: list[Quantity]) -> bool:
    """'downed 36 drones over Bryansk, Kursk and Belgorod regions': one total for all of them."""
    counts = {q.key for q in quantities if not q.in_parentheses}
    launched = fact.kind in ("interception", "strike") and bool(counts & {"drones", "missiles"})
    return launched or "settlements" in counts


def _is_historical(when: When, published: date | None) -> bool:
    return bool(published and when.end and published - when.end > timedelta(days=60))


def _too_old(event: Event, published: date | None) -> bool:
    return bool(published and event.when.end and published - event.when.end > _HISTORICAL_AFTER)


# ---------------------------------------------------------------------------------------------
# Numbers


def _quantities_for(kind: str, text: str, quantities: list[Quantity]) -> dict[str, int | float]:
    """Contract keys for the numbers in the sentence, read in the light of the event kind."""
    out: dict[str, int | float] = {}
    intercept_at = _interception_start(text)
    destroy_at = re.search(r"\bdestroy(?:ed|ing)?\b|\bdamag(?:ed|ing)\b|\bhit\b", text, re.I)
    for q in quantities:
        if q.key is None and re.search(r"\b(?:killed|killing|injured|injuring|wounded|wounding)\s+$",
                                       text[max(0, q.start - 12): q.start], re.I):
            q = replace(q, key="people")
        if q.in_parentheses or q.key is None or (q.anaphoric and q.key == "people"):
            continue
        key = q.key
        if key in ("drones", "missiles") and (_passively_intercepted(text, q) or (
                intercept_at is not None and q.start >= intercept_at and not _is_total_of(text, q))):
            key = f"{key}_intercepted"
        elif key in ("helicopters", "aircraft") and destroy_at:
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


def _interception_start(text: str) -> int | None:
    found = re.search(r"\bshot down\b|\bdowned\b|\bintercept|\bdestroyed or|\bsuppressed\b|\bjammed\b|"
                      r"\bneutrali[sz]ed\b|\bdestroyed (?:\d+|\w+) (?:drones|uavs|missiles)", text, re.I)
    if found:
        return found.start()
    passive = re.search(r"(?:\d[\d,]*|\w+)\s+(?:\w+\s+)?(?:drones?|uavs?|missiles?)\s+"
                        r"(?:were|was|had been|have been)\s+"
                        r"(?:\w+\s+)?(?:destroyed|downed|intercepted|shot down|neutrali[sz]ed|jammed)", text, re.I)
    return passive.start() if passive else None


_PASSIVE_DOWN = re.compile(
    r"^\s*(?:[\w-]+\s+){0,3}?(?:drones?|uavs?|missiles?|rockets?|unmanned aerial vehicles)?\s*"
    r"(?:were|was|had been|have been|been)\s+(?:\w+\s+)?(?:destroyed|downed|intercepted|shot down|"
    r"neutrali[sz]ed|jammed|suppressed)", re.I)


def _passively_intercepted(text: str, q: Quantity) -> bool:
    """'18 UAVs were destroyed or jammed': the count is the subject of an air-defence verb."""
    return bool(_PASSIVE_DOWN.match(text[q.end: q.end + 80]))


def _is_total_of(text: str, q: Quantity) -> bool:
    """'73 of over 90 missiles': the 90 is the number launched, not intercepted."""
    before = text[max(0, q.start - 20): q.start]
    return bool(re.search(r"\d\s+of\s+(?:the\s+)?(?:over\s+|more than\s+|about\s+|around\s+)?$", before))


_PEOPLE_VERB_BEFORE = re.compile(
    r"\b(?P<verb>kill\w*|injur\w*|wound\w*|claimed the lives of|casualties at|losses at|left)\s+"
    r"(?:(?:at least|more than|over|about|some|up to)\s+)?$", re.I)
_PEOPLE_VERB_AFTER = re.compile(
    r"^\W*(?:[\w-]+\s+){0,3}?(?:(?:were|was|have been|had been|are|being)\s+)?(?:reportedly\s+)?"
    r"(?P<verb>killed|dead|died|deaths|lost their lives|injured|wounded|hurt|missing|casualties|losses)\b", re.I)


def _people_key(text: str, q: Quantity) -> str | None:
    """Whether a count of people counts the killed, the injured or the missing."""
    before = _PEOPLE_VERB_BEFORE.search(text[max(0, q.start - 40): q.start])
    after = _PEOPLE_VERB_AFTER.search(text[q.end: q.end + 60])
    verb = (before or after)
    if verb is None:
        nearby = text[max(0, q.start - 40): q.end + 40].lower()
        return "prisoners" if re.search(r"\b(?:prisoners|pows|exchange|swap)\b", nearby) else None
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
    for match in _ALL_BUT.finditer(text):
        from claimline.quantities import parse_number

        excepted = parse_number(match.group("n"))
        what = match.group("what").lower()
        total = out.get(what)
        if excepted is not None and total is not None:
            out[f"{what}_intercepted"] = as_int(total - excepted)
        elif excepted is not None:
            out[f"_{what}_all_but"] = as_int(excepted)


_DISTRIBUTIVE = re.compile(r"(?:,|\band)\s+(?P<n>[\w,]+)\s+(?:\w+\s+)?(?:in|over|near|at|on)\s+(?:the\s+)?$", re.I)


def _distributed_counts(
    fact: _Fact, text: str, offset: int, targets: list[PlaceMention], quantities: list[Quantity]
) -> dict[int, dict[str, int | float]]:
    """'18 drones were destroyed in A, nine in B and nine in C': one count per place. The first
    place takes the sentence's first count; each later one the number just before it."""
    if fact.kind not in _PER_PLACE or len(targets) < 2:
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


def _fatalities(quantities: dict[str, int | float] | None) -> int | None:
    if not quantities or "killed" not in quantities:
        return None
    return int(quantities["killed"])


# ---------------------------------------------------------------------------------------------
# Actors and ACLED codes


def _side_near(text: str, position: int) -> str | None:
    best: tuple[int, str] | None = None
    for side, regex in _SIDE_WORDS.items():
        for match in regex.finditer(text):
            distance = abs(match.start() - position)
            if match.start() > position + 40:
                distance += 100
            if best is None or distance < best[0]:
                best = (distance, side)
    return best[1] if best else None


def _actor(text: str, fact: _Fact) -> str | None:
    if fact.kind in _KINETIC or fact.kind == "casualties":
        agent = _agent_side(text, fact.trigger.start)
        return _ACTOR_NAMES.get(agent) if agent else None
    return clause_subject(text[clause_start(text, fact.trigger.start): fact.trigger.start])


def _agent_side(text: str, position: int) -> str | None:
    """The side doing the act: the nearest side word before the trigger, or after it ('by Russia')."""
    before = text[:position]
    sides = [(m.start(), side) for side, regex in _SIDE_WORDS.items() for m in regex.finditer(before)]
    if sides:
        return max(sides)[1]
    by = re.search(r"\bby\s+(?:the\s+)?(\w+)", text[position:])
    if by:
        for side, regex in _SIDE_WORDS.items():
            if regex.match(by.group(1)):
                return side
    return _side_near(text, position)


def _target_side(text: str, fact: _Fact, location: Location | None) -> str | None:
    if fact.kind not in _KINETIC:
        return None
    agent = _agent_side(text, fact.trigger.start)
    if agent == "Russia":
        return _ACTOR_NAMES["Ukraine"]
    if agent == "Ukraine":
        return _ACTOR_NAMES["Russia"]
    return None


def _acled(kind: str, text: str) -> tuple[str | None, str | None]:
    lowered = text.lower()
    if kind == "territory":
        if re.search(r"withdr|retreat|pulled out", lowered):
            return "Strategic developments", "Non-violent transfer of territory"
        if re.search(r"recaptur|retook|regain|liberat", lowered) and "ukrain" in lowered:
            return "Battles", "Government regains territory"
        return "Battles", "Armed clash"
    if kind == "clash":
        return "Battles", "Armed clash"
    if kind in ("strike", "casualties"):
        if re.search(r"drone|air ?strike|aerial|airstrike|air raid|bomb|aircraft", lowered):
            return "Explosions/Remote violence", "Air/drone strike"
        if re.search(r"missile|shell|artillery|rocket|mortar|bombard", lowered):
            return "Explosions/Remote violence", "Shelling/artillery/missile attack"
        return ("Explosions/Remote violence", "Shelling/artillery/missile attack") if kind == "strike" else (None, None)
    if kind == "interception":
        return "Strategic developments", "Other"
    if kind == "diplomacy":
        if re.search(r"agree|swap|exchange|signed|deal", lowered):
            return "Strategic developments", "Agreement"
        return "Strategic developments", "Other"
    if kind in ("sanctions", "aid", "policy"):
        return "Strategic developments", "Other"
    return None, None


# ---------------------------------------------------------------------------------------------
# The document pass


def _speaker_of(sentence: Sentence) -> str | None:
    claimant = find_attribution(sentence.text, len(sentence.text)).claimant
    return None if claimant is None or refers_to_speaker(claimant) else claimant


def _fold_into_previous(
    sentence: Sentence, new: list[Event], previous: list[Event], found: list[Event]
) -> list[Event]:
    """A follow-up ('The SBU said it was behind the attack and destroyed three helicopters') adds
    its claimant and numbers to the fact of the sentence before instead of making a new event."""
    if not new or not previous or not _ANAPHORIC_FOLLOW_UP.search(sentence.text):
        return _complete_all_but(new, previous)
    if any(e.location is not None for e in new):
        return _complete_all_but(new, previous)
    target = previous[-1]
    if target.kind not in _KINETIC or any(e.kind != target.kind for e in new):
        return _complete_all_but(new, previous)
    claim = next((e for e in new if e.claimant), None)
    quantities = dict(target.quantities)
    for event in new:
        for key, value in event.quantities.items():
            quantities.setdefault(key, value)
    index = found.index(target)
    found[index] = replace(
        target,
        claimant=target.claimant or (claim.claimant if claim else None),
        attribution=claim.attribution if claim and target.attribution == "asserted" else target.attribution,
        attribution_cue=target.attribution_cue or (claim.attribution_cue if claim else None),
        quantities=quantities, fatalities=target.fatalities or _fatalities(quantities),
    )
    return []


def _fold_toll_into_strike(new: list[Event], previous: list[Event], found: list[Event]) -> list[Event]:
    """'Russian forces shelled X. Two civilians were killed.': the toll belongs to the strike told
    in the sentence just before, unless someone else reports it."""
    if not new or not previous or any(e.kind != "casualties" or e.location is not None for e in new):
        return new
    target = previous[-1]
    toll = new[0]
    if target.kind not in ("strike", "clash") or target.location is None or not toll.quantities:
        return new
    if toll.claimant and target.claimant and toll.claimant != target.claimant:
        return new
    quantities = dict(target.quantities)
    for key, value in toll.quantities.items():
        quantities.setdefault(key, value)
    found[found.index(target)] = replace(target, quantities=quantities, fatalities=_fatalities(quantities),
                                         claimant=target.claimant or toll.claimant)
    return []


def _complete_all_but(new: list[Event], previous: list[Event]) -> list[Event]:
    """'all but one of the drones' in a sentence after the one that gave the total."""
    out = []
    for event in new:
        quantities = dict(event.quantities)
        for what in ("drones", "missiles"):
            excepted = quantities.pop(f"_{what}_all_but", None)
            if excepted is None:
                continue
            total = next((p.quantities.get(what) for p in reversed(previous) if p.quantities.get(what)), None)
            if total is not None:
                quantities[f"{what}_intercepted"] = as_int(float(total) - float(excepted))
        out.append(replace(event, quantities=quantities) if quantities != dict(event.quantities) else event)
    return out


_PLURAL_PLACE_ANAPHORA = re.compile(r"\bthe (?:two |three |four |several )?(?:villages|settlements|towns)\b", re.I)
_PLACE_ANAPHORA = re.compile(
    r"\b(?:in|on|at|during|after) the (?:attack|strike|raid)\b"
    r"|\b(?:the|this) (?:\w+ )?(?:city|town|village|port|base|airfield|headquarters)\b"
    r"|\bthere\b|\bthe (?:oblast|region)\b",
    re.I,
)


def _resolve_place_anaphora(events: list[Event], prose: list[Sentence]) -> list[Event]:
    """'claimed to have captured the villages' names the villages of the last territorial claim;
    'one serviceman was missing in the attack' happened where the attack did."""
    index_of = {s.start: i for i, s in enumerate(prose)}
    out: list[Event] = []
    for event in events:
        if event.location is not None:
            out.append(event)
            continue
        position = index_of.get(event.evidence.start, 0)
        recent = [e for e in out if e.location is not None and position - index_of.get(e.evidence.start, -9) <= 3]
        if event.kind == "territory" and _PLURAL_PLACE_ANAPHORA.search(event.evidence.text):
            group = _last_group(recent, "territory")
            if group:
                out.extend(replace(event, location=g.location) for g in group)
                continue
        if event.kind in _KINETIC | {"casualties"} and _PLACE_ANAPHORA.search(event.evidence.text):
            kinetic = [e for e in recent if e.kind in _KINETIC | {"casualties"}
                       and e.location is not None and e.location.geo_precision != "country"]
            if kinetic:
                out.append(replace(event, location=kinetic[-1].location))
                continue
        out.append(event)
    return out


def _last_group(events: list[Event], kind: str) -> list[Event]:
    """The events of `kind` that share the most recent evidence sentence."""
    of_kind = [e for e in events if e.kind == kind]
    if not of_kind:
        return []
    last = of_kind[-1].evidence.start
    return [e for e in of_kind if e.evidence.start == last]


_BULLET = re.compile(r"^\s*(?:[→•▪►‣*]|-\s)")
_REPORTED_BY = re.compile(
    r"^(?:this|that|it|the (?:information|news))\s+(?:was|has been|is)\s+(?:reported|announced|stated|said|confirmed|"
    r"disclosed)\s+by\s+(?:the\s+)?(?P<who>[^.;]+?)(?:,\s+(?:following|after|in|on)\b|[.;]|$)", re.I)
_DOCUMENT_SOURCE = re.compile(
    r"\b(?:statement|report|update|summary|information|data|figures)\s+(?:was|were|has been|have been)\s+"
    r"(?:published|released|issued|posted|provided)\b[^.]*?\bby\s+(?:the\s+)?(?P<who>[A-Z][^,.;]+)"
    r"|^source:\s*(?P<line>[^;\n]+)", re.I)


def _resolve_short_claimants(events: list[Event]) -> list[Event]:
    """'The ministry said', 'the General Staff also said': the body the story already named in full."""
    named: list[str] = []
    out = []
    for event in events:
        claimant = event.claimant
        if claimant and len(claimant.split()) <= 3:
            fuller = next((n for n in reversed(named) if len(n) > len(claimant)
                           and re.search(rf"\b{re.escape(claimant)}\b", n, re.I)), None)
            if fuller:
                event = replace(event, claimant=fuller)
        if event.claimant:
            named.append(event.claimant)
        out.append(event)
    return out


def _credit_document_source(events: list[Event], sentences: Sequence[Sentence]) -> list[Event]:
    """A report that names its own source ('The statement was published today by the General
    Staff', 'Source: Russian Defence Ministry') claims every fact no one else claims in it."""
    source = None
    for sentence in sentences:
        found = _DOCUMENT_SOURCE.search(sentence.text)
        if found:
            source = normalise_claimant(found.group("who") or found.group("line"), sentence.text)
            break
    if source is None:
        return events
    return [e if e.claimant else replace(e, claimant=source, attribution="claimed" if e.attribution == "asserted"
                                         else e.attribution, attribution_cue="the report's stated source")
            for e in events]


def _same_fact(a: Event, b: Event) -> bool:
    if a.kind != b.kind or a.location is None or b.location is None:
        return False
    if any(key in b.quantities and a.quantities[key] != b.quantities[key] for key in a.quantities):
        return False
    if (a.location.gazetteer_id or a.location.name) != (b.location.gazetteer_id or b.location.name):
        return False
    if a.when.start and b.when.start and a.when.end and b.when.end:
        return not (a.when.end < b.when.start or b.when.end < a.when.start)
    return True


_ANAPHORA = re.compile(
    r"\b(?:this|that|the|the eu['’]s) (?:[\w-]+ )?(?:decision|move|step|package|deal|agreement|aid|announcement|"
    r"measure|pledge|round)\b",
    re.I,
)


def _continues(earlier: Event, later: Event, text: str) -> bool:
    """An unlocated fact retold later with a pointing phrase ('This decision was made …', 'This
    retaliatory package was approved …'), on the same day or in the very next sentence."""
    if earlier.kind != later.kind or earlier.location is not None or later.location is not None:
        return False
    adjacent = text[earlier.evidence.end: later.evidence.start].strip() == ""
    same_day = earlier.when.known and earlier.when.start == later.when.start
    pointing = bool(_ANAPHORA.search(later.evidence.text))
    quoted = bool(quoted_spans(later.evidence.text))
    return (adjacent and (pointing or quoted)) or (same_day and pointing)


def _merge_repeats(events: list[Event], text: str) -> list[Event]:
    """The same fact told twice in one document is one event, first telling kept, gaps filled."""
    kept: list[Event] = []
    listed = Counter((e.evidence.start, e.kind) for e in events)
    for event in events:
        if listed[(event.evidence.start, event.kind)] >= 3:
            kept.append(event)
            continue
        twin = next((k for k in kept if _same_fact(k, event) or _continues(k, event, text)), None)
        if twin is None:
            kept.append(event)
            continue
        index = kept.index(twin)
        quantities = dict(twin.quantities)
        for key, value in event.quantities.items():
            quantities.setdefault(key, value)
        if len(event.quantities) > len(twin.quantities):
            twin = replace(twin, evidence=event.evidence, claimant=event.claimant or twin.claimant,
                           attribution=event.attribution, attribution_cue=event.attribution_cue)
        kept[index] = replace(
            twin,
            claimant=_combined_claimant(twin.claimant, event.claimant),
            attribution=twin.attribution if twin.attribution != "asserted" else event.attribution,
            when=twin.when if twin.when.known else event.when,
            quantities=quantities,
        )
    return kept


def _combined_claimant(first: str | None, second: str | None) -> str | None:
    """A role told first and a name told next are one speaker: 'Leonid Pasechnik (governor of X)'."""
    if not first or not second or first == second:
        return first or second
    if not _names_a_person(first) and _names_a_person(second):
        return f"{second} ({first})"
    return first


def _names_a_person(phrase: str) -> bool:
    named = re.search(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", phrase)
    institutional = re.search(
        r"\b(?:Ministry|Staff|Force|Service|Command|Council|Office|Directorate|Institute)\b", phrase)
    return bool(named) and not institutional


def _mark_disputed(events: list[Event], prose: list[Sentence]) -> list[Event]:
    """A territorial or strike claim followed within two sentences by a contradiction is disputed."""
    index_of = {s.start: i for i, s in enumerate(prose)}
    out = []
    for event in events:
        position = index_of.get(event.evidence.start)
        if position is not None and event.kind in ("territory", "strike", "casualties") and event.claimant:
            nearby = prose[position + 1: position + 3]
            if any(_CONTRADICTION.search(s.text) or is_denial(s.text) for s in nearby):
                event = replace(event, attribution="disputed", attribution_cue="contradicted nearby")
        out.append(event)
    return out
