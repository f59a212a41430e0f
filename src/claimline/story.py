"""Reading the story as a whole: follow-ups folded into the fact they continue, retellings merged,
places and speakers carried over from earlier sentences, claims contradicted nearby disputed."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from claimline.claimants import (
    claimant_at,
    clause_subject,
    is_denial,
    normalise_claimant,
    quoted_spans,
    refers_to_speaker,
)
from claimline.counts import fatalities_of
from claimline.facts import KINETIC
from claimline.folding import case_folded, holds_any, may_contain
from claimline.model import (
    Event,
    Sentence,
)
from claimline.quantities import as_int

_CONTRADICTION = re.compile(
    r"\bnot (?:everyone|all|all sides|all observers) (?:agreed|agree|accepted|accept)\b|\bothers? disagreed\b"
    r"|\bdisput(?:ed|es)\b|\bdenied\b|\brejected\b|\brefuted\b|\bcontradict"
    r"|\bremain(?:s|ed)? (?:free|contested|under (?:\w+ )?control|in (?:\w+['’]s )?hands)\b|\bwere not confirmed\b"
    r"|\bstill (?:held|holds|controlled|controls|in (?:\w+ )?hands)\b|\bnot (?:been )?captured\b"
    r"|\bwas not confirmed\b|\bdid not confirm\b|\bnot been confirmed\b|\brather than\b"
    r"|\bfalse\b|\bfake\b",
    re.I,
)
# every match of `_CONTRADICTION` holds one of these words (lower-cased)
_CONTRADICTION_WORDS = ("not", "disagreed", "disput", "denied", "rejected", "refuted", "contradict", "remain", "still",
                        "rather than", "false", "fake")


_ANAPHORIC_FOLLOW_UP = re.compile(
    r"\b(?:the|this|that) (?:attack|strike|raid|assault|operation|bombardment|shelling)\b"
    r"|\bbehind the (?:attack|strike)\b|\bin the (?:attack|strike)\b",
    re.I,
)
_FOLLOW_UP_WORDS = ("attack", "strike", "raid", "assault", "operation", "bombardment", "shelling")


_NO_COMMENT = re.compile(
    r"\b(?:did not|didn't|declined to|refused to|has not|had not) (?:immediately )?(?:comment|respond)", re.I)


def speaker_of(sentence: Sentence) -> str | None:
    """Who a following 'it said' or 'he said' refers to: the sentence's speaker, or the body that
    declined to comment ('The ministry did not comment. It said …')."""
    claimant = claimant_at(sentence.text, len(sentence.text))
    if claimant is None and (silent := _NO_COMMENT.search(sentence.text)):
        subject = clause_subject(sentence.text[:silent.start()])
        claimant = normalise_claimant(subject) if subject else None
    return None if claimant is None or refers_to_speaker(claimant) else claimant


class Speakers:
    """The last speaker before each sentence of the prose, found only when a sentence asks ('It said
    …', a bulleted list): few do, and finding a sentence's speaker costs as much as its events."""

    def __init__(self, prose: Sequence[Sentence]) -> None:
        self._prose = prose
        self._speaker_of: dict[int, str | None] = {}

    def before(self, position: int) -> str | None:
        for index in range(position - 1, -1, -1):
            if index not in self._speaker_of:
                self._speaker_of[index] = speaker_of(self._prose[index])
            if self._speaker_of[index] is not None:
                return self._speaker_of[index]
        return None


def _is_follow_up(text: str) -> bool:
    return may_contain(text, _FOLLOW_UP_WORDS) and bool(_ANAPHORIC_FOLLOW_UP.search(text))


def fold_into_previous(
    sentence: Sentence, new: list[Event], previous: list[Event], found: list[Event]
) -> list[Event]:
    """A follow-up ('The SBU said it was behind the attack and destroyed three helicopters') adds
    its claimant and numbers to the fact of the sentence before instead of making a new event."""
    if not new or not previous or not _is_follow_up(sentence.text):
        return _complete_all_but(new, previous)
    if any(e.location is not None for e in new):
        return _complete_all_but(new, previous)
    target = previous[-1]
    if target.kind not in KINETIC or any(e.kind != target.kind for e in new):
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
        quantities=quantities, fatalities=target.fatalities or fatalities_of(quantities),
    )
    return []


_MILITARY_LOSSES = re.compile(r"\b(?:lost|losses|soldiers|servicemen|troops|personnel)\b", re.I)


def fold_toll_into_strike(new: list[Event], previous: list[Event], found: list[Event]) -> list[Event]:
    """'Russian forces shelled X. Two civilians were killed.': the toll belongs to the strike told
    in the sentence just before, unless someone else reports it."""
    if not new or not previous or any(e.kind != "casualties" or e.location is not None for e in new):
        return new
    target = previous[-1]
    toll = new[0]
    if target.kind != "strike" or target.location is None or not toll.quantities:
        return new
    if _MILITARY_LOSSES.search(toll.evidence.text):
        return new
    if toll.claimant and target.claimant and toll.claimant != target.claimant:
        return new
    quantities = dict(target.quantities)
    for key, value in toll.quantities.items():
        quantities.setdefault(key, value)
    found[found.index(target)] = replace(target, quantities=quantities, fatalities=fatalities_of(quantities),
                                         claimant=target.claimant or toll.claimant)
    return []


def _complete_all_but(new: list[Event], previous: list[Event]) -> list[Event]:
    """'all but one of the drones' in a sentence after the one that gave the total."""
    out = []
    for event in new:
        if "_drones_all_but" not in event.quantities and "_missiles_all_but" not in event.quantities:
            out.append(event)
            continue
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


def _located_within(out: list[Event], index_of: dict[int, int], position: int, sentences: int) -> list[Event]:
    """The located events of the last few sentences, oldest first; events come in document order,
    so the search walks back only as far as those sentences."""
    found: list[Event] = []
    for earlier in reversed(out):
        at = index_of.get(earlier.evidence.start, -9)
        if at >= 0 and position - at > sentences:
            break
        if earlier.location is not None and position - at <= sentences:
            found.append(earlier)
    return found[::-1]


def resolve_place_anaphora(events: list[Event], prose: list[Sentence]) -> list[Event]:
    """'claimed to have captured the villages' names the villages of the last territorial claim;
    'one serviceman was missing in the attack' happened where the attack did."""
    index_of = {s.start: i for i, s in enumerate(prose)}
    out: list[Event] = []
    for event in events:
        if event.location is not None:
            out.append(event)
            continue
        position = index_of.get(event.evidence.start, 0)
        recent = _located_within(out, index_of, position, 3)
        if event.kind == "territory" and _PLURAL_PLACE_ANAPHORA.search(event.evidence.text):
            group = _last_group(recent, "territory")
            if group:
                out.extend(replace(event, location=g.location) for g in group)
                continue
        if event.kind in KINETIC | {"casualties"} and _PLACE_ANAPHORA.search(event.evidence.text):
            kinetic = [e for e in recent if e.kind in KINETIC | {"casualties"}
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
_PUBLISHING_WORDS = ("published", "released", "issued", "posted", "provided")


def credit_bulleted(sentence: Sentence, new: list[Event], speaker_before: Callable[[], str | None]) -> list[Event]:
    """Items of a bulleted list under 'X named three results:' are X's claims."""
    if not _BULLET.match(sentence.text):
        return new
    last_speaker = speaker_before()
    if not last_speaker:
        return new
    return [e if e.claimant else replace(e, claimant=last_speaker, attribution="claimed",
                                         attribution_cue="listed under the speaker") for e in new]


def credit_passive_report(sentence: Sentence, just_before: list[Event], found: list[Event]) -> None:
    """'This was reported by X': the facts of the sentence before are X's claims."""
    credited = _REPORTED_BY.match(sentence.text)
    if not credited:
        return
    who = normalise_claimant(credited.group("who"), sentence.text)
    for event in just_before:
        if not event.claimant and event in found:
            found[found.index(event)] = replace(event, claimant=who, attribution="claimed",
                                                attribution_cue=credited.group(0)[:40])


def _names_within(short: str, name: str) -> bool:
    """`short` written as whole words inside `name`, in any case."""
    if short.isascii() and not may_contain(name, (short.lower(),)):
        return False  # (?i) matches an ASCII letter only to itself, its other case and the few that may_contain knows
    return bool(re.search(rf"\b{re.escape(short)}\b", name, re.I))


def resolve_short_claimants(events: list[Event]) -> list[Event]:
    """'The ministry said', 'the General Staff also said': the body the story already named in full."""
    named: dict[str, None] = {}  # each claimant once, the most recently named last
    within: dict[tuple[str, str], bool] = {}  # the same few names are compared again and again

    def is_within(short: str, name: str) -> bool:
        if (short, name) not in within:
            within[short, name] = _names_within(short, name)
        return within[short, name]

    out = []
    for event in events:
        claimant = event.claimant
        if claimant and len(claimant.split()) <= 3:
            fuller = next((n for n in reversed(named) if len(n) > len(claimant) and is_within(claimant, n)), None)
            if fuller:
                event = replace(event, claimant=fuller)
        if event.claimant:
            named.pop(event.claimant, None)
            named[event.claimant] = None
        out.append(event)
    return out


def _document_source_in(text: str) -> re.Match[str] | None:
    """`_DOCUMENT_SOURCE.search`, tried only where a publishing verb or 'source:' can be found."""
    folded = case_folded(text)
    if folded is None or folded.startswith("source:") or holds_any(folded, _PUBLISHING_WORDS):
        return _DOCUMENT_SOURCE.search(text)
    return None


def credit_document_source(events: list[Event], sentences: Sequence[Sentence]) -> list[Event]:
    """A report that names its own source ('The statement was published today by the General
    Staff', 'Source: Russian Defence Ministry') claims every fact no one else claims in it."""
    source = None
    for sentence in sentences:
        found = _document_source_in(sentence.text)
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


_ANAPHORA_WORDS = ("decision", "move", "step", "package", "deal", "agreement", "aid", "announcement", "measure",
                   "pledge", "round")


def _points_back(text: str) -> bool:
    """'This decision', 'the EU's new package': `_ANAPHORA`, tried only where one of its nouns is."""
    return may_contain(text, _ANAPHORA_WORDS) and bool(_ANAPHORA.search(text))


def _continues(earlier: Event, later: Event, text: str) -> bool:
    """An unlocated fact retold later with a pointing phrase ('This decision was made …', 'This
    retaliatory package was approved …'), on the same day or in the very next sentence."""
    if earlier.kind != later.kind or earlier.location is not None or later.location is not None:
        return False
    gap = later.evidence.start - earlier.evidence.end
    adjacent = gap <= 16 and text[earlier.evidence.end: later.evidence.start].strip() == ""
    same_day = earlier.when.known and earlier.when.start == later.when.start
    pointing = _points_back(later.evidence.text)
    quoted = bool(quoted_spans(later.evidence.text))
    return (adjacent and (pointing or quoted)) or (same_day and pointing)


def _fact_key(event: Event) -> tuple[str, str | None]:
    place = event.location
    return event.kind, None if place is None else place.gazetteer_id or place.name


def merge_repeats(events: list[Event], text: str) -> list[Event]:
    """The same fact told twice in one document is one event, first telling kept, gaps filled."""
    kept: list[Event] = []
    # only events of one kind at one place, or both unplaced, can be one fact: each looks among those
    alike: dict[tuple[str, str | None], list[int]] = {}
    listed = Counter((e.evidence.start, e.kind) for e in events)
    for event in events:
        candidates = alike.setdefault(_fact_key(event), [])
        if listed[(event.evidence.start, event.kind)] >= 3:
            candidates.append(len(kept))
            kept.append(event)
            continue
        # an unplaced fact can only repeat one told before when it points back or quotes
        hopeless = event.location is None and not (
            _points_back(event.evidence.text) or quoted_spans(event.evidence.text))
        index = None if hopeless else next(
            (i for i in candidates if _same_fact(kept[i], event) or _continues(kept[i], event, text)), None)
        if index is None:
            candidates.append(len(kept))
            kept.append(event)
            continue
        twin = kept[index]
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


_FIRST_AND_LAST_NAME = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")
_INSTITUTION = re.compile(r"\b(?:Ministry|Staff|Force|Service|Command|Council|Office|Directorate|Institute)\b")


def _names_a_person(phrase: str) -> bool:
    named = _FIRST_AND_LAST_NAME.search(phrase)
    institutional = _INSTITUTION.search(phrase)
    return bool(named) and not institutional


_ABOUT_A_CLAIM = re.compile(
    r"\b(?:claims?|reports?|assertions?|statements?|figures?|allegations?|not everyone|others? disagreed|"
    r"remain(?:s|ed)?|still)\b", re.I)


def _refers_to(event: Event, sentence: str) -> bool:
    """A contradiction counts against a claim when it names the claim's place or speaks of a claim."""
    named = event.location is not None and event.location.name.lower() in sentence.lower()
    return named or bool(_ABOUT_A_CLAIM.search(sentence))


def _contradicts(text: str, known: dict[int, bool], index: int) -> bool:
    """Whether the sentence at `index` contradicts or denies something, remembered in `known`."""
    if index not in known:
        known[index] = bool(may_contain(text, _CONTRADICTION_WORDS) and _CONTRADICTION.search(text)) or bool(
            is_denial(text))
    return known[index]


def mark_disputed(events: list[Event], prose: list[Sentence]) -> list[Event]:
    """A territorial or strike claim followed within two sentences by a contradiction is disputed."""
    index_of = {s.start: i for i, s in enumerate(prose)}
    contradicts: dict[int, bool] = {}
    out = []
    for event in events:
        position = index_of.get(event.evidence.start)
        if position is not None and event.kind in ("territory", "strike", "casualties") and event.claimant:
            nearby = range(position + 1, min(position + 3, len(prose)))
            if any(_contradicts(prose[i].text, contradicts, i) and _refers_to(event, prose[i].text) for i in nearby):
                event = replace(event, attribution="disputed", attribution_cue="contradicted nearby")
        out.append(event)
    return out
