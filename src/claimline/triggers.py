"""The words that announce each kind of event, and the words that cancel them.

Patterns are written for English news copy; each kind's list is general vocabulary of war
reporting, never the wording of one article.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from claimline.folding import case_folded, holds_any, lookalikes_folded

_KIND_PATTERNS: dict[str, tuple[str, ...]] = {
    "territory": (
        r"\b(?:re)?captur(?:e|ed|es|ing)\b",
        r"\btook (?:full )?control\b",
        r"\btaken (?:full )?control\b",
        r"\b(?:take|took|taken|taking) (?:over )?(?:the )?(?:villages?|towns?|city|settlements?|control)\b",
        r"\bhad taken\b",
        r"\bhave taken\b",
        r"\bhas taken\b",
        r"\btook over\b",
        r"\bseiz(?:e|ed|es|ing)\b",
        r"(?<![-\w])(?<!the )(?<!an )(?<!a )occupied (?:the |two |three |several )?"
        r"(?:villages?|towns?|settlements?|city)\b",
        r"\b(?:forces|troops|army|units|they|have|has|had)\s+occupied\b",
        r"\bliberat(?:ed|ing|es|e)\b",
        r"\bliberation of\b",
        r"\bconquer(?:ed|ing)\b",
        r"\bretook\b",
        r"\bretaken\b",
        r"\bregain(?:ed|ing)? control\b",
        r"\brais(?:ed|ing) (?:the|a|their) (?:\w+ )?flag\b",
        r"\breached the (?:\w+ )?(?:border|outskirts|edge)\b",
        r"\badvanc(?:ed|ing|e) (?:into|on|towards?|to)\b",
        r"\bentered (?:the )?(?:village|town|city|region|[A-Z])",
        r"\bin control of\b",
        r"\bpushed (?:\w+ ){0,3}deep\b",
        r"\bpush (?:about |some |roughly )?\d[\d\-–.]* ?k(?:ilo)?m",
        r"\bbroke through\b",
        r"\bbreakthrough\b",
        r"\bencircl(?:ed|ing)\b",
        r"\bwithdraw(?:al)? (?:of )?(?:troops|forces)\b",
        r"\bwithdr[ae]w (?:troops|forces)\b",
        r"\bretreat(?:ed)? from\b",
        r"\bpulled out of\b",
        r"\bgained\b",
        r"\bterritorial gains\b",
        r"\bcleared (?:the )?(?:village|town|territory)\b",
        r"\bfell to\b",
    ),
    "clash": (
        r"\brepel(?:led|s|ling)?\b",
        r"\brepuls(?:ed|ing)\b",
        r"\bfought off\b",
        r"\bfending off\b",
        r"\b(?:unsuccessfully )?attack(?:ed|ing) (?:the |their |\w+ )?positions\b",
        r"\boffensive (?:attempts?|actions?|operations?)\b",
        r"(?<!drone )(?<!missile )(?<!air )\bassault(?:s|ed)?\b"
        r"(?! (?:rifles?|groups? of|brigades?|battalions?|regiments?|units?|troops))",
        r"\bclash(?:es|ed)?\b",
        r"\bfighting\b(?! (?:positions?|units?|capabilit\w*|spirit|age|chance|force|vehicles?))",
        r"\bbattles? (?:for|near|in|around)\b",
        r"\bstalled\b(?! (?:peace|talks|negotiations|process|diplomacy))",
        r"\bstopped the offensive\b",
        r"\bthwarted\b",
        r"\bfierce resistance\b",
        r"\bcounter-?attack(?:s|ed)?\b",
        r"\bcounter-?offensive\b",
        r"\bground attacks?\b",
        r"\bskirmish(?:es)?\b",
        r"\bcombat engagements?\b",
    ),
    "strike": (
        r"\bstruck\b",
        r"\b(?:drones?|missiles?|rockets?|aircraft|artillery|uavs?|jets?|warplanes?)\s+(?:\w+\s+)?attack(?:ed|s)\b",
        r"\bstrikes?\b"
        r"(?! (?:a |an )?(?:deal|balance|chord|tone|drones?|capabilit|groups?|forces?|weapons?|aircraft|potential))",
        r"\bshelled\b",
        r"\bshelling\b",
        r"\bbombard(?:ed|ment|ing)\b",
        r"\bbomb(?:ed|ing|ings)\b",
        r"\bair ?raids?\b",
        r"\bairstrikes?\b",
        r"\b(?:missile|drone|rocket|artillery|air|aerial|mortar) (?:attacks?|assaults?|barrage|fire)\b",
        r"\blaunch(?:ed|es|ing)? (?:\w+ ){0,3}(?:drones|missiles|rockets|attack)\b",
        r"\bsending \d[\d,]* (?:\w+ )?drones\b",
        r"\b(?:hit|hits)\b(?! (?:back|out|hard by|the headlines))",
        r"\bexplosions?\b",
        r"\btargeting\b",
        r"\btargeted\b",
        r"\bdestroyed (?:a|an|the|at least|two|three|four|five|several|\d+)\b",
        r"\bdamaged\b",
        r"\bpounded\b",
        r"\bpummell?ed\b",
        r"\bblew up\b",
        r"\bfired (?:on|at|upon)\b",
        r"\battack(?:ed|s)\b (?:[\w'’-]+ ){0,4}with (?:[\d,]+|more than [\d,]+|[a-z]+|dozens of|hundreds of) "
        r"(?:[\w-]+ ){0,3}(?:drones|missiles|rockets|shaheds|uavs)\b",
    ),
    "interception": (
        r"\bshot down\b",
        r"\bshoot down\b",
        r"\bdowned\b",
        r"\bdowning\b",
        r"\bintercept(?:ed|ing|s)?\b(?! drones)",
        r"\bdestroyed or (?:jammed|suppressed)\b",
        r"\belectronically suppressed\b",
        r"\bjammed\b",
        r"\bneutrali[sz]ed\b",
        r"\bair defen[cs]es? (?:destroyed|downed|repelled)\b",
        r"\b(?:destroyed|downed|intercepted) (?:\d[\d,]*|[a-z]+) (?:[\w-]+ )?(?:drones|uavs|missiles|rockets)\b",
        r"\b(?:drones?|uavs?|missiles?|rockets?|shaheds?)\s+(?:were|was|had been|have been|been)\s+(?:\w+\s+)?"
        r"(?:destroyed|downed|intercepted|shot down|neutrali[sz]ed|jammed|suppressed)\b",
    ),
    "casualties": (
        r"\bkill(?:ed|ing|s)\b",
        r"\bdead\b",
        r"\bdied\b",
        r"\bdeaths?\b",
        r"\bwounded\b",
        r"\binjur(?:ed|ies|ing)\b",
        r"\bcasualties\b",
        r"\bmissing\b",
        r"\bfatalities\b",
        r"\blost their lives\b",
        r"\blosses\b",
    ),
    "statement": (
        r"\bordered\b",
        r"\binstructed\b",
        r"\bthreaten(?:ed|s|ing)?\b",
        r"\bwarn(?:ed|s|ing)\b",
        r"\bwarning\b",
        r"\bvow(?:ed|s)\b",
        r"\bdemanded\b|\bdemands that\b",
        r"\bcalled (?:on|for)\b",
        r"\burged\b",
        r"\bpromised to\b",
        r"\b(?:buffer|security|demilitari[sz]ed|no-fly|sanitary) zone\b",
        r"\bultimatum\b",
        r"\b(?:rejected|dismissed|refused)\s+(?:the|a|an|this|any|kyiv's|moscow's|washington's)\b",
        r"\bwe (?:want|will|must|need|demand|intend|are ready)\b",
        r"\b(?:is|are|was|were) (?:not|non-) ?negotiable\b",
        r"\b(?:cannot|can ?not|must not|should not|never) be (?:trusted|allowed|tolerated|accepted)\b",
        r"\b(?:is|are) going to\b",
        r"\bannounced (?:plans|that)\b",
        r"\bintends? to\b",
        r"\bproposed to\b",
    ),
    "diplomacy": (
        r"\btalks\b",
        r"\bnegotiations?\b",
        r"\bmet (?:with|in|at|on)\b",
        r"\bmeeting (?:with|between|of)\b",
        r"\bvisit(?:ed|s|ing)?\b",
        r"\bsummit\b",
        r"\bprisoner (?:swap|exchange)s?\b",
        r"\bexchange (?:of )?(?:prisoners|pows|bodies)\b",
        r"\bexchange prisoners\b",
        r"\bceasefire (?:deal|agreement|talks)\b",
        r"\bpeace (?:deal|plan|agreement|talks)\b",
        r"\b(?:delegates|delegations|negotiators|envoys) (?:met|gathered|convened|arrived)\b",
        r"\bexchange of [\d,]+ for [\d,]+\b",
        r"\b[\d,]+-for-[\d,]+\b",
        r"\bsigned (?:an? |the )?(?:\w+ )?(?:agreement|deal|memorandum|accord)\b",
        r"\b(?:\d+|\w+) for (?:\d+|\w+) (?:format|exchange|swap)\b",
        r"\bmediat(?:ed|ion)\b",
        r"\ban exchange with\b",
        r"\bswaps?\b(?! (?:deal|lines?|rates?|spreads?))",
        r"\b(?:prisoners|pows|servicemen|soldiers|civilians|captives)\b (?:of war )?(?:[\w-]+ ){0,6}?"
        r"(?:returned home|were returned|have been returned|had been returned|were handed over|were released|"
        r"were freed|were exchanged|were repatriated|came home)\b",
        r"\b(?:freed|released|exchanged|repatriated|handed over|returned)\s+(?:[\d,]+|[a-z-]+ (?:hundred|dozen)|"
        r"dozens of|hundreds of)\s+(?:[\w-]+ ){0,2}(?:prisoners|pows|servicemen|soldiers|captives)\b",
    ),
    "sanctions": (
        r"\bsanction(?:s|ed)?\b",
        r"\btariffs?\b",
        r"\bembargo\b",
        r"\bprice cap\b",
        r"\bblacklist(?:ed)?\b",
        r"\bexport (?:controls|ban)\b",
        r"\bimport ban\b",
        r"\basset freeze\b",
        r"\bfroze (?:\w+ )?assets\b",
        r"\b(?:sanctions |new )?listings\b",
    ),
    "aid": (
        r"\baid\b",
        r"\bmilitary (?:assistance|support)\b",
        r"\bsupport package\b",
        r"\baid package\b",
        r"\bpledg(?:ed|es|e)\b",
        r"\bdonat(?:ed|ion|ions)\b",
        r"\bdeliver(?:ed|y|ies)\b (?:of )?(?:\w+ ){0,2}(?:weapons|arms|systems|tanks|jets|missiles|ammunition)",
        r"\bsend(?:ing)? (?:\w+ ){0,2}(?:some )?(?:weapons|arms|tanks|jets|missiles|ammunition)\b",
        r"\bmilitary cooperation agreement\b",
        r"\bfinancial (?:support|assistance)\b",
        r"\bloan\b",
        r"\bfunding\b",
        r"\bweapons (?:that had been )?promised\b",
        r"\bhumanitarian\b",
        r"\b(?:billion|million|bn|m) (?:euros|dollars|pounds)\b[^.;]{0,60}\b(?:to|for) (?:Ukraine|Kyiv)\b",
    ),
    "policy": (
        r"\btreaty\b",
        r"\bwithdraw(?:ing|al|s)? from the\b",
        r"\blaw\b",
        r"\bdecree\b",
        r"\bmobili[sz]ation\b",
        r"\bconscription\b",
        r"\bmartial law\b",
        r"\bbill (?:in|passed|proposing)\b",
        r"\blegislation\b",
        r"\breferend(?:um|a)\b",
        r"\bdraft age\b",
        r"\bconvention\b",
    ),
}
def _required_word(pattern: str) -> str:
    """The longest word every match of `pattern` must contain ('' when none is certain): a cheap
    substring test that spares running the regex over sentences that cannot match."""
    if "|" in _outside_groups(pattern):
        return ""  # a match may take either side of a top-level choice
    bare = re.sub(r"\\[bBsSwWdD]|\\.", " ", pattern)
    previous = None
    while previous != bare:
        previous = bare
        bare = re.sub(r"\([^()]*\)[?*]?|\[[^\]]*\][?*+]?|\{[^}]*\}", " ", bare)
    bare = re.sub(r"\w[?*]", " ", bare)
    words = re.findall(r"[a-z]{3,}", bare.lower())
    return max(words, key=len) if words else ""


def _required_words(pattern: str) -> tuple[str, ...]:
    """Words of which every match of `pattern` holds one (() when none is certain): its required
    word, else one from each choice of a leading group ('\\b(?:freed|released|…)')."""
    word = _required_word(pattern)
    if word:
        return (word,)
    leading = re.match(r"\\b\(\?:((?:[^()\\]|\\.)*)\)(?![?*{])", pattern)
    if leading is None or "|" in _outside_groups(pattern):
        return ()
    words = tuple(_required_word(choice) for choice in leading.group(1).split("|"))
    return words if all(words) else ()


def _outside_groups(pattern: str) -> str:
    bare, previous = re.sub(r"\\.", " ", pattern), None
    while previous != bare:
        previous = bare
        bare = re.sub(r"\([^()]*\)|\[[^\]]*\]", " ", bare)
    return bare


def _top_level_choices(pattern: str) -> list[str]:
    """The bodies of the groups at the top level of `pattern` that every match passes through: not
    optional, not repeated from zero, not look-arounds."""
    bodies: list[str] = []
    depth, opened = 0, 0
    for index, char in _syntax(pattern):
        if char == "(":
            if depth == 0:
                opened = index
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0 and pattern.startswith("(?:", opened) and not _optional_at(pattern, index + 1):
                bodies.append(pattern[opened + 3: index])
    return bodies


def _syntax(pattern: str) -> Iterator[tuple[int, str]]:
    """Each character of `pattern` with its position, except escapes and character classes."""
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
        elif char == "[":
            index = pattern.index("]", index + 2) + 1
        else:
            yield index, char
            index += 1


def _optional_at(pattern: str, index: int) -> bool:
    return pattern.startswith(("?", "*", "{0"), index)


def _choices(body: str) -> list[str]:
    """`body` split at its own '|', not at those of groups inside it."""
    parts, depth, start = [], 0, 0
    for index, char in _syntax(body):
        depth += (char == "(") - (char == ")")
        if char == "|" and depth == 0:
            parts.append(body[start:index])
            start = index + 1
    return [*parts, body[start:]]


def _word_choices(pattern: str) -> tuple[tuple[str, ...], ...]:
    """For each top-level group whose every choice holds a required word, those words: every match of
    `pattern` holds one word of each. A second, finer gate after the required word's."""
    if "|" in _outside_groups(pattern):
        return ()
    out = []
    for body in _top_level_choices(pattern):
        words = tuple(_required_word(choice) for choice in _choices(body))
        if all(words):
            out.append(words)
    return tuple(out)


_LOOK_BEHINDS = re.compile(r"(?:\(\?<!(?:[^()\\]|\\.)*\))*")
_WORD_START = ("\\b", "(?<![-\\w])")


def _leading_words(pattern: str) -> tuple[str, ...]:
    """Letters of which every match of `pattern` begins with one, at the start of a word ('kill' for
    '\\bkill(?:ed|ing|s)\\b'; () when matches may begin otherwise)."""
    if "|" in _outside_groups(pattern):
        return ()
    behinds = _LOOK_BEHINDS.match(pattern)
    rest = pattern[behinds.end():] if behinds else pattern
    if rest.startswith("\\b"):
        rest = rest[2:]
    elif not (behinds and "(?<![-\\w])" in behinds.group(0)):
        return ()
    group = re.match(r"\(\?:((?:[^()\\]|\\.)*)\)(?![?*{])", rest)
    choices = _choices(group.group(1)) if group else [rest]
    words = tuple(_leading_letters(choice) for choice in choices)
    return words if all(words) else ()


def _leading_letters(text: str) -> str:
    letters = re.match(r"[a-z]+", text)
    if letters is None:
        return ""
    word = letters.group(0)
    return word[:-1] if text.startswith(("?", "*", "{"), letters.end()) else word


@dataclass(frozen=True, slots=True)
class _Alternative:
    kind: str
    regex: re.Pattern[str]
    required: str
    required_any: tuple[str, ...]  # for patterns without one required word: one of these
    also_any: tuple[tuple[str, ...], ...] = ()  # and one word of each of these
    leading: tuple[str, ...] = ()  # letters of which every match begins with one, at a word's start


def _alternative(kind: str, part: str) -> _Alternative:
    # Proper-noun look-aheads ("entered [A-Z]…") stay case-sensitive inside otherwise case-blind patterns.
    required = _required_word(part)
    return _Alternative(kind, re.compile(part.replace("[A-Z]", "(?-i:[A-Z])"), re.I), required,
                        () if required else _required_words(part), _word_choices(part),
                        _leading_words(part))


_ALTERNATIVES: tuple[_Alternative, ...] = tuple(
    _alternative(kind, part) for kind, parts in _KIND_PATTERNS.items() for part in parts
)


def _trie_pattern(words: Iterable[str]) -> str:
    """An alternation of `words` as a letter tree: where several begin at one place, it matches the longest."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for letter in word:
            node = node.setdefault(letter, {})
        node[""] = {}
    return _branch(tree)


def _branch(node: dict[str, Any]) -> str:
    options = [letter + _branch(child) for letter, child in sorted(node.items()) if letter]
    if not options:
        return ""
    body = options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"
    if "" not in node:
        return body
    return (body if len(options) > 1 else "(?:" + body + ")") + "?"


def _led_by_word() -> dict[str, tuple[int, ...]]:
    """For each leading word, the alternatives led by it or by a word it begins with."""
    leading = {word for alternative in _ALTERNATIVES for word in alternative.leading}
    return {word: tuple(index for index, alternative in enumerate(_ALTERNATIVES)
                        if any(word.startswith(lead) for lead in alternative.leading))
            for word in leading}


_LED_BY_WORD = _led_by_word()
_UNLED = tuple(index for index, alternative in enumerate(_ALTERNATIVES) if not alternative.leading)
# A match of an alternative with a leading word begins a word ('\\b' stands before it), and a word
# of the lower-cased sentence is a run of ASCII letters: each run's longest leading word (`_LEAD`
# tried at its start) names the alternatives worth trying. Runs repeat from sentence to sentence,
# so each run's leading word is remembered.
_LETTER_RUN = re.compile("[a-z]+")
_LEAD = re.compile(_trie_pattern(_LED_BY_WORD))


@lru_cache(maxsize=16384)
def _lead_of(run: str) -> str:
    found = _LEAD.match(run)
    return found.group() if found is not None else ""


def _leads_in(lowered: str) -> set[str]:
    """The leading words the letter runs of `lowered` begin with, each once."""
    leads = {_lead_of(run) for run in set(_LETTER_RUN.findall(lowered))}
    leads.discard("")
    return leads


def _may_match(alternative: _Alternative, lowered: str) -> bool:
    """Whether `lowered` holds the words every match of `alternative` holds."""
    if alternative.required and alternative.required not in lowered:
        return False
    if alternative.required_any and not holds_any(lowered, alternative.required_any):
        return False
    return not alternative.also_any or all(holds_any(lowered, words) for words in alternative.also_any)


# Words before a trigger, inside its clause, that make it not a new fact.
# (one '\b' before all the choices: the engine tries them only where a word begins)
_HYPOTHETICAL = re.compile(
    r"\b(?:(?-i:(?:if|If|unless|Unless|whether|could|would|might|should|will|shall|can|may)\b)(?! have\b)"
    r"(?!\s+not\s+be\s+sending)"
    r"|(?:plans?|planning|aims?|aiming|trying|tries|tried|attempt(?:s|ed|ing)?|fail(?:s|ed|ing)?|wants?|"
    r"intends?|threaten(?:s|ed)?|ready|expected|hopes?|hoping|seeks?|seeking|goal|needs?|in order) to\b"
    r"|in the hopes? of\b|proposing\b|proposed\b|potential(?:ly)?\b|prospect\b|excuse to\b)",
    re.I,
)
_HABITUAL = re.compile(
    r"\b(?:continu(?:e|es|ed|ing) to\b|keeps? (?:up|on)\b|steadily\b|regularly\b|routinely\b"
    r"|usually\b|often\b|nightly\b|every (?:day|night|week)\b|constant(?:ly)?\b|throughout\b"
    r"|increasingly\b|daily\b|repeatedly\b|persistent\b)",
    re.I,
)
_NEGATION = re.compile(
    r"\b(?:not|no|never|nor|without|neither|did not|didn't|has not|hasn't|have not|haven't|spared)\b", re.I
)
_BACKGROUND = re.compile(
    r"\b(?:after|since|following|before|once before|previously|back in|earlier in the war|similar to|akin to|unlike|"
    r"earlier|previous|past|recent|like the|"
    r"the (?:first|last) time|first time|at the (?:early )?onset|at the start)\b",
    re.I,
)
# Every choice opens with a plain character, so the engine skips ahead to where one of them stands
# ('a(?<!\wa)' is '\ba' said after the letter; a class or a '\b' first would make it try everywhere).
_CLAUSE_BREAK = re.compile(
    r";|:|—|–|,\s+(?:and|but|while|as|when|although|though|even though|which|who|marking|making|"
    r"meaning|whereas|with)\b|\.\s|a(?<!\wa)nd (?:had|has|have|was|were|then|also)\b"
)


@dataclass(frozen=True, slots=True)
class Trigger:
    kind: str
    start: int
    end: int
    text: str


def find_triggers(sentence: str) -> list[Trigger]:
    """Every trigger word of every kind in `sentence`, in order of position."""
    return list(_triggers_of(sentence))


def forget_sentences() -> None:
    """Empty the memos of the sentences and words read (for benchmarks that read the same texts twice)."""
    _triggers_of.cache_clear()
    _lead_of.cache_clear()


@lru_cache(maxsize=512)
def _triggers_of(sentence: str) -> tuple[Trigger, ...]:
    lowered = case_folded(sentence)
    if lowered is None:  # letters that (?i) reads as ASCII: the choices of a leading group are not trusted
        return _triggers_trying_each(sentence, lookalikes_folded(sentence))
    candidates = set(_UNLED)
    for leading in _leads_in(lowered):
        candidates.update(_LED_BY_WORD[leading])
    found: dict[tuple[str, int], Trigger] = {}
    for index in candidates:
        alternative = _ALTERNATIVES[index]
        if not _may_match(alternative, lowered):
            continue
        matches = _matches_where_led(alternative, sentence, lowered) if len(alternative.leading) == 1 \
            else alternative.regex.finditer(sentence)
        for match in matches:
            _keep_longest(found, alternative.kind, match)
    return tuple(sorted(found.values(), key=lambda t: (t.start, t.kind)))


def _matches_where_led(alternative: _Alternative, sentence: str, lowered: str) -> Iterator[re.Match[str]]:
    """What `alternative.regex.finditer(sentence)` yields, tried only where its leading word begins
    (`lowered` keeps the sentence's positions: it holds none of the letters that lower-case longer)."""
    word, match_at = alternative.leading[0], alternative.regex.match
    at = lowered.find(word)
    while at >= 0:
        match = match_at(sentence, at)
        if match is None:
            at = lowered.find(word, at + 1)
        else:
            yield match
            at = lowered.find(word, match.end())


def _triggers_trying_each(sentence: str, lowered: str) -> tuple[Trigger, ...]:
    """The plain way, for sentences whose lower case cannot be trusted: every alternative whose
    required word appears is tried."""
    found: dict[tuple[str, int], Trigger] = {}
    for alternative in _ALTERNATIVES:
        if alternative.required and alternative.required not in lowered:
            continue
        for match in alternative.regex.finditer(sentence):
            _keep_longest(found, alternative.kind, match)
    return tuple(sorted(found.values(), key=lambda t: (t.start, t.kind)))


def _keep_longest(found: dict[tuple[str, int], Trigger], kind: str, match: re.Match[str]) -> None:
    key = (kind, match.start())
    if key not in found or match.end() > found[key].end:
        found[key] = Trigger(kind, match.start(), match.end(), match.group(0))


def clause_start(sentence: str, position: int) -> int:
    """Where the clause holding `position` begins."""
    breaks = _latest_breaks[0]
    if breaks.sentence is not sentence:
        breaks = _scan_breaks(sentence)
    if breaks.gapped or position <= _REACH:
        return _clause_start_scanning(sentence, position)
    # Clause breaks that begin _REACH or more before `position` are found alike by a scan that stops
    # there; after them only the last few characters need scanning again, and then only where a
    # break begins among them or `position` splits a word (a '\\b' the stop makes true).
    index = bisect_right(breaks.starts, position - _REACH)
    start = breaks.ends[index - 1] if index else 0
    if (index < len(breaks.starts) and breaks.starts[index] < position) or _splits_word(sentence, position):
        for match in _CLAUSE_BREAK.finditer(sentence, max(start, position - _REACH + 1), position):
            start = match.end()
    return start


def _clause_start_scanning(sentence: str, position: int) -> int:
    start = 0
    for match in _CLAUSE_BREAK.finditer(sentence, 0, position):
        start = match.end()
    return start


def _splits_word(sentence: str, position: int) -> bool:
    """Whether word characters (what '\\w' matches) stand on both sides of `position` (> 0)."""
    pair = sentence[position - 1: position + 1]
    return len(pair) == 2 and (pair.isalnum() or ("_" in pair and pair.replace("_", "a").isalnum()))


def clause_end(sentence: str, position: int) -> int:
    breaks = _latest_breaks[0]
    if breaks.sentence is not sentence:
        breaks = _scan_breaks(sentence)
    index = bisect_left(breaks.starts, position)
    if index and breaks.ends[index - 1] > position:
        # inside a break the scan stepped over: a break may begin here that the scan never tried
        match = _CLAUSE_BREAK.search(sentence, position)
        return match.start() if match else len(sentence)
    return breaks.starts[index] if index < len(breaks.starts) else len(sentence)


# How far past where it begins a try of _CLAUSE_BREAK reads: ', even though' and a word character,
# with at most three spaces after the comma (sentences with more are scanned in full).
_REACH = 16
_GAP_AFTER_COMMA = re.compile(r",\s{4}")


@dataclass(frozen=True, slots=True)
class _Breaks:
    sentence: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    gapped: bool  # a comma with more than _REACH allows after it


_latest_breaks = [_Breaks("", (), (), False)]


def _scan_breaks(sentence: str) -> _Breaks:
    """The clause breaks of `sentence`, found once for the many questions asked of the sentence in
    hand; kept for that one string object only, never for equal text met again."""
    matches = list(_CLAUSE_BREAK.finditer(sentence))
    breaks = _Breaks(sentence, tuple(m.start() for m in matches), tuple(m.end() for m in matches),
                     _GAP_AFTER_COMMA.search(sentence) is not None)
    _latest_breaks[0] = breaks
    return breaks


_NEGOTIATED = re.compile(
    r"\b(?:halt|end|stop|moratorium|pause|ban|ceasefire|truce|cessation|freeze)\s+(?:to|on|of|in)\s+(?:the\s+)?"
    r"(?:[\w-]+\s+){0,2}$", re.I)
_CONDITIONAL = re.compile(r"\b(?:if|unless|whether)\b", re.I)
_PROPOSING = re.compile(r"\bpropos(?:ed|ing|es)\b")
# Lower-case words of which every match of the pattern named holds one: most windows hold none, and
# a word test spares the case-blind pattern
_CONDITIONAL_WORDS = ("if", "unless", "whether")
_HYPOTHETICAL_WORDS = ("if", "unless", "whether", "could", "would", "might", "should", "will", "shall", "can",
                       "may", " to", "in the hope", "propos", "potential", "prospect")
_NEGOTIATED_WORDS = ("halt", "end", "stop", "moratorium", "pause", "ban", "ceasefire", "truce", "cessation",
                     "freeze")
_NEGATION_WORDS = ("no", "n't", "never", "without", "neither", "spared")
_HABITUAL_WORDS = ("continu", "keep", "steadily", "regularly", "routinely", "usually", "often", "nightly", "every ",
                   "constant", "throughout", "increasingly", "daily", "repeatedly", "persistent")
_BACKGROUND_WORDS = ("after", "since", "following", "before", "previous", "back in", "earlier", "similar to",
                     "akin to", "unlike", "past", "recent", "like the", "time", "onset", "at the start")
_BACKGROUND_BEFORE = re.compile(_BACKGROUND.pattern + r"\s+(?:[\w'’-]+\s+){0,2}$", re.I)


def is_hypothetical(sentence: str, trigger: Trigger) -> bool:
    """A trigger under 'if', 'could', 'trying to', … in its own clause is not a reported fact.
    Aid is pledged for the future by nature: only a condition makes it hypothetical."""
    if sentence.rstrip().endswith("?"):
        return True
    window = sentence[max(clause_start(sentence, trigger.start), trigger.start - 60): trigger.start]
    if trigger.kind == "aid":
        return holds_any(case_folded(window), _CONDITIONAL_WORDS) and bool(_CONDITIONAL.search(window))
    if trigger.kind in ("sanctions", "policy", "diplomacy") and "propos" in window:
        window = _PROPOSING.sub("", window)
    folded = case_folded(window)
    return (holds_any(folded, _HYPOTHETICAL_WORDS) and bool(_HYPOTHETICAL.search(window))) \
        or (holds_any(folded, _NEGOTIATED_WORDS) and bool(_NEGOTIATED.search(window)))


def is_habitual(sentence: str, trigger: Trigger) -> bool:
    """'continued to strike targets', 'nightly raids': a pattern of events, not one event."""
    window = sentence[max(clause_start(sentence, trigger.start), trigger.start - 40): trigger.start]
    return holds_any(case_folded(window), _HABITUAL_WORDS) and bool(_HABITUAL.search(window))


def is_negated(sentence: str, trigger: Trigger) -> bool:
    window = sentence[max(0, trigger.start - 25): trigger.start]
    if not holds_any(case_folded(window), _NEGATION_WORDS):
        return False
    window = window[_clause_start_scanning(window, len(window)):]
    return bool(_NEGATION.search(window))


def is_background(sentence: str, trigger: Trigger) -> bool:
    """'after capturing X', 'since the annexation': a recap subordinate to the sentence's news."""
    window = sentence[max(0, trigger.start - 30): trigger.start]
    return holds_any(case_folded(window), _BACKGROUND_WORDS) and bool(_BACKGROUND_BEFORE.search(window))
