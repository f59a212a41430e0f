"""Finding place names in sentences: capitalised runs, matched against the gazetteer's keys,
with the words around them that say what kind of place they name."""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Callable, Container, Iterable, Sequence
from functools import lru_cache
from typing import Literal, NamedTuple

from claimline.geocode.names import name_key as _name_key
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

# The names of a war recur in every report and each run looks its word sequences up twice (for the
# gazetteer query, then for its longest known name): their keys are remembered.
name_key = lru_cache(maxsize=16384)(_name_key)

_WORD = re.compile(r"[^\W\d_][\w]*(?:['’ʼ][\w]+)*(?:-[\w]+(?:['’ʼ][\w]+)*)*")
_POSSESSIVE_ENDINGS = ("'s", "’s")
_CONNECTORS = frozenset({
    "of", "de", "del", "la", "le", "on", "upon", "am", "al", "el", "da", "do", "dos", "das", "di", "du",
    "van", "von",
})
_MAX_WORDS = 5
# A word that starts no run of its own: a title, a kind word ("Oblast") or a connector ("De").
_NO_RUN_ALONE = TITLES | REGION_WORDS | DISTRICT_WORDS | FACILITY_WORDS | _CONNECTORS
# With demonyms wanted, "French", "Kremlin", "EU" and the continents may be names on their own.
_ALONE_WITH_DEMONYMS = NEVER_ALONE - DEMONYMS - frozenset(DEMONYM_OF) - CONTINENTS - {"us", "eu"}
_ONE_WORD_NO_RUN = _ALONE_WITH_DEMONYMS | _NO_RUN_ALONE
# Lower-case words after a place name that make it a medium's name ("Kiev city television").
_MEDIA_AFTER = frozenset({"television", "tv", "radio", "channel", "newspaper"})
_MEDIA_QUALIFIERS = frozenset({"city", "regional", "state", "local", "public", "national"})
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ɏͰ-ϿЀ-ԯ"
_NAME_WORD = (
    rf"(?:[A-Z]\.){{2,}}|[{_UPPER}][\w]*(?:['’ʼ][\w]+)*(?:-[\w]+(?:['’ʼ][\w]+)*)*"
)
# Stretches of capitalised words joined by spaces and connectors ("Republic of Moldova"); the
# ranges hold some lower-case letters too, so the first letter is checked again. The first letter
# comes before the look-behind, so that the engine skips to the next capital letter at once. The
# look-ahead at the end reads the two words after the stretch where only spaces come between
# (groups 1 and 2), which the cues need; it takes nothing from the stretch.
_NEXT_WORDS = r"[ \t\u00a0]+([^\W\d_][\w]*)(?:[ \t\u00a0]+([^\W\d_][\w]*))?"
_CAPITALISED = re.compile(
    rf"[{_UPPER}](?<![\w'’ʼ.-].)(?:(?<=[A-Z])\.(?:[A-Z]\.)+|[\w]*(?:['’ʼ][\w]+)*(?:-[\w]+(?:['’ʼ][\w]+)*)*)"
    rf"(?:[ \t\u00a0]+(?:(?:of|de|del|la|le|on|upon|am|al|el|da|do|dos|das|"
    rf"di|du|van|von)[ \t\u00a0]+){{0,2}}(?:{_NAME_WORD}))*"
    rf"(?:(?={_NEXT_WORDS})|)"
)
_TOKEN = re.compile(rf"(?:[A-Z]\.){{2,}}|{_WORD.pattern}")
_LOWERCASE_WORD = re.compile(r"(?<![\w'’])[a-z][a-z'’-]*")
_LOWERCASE_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz'’-")
# How far back the words before a run are read, and what the last of them must be to matter:
# "of" ("the village of …") or a title ("Governor …"), with no letter after it. The pattern
# reads the text before the run backwards, so that it is tried at one place only.
_BEFORE_WINDOW = 40
_TITLE_OR_OF_BEFORE = re.compile(
    rf"[\W\d_]*(?:{'|'.join(sorted((w[::-1] for w in TITLES | {'of'}), key=len, reverse=True))})(?![^\W\d_])",
    re.IGNORECASE,
)
_TITLES_OR_OF = TITLES | {"of"}
_ASCII_LETTERS = string.ascii_letters
_ASCII_NON_LETTERS = "".join(c for c in map(chr, range(128)) if c not in string.ascii_letters)


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
        return self.text.endswith(_POSSESSIVE_ENDINGS)

    @property
    def bare(self) -> str:
        """The word without a possessive "'s"."""
        return _bare(self.text)


class Run(NamedTuple):
    """Capitalised words in a row within one sentence, with what stands around them; a tuple,
    as every sentence makes some."""

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


class NameSpan(NamedTuple):
    """A name that may be a place: where it is, its lookup key, and the cue that came with it."""

    start: int
    end: int
    text: str
    key: str
    cue: Cue
    cue_text: str
    sentence: int
    known: bool


class Stretch(NamedTuple):
    """Capitalised words in a row as `_CAPITALISED` found them in one sentence, with what their
    split into runs and names depends on (`signature`): the words, the two words after them, the
    cue and the title before them, and whether they open the sentence with a word the article
    writes in lower case elsewhere."""

    sentence: Sentence
    match: re.Match[str]
    first_word: int  # where the sentence's first word starts
    before: tuple[Cue, str]
    after_title: bool
    signature: tuple[object, ...]

    @property
    def origin(self) -> int:
        """Where the stretch starts in the article."""
        return self.match.start() + self.sentence.start


def sentence_stretches(sentence: Sentence, lowercase_words: Container[str]) -> list[Stretch]:
    """The stretches of one sentence that may hold names. A lone word that is never a name
    ("The", "Monday") or that starts no run ("Oblast") makes none."""
    text = sentence.text
    stretches: list[Stretch] = []
    first_word = -1
    for match in _CAPITALISED.finditer(text):
        words = match.group(0, 1, 2)  # the stretch and the two words after it
        stretch = words[0]
        if not stretch[0].isupper():
            continue
        one_word = _is_one_word(stretch)
        if one_word and _makes_no_run(stretch.lower()):
            continue
        begin = match.start()
        if first_word < 0:
            first_word = _first_word(text, begin)
        before_cue: tuple[Cue, str] = ("", "")
        titled = False
        if _title_or_of_before(text, begin):
            before = _preceding(text, begin)
            before_cue = _cue_before(before)
            titled = bool(before) and before[-1].lower().rstrip(".") in TITLES
        at_first = begin == first_word
        first = stretch if one_word else _first_token(stretch)
        initial = at_first and _bare(first).lower() in lowercase_words
        signature = (*words, before_cue, titled, at_first, initial)
        stretches.append(Stretch(sentence, match, first_word, before_cue, titled, signature))
    return stretches


def stretch_runs(stretch: Stretch) -> list[Run]:
    """The runs of a stretch, split at titles, possessives and kind words, with the two words
    before and after each for the cues."""
    match = stretch.match
    if _is_one_word(match.group()):
        return [_one_word_run(stretch)]
    return _split_run(stretch, _stretch_tokens(match, stretch.sentence.start))


def _first_token(stretch: str) -> str:
    """The first word of a stretch, as `_stretch_tokens` reads it."""
    found = _TOKEN.match(stretch)
    return found.group() if found else stretch


def _bare(word: str) -> str:
    """The word without a possessive "'s"."""
    return word[:-2] if word.endswith(_POSSESSIVE_ENDINGS) else word


def _first_word(text: str, stretch_start: int) -> int:
    """Where the sentence's first word starts (a stretch at 0 is that word)."""
    if stretch_start == 0:
        return 0
    found = _WORD.search(text)
    return found.start() if found else 0


def _is_one_word(stretch: str) -> bool:
    return " " not in stretch and "\t" not in stretch and "\u00a0" not in stretch


def _makes_no_run(lower: str) -> bool:
    """One word (lower case) that makes no run: it may not stand alone as a name in any mode,
    or it starts no run of its own."""
    if lower.endswith(_POSSESSIVE_ENDINGS):
        return lower[:-2] in _ALONE_WITH_DEMONYMS or lower in _NO_RUN_ALONE
    return lower in _ONE_WORD_NO_RUN


def _stretch_tokens(match: re.Match[str], offset: int) -> list[Token]:
    base = match.start() + offset
    return [
        Token(base + m.start(), base + m.end(), word, word.lower())
        for m in _TOKEN.finditer(match.group()) for word in (m.group(),)
    ]


def _one_word_run(stretch: Stretch) -> Run:
    """`_split_run` for a stretch of one capitalised word, the most common kind: the word is
    the whole stretch (both patterns read a word the same way), and the words after it are
    read only across spaces."""
    sentence, match = stretch.sentence, stretch.match
    offset = sentence.start
    begin, end = match.span()
    first, second = match.group(1, 2)
    following: tuple[str, ...] = ()
    after: tuple[Cue, str] = ("", "")
    if first is not None:
        following = (first.lower(),) if second is None else (first.lower(), second.lower())
        after = _kind_of(first, following)
    word = match.group()
    return Run(
        sentence.index, (Token(begin + offset, end + offset, word, word.lower()),),
        after, stretch.before, begin == stretch.first_word, stretch.after_title, sentence.text, offset, following,
    )


def _split_run(stretch: Stretch, tokens: list[Token]) -> list[Run]:
    sentence, match, first_word = stretch.sentence, stretch.match, stretch.first_word
    text, offset = sentence.text, sentence.start
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
                after = _following(match, offset)
            rest = [*tokens[last:], *after][:2]
        if start > 0:
            before_words = [t.text for t in tokens[max(0, start - 2) : start]]
            before = _cue_before(before_words)
            titled = before_words[-1].lower().rstrip(".") in TITLES
        else:
            before, titled = stretch.before, stretch.after_title
        following = tuple([t.lower for t in rest])
        runs.append(Run(
            sentence.index, tuple(tokens[start:last]),
            _kind_of(rest[0].text, following)
            if rest and _gap_is_space(text, tokens[last - 1].end - offset, rest[0].start - offset)
            else ("", ""),
            before, tokens[start].start - offset == first_word, titled, text, offset, following,
        ))
        start = end
    return runs


def _title_or_of_before(text: str, position: int) -> bool:
    """Whether the last word before `position` (within `_BEFORE_WINDOW`) is "of" or a title.
    Where ASCII letters and ASCII marks are all there is to read, the word is looked up in the
    set; else `_TITLE_OR_OF_BEFORE` decides, whose case folding also matches a few non-ASCII
    letters to ASCII ones ("ſ" to "s")."""
    window = text[max(0, position - _BEFORE_WINDOW) : position]
    head = window.rstrip(_ASCII_NON_LETTERS)
    if not head:
        return False
    if head[-1].isascii():
        rest = head.rstrip(_ASCII_LETTERS)
        if not rest or rest[-1].isascii():
            return head[len(rest) :].lower() in _TITLES_OR_OF
    return _TITLE_OR_OF_BEFORE.match(window[::-1]) is not None


def _gap_is_space(text: str, left: int, right: int) -> bool:
    return left == right or text[left:right].strip() == ""


def _following(match: re.Match[str], offset: int) -> list[Token]:
    """Up to two words right after a stretch, where only spaces lie between (read by the
    look-ahead of `_CAPITALISED`)."""
    words = []
    for group in (1, 2):
        word = match.group(group)
        if word is None:
            break
        start = match.start(group) + offset
        words.append(Token(start, start + len(word), word, word.lower()))
    return words


def _preceding(text: str, position: int) -> list[str]:
    """Up to two words right before `position`."""
    return _WORD.findall(text, max(0, position - _BEFORE_WINDOW), position)[-2:]


def _joins_run(token: Token, open_run: bool) -> bool:
    """A capitalised word that is no title joins (a kind word only continues a run: "Sumy
    Oblast", not "Oblast Governor"); a connector joins a run already open ("Republic of X")."""
    if token.capitalised and token.lower not in TITLES:
        return open_run or not _kind_word(token.lower)
    return open_run and token.lower in _CONNECTORS


def _kind_word(lower: str) -> bool:
    return lower in REGION_WORDS or lower in DISTRICT_WORDS or lower in FACILITY_WORDS


def _kind_of(first: str, lowers: tuple[str, ...]) -> tuple[Cue, str]:
    """The kind the words after a name say it has: `first` as written, `lowers` (one or two
    words) in lower case."""
    word = lowers[0]
    if word in REGION_WORDS:
        return "region", first
    if word in DISTRICT_WORDS:
        return "district", first
    if word in FACILITY_WORDS:
        return "facility", first
    if lowers == AIR_BASE:
        return "facility", "air base"
    return "", ""


def _cue_before(before: Sequence[str]) -> tuple[Cue, str]:
    """The kind word before a name (`before`: up to two words, as written): "the village of
    Zorya", "the region of Kursk"."""
    if len(before) == 2 and before[1].lower() == "of":
        kind = before[0].lower()
        if kind in SETTLEMENT_NOUNS:
            return "settlement", before[0]
        if kind in REGION_NOUNS:
            return "region", before[0]
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
    run: Run, is_known: Callable[[str], bool], lowercase_words: Container[str], *, demonyms: bool = False
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
    if len(run.tokens) == 1:
        return _one_word_spans(run, is_known, lowercase_words, never_alone)
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
    run: Run, first: int, last: int, is_known: Callable[[str], bool], lowercase_words: Container[str],
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


def _one_word_spans(
    run: Run, is_known: Callable[[str], bool], lowercase_words: Container[str], never_alone: frozenset[str]
) -> list[NameSpan]:
    """`_part_spans` of a run of one word, the most common kind: the word is a known name, or
    an unknown one unless it is only capitalised to open the sentence, is never a name alone or
    names an organisation or a medium."""
    token = run.tokens[0]
    lower = token.lower
    if lower in _CONNECTORS:
        return []
    if is_known(name_key(token.bare)) and _may_stand_alone(run, 0, lowercase_words, never_alone):
        return [_span(run, 0, 1, _span_cue(run, 0, 1, 1), known=True)]
    if _trimmable(run, 0, lowercase_words, never_alone) or lower in ORGANISATION_WORDS or lower in MEDIA_WORDS:
        return []
    return [_span(run, 0, 1, _span_cue(run, 0, 1, 1), known=False)]


def _stands_apart(token: Token) -> bool:
    bare = token.bare
    return "." in bare or (bare.isupper() and len(bare) <= 4) or bare.lower() in DEMONYM_OF


def _adjacent_names(found: Sequence[tuple[int, int]]) -> bool:
    """Two known names with nothing between them are rather one name the gazetteer lacks."""
    return any(a[1] == b[0] for a, b in itertools.pairwise(found))


def _span_cue(run: Run, i: int, j: int, last: int) -> tuple[Cue, str]:
    if j < len(run.tokens) and _kind_word(run.tokens[j].lower):
        return _kind_of(run.tokens[j].text, tuple([t.lower for t in run.tokens[j : j + 2]]))
    if j == last == len(run.tokens) and run.after[0]:
        return run.after
    if i == 0:
        return run.before
    return "", ""


def _trimmable(run: Run, i: int, lowercase_words: Container[str], never_alone: frozenset[str]) -> bool:
    """Capitalised only because it opens the sentence, or a word that is never a name alone."""
    lower = run.tokens[i].bare.lower()
    if lower in never_alone:
        return True
    return i == 0 and run.sentence_initial and lower in lowercase_words


def _longest_known(
    run: Run, i: int, last: int, is_known: Callable[[str], bool], lowercase_words: Container[str],
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


def _may_stand_alone(run: Run, i: int, lowercase_words: Container[str], never_alone: frozenset[str]) -> bool:
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


class LowercaseWords:
    """`lowercase_vocabulary` of an article, asked word by word: a word of `_LOWERCASE_WORD`'s
    letters is among them where it stands in the text with nothing that word pattern reads
    right before or after it. Only a hyphen before it leaves that open (it may be the middle of
    a word such as "well-known"); then the vocabulary is read once."""

    __slots__ = ("_answers", "_text", "_words")

    def __init__(self, text: str) -> None:
        self._text = text
        self._words: set[str] | None = None
        self._answers: dict[str, bool] = {}  # a sentence-initial word is asked again and again

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word or not ("a" <= word[0] <= "z"):
            return False
        answer = self._answers.get(word)
        if answer is None:
            answer = self._answers[word] = self._is_among(word)
        return answer

    def _is_among(self, word: str) -> bool:
        if not _LOWERCASE_WORD_CHARS.issuperset(word):
            return False  # the pattern reads no such word
        alone = self._stands_alone(word)
        if alone is not None:
            return alone
        if self._words is None:
            self._words = lowercase_vocabulary(self._text)
        return word in self._words

    def _stands_alone(self, word: str) -> bool | None:
        """Whether `word` stands somewhere in the text with no letter, digit, "_" or apostrophe
        before it and none of its own letters after it; None where it does only after a hyphen."""
        text = self._text
        unsure = False
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            if end == len(text) or text[end] not in _LOWERCASE_WORD_CHARS:
                before = text[at - 1] if at else " "
                if before == "-":
                    unsure = True
                elif not (before.isalnum() or before in "_'’"):
                    return True
            at = text.find(word, at + 1)
        return None if unsure else False
