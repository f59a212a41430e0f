"""The words that announce each kind of event, and the words that cancel them.

Patterns are written for English news copy; each kind's list is general vocabulary of war
reporting, never the wording of one article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KIND_PATTERNS: dict[str, str] = {
    "territory": (
        r"\b(?:re)?captur(?:e|ed|es|ing)\b|\btook (?:full )?control\b|\btaken (?:full )?control\b"
        r"|\b(?:take|took|taken|taking) (?:over )?(?:the )?(?:villages?|towns?|city|settlements?|control)\b"
        r"|\bhad taken\b|\bhave taken\b|\bhas taken\b|\btook over\b|\bseiz(?:e|ed|es|ing)\b"
        r"|(?<![-\w])occupied (?:the |two |three |several )?(?:villages?|towns?|settlements?|city)\b"
        r"|\b(?:forces|troops|army|units|they|have|has|had)\s+occupied\b|\bliberat(?:ed|ing|es|e)\b|\bliberation of\b|\bconquer(?:ed|ing)\b|\bretook\b"
        r"|\bretaken\b|\bregain(?:ed|ing)? control\b|\brais(?:ed|ing) (?:the|a|their) (?:\w+ )?flag\b"
        r"|\breached the (?:\w+ )?(?:border|outskirts|edge)\b|\badvanc(?:ed|ing|e) (?:into|on|towards?|to)\b"
        r"|\bentered (?:the )?(?:village|town|city|region|[A-Z])|\bin control of\b"
        r"|\bpushed (?:\w+ ){0,3}deep\b|\bpush (?:about |some |roughly )?\d[\d\-–.]* ?k(?:ilo)?m|\bbroke through\b"
        r"|\bbreakthrough\b|\bencircl(?:ed|ing)\b|\bwithdraw(?:al)? (?:of )?(?:troops|forces)\b"
        r"|\bwithdr[ae]w (?:troops|forces|from)\b|\bretreat(?:ed)? from\b|\bpulled out of\b|\bgained\b"
        r"|\bterritorial gains\b|\bcleared (?:the )?(?:village|town|territory)\b|\bfell to\b"
    ),
    "clash": (
        r"\brepel(?:led|s|ling)?\b|\brepuls(?:ed|ing)\b|\bfought off\b|\bfending off\b"
        r"|\b(?:unsuccessfully )?attacked the positions\b|\boffensive (?:attempts?|actions?|operations?)\b"
        r"|(?<!drone )(?<!missile )(?<!air )\bassault(?:s|ed)?\b(?! (?:rifles?|groups? of|brigades?|battalions?|regiments?|units?|troops))|\bclashes?\b|\bfighting\b(?! (?:positions?|units?|capabilit\w*|spirit|age|chance|force|vehicles?))|\bbattles? (?:for|near|in|around)\b"
        r"|\bstalled\b(?! (?:peace|talks|negotiations|process|diplomacy))|\bstopped the offensive\b|\bthwarted\b|\bfierce resistance\b|\bcounter-?attack(?:s|ed)?\b"
        r"|\bcounter-?offensive\b|\bground attacks?\b|\bskirmish(?:es)?\b|\bcombat engagements?\b"
    ),
    "strike": (
        r"\bstruck\b|\bstrikes?\b(?! (?:a |an )?(?:deal|balance|chord|tone|drones?|capabilit|groups?|forces?|weapons?|aircraft|potential))|\bshelled\b|\bshelling\b"
        r"|\bbombard(?:ed|ment|ing)\b|\bbomb(?:ed|ing|ings)\b|\bair ?raids?\b|\bairstrikes?\b"
        r"|\b(?:missile|drone|rocket|artillery|air|aerial|mortar) (?:attacks?|assaults?|barrage|fire)\b"
        r"|\blaunch(?:ed|es|ing)? (?:\w+ ){0,3}(?:drones|missiles|rockets|attack)\b|\bsending \d[\d,]* (?:\w+ )?drones\b"
        r"|\b(?:hit|hits)\b(?! (?:back|out|hard by|the headlines))|\bexplosions?\b|\btargeting\b|\btargeted\b"
        r"|\bdestroyed (?:a|an|the|at least|two|three|four|five|several|\d+)\b|\bdamaged\b|\bpounded\b"
        r"|\bpummell?ed\b|\bblew up\b|\bfired (?:on|at|upon)\b"
    ),
    "interception": (
        r"\bshot down\b|\bshoot down\b|\bdowned\b|\bdowning\b|\bintercept(?:ed|ing|s)?\b(?! drones)"
        r"|\bdestroyed or (?:jammed|suppressed)\b|\belectronically suppressed\b|\bjammed\b"
        r"|\bneutrali[sz]ed\b|\bair defen[cs]es? (?:destroyed|downed|repelled)\b"
        r"|\b(?:drones?|uavs?|missiles?|rockets?|shaheds?)\s+(?:were|was|had been|have been|been)\s+(?:\w+\s+)?"
        r"(?:destroyed|downed|intercepted|shot down|neutrali[sz]ed|jammed|suppressed)\b"
    ),
    "casualties": (
        r"\bkill(?:ed|ing|s)\b|\bdead\b|\bdied\b|\bdeaths?\b|\bwounded\b|\binjur(?:ed|ies|ing)\b"
        r"|\bcasualties\b|\bmissing\b|\bfatalities\b|\blost their lives\b|\blosses\b"
    ),
    "statement": (
        r"\bordered\b|\binstructed\b|\bthreaten(?:ed|s|ing)?\b|\bwarn(?:ed|s|ing)\b|\bwarning\b|\bvow(?:ed|s)\b"
        r"|\bdemand(?:ed|s)\b|\bcalled (?:on|for)\b|\burged\b|\bpromised to\b|\bbuffer zone\b"
        r"|\bwe want\b|\bnot negotiable\b|\b(?:cannot|can ?not|never) be trusted\b|\b(?:is|are) going to\b"
        r"|\bannounced (?:plans|that)\b|\bintends? to\b|\bproposed to\b"
    ),
    "diplomacy": (
        r"\btalks\b|\bnegotiations?\b|\bmet (?:with|in|at|on)\b|\bmeeting (?:with|between|of)\b|\bvisit(?:ed|s|ing)?\b"
        r"|\bsummit\b|\bprisoner (?:swap|exchange)s?\b|\bexchange (?:of )?(?:prisoners|pows|bodies)\b"
        r"|\bexchange prisoners\b|\bceasefire (?:deal|agreement|talks)\b|\bpeace (?:deal|plan|agreement|talks)\b"
        r"|\bdelegates gathered\b|\bexchange of [\d,]+ for [\d,]+\b|\b[\d,]+-for-[\d,]+\b|\bsigned (?:an? |the )?(?:\w+ )?(?:agreement|deal|memorandum|accord)\b"
        r"|\b(?:\d+|\w+) for (?:\d+|\w+) (?:format|exchange|swap)\b|\bmediat(?:ed|ion)\b"
    ),
    "sanctions": (
        r"\bsanction(?:s|ed)?\b|\btariffs?\b|\bembargo\b|\bprice cap\b|\bblacklist(?:ed)?\b"
        r"|\bexport (?:controls|ban)\b|\bimport ban\b|\basset freeze\b|\bfroze (?:\w+ )?assets\b"
    ),
    "aid": (
        r"\baid\b|\bmilitary (?:assistance|support)\b|\bsupport package\b|\baid package\b|\bpledg(?:ed|es|e)\b"
        r"|\bdonat(?:ed|ion|ions)\b|\bdeliver(?:ed|y|ies)\b (?:of )?(?:\w+ ){0,2}(?:weapons|arms|systems|tanks|jets|missiles|ammunition)"
        r"|\bsend(?:ing)? (?:\w+ ){0,2}(?:some )?(?:weapons|arms|tanks|jets|missiles|ammunition)\b"
        r"|\bmilitary cooperation agreement\b|\bfinancial (?:support|assistance)\b|\bloan\b|\bfunding\b"
        r"|\bweapons (?:that had been )?promised\b|\bhumanitarian\b"
        r"|\b(?:billion|million|bn|m) (?:euros|dollars|pounds)\b[^.;]{0,60}\b(?:to|for) (?:Ukraine|Kyiv)\b"
    ),
    "policy": (
        r"\btreaty\b|\bwithdraw(?:ing|al|s)? from the\b|\blaw\b|\bdecree\b|\bmobili[sz]ation\b|\bconscription\b"
        r"|\bmartial law\b|\bbill (?:in|passed|proposing)\b|\blegislation\b|\breferend(?:um|a)\b"
        r"|\bdraft age\b|\bconvention\b"
    ),
}
_KIND_REGEXES: dict[str, re.Pattern[str]] = {
    kind: re.compile(pattern, re.I if kind != "territory" else 0) for kind, pattern in _KIND_PATTERNS.items()
}
# Territory words mix proper-noun look-aheads ("occupied [A-Z]") with ordinary words; match those
# case-insensitively by lower-casing only the first letter of the text they are tried on.
_TERRITORY_CI = re.compile(_KIND_PATTERNS["territory"].replace("[A-Z]", "(?-i:[A-Z])"), re.I)
_KIND_REGEXES["territory"] = _TERRITORY_CI

# Words before a trigger, inside its clause, that make it not a new fact.
_HYPOTHETICAL = re.compile(
    r"\b(?:if|unless|whether|could|would|might|should|will|shall|can|may)\b(?! have\b)(?!\s+not\s+be\s+sending)"
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
    r"\b(?:not|no|never|nor|without|neither|did not|didn't|has not|hasn't|have not|haven't)\b", re.I
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
    found: list[Trigger] = []
    for kind, regex in _KIND_REGEXES.items():
        for match in regex.finditer(sentence):
            found.append(Trigger(kind, match.start(), match.end(), match.group(0)))
    found.sort(key=lambda t: (t.start, t.kind))
    return found


def clause_start(sentence: str, position: int) -> int:
    """Where the clause holding `position` begins."""
    start = 0
    for match in _CLAUSE_BREAK.finditer(sentence, 0, position):
        start = match.end()
    return start


def clause_end(sentence: str, position: int) -> int:
    match = _CLAUSE_BREAK.search(sentence, position)
    return match.start() if match else len(sentence)


_CONDITIONAL = re.compile(r"\b(?:if|unless|whether)\b", re.I)


def is_hypothetical(sentence: str, trigger: Trigger) -> bool:
    """A trigger under 'if', 'could', 'trying to', … in its own clause is not a reported fact.
    Aid is pledged for the future by nature: only a condition makes it hypothetical."""
    window = sentence[max(clause_start(sentence, trigger.start), trigger.start - 60): trigger.start]
    if sentence.rstrip().endswith("?"):
        return True
    if trigger.kind == "aid":
        return bool(_CONDITIONAL.search(window))
    return bool(_HYPOTHETICAL.search(window))


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
    return bool(re.search(_BACKGROUND.pattern + r"\s+(?:[\w'’-]+\s+){0,2}$", window, re.I))
