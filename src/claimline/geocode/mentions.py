"""Finding place names in sentences: capitalised runs, matched against the gazetteer's keys,
with the words around them that say what kind of place they name."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from claimline.geocode.names import name_key
from claimline.geocode.words import (
    AIR_BASE,
    DEMONYMS,
    DISTRICT_WORDS,
    FACILITY_WORDS,
    NEVER_ALONE,
    ORGANISATION_WORDS,
    REGION_NOUNS,
    REGION_WORDS,
    SETTLEMENT_NOUNS,
    TITLES,
)
from claimline.model import Sentence

Cue = Literal["region", "district", "settlement", "facility", ""]

_WORD = re.compile(r"[^\W\d_][\w]*(?:['’ʼ][\w]+)*(?:-[\w]+(?:['’ʼ][\w]+)*)*")
_POSSESSIVE = re.compile(r"['’]s$")
_CONNECTORS = frozenset({
    "of", "de", "del", "la", "le", "on", "upon", "am", "al", "el", "da", "do", "dos", "das", "di", "du",
    "van", "von",
})
_MAX_WORDS = 5
_HAS_CAPITAL = re.compile(r"[A-ZÀ-ÞĀ-ſ]")
_LOWERCASE_WORD = re.compile(r"(?<![\w'’])[a-z][a-z'’-]*")


class Token(NamedTuple):
    """One word; a tuple because sentences make many of them."""

    start: int
    end: int
    text: str
    lower: str

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def possessive(self) -> bool:
        return bool(_POSSESSIVE.search(self.text))

    @property
    def bare(self) -> str:
        """The word without a possessive "'s"."""
        return _POSSESSIVE.sub("", self.text)


@dataclass(frozen=True, slots=True)
class Run:
    """Capitalised words in a row within one sentence, with what stands around them."""

    sentence: int
    tokens: tuple[Token, ...]
    after: tuple[Cue, str]
    before: tuple[Cue, str]
    sentence_initial: bool
    after_title: bool
    text: str  # the sentence text, for the gaps between tokens
    offset: int  # where the sentence starts in the article

    def phrase(self, i: int, j: int) -> str:
        first, last = self.tokens[i], self.tokens[j - 1]
        raw = self.text[first.start - self.offset : last.start - self.offset] + last.bare
        return raw


@dataclass(frozen=True, slots=True)
class NameSpan:
    """A name that may be a place: where it is, its lookup key, and the cue that came with it."""

    start: int
    end: int
    text: str
    key: str
    cue: Cue
    cue_text: str
    sentence: int
    known: bool


def sentence_runs(sentence: Sentence) -> list[Run]:
    """The capitalised runs of one sentence, split at titles, possessives and kind words."""
    text = sentence.text
    if not _HAS_CAPITAL.search(text):
        return []
    offset = sentence.start
    tokens = [
        Token(m.start() + offset, m.end() + offset, word, word.lower())
        for m in _WORD.finditer(text) for word in (m.group(),)
    ]
    runs: list[Run] = []
    start = 0
    end = 0
    while start < len(tokens):
        if not _joins_run(tokens[start], False):
            start += 1
            continue
        end = start + 1
        while end < len(tokens) and _joins_run(tokens[end], True) and _touching(tokens[end - 1], tokens[end], sentence):
            end += 1
        last = end
        while tokens[last - 1].lower in _CONNECTORS:
            last -= 1
        titled = start > 0 and tokens[start - 1].lower.rstrip(".") in TITLES
        runs.append(Run(
            sentence.index, tuple(tokens[start:last]), _cue_after(tokens, last, sentence),
            _cue_before(tokens, start), start == 0, titled, text, sentence.start,
        ))
        start = end
    return runs


def _touching(left: Token, right: Token, sentence: Sentence) -> bool:
    """Only spaces between two words: no comma, dash or bracket."""
    return sentence.text[left.end - sentence.start : right.start - sentence.start].strip() == ""


def _joins_run(token: Token, open_run: bool) -> bool:
    """A capitalised word that is no title joins (a kind word only continues a run: "Sumy
    Oblast", not "Oblast Governor"); a connector joins a run already open ("Republic of X")."""
    if token.capitalised and token.lower not in TITLES:
        return open_run or not _kind_word(token.lower)
    return open_run and token.lower in _CONNECTORS


def _kind_word(lower: str) -> bool:
    return lower in REGION_WORDS or lower in DISTRICT_WORDS or lower in FACILITY_WORDS


def _cue_after(tokens: Sequence[Token], index: int, sentence: Sentence) -> tuple[Cue, str]:
    """The kind word after a name: "Sumy region", "Kirovske airfield", "Marinovka air base"."""
    following = tokens[index : index + 2]
    if not following or not _adjacent(tokens, index, sentence):
        return "", ""
    return _kind_of(following)


def _kind_of(following: Sequence[Token]) -> tuple[Cue, str]:
    word = following[0].lower
    if word in REGION_WORDS:
        return "region", following[0].text
    if word in DISTRICT_WORDS:
        return "district", following[0].text
    if word in FACILITY_WORDS:
        return "facility", following[0].text
    if tuple(t.lower for t in following) == AIR_BASE:
        return "facility", "air base"
    return "", ""


def _cue_before(tokens: Sequence[Token], start: int) -> tuple[Cue, str]:
    """The kind word before a name: "the village of Zorya", "the region of Kursk"."""
    before = [t.lower for t in tokens[max(0, start - 2) : start]]
    if len(before) == 2 and before[1] == "of":
        if before[0] in SETTLEMENT_NOUNS:
            return "settlement", tokens[start - 2].text
        if before[0] in REGION_NOUNS:
            return "region", tokens[start - 2].text
    return "", ""


def _adjacent(tokens: Sequence[Token], index: int, sentence: Sentence) -> bool:
    if index == 0 or index >= len(tokens):
        return False
    gap = sentence.text[tokens[index - 1].end - sentence.start : tokens[index].start - sentence.start]
    return gap.strip() == ""


def lookup_keys(runs: Iterable[Run]) -> set[str]:
    """Every key a run could match: each of its word sequences up to five words long."""
    keys: set[str] = set()
    for run in runs:
        n = len(run.tokens)
        for i in range(n):
            for j in range(i + 1, min(n, i + _MAX_WORDS) + 1):
                keys.add(name_key(run.phrase(i, j)))
    return keys


def run_spans(run: Run, is_known: Callable[[str], bool], lowercase_words: set[str]) -> list[NameSpan]:
    """The place names of one run, longest known names first; none where a part of the run
    reads as a person's or organisation's name ("Victoria Vdovychenko", "National Security
    Council"). A run is split into parts after possessives ("Russia's Marinovka")."""
    if run.after_title and not run.after[0]:
        return []  # "President Vladimir Putin", "Governor Serhiy Haidai"
    spans: list[NameSpan] = []
    for first, last in _parts(run):
        spans.extend(_part_spans(run, first, last, is_known, lowercase_words))
    return spans


def _parts(run: Run) -> list[tuple[int, int]]:
    parts = []
    start = 0
    for i, token in enumerate(run.tokens):
        if token.possessive and i + 1 < len(run.tokens):
            parts.append((start, i + 1))
            start = i + 1
    parts.append((start, len(run.tokens)))
    return parts


def _part_spans(
    run: Run, first: int, last: int, is_known: Callable[[str], bool], lowercase_words: set[str]
) -> list[NameSpan]:
    tokens = run.tokens
    found: list[tuple[int, int]] = []
    unknown: list[int] = []
    i = first
    while i < last:
        j = _longest_known(run, i, last, is_known, lowercase_words)
        if j is None:
            if _kind_word(tokens[i].lower) and found and found[-1][1] == i:
                i += 1
                continue
            if tokens[i].lower not in _CONNECTORS and not _trimmable(run, i, lowercase_words):
                unknown.append(i)
            i += 1
            continue
        found.append((i, j))
        i = j
    cues = [_span_cue(run, i, j, last) for i, j in found]
    if found and unknown and not any(cue for cue, _ in cues):
        return []
    spans = [_span(run, i, j, cue, known=True) for (i, j), cue in zip(found, cues, strict=True)]
    if not found and unknown:
        cue = _span_cue(run, unknown[0], unknown[-1] + 1, last)
        if cue[0] and all(tokens[k].lower not in ORGANISATION_WORDS for k in unknown):
            spans.append(_span(run, unknown[0], unknown[-1] + 1, cue, known=False))
    return spans


def _span_cue(run: Run, i: int, j: int, last: int) -> tuple[Cue, str]:
    if j < len(run.tokens) and _kind_word(run.tokens[j].lower):
        return _kind_of(run.tokens[j : j + 2])
    if j == last == len(run.tokens) and run.after[0]:
        return run.after
    if i == 0:
        return run.before
    return "", ""


def _trimmable(run: Run, i: int, lowercase_words: set[str]) -> bool:
    """Capitalised only because it opens the sentence, or a word that is never a name alone."""
    lower = run.tokens[i].bare.lower()
    if lower in NEVER_ALONE:
        return True
    return i == 0 and run.sentence_initial and lower in lowercase_words


def _longest_known(
    run: Run, i: int, last: int, is_known: Callable[[str], bool], lowercase_words: set[str]
) -> int | None:
    tokens = run.tokens
    for j in range(min(len(tokens), i + _MAX_WORDS), i, -1):
        if j > last and not tokens[last - 1].possessive:
            continue
        if tokens[j - 1].lower in _CONNECTORS:
            continue
        key = name_key(run.phrase(i, j))
        if not is_known(key):
            continue
        if j - i == 1 and not _may_stand_alone(run, i, lowercase_words):
            continue
        return j
    return None


def _may_stand_alone(run: Run, i: int, lowercase_words: set[str]) -> bool:
    token = run.tokens[i]
    lower = token.bare.lower()
    if lower in NEVER_ALONE or lower in DEMONYMS or lower in ORGANISATION_WORDS:
        return False
    if len(token.bare) < 3 and not token.bare.isupper():
        return False
    return not (i == 0 and run.sentence_initial and lower in lowercase_words)


def _span(run: Run, i: int, j: int, cue: tuple[Cue, str], *, known: bool) -> NameSpan:
    first, last = run.tokens[i], run.tokens[j - 1]
    end = last.start + len(last.bare)
    text = run.phrase(i, j)
    return NameSpan(
        start=first.start, end=end, text=text, key=name_key(text), cue=cue[0], cue_text=cue[1],
        sentence=run.sentence, known=known,
    )


def lowercase_vocabulary(text: str) -> set[str]:
    """Words the article writes in lower case: a sentence-initial word among them is no name."""
    return set(_LOWERCASE_WORD.findall(text))
