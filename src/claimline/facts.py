"""Which kinds of fact a sentence states: triggers kept, cancelled or absorbed by a stronger reading."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from claimline.claimants import (
    clause_subject,
    find_attribution,
    quoted_spans,
)
from claimline.folding import case_folded, for_folded_text
from claimline.model import (
    DateMention,
    Sentence,
)
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

KINETIC = frozenset({"territory", "clash", "strike", "interception"})


PER_PLACE = frozenset({"territory", "clash", "strike", "interception", "casualties"})

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


_FOLDED_NEEDS_SUPPORT = {kind: for_folded_text(pattern) for kind, pattern in _NEEDS_SUPPORT.items()}


_WEAK_TRIGGER = re.compile(
    r"(?:hits?|targeting|targeted|explosions?|damaged|strikes?|kill\w*|dead|died|deaths?|wounded|injur\w*|"
    r"casualties|missing|fatalities|losses|intercept\w*|neutrali[sz]ed|jammed)$", re.I)


@dataclass(frozen=True, slots=True)
class Fact:
    """A kind stated in one sentence, before it is split per place."""

    kind: str
    trigger: Trigger


def recent_date_spans(sentence: Sentence, dates: list[DateMention], published: date | None) -> list[int]:
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


def sentence_facts(text: str, recent_dates: list[int], *, has_place: bool = True) -> list[Fact]:
    """The kinds this sentence states as facts, one trigger each, weaker readings absorbed."""
    chosen: dict[str, Trigger] = {}
    for trigger in find_triggers(text):
        if trigger.kind in chosen:
            continue
        if is_cancelled(text, trigger, recent_dates):
            continue
        if trigger.kind in _NEEDS_SUPPORT and _WEAK_TRIGGER.match(trigger.text) and not _is_supported(text, trigger):
            continue
        if trigger.kind in KINETIC and _inside_quote(text, trigger.start) and not has_place:
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
    return [Fact(kind, chosen[kind]) for kind in sorted(kinds, key=lambda k: chosen[k].start)]


_ACT_VERBS: dict[str, re.Pattern[str]] = {
    # Non-kinetic kinds are facts only when someone did something: adopted, pledged, met, signed.
    "sanctions": re.compile(
        r"\b(?:adopt|approv|impos|announc|introduc|sign|agree|unveil|extend|slap|levi|blacklist|greenl|propos|"
        r"target|freez|froze|expand|added|adds|listed|renew|prolong|lift|decid|decision)\w{0,5}\b", re.I),
    "aid": re.compile(
        r"\b(?:pledg|promis|announc|approv|deliver|send|sent|provid|allocat|sign|giv|gave|transfer|withh|paus|"
        r"suspend|halt|agree|worth|valued|earmark|donat|handed|ship|receiv|unveil|commit)\w{0,5}\b", re.I),
    "diplomacy": re.compile(
        r"\b(?:met|meet|held|hold|gather|visit|sign|agree|negotiat(?:ed)|exchang|swap|arriv|host|conduct|"
        r"discuss|took note|talked|spoke|call(?:ed)? with|travel|began|opened|conclud|resum|mediat|return|freed|"
        r"releas|handed|repatriat|brokered)\w{0,5}\b", re.I),
    "policy": re.compile(
        r"\b(?:withdraw|sign|pass|adopt|approv|decree|announc|ratif|enact|introduc|extend|lower|rais|"
        r"declar|order|vot|suspend|revok|join|leav|left|exit)\w{0,5}\b", re.I),
}


def _is_supported(text: str, trigger: Trigger) -> bool:
    """A supporting word of the trigger's kind within 80 characters either side of it."""
    near = text[max(0, trigger.start - 80): trigger.start] + " " + text[trigger.end: trigger.end + 80]
    folded = case_folded(near)
    if folded is None:
        return bool(_NEEDS_SUPPORT[trigger.kind].search(near))
    return bool(_FOLDED_NEEDS_SUPPORT[trigger.kind].search(folded))


def _inside_quote(text: str, position: int) -> bool:
    return any(a < position < b for a, b in quoted_spans(text))


_WITHHELD = re.compile(r"\bwould not be sending|\bwill not (?:send|deliver)|\bwithh[oe]ld", re.I)
_CONSEQUENCE_CLAUSE = re.compile(r",\s+(?:marking|making|meaning|which marks|which made)\b[^,;]*$")
_INTENT = re.compile(r"\b(?:ordered|instructed|threatened|threatens|warned|warns|vowed|vows|demanded|demands that|"
                     r"called (?:on|for)|urged|rejected|dismissed|refused)\b", re.I)
_AT_AN_EVENT_BEFORE = re.compile(r"\bat (?:the|a|an) (?:[\w-]+ ){0,5}$")
_TELLING = re.compile(r"\b(?:told|telling|said|saying|speaking|spoke)\b", re.I)


def is_cancelled(text: str, trigger: Trigger, recent_dates: list[int]) -> bool:
    """Hypotheses, negations, habits and recaps are not new facts; a recent date in the same
    clause ('after capturing the city last July 3') makes a recap news again."""
    if trigger.kind == "aid" and _WITHHELD.search(text):
        return False
    if trigger.kind in ("statement",):
        return False
    if is_hypothetical(text, trigger) or is_negated(text, trigger):
        return True
    if _CONSEQUENCE_CLAUSE.search(text[:trigger.start]):
        return True
    dated = bool(recent_dates) and _any_within(recent_dates, clause_start(text, trigger.start),
                                               clause_end(text, trigger.end))
    return not dated and (is_background(text, trigger) or is_habitual(text, trigger))


def _any_within(positions: list[int], start: int, end: int) -> bool:
    return any(start <= p <= end for p in positions)


def _is_statement(text: str) -> bool:
    """A statement event needs a speaker and words that carry intent: orders, threats, quotes."""
    has_quote = bool(quoted_spans(text))
    intent = _INTENT.search(text)
    speaker = find_attribution(text, 0).claimant or (clause_subject(text[:intent.start()]) if intent else None)
    return speaker is not None and (has_quote or bool(intent))


def _is_venue(text: str, trigger: Trigger) -> bool:
    """'told journalists at the summit in Minsk': the summit is where words were said, not the news."""
    before = text[max(0, trigger.start - 50): trigger.start]
    return bool(_AT_AN_EVENT_BEFORE.search(before)) and bool(_TELLING.search(text))


def _separate_clauses(text: str, first: Trigger, second: Trigger) -> bool:
    a, b = sorted((first, second), key=lambda t: t.start)
    return clause_end(text, a.end) < b.start and clause_start(text, b.start) > a.end
