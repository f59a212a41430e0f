"""Sentences, places and dates → events: one event per claimed fact.

The rule backend reads each sentence once: it finds the facts the sentence states (`facts`), ties
each to its places (`event_places`), date, numbers (`counts`) and claimant (`claimants`), then
reads the story as a whole (`story`): follow-ups folded into the fact they continue, repeats
merged, claims contradicted nearby marked disputed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from functools import partial
from typing import TypeVar

from claimline.claimants import (
    clause_subject,
    find_attribution,
    refers_to_speaker,
)
from claimline.counts import EVENT_COUNTS, distributed_counts, fatalities_of, quantities_for, shares_one_count
from claimline.event_places import nearest_fact, places_for, without_foreign_city_districts
from claimline.facts import KINETIC, Fact, recent_date_spans, sentence_facts
from claimline.model import (
    UNKNOWN_WHEN,
    Article,
    DateMention,
    Event,
    Evidence,
    PlaceMention,
    Sentence,
    When,
)
from claimline.quantities import Quantity, find_quantities
from claimline.story import (
    Speakers,
    credit_bulleted,
    credit_document_source,
    credit_passive_report,
    fold_into_previous,
    fold_toll_into_strike,
    mark_disputed,
    merge_repeats,
    resolve_place_anaphora,
    resolve_short_claimants,
)
from claimline.triggers import (
    clause_start,
)

_ACTS_OF_STATE = frozenset({"sanctions", "aid", "policy", "diplomacy", "statement"})


_HISTORICAL_AFTER = timedelta(days=365)
_TWO_MONTHS = timedelta(days=60)
_TWO_WEEKS = timedelta(days=14)


# One scan finds both sides' words: no word of one side can overlap a word of the other, so the
# matches are those of two separate scans; a match's group name is its side.
_SIDE_WORD = re.compile(r"\b(?:(?P<Russia>russian?|russia['’]s|moscow|kremlin|putin)"
                        r"|(?P<Ukraine>ukrainian?|ukraine['’]s|kyiv|kiev|zelensk\w*))\b", re.I)
_SIDE_RANK = {"Russia": 0, "Ukraine": 1}
# Every side word begins with one of these stems. In ASCII text a case-blind match can only be an
# ASCII case change, so the stems found in the lowered text are the only places a side word can
# begin; a stem inside another (zelensKyiv) follows a letter, where no side word begins.
_SIDE_STEM = re.compile(r"russia|moscow|kremlin|putin|ukrain|kyiv|kiev|zelensk")


_ACTOR_NAMES = {"Russia": "Military Forces of Russia", "Ukraine": "Military Forces of Ukraine"}
_OPPONENT = {"Russia": "Ukraine", "Ukraine": "Russia"}


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
        places_in = _by_sentence(prose, without_foreign_city_districts([p for p in places if p.location], article.text))
        dates_in = _by_sentence(prose, dates)
        found: list[Event] = []
        previous: list[Event] = []
        previous_at = -9
        speakers = Speakers(prose)
        undated = _publication_day(article.published)
        for position, sentence in enumerate(prose):
            speaker_before = partial(speakers.before, position)
            just_before = previous if previous_at == position - 1 else []
            context_when = partial(_context_when, article, prose, position,
                                   dates_in[position - 1] if position else [], just_before, undated)
            new = _sentence_events(article, sentence, places_in[position], dates_in[position], context_when,
                                   speaker_before)
            # with no new events of its own a sentence can only credit the facts told just before it
            if just_before:
                credit_passive_report(sentence, just_before, found)
            if not new:
                continue
            new = credit_bulleted(sentence, new, speaker_before)
            if just_before:
                new = fold_toll_into_strike(new, just_before, found)
            new = fold_into_previous(sentence, new, previous, found)
            found.extend(new)
            if new:
                previous, previous_at = new, position
        found = resolve_short_claimants(found)
        found = credit_document_source(found, sentences)
        found = resolve_place_anaphora(found, prose)
        found = merge_repeats(found, article.text)
        found = mark_disputed(found, prose)
        return [e for e in found if not _too_old(e, article.published)]


_Located = TypeVar("_Located", PlaceMention, DateMention)


def _by_sentence(prose: Sequence[Sentence], items: Sequence[_Located]) -> list[list[_Located]]:
    """The items (sorted by start) that begin inside each sentence, in one pass over both."""
    buckets: list[list[_Located]] = [[] for _ in prose]
    starts = [s.start for s in prose]
    for item in items:
        index = bisect_right(starts, item.start) - 1
        if index >= 0 and item.start < prose[index].end:
            buckets[index].append(item)
    return buckets


def _sentence_events(
    article: Article,
    sentence: Sentence,
    places: list[PlaceMention],
    dates: list[DateMention],
    context_when: Callable[[], When],
    speaker_before: Callable[[], str | None],
) -> list[Event]:
    text = sentence.text
    recent = recent_date_spans(sentence, dates, article.published)
    facts = sentence_facts(text, recent, has_place=bool(places))
    if not facts:
        return []
    every_quantity = list(find_quantities(text))
    # with several facts in one sentence, each number belongs to the fact it is told with
    owners = [_owner(facts, text, q) for q in every_quantity] if len(facts) > 1 else None
    dated = _is_dated(dates)
    usable = _usable_dates(dates)
    fallback = UNKNOWN_WHEN if usable else context_when()  # read by `_when_for` only without usable dates
    evidence = Evidence(text, sentence.start, sentence.end)
    side_words = _SideWords(text)
    out: list[Event] = []
    for fact in facts:
        quantities = (list(every_quantity) if owners is None
                      else [q for q, owner in zip(every_quantity, owners, strict=True) if owner is fact])
        targets = places_for(fact, facts, text, sentence.start, places, recent)
        distributed = distributed_counts(fact, text, sentence.start, targets, quantities)
        if len(targets) > 1 and not distributed and shares_one_count(fact, text, quantities):
            targets = []
        if _is_generic(fact, targets, dated, quantities):
            continue
        actor1, actor2 = _actors(text, fact, side_words)
        attribution = find_attribution(text, fact.trigger.start, voice=sentence.voice)
        claimant = attribution.claimant
        if refers_to_speaker(claimant):
            claimant = speaker_before()
        if claimant is None and fact.kind in _ACTS_OF_STATE:
            claimant = actor1  # an act of state's actor is the subject of the clause that tells it
        acled = _acled(fact.kind, text)
        counts: dict[str, int | float] | None = None
        slots: list[PlaceMention | None] = list(targets) or [None]
        for place in slots:
            when = _when_for(fact, text, sentence.start, place, dates, usable, fallback)
            qty = distributed.get(id(place)) if place is not None and distributed else None
            if qty is None:
                if counts is None:
                    counts = quantities_for(fact.kind, text, quantities)
                qty = counts
            location = place.location if place is not None else None
            out.append(Event(
                doc_id=article.doc_id, kind=fact.kind,
                evidence=evidence,
                when=when, location=location,
                actor1=actor1, actor2=actor2,
                claimant=claimant, attribution=attribution.attribution, attribution_cue=attribution.cue,
                acled_event_type=acled[0], acled_sub_event_type=acled[1],
                quantities=qty, fatalities=fatalities_of(qty),
                historical=_is_historical(when, article.published, text),
                source=article.source, url=article.url,
            ))
    return out


def _owner(facts: list[Fact], text: str, quantity: Quantity) -> Fact | None:
    """The fact a number is told with: the one whose trigger words include it, else the nearest."""
    for fact in facts:
        if fact.trigger.start <= quantity.end + 1 and quantity.start <= fact.trigger.end:
            return fact
    return nearest_fact(facts, text, quantity.start)


def _usable_dates(dates: list[DateMention]) -> list[DateMention]:
    """The sentence's resolved dates that can date its facts, the exact one of two side by side."""
    known = [d for d in dates if d.when.known]
    return _prefer_absolute(known) if known else []


def _when_for(
    fact: Fact, text: str, offset: int, place: PlaceMention | None, dates: list[DateMention],
    usable: list[DateMention], fallback: When
) -> When:
    """The date of the clause that names the place (or the trigger); else the context date.
    `usable` is `_usable_dates(dates)`; `fallback`, the context date, is read only when it is empty."""
    if not usable:
        # every date of the sentence is unresolved
        return dates[0].when if dates and fallback is UNKNOWN_WHEN else fallback
    anchor = (place.end if place is not None else offset + fact.trigger.start)
    following = next((d for d in usable if d.start >= anchor and not _clause_between(text, offset, anchor, d.start)),
                     None)
    if following is not None:
        return following.when
    preceding = [d for d in usable if d.end <= anchor]
    if place is not None and preceding:
        return preceding[-1].when
    return min(usable, key=lambda d: abs(d.start - anchor)).when


_DIGIT = re.compile(r"\d")
# each '\b' that opens a word is said after its first letter ('t(?<!\wt)he' is '\bthe'), so that the
# engine skips ahead to where a choice's first character stands
_CLAUSE_BETWEEN = re.compile(r",\s+(?:proceeding|and then|then|before|while)\b|;|t(?<!\wt)he (?:following|next)\b"
                             r"|w(?<!\ww)(?:here|hich|ho|hen)\b|a(?<!\wa)(?:fter|ccording to)\b|s(?<!\ws)ince\b")


def _prefer_absolute(dates: list[DateMention]) -> list[DateMention]:
    """'overnight on 21 February': of two dates side by side the written-out one is exact."""
    out = []
    for mention in dates:
        twin = next((d for d in dates if d is not mention
                     and (abs(d.start - mention.end) <= 5 or abs(mention.start - d.end) <= 5)), None)
        if twin is not None and not _DIGIT.search(mention.text) and _DIGIT.search(twin.text):
            continue
        out.append(mention)
    return out or dates


def _clause_between(text: str, offset: int, first: int, second: int) -> bool:
    between = text[first - offset: second - offset]
    return bool(_CLAUSE_BETWEEN.search(between))


def _publication_day(published: date | None) -> When:
    """The date of an undated sentence when nothing before it dates it."""
    if published is None:
        return UNKNOWN_WHEN
    return When(
        start=published, end=published, precision="day", text=None,
        reason=f"no date in the sentence; publication date {published.isoformat()}",
    )


def _context_when(
    article: Article, prose: list[Sentence], position: int, dates_before: Sequence[DateMention],
    just_before: list[Event], undated: When
) -> When:
    """A sentence without a date of its own goes on with the story it follows: the day of the strike
    or battle told just before, or the day the same paragraph last named; else the publication day;
    without a publication date it stays unknown."""
    action = [e for e in just_before if e.kind in KINETIC and e.when.text is not None and e.when.precision == "day"]
    if action and article.published and action[-1].when.start and \
            timedelta(0) <= article.published - action[-1].when.start <= timedelta(days=31):
        found = action[-1].when
        return replace(found, reason=f"no date in the sentence; continues the event told just before ({found.text})")
    if position > 0 and prose[position - 1].paragraph == prose[position].paragraph:
        recent = [d for d in dates_before if d.when.known and d.when.precision == "day"]
        if recent and article.published and recent[-1].when.start and \
                timedelta(0) <= article.published - recent[-1].when.start <= timedelta(days=31):
            found = recent[-1].when
            return replace(found, reason=f"no date in the sentence; continues the previous sentence ({found.text})")
    return undated


def _is_dated(dates: list[DateMention]) -> bool:
    """The sentence names a day or a week."""
    return any(d.when.precision in ("day", "week") for d in dates)


def _is_generic(fact: Fact, targets: list[PlaceMention], dated: bool, quantities: list[Quantity]) -> bool:
    """'Drone strikes do not demonstrate commitment': a kinetic word with no place below country
    level, no date of its own (`dated`: `_is_dated` of the sentence's dates) and no number
    describes a pattern, not an event."""
    if (fact.kind not in KINETIC and fact.kind != "casualties") or dated:
        return False
    placed = any(p.location and p.location.geo_precision != "country" for p in targets)
    counted = any(q.key in EVENT_COUNTS and not q.in_parentheses and not q.anaphoric for q in quantities)
    return not placed and not counted


# Words that retell an earlier fact: "the previous exchange", "had already reported", "at the time".
_RECAP_CUE = re.compile(
    r"\b(?:previous|previously|already|at the time|once before|earlier this year|last time|back in|"
    r"first \w+(?: \w+){0,6} since|(?:was|were) last (?:hit|struck|attacked|shelled|targeted))\b", re.I)


def _is_historical(when: When, published: date | None, text: str) -> bool:
    """A fact well before the report: two months old, or two weeks old and told as a recap or
    dated only by its month ('Moscow said in February it had taken the town')."""
    if not (published and when.end):
        return False
    age = published - when.end
    coarse = when.precision in ("month", "season", "year")
    return age > _TWO_MONTHS or (age > _TWO_WEEKS and (coarse or bool(_RECAP_CUE.search(text))))


def _too_old(event: Event, published: date | None) -> bool:
    return bool(published and event.when.end and published - event.when.end > _HISTORICAL_AFTER)


_SideWord = tuple[int, int, str]  # start, end, side


class _SideWords:
    """The side words of one sentence, found by one scan the first time they are asked for."""

    __slots__ = ("_found", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._found: list[_SideWord] | None = None

    def all(self) -> list[_SideWord]:
        if self._found is None:
            self._found = _scan_side_words(self._text)
        return self._found

    def before(self, position: int) -> list[_SideWord]:
        r"""The side words a scan of `text[:position]` finds. They are the sentence's words that
        begin before `position`, unless the cut splits a word: then `\b` at the cut reads
        differently, so the prefix is scanned on its own."""
        text = self._text
        found = self.all()
        cut_in_word = _is_word_char(text[position - 1: position])
        if cut_in_word or any(start < position < end for start, end, _ in found):
            return _scan_side_words(text[:position])
        return [word for word in found if word[0] < position]


def _scan_side_words(text: str) -> list[_SideWord]:
    """What `_SIDE_WORD.finditer(text)` finds, as (start, end, side)."""
    if not text.isascii():
        return [(m.start(), m.end(), m.lastgroup or "") for m in _SIDE_WORD.finditer(text)]
    found = []
    for stem in _SIDE_STEM.finditer(text.lower()):
        word = _SIDE_WORD.match(text, stem.start())
        if word:
            found.append((word.start(), word.end(), word.lastgroup or ""))
    return found


def _is_word_char(char: str) -> bool:
    r"""What `\w` matches in a str pattern; False for the empty string."""
    return char.isalnum() or char == "_"


def _side_near(words: list[_SideWord], position: int) -> str | None:
    """The side whose word is nearest the trigger, words more than 40 characters after it counted
    as far; on a tie Russia's word, then the earlier one (the order the two scans used to give)."""
    best: tuple[int, int, int, str] | None = None
    for start, _, side in words:
        distance = abs(start - position)
        if start > position + 40:
            distance += 100
        key = (distance, _SIDE_RANK[side], start, side)
        if best is None or key < best:
            best = key
    return best[3] if best else None


def _actors(text: str, fact: Fact, side_words: _SideWords) -> tuple[str | None, str | None]:
    """Who did it and, for a kinetic fact, the side it was done to."""
    if fact.kind not in KINETIC and fact.kind != "casualties":
        return clause_subject(text[clause_start(text, fact.trigger.start): fact.trigger.start]), None
    agent = _agent_side(text, fact.trigger.start, side_words)
    if agent is None:
        return None, None
    return _ACTOR_NAMES.get(agent), _ACTOR_NAMES[_OPPONENT[agent]] if fact.kind in KINETIC else None


_BY_AGENT = re.compile(r"b(?<!\wb)y\s+(?:the\s+)?(\w+)")  # '\bby', found faster


def _agent_side(text: str, position: int, side_words: _SideWords) -> str | None:
    """The side doing the act: the nearest side word before the trigger, or after it ('by Russia')."""
    before = side_words.before(position)
    if before:
        return before[-1][2]
    by = _BY_AGENT.search(text[position:])
    if by:
        named = _SIDE_WORD.match(by.group(1))
        if named:
            return named.lastgroup
    return _side_near(side_words.all(), position)


_WITHDRAWAL = re.compile(r"withdr|retreat|pulled out")
_REGAIN = re.compile(r"recaptur|retook|regain|liberat")
_FROM_THE_AIR = re.compile(r"drone|air ?strike|aerial|airstrike|air raid|bomb|aircraft")
_FROM_THE_GROUND = re.compile(r"missile|shell|artillery|rocket|mortar|bombard")
_AGREEMENT = re.compile(r"agree|swap|exchange|signed|deal")


def _acled(kind: str, text: str) -> tuple[str | None, str | None]:
    if kind == "territory":
        lowered = text.lower()
        if _WITHDRAWAL.search(lowered):
            return "Strategic developments", "Non-violent transfer of territory"
        if _REGAIN.search(lowered) and "ukrain" in lowered:
            return "Battles", "Government regains territory"
        return "Battles", "Armed clash"
    if kind == "clash":
        return "Battles", "Armed clash"
    if kind in ("strike", "casualties"):
        lowered = text.lower()
        if _FROM_THE_AIR.search(lowered):
            return "Explosions/Remote violence", "Air/drone strike"
        if _FROM_THE_GROUND.search(lowered):
            return "Explosions/Remote violence", "Shelling/artillery/missile attack"
        return ("Explosions/Remote violence", "Shelling/artillery/missile attack") if kind == "strike" else (None, None)
    if kind == "interception":
        return "Strategic developments", "Other"
    if kind == "diplomacy":
        if _AGREEMENT.search(text.lower()):
            return "Strategic developments", "Agreement"
        return "Strategic developments", "Other"
    if kind in ("sanctions", "aid", "policy"):
        return "Strategic developments", "Other"
    return None, None
