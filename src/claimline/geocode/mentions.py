"""Finding place names in sentences: capitalised runs, matched against the gazetteer's keys,
with the words around them that say what kind of place they name."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from claimline.geocode.names import name_key
from claimline.geocode.words import (
    AIR_BASE,
    CONTINENTS,
    DEMONYM_OF,
    DEMONYMS,
    DISTRICT_WORDS,
    FACILITY_WORDS,
    MEDIA_WORDS,
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
# With demonyms wanted, "French", "Kremlin", "EU" and the continents may be names on their own.
_ALONE_WITH_DEMONYMS = NEVER_ALONE - DEMONYMS - frozenset(DEMONYM_OF) - CONTINENTS - {"us", "eu"}
# Lower-case words after a place name that make it a medium's name ("Kiev city television").
_MEDIA_AFTER = frozenset({"television", "tv", "radio", "channel", "newspaper"})
_MEDIA_QUALIFIERS = frozenset({"city", "regional", "state", "local", "public", "national"})
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ɏͰ-ϿЀ-ԯ"
_NAME_WORD = (
    rf"(?:[A-Z]\.){{2,}}|[{_UPPER}][\w]*(?:['’ʼ][\w]+)*(?:-[\w]+(?:['’ʼ][\w]+)*)*"
)
# Stretches of capitalised words joined by spaces and connectors ("Republic of Moldova"); the
# ranges hold some lower-case letters too, so the first letter is checked again.
_CAPITALISED = re.compile(
    rf"(?<![\w'’ʼ.-])(?:{_NAME_WORD})(?:[ \t\u00a0]+(?:(?:of|de|del|la|le|on|upon|am|al|el|da|do|dos|das|"
    rf"di|du|van|von)[ \t\u00a0]+){{0,2}}(?:{_NAME_WORD}))*"
)
_TOKEN = re.compile(rf"(?:[A-Z]\.){{2,}}|{_WORD.pattern}")
_NEXT_WORDS = re.compile(r"[ \t\u00a0]+([^\W\d_][\w]*)(?:[ \t\u00a0]+([^\W\d_][\w]*))?")
_LOWERCASE_WORD = re.compile(r"(?<![\w'’])[a-z][a-z'’-]*")
# How far back the words before a run are read, and what the last of them must be to matter:
# "of" ("the village of …") or a title ("Governor …"), with no letter after it. The pattern
# reads the text before the run backwards, so that it is tried at one place only.
_BEFORE_WINDOW = 40
_TITLE_OR_OF_BEFORE = re.compile(
    rf"[\W\d_]*(?:{'|'.join(sorted((w[::-1] for w in TITLES | {'of'}), key=len, reverse=True))})(?![^\W\d_])",
    re.IGNORECASE,
)


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
    following: tuple[str, ...] = ()  # the two words after the run, lower case

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
    """The capitalised runs of one sentence, split at titles, possessives and kind words.

    One regular expression finds the stretches of capitalised words; only those are split into
    words, with the two words before and after them for the cues. A lone word that is never a
    name ("The", "Monday") makes no run."""
    text = sentence.text
    runs: list[Run] = []
    first_word = -1
    for match in _CAPITALISED.finditer(text):
        stretch = match.group()
        if not stretch[0].isupper() or _lone_common_word(stretch):
            continue
        if first_word < 0:
            found = _WORD.search(text)
            first_word = found.start() if found else 0
        runs.extend(_split_run(sentence, match, first_word))
    return runs


def _lone_common_word(stretch: str) -> bool:
    """One word that may not stand alone as a name in any mode: it can make no span."""
    if " " in stretch or "\t" in stretch or "\u00a0" in stretch:
        return False
    lower = stretch.lower()
    if lower.endswith(("'s", "’s")):
        lower = lower[:-2]
    return lower in _ALONE_WITH_DEMONYMS


def _split_run(sentence: Sentence, match: re.Match[str], first_word: int) -> list[Run]:
    text, offset = sentence.text, sentence.start
    base = match.start() + offset
    tokens = [
        Token(base + m.start(), base + m.end(), word, word.lower())
        for m in _TOKEN.finditer(match.group()) for word in (m.group(),)
    ]
    after: list[Token] | None = None  # the words after the stretch, read when a run needs them
    runs: list[Run] = []
    start = 0
    count = len(tokens)
    while start < count:
        if not _joins_run(tokens[start], False):
            start += 1
            continue
        end = start + 1
        while end < count and _joins_run(tokens[end], True):
            end += 1
        last = end
        while last > start and tokens[last - 1].lower in _CONNECTORS:
            last -= 1
        if last == start:
            start = end
            continue
        if count - last >= 2:
            rest = tokens[last : last + 2]
        else:
            if after is None:
                after = _following(text, match.end(), offset)
            rest = [*tokens[last:], *after][:2]
        if start > 0:
            before_tokens = tokens[max(0, start - 2) : start]
        elif _TITLE_OR_OF_BEFORE.match(text[max(0, match.start() - _BEFORE_WINDOW) : match.start()][::-1]):
            before_tokens = _preceding(text, match.start(), offset)
        else:
            before_tokens = []  # the words before can give no cue and no title
        titled = bool(before_tokens) and before_tokens[-1].lower.rstrip(".") in TITLES
        runs.append(Run(
            sentence.index, tuple(tokens[start:last]),
            _kind_of(rest) if rest and _gap_is_space(text, tokens[last - 1].end - offset, rest[0].start - offset)
            else ("", ""),
            _cue_before(before_tokens), tokens[start].start - offset == first_word, titled, text, offset,
            tuple(t.lower for t in rest),
        ))
        start = end
    return runs


def _gap_is_space(text: str, left: int, right: int) -> bool:
    return text[left:right].strip() == ""


def _following(text: str, position: int, offset: int) -> list[Token]:
    """Up to two words right after `position`, where only spaces lie between."""
    found = _NEXT_WORDS.match(text, position)
    if found is None:
        return []
    return [
        Token(found.start(g) + offset, found.end(g) + offset, found.group(g), found.group(g).lower())
        for g in (1, 2) if found.group(g)
    ]


def _preceding(text: str, position: int, offset: int) -> list[Token]:
    """Up to two words right before `position`."""
    window_start = max(0, position - _BEFORE_WINDOW)
    words = list(_WORD.finditer(text, window_start, position))[-2:]
    return [Token(m.start() + offset, m.end() + offset, m.group(), m.group().lower()) for m in words]


def _joins_run(token: Token, open_run: bool) -> bool:
    """A capitalised word that is no title joins (a kind word only continues a run: "Sumy
    Oblast", not "Oblast Governor"); a connector joins a run already open ("Republic of X")."""
    if token.capitalised and token.lower not in TITLES:
        return open_run or not _kind_word(token.lower)
    return open_run and token.lower in _CONNECTORS


def _kind_word(lower: str) -> bool:
    return lower in REGION_WORDS or lower in DISTRICT_WORDS or lower in FACILITY_WORDS


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


def _cue_before(before: Sequence[Token]) -> tuple[Cue, str]:
    """The kind word before a name: "the village of Zorya", "the region of Kursk"."""
    if len(before) == 2 and before[1].lower == "of":
        if before[0].lower in SETTLEMENT_NOUNS:
            return "settlement", before[0].text
        if before[0].lower in REGION_NOUNS:
            return "region", before[0].text
    return "", ""


def lookup_keys(runs: Iterable[Run]) -> set[str]:
    """Every key a run could match: each of its word sequences up to five words long."""
    keys: set[str] = set()
    for run in runs:
        n = len(run.tokens)
        for i in range(n):
            for j in range(i + 1, min(n, i + _MAX_WORDS) + 1):
                keys.add(name_key(run.phrase(i, j)))
    return keys


def run_spans(
    run: Run, is_known: Callable[[str], bool], lowercase_words: set[str], *, demonyms: bool = False
) -> list[NameSpan]:
    """The place names of one run, longest known names first; a run with words the gazetteer
    lacks is one unknown name ("Victoria Vdovychenko", "Malaya Loknya"), and none where it
    names an organisation or a medium ("National Security Council", "Kyiv Independent"). A run
    is split into parts after possessives ("Russia's Marinovka"). With `demonyms`, "French"
    and the like may stand alone."""
    if run.after_title and not run.after[0]:
        return []  # "President Vladimir Putin", "Governor Serhiy Haidai"
    if _names_a_medium(run):
        return []
    never_alone = _ALONE_WITH_DEMONYMS if demonyms else NEVER_ALONE
    spans: list[NameSpan] = []
    for first, last in _parts(run):
        spans.extend(_part_spans(run, first, last, is_known, lowercase_words, never_alone))
    return spans


def _names_a_medium(run: Run) -> bool:
    """ "Kyiv Independent", "Kiev city television": a place name inside a medium's name."""
    if any(t.lower in MEDIA_WORDS for t in run.tokens[1:]):
        return True
    following = run.following
    if following and following[0] in _MEDIA_AFTER:
        return True
    return len(following) == 2 and following[0] in _MEDIA_QUALIFIERS and following[1] in _MEDIA_AFTER


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
    run: Run, first: int, last: int, is_known: Callable[[str], bool], lowercase_words: set[str],
    never_alone: frozenset[str],
) -> list[NameSpan]:
    tokens = run.tokens
    found: list[tuple[int, int]] = []
    unknown: list[int] = []
    i = first
    while i < last:
        j = _longest_known(run, i, last, is_known, lowercase_words, never_alone)
        if j is None:
            if _kind_word(tokens[i].lower) and found and found[-1][1] == i:
                i += 1
                continue
            if tokens[i].lower not in _CONNECTORS and not _trimmable(run, i, lowercase_words, never_alone):
                unknown.append(i)
            i += 1
            continue
        found.append((i, j))
        i = j
    if not unknown and not _adjacent_names(found):
        return [_span(run, i, j, _span_cue(run, i, j, last), known=True) for i, j in found]
    if found and found[0] == (first, first + 1) and _stands_apart(tokens[first]):
        # "U.S. Trade Representative …", "Mexican Economy …": the short form or the demonym is a
        # name of its own, whatever follows it
        head = _span(run, first, first + 1, ("", ""), known=True)
        return [head, *_part_spans(run, first + 1, last, is_known, lowercase_words, never_alone)]
    if any(tokens[k].lower in ORGANISATION_WORDS or tokens[k].lower in MEDIA_WORDS for k in unknown):
        return []
    # Capitalised words in a row are one name: "Malaya Loknya" is no "Loknya", and "Victoria
    # Vdovychenko" no "Victoria". A name the gazetteer lacks is kept, marked unknown, for the
    # geocoder to place where the words around it say it is a place.
    ends = [*(j for _, j in found), *(k + 1 for k in unknown)]
    begin = min(*(i for i, _ in found), *unknown, last)
    stop = max(ends)
    return [_span(run, begin, stop, _span_cue(run, begin, stop, last), known=False)]


def _stands_apart(token: Token) -> bool:
    bare = token.bare
    return "." in bare or (bare.isupper() and len(bare) <= 4) or bare.lower() in DEMONYM_OF


def _adjacent_names(found: Sequence[tuple[int, int]]) -> bool:
    """Two known names with nothing between them are rather one name the gazetteer lacks."""
    return any(a[1] == b[0] for a, b in itertools.pairwise(found))


def _span_cue(run: Run, i: int, j: int, last: int) -> tuple[Cue, str]:
    if j < len(run.tokens) and _kind_word(run.tokens[j].lower):
        return _kind_of(run.tokens[j : j + 2])
    if j == last == len(run.tokens) and run.after[0]:
        return run.after
    if i == 0:
        return run.before
    return "", ""


def _trimmable(run: Run, i: int, lowercase_words: set[str], never_alone: frozenset[str]) -> bool:
    """Capitalised only because it opens the sentence, or a word that is never a name alone."""
    lower = run.tokens[i].bare.lower()
    if lower in never_alone:
        return True
    return i == 0 and run.sentence_initial and lower in lowercase_words


def _longest_known(
    run: Run, i: int, last: int, is_known: Callable[[str], bool], lowercase_words: set[str],
    never_alone: frozenset[str],
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
        if j - i == 1 and not _may_stand_alone(run, i, lowercase_words, never_alone):
            continue
        return j
    return None


def _may_stand_alone(run: Run, i: int, lowercase_words: set[str], never_alone: frozenset[str]) -> bool:
    token = run.tokens[i]
    lower = token.bare.lower()
    if lower in never_alone or lower in ORGANISATION_WORDS:
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
