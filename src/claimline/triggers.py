"""The words that announce each kind of event, and the words that cancel them.

Patterns are written for English news copy; each kind's list is general vocabulary of war
reporting, never the wording of one article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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


@dataclass(frozen=True, slots=True)
class _Alternative:
    kind: str
    regex: re.Pattern[str]
    required: str
    required_any: tuple[str, ...]  # for patterns without one required word: one of these


# Proper-noun look-aheads ("entered [A-Z]…") stay case-sensitive inside otherwise case-blind patterns.
_ALTERNATIVES: tuple[_Alternative, ...] = tuple(
    _Alternative(kind, re.compile(part.replace("[A-Z]", "(?-i:[A-Z])"), re.I), _required_word(part),
                 () if _required_word(part) else _required_words(part))
    for kind, parts in _KIND_PATTERNS.items()
    for part in parts
)
# (?i) matches these to ASCII letters ("ı" to "i"), but str.lower() keeps them apart: where one
# appears, the choices of a leading group are not trusted
_UNLOWERABLE = re.compile("[İıſ]")

# Words before a trigger, inside its clause, that make it not a new fact.
_HYPOTHETICAL = re.compile(
    r"(?-i:\b(?:if|If|unless|Unless|whether|could|would|might|should|will|shall|can|may)\b)(?! have\b)"
    r"(?!\s+not\s+be\s+sending)"
    r"|\b(?:plans?|planning|aims?|aiming|trying|tries|tried|attempt(?:s|ed|ing)?|fail(?:s|ed|ing)?|wants?|"
    r"intends?|threaten(?:s|ed)?|ready|expected|hopes?|hoping|seeks?|seeking|goal|needs?|in order) to\b"
    r"|\bin the hopes? of\b|\bproposing\b|\bproposed\b|\bpotential(?:ly)?\b|\bprospect\b|\bexcuse to\b",
    re.I,
)
_HABITUAL = re.compile(
    r"\bcontinu(?:e|es|ed|ing) to\b|\bkeeps? (?:up|on)\b|\bsteadily\b|\bregularly\b|\broutinely\b"
    r"|\busually\b|\boften\b|\bnightly\b|\bevery (?:day|night|week)\b|\bconstant(?:ly)?\b|\bthroughout\b"
    r"|\bincreasingly\b|\bdaily\b|\brepeatedly\b|\bpersistent\b",
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
_CLAUSE_BREAK = re.compile(
    r"[;:—–]|,\s+(?:and|but|while|as|when|although|though|even though|which|who|marking|making|"
    r"meaning|whereas|with)\b|\.\s|\band (?:had|has|have|was|were|then|also)\b"
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


@lru_cache(maxsize=512)
def _triggers_of(sentence: str) -> tuple[Trigger, ...]:
    lowered = sentence.lower()
    trust_choices = _UNLOWERABLE.search(sentence) is None
    found: dict[tuple[str, int], Trigger] = {}
    for alternative in _ALTERNATIVES:
        if alternative.required and alternative.required not in lowered:
            continue
        if trust_choices and alternative.required_any and not any(w in lowered for w in alternative.required_any):
            continue
        for match in alternative.regex.finditer(sentence):
            key = (alternative.kind, match.start())
            if key not in found or match.end() > found[key].end:
                found[key] = Trigger(alternative.kind, match.start(), match.end(), match.group(0))
    return tuple(sorted(found.values(), key=lambda t: (t.start, t.kind)))


def clause_start(sentence: str, position: int) -> int:
    """Where the clause holding `position` begins."""
    start = 0
    for match in _CLAUSE_BREAK.finditer(sentence, 0, position):
        start = match.end()
    return start


def clause_end(sentence: str, position: int) -> int:
    match = _CLAUSE_BREAK.search(sentence, position)
    return match.start() if match else len(sentence)


_NEGOTIATED = re.compile(
    r"\b(?:halt|end|stop|moratorium|pause|ban|ceasefire|truce|cessation|freeze)\s+(?:to|on|of|in)\s+(?:the\s+)?"
    r"(?:[\w-]+\s+){0,2}$", re.I)
_CONDITIONAL = re.compile(r"\b(?:if|unless|whether)\b", re.I)
_PROPOSING = re.compile(r"\bpropos(?:ed|ing|es)\b")
_BACKGROUND_BEFORE = re.compile(_BACKGROUND.pattern + r"\s+(?:[\w'’-]+\s+){0,2}$", re.I)


def is_hypothetical(sentence: str, trigger: Trigger) -> bool:
    """A trigger under 'if', 'could', 'trying to', … in its own clause is not a reported fact.
    Aid is pledged for the future by nature: only a condition makes it hypothetical."""
    window = sentence[max(clause_start(sentence, trigger.start), trigger.start - 60): trigger.start]
    if sentence.rstrip().endswith("?"):
        return True
    if trigger.kind == "aid":
        return bool(_CONDITIONAL.search(window))
    if trigger.kind in ("sanctions", "policy", "diplomacy"):
        window = _PROPOSING.sub("", window)
    return bool(_HYPOTHETICAL.search(window)) or bool(_NEGOTIATED.search(window))


def is_habitual(sentence: str, trigger: Trigger) -> bool:
    """'continued to strike targets', 'nightly raids': a pattern of events, not one event."""
    window = sentence[max(clause_start(sentence, trigger.start), trigger.start - 40): trigger.start]
    return bool(_HABITUAL.search(window))


def is_negated(sentence: str, trigger: Trigger) -> bool:
    window = sentence[max(0, trigger.start - 25): trigger.start]
    window = window[clause_start(window, len(window)):]
    return bool(_NEGATION.search(window))


def is_background(sentence: str, trigger: Trigger) -> bool:
    """'after capturing X', 'since the annexation': a recap subordinate to the sentence's news."""
    window = sentence[max(0, trigger.start - 30): trigger.start]
    return bool(_BACKGROUND_BEFORE.search(window))
