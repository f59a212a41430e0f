"""Who says so, and how sure they sound: claimant, attribution and the words that decided it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from claimline.folding import case_folded, holds_any, may_contain
from claimline.triggers import clause_start

_SPEECH_VERBS = (
    r"said|says|say|claimed|claims|claim|claiming|announced|announces|announcing|reported|reports|reporting"
    r"|stated|states|told|tells|telling|added|wrote|writes|confirmed|confirms|denied|denies|insisted|alleged"
    r"|declared|noted|estimated|estimates|putting|posted|published|warned|stressed|accused|acknowledged"
    r"|admitted|revealed|suggested|quoted|ordered|instructed|threatened|vowed|demanded|urged|adding"
    r"|called on|called for|named"
)
_SPEECH = re.compile(rf"\b(?:{_SPEECH_VERBS})\b", re.I)
_ACCORDING = re.compile(
    r"\b(?:according to|cited by|quoted by|as reported by|citing(?=\s+(?:an?\s+|the\s+)?(?:unnamed\s+|anonymous\s+)?"
    r"(?:sources?|officials?|reports?|data|figures|statements?|(?-i:[A-Z]))))\s+(?:(?:a |the )?(?:reports?|"
    r"statements?|data|figures|information|estimates?) (?:by|from|of)\s+)?(?P<who>[^,;:.“\"”]{2,90})",
    re.I,
)
_VOICE_SIGNS = re.compile(r"\b(?:our (?:fighters|forces|troops|servicemen|units|air defen[cs]e)|we )\b", re.I)

_HEDGES = re.compile(
    r"\b(?:may|might|could) have\b|\b(?:allegedly|reportedly|purportedly|apparently|possibly|presumably"
    r"|probably|likely|unconfirmed reports?)\b|\bappears? to have\b|\bis believed to\b|\bsaid to have\b",
    re.I,
)
_UNVERIFIED = re.compile(
    r"\b(?:cannot|could not|can ?not|couldn't|can't|has not been|have not been|was not|were not|could not be)"
    r"(?: be)?(?: immediately| yet)?(?: been)? (?:independently )?(?:verified|confirmed)\b|\bunverified\b"
    r"|\bnot (?:be )?independently (?:verified|confirmed)\b|\bnot (?:yet )?(?:observed|seen) (?:any )?confirmation\b"
    r"|\bunconfirmed\b|\bwithout (?:offering |providing )?(?:evidence|proof)\b",
    re.I,
)
_DENIAL = re.compile(
    r"\b(?:denied|denies|deny|refuted|rejected (?:the |these |those )?(?:[\w-]+ )?(?:claims?|reports?|assertions?)"
    r"|(?:were|was) not confirmed by"
    r"|did not confirm)\b", re.I)
# every match of `_HEDGES`, `_UNVERIFIED`, `_DENIAL` and `_ACCORDING` holds one of its words (lower-cased)
_HEDGE_WORDS = ("have", "allegedly", "reportedly", "purportedly", "apparently", "possibly", "presumably", "probably",
                "likely", "unconfirmed report", "believed to")
_UNVERIFIED_WORDS = ("verified", "confirm", "evidence", "proof")
_DENIAL_WORDS = ("denied", "denies", "deny", "refuted", "rejected", "not confirm")
_ACCORDING_WORDS = ("according to", "cited by", "quoted by", "reported by", "citing")
_CLAIM_VERB = re.compile(r"\bclaim(?:s|ed|ing)?\b", re.I)
_NEGATION_BEFORE = re.compile(r"\b(?:not|n't|never)\s+$")

_LEADING_JUNK = re.compile(
    r"^(?:(?:and|but|also|meanwhile|however|then|so|while|as|when|where|which|who|that|earlier|later|separately|"
    r"further|in addition)"
    r"[\s,]+)+",
    re.I,
)
_TRAILING_TIME = re.compile(
    r"\s+(?:(?:on|in|at|via|through|during|over)\s+(?:the\s+|a\s+|an\s+|its\s+|his\s+|her\s+|their\s+)?"
    r"(?:\w+day|january|february|march|april|may|june|july|august|september|october|november|december|\d|"
    r"morning|evening|night|afternoon|weekend|statements?|telegram|social media|x|an? (?:interview|video|post)|"
    r"(?:daily |evening |morning )?(?:update|report|briefing|post|video|interview)s?|television|tv)\b.*"
    r"|(?:late|early|last|this|overnight|earlier|later|previously|further|also|again|separately)\b.*)$",
    re.I,
)
# `_TRAILING_TIME` begins with a space and a word that begins with one of these
_TRAILING_TIME_LEADS = ("on", "in", "at", "via", "through", "during", "over", "late", "early", "last", "this",
                        "overnight", "earlier", "later", "previously", "further", "also", "again", "separately")


def _may_have_trailing_time(text: str) -> bool:
    """False only when no word after the first begins as `_TRAILING_TIME` needs (words are one space apart)."""
    lowered = case_folded(text)
    return lowered is None or any(word.startswith(_TRAILING_TIME_LEADS) for word in lowered.split(" ")[1:])


_STOPWORDS = frozenset("and or but also then so yet as while when where which who that".split())
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "this", "that", "which", "who", "them", "him", "her"})

# Organisations that turn up under many spellings, normalised to one stable name.
_ORGANISATION_NAMES = (
    (r"\b(?:state )?security service(?: of ukraine)?\b|\bsbu\b", "Security Service of Ukraine (SBU)"),
    (r"\b(?:main )?intelligence directorate\b|\bhur\b|\bgur\b", "Defence Intelligence of Ukraine (HUR)"),
    (r"\bdeep ?state\b", "DeepState"),
    (r"\binstitute for the study of war\b|\bisw\b", "Institute for the Study of War (ISW)"),
    (r"\bfsb\b|\bfederal security service\b", "Russian Federal Security Service (FSB)"),
    (r"\bkremlin\b", "Kremlin"),
    (r"\bwhite house\b", "White House"),
    (r"\bpentagon\b", "Pentagon"),
)
_ORGANISATIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.I), name) for pattern, name in _ORGANISATION_NAMES)
# whether any of them is named at all: one search instead of one for each
_ANY_ORGANISATION = re.compile("|".join(pattern for pattern, _ in _ORGANISATION_NAMES), re.I)
_MINISTRY = re.compile(
    r"\b(?:ministry of defen[cs]e|defen[cs]e ministry|\bmod\b|ministry of defense)\b", re.I
)
_MINISTRY_FOREIGN = re.compile(r"\b(?:ministry of foreign affairs|foreign ministry|mfa)\b", re.I)
_GENERAL_STAFF = re.compile(r"\bgeneral staff\b", re.I)
_AIR_FORCE = re.compile(r"\bair (?:force|command)\b", re.I)
_RUSSIAN = re.compile(r"\b(?:russian?|russia['’]s|moscow['’]s|moscow)\b", re.I)
_UKRAINIAN = re.compile(r"\b(?:ukrainian?|ukraine['’]s|kyiv['’]s|kiev['’]s)\b", re.I)
# every match of `_ORGANISATIONS`, `_MINISTRY`, `_MINISTRY_FOREIGN`, `_GENERAL_STAFF` and `_AIR_FORCE`
# holds one of these (lower-cased)
_BODY_WORDS = ("security service", "sbu", "intelligence directorate", "hur", "gur", "deep",
               "institute for the study of war", "isw", "fsb", "kremlin", "white house", "pentagon", "ministry", "mod",
               "mfa", "general staff", "air force", "air command")


@dataclass(frozen=True, slots=True)
class Attribution:
    """The claimant (normalised), the attribution class and the words that decided it."""

    claimant: str | None
    attribution: str
    cue: str | None
    speech_at: int | None = None


def normalise_claimant(phrase: str, context: str = "") -> str:
    """A stable name for an organisation or role; people and other phrases are kept as written."""
    text = _clean_phrase(phrase)
    if not may_contain(text, _BODY_WORDS):
        return _SEAT_OF_BODY.sub("", text)  # none of the bodies below is named
    side = _side(text)
    if _ANY_ORGANISATION.search(text):
        for pattern, name in _ORGANISATIONS:
            found = pattern.search(text)
            if found and not _has_name(text[:found.start()] + text[found.end():]):
                return name
    if _MINISTRY.search(text):
        return f"{side} Ministry of Defence".strip() if side else "Ministry of Defence"
    if _MINISTRY_FOREIGN.search(text):
        return f"{side} Ministry of Foreign Affairs".strip() if side else "Ministry of Foreign Affairs"
    if _GENERAL_STAFF.search(text):
        if side == "Russian":
            return "General Staff of the Russian Armed Forces"
        return "General Staff of the Armed Forces of Ukraine" if side else "General Staff"
    if _AIR_FORCE.search(text) and side != "Russian":
        command = " (Air Command)" if _AIR_COMMAND.search(text) else ""
        return f"Ukrainian Air Force{command}"
    # "officials in the occupied city of Horlivka in Donetsk region": the body, not where it sits
    return _SEAT_OF_BODY.sub("", text)


_AIR_COMMAND = re.compile(r"air command", re.I)
_SEAT_OF_BODY = re.compile(r"\s+in\s+the\s+(?:[\w-]+\s+)?(?:city|town|village|region|part|area)\s+of\b.*$")


def _side(text: str) -> str | None:
    if _RUSSIAN.search(text):
        return "Russian"
    if _UKRAINIAN.search(text):
        return "Ukrainian"
    return None


_DATELINE = re.compile(r"^[A-Z]{3,}(?:,\s*[A-Z][a-z]+)?\s*(?:\([^)]*\))?\s*[:\-–—]\s*")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)


def _clean_phrase(phrase: str) -> str:
    text = " ".join(phrase.replace("’", "'").replace("´", "'").split())
    text = _DATELINE.sub("", text)
    text = text.strip(" ,;:-–—\"“”'")
    text = _LEADING_JUNK.sub("", text)
    if _may_have_trailing_time(text):
        text = _TRAILING_TIME.sub("", text)
    text = _LEADING_ARTICLE.sub("", text)
    return text.strip(" ,;:-–—\"“”'.")


_WORDS_BEFORE_VERB = re.compile(
    r"(?:\s+(?:on|in|at|late|early|last|this|earlier|later|previously|further|also|again|"
    r"had|has|have|was|were|is|later|first|then|now|already|officially|publicly|"
    r"(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|overnight|"
    r"[A-Z][a-z]+ \d{1,2}|\d{1,2} [A-Z][a-z]+|on \w+)\b)+\s*$")
_LAST_WORDS_BEFORE_VERB = frozenset(
    "on in at late early last this earlier later previously further also again had has have was were is first then "
    "now already officially publicly overnight monday tuesday wednesday thursday friday saturday sunday".split())


def _may_end_in_words_before_verb(left: str) -> bool:
    """False only when `_WORDS_BEFORE_VERB` cannot match: its last word ends `left` (but for spaces) and
    is one of its words, a one- or two-digit number, a name after such a number or a word after 'on'."""
    words = left.rsplit(None, 2)
    last = words[-1] if words else ""
    before_last = words[-2] if len(words) >= 2 else ""
    return (last in _LAST_WORDS_BEFORE_VERB or last.isdecimal() or before_last == "on"
            or (before_last.isdecimal() and last[:1].isupper()))


_RELATIVE_CLAUSE = re.compile(r"^\s*(?P<np>[^,]+),\s+(?:which|who|whose)\b.*,\s*$")
# '\bthat|\bwhich|…' with each '\b' said after the first letter, so that the engine skips ahead to
# where one of those letters stands (no two choices can match at one place)
_SUBORDINATOR = re.compile(r"t(?<!\wt)hat\b|w(?<!\ww)(?:hich|hile|hen)\b|a(?<!\wa)(?:s|fter|nd then)\b"
                           r"|b(?<!\wb)(?:ecause|ut)\b")
_NOT_A_SUBJECT_START = re.compile(r"\s*(?:[a-z]+ing|for|in|on|at|with|by|of|as)\b")
_DETERMINER_START = re.compile(r"\s*(?:the|a|an|its|his|her)\b", re.I)
_FINITE_INSIDE = re.compile(r"\s(?:had|has|have|was|were|is|are|will|would)\s")


def _subject_before(sentence: str, verb_start: int) -> str | None:
    """The noun phrase that ends just before a speech verb: 'The Russian MoD claimed' → 'The Russian MoD'."""
    left = sentence[:verb_start]
    if _may_end_in_words_before_verb(left):
        left = _WORDS_BEFORE_VERB.sub("", left)
    # a quotation or clause ends where the subject starts
    cut = max(left.rfind(ch) for ch in ("”", "\"", ";", ":", "(" if left.count("(") > left.count(")") else "\0"))
    if cut >= 0:
        left = left[cut + 1:]
    relative = _RELATIVE_CLAUSE.match(left) if "wh" in left else None
    if relative:
        left = relative.group("np")
    clause = _SUBORDINATOR.split(left)[-1]
    # an appositive ("Igor Korotchenko, the editor of X magazine,") keeps the name before it
    parts = [p for p in clause.split(",") if p.strip()]
    if not parts:
        return None
    candidate = parts[-1]
    if len(parts) >= 2 and _NOT_A_SUBJECT_START.match(candidate):
        candidate = parts[-2]
    elif len(parts) >= 2 and _DETERMINER_START.match(candidate) and _is_name(parts[-2]):
        candidate = parts[-2] + "," + candidate
    candidate = _cut_at_verb(_clean_phrase(candidate))
    if candidate[:1].islower() and _SPEECH.match(candidate):
        return None  # "said it had seen …": a verb phrase, the subject lies further left
    words = candidate.split()
    if not words or len(words) > 14 or _FINITE_INSIDE.search(f" {candidate} "):
        return None
    if candidate.lower() in _PRONOUNS:
        return candidate.lower()
    if candidate.lower() in _STOPWORDS:
        return None
    return candidate


_CLAUSE_AFTER_ANCHOR = re.compile(r"[;]|,\s+(?:and|but|while|whereas|although)\b|\band shortly after\b", re.I)
_AFTER_QUOTATION = re.compile(r"[”\"]\s*,?\s*(?:\w+\s+){0,4}$")


def _same_report(sentence: str, anchor: int, verb_at: int) -> bool:
    """A speech verb after the fact reports it only from the same clause, or after a quotation."""
    between = sentence[anchor:verb_at]
    if ('"' in sentence or "”" in sentence) and _AFTER_QUOTATION.search(sentence[:verb_at]):
        return True
    may_part = ";" in between or "," in between or may_contain(between, ("and shortly after",))
    return not (may_part and _CLAUSE_AFTER_ANCHOR.search(between))


_AUXILIARIES = frozenset(
    "has have had is was were are will would can could may might must should did does do also then".split()
)


_ABSOLUTE_WITH = re.compile(r"with\s+(?P<np>.+)$", re.I)
_ADVERBIAL_START = re.compile(r"(?:in|on|at|after|as|during|over|since|with|following|for|by|while|when)\b", re.I)


def _main_subject(left: str) -> str | None:
    """The subject of the clause a participle hangs on: 'Moscow has stepped up its offensive,
    announcing …' → 'Moscow'."""
    segments = [seg.strip() for seg in left.split(",") if seg.strip()]
    absolute = _ABSOLUTE_WITH.match(segments[-1]) if segments else None
    if absolute:
        return _clean_phrase(absolute.group("np"))
    own_clause_is_empty = left.rstrip().endswith(",")
    for segment in reversed(segments if own_clause_is_empty or len(segments) == 1 else segments[:-1]):
        if len(segment.split()) == 1 and _LEADING_JUNK.match(segment + " "):
            continue
        if _ADVERBIAL_START.match(segment):
            continue
        words = [w for w in segment.split() if w.strip("“\"”")]
        kept: list[str] = []
        if words and words[0].strip("“\"”").lower() in _PRONOUNS:
            return words[0].strip("“\"”").lower()
        for word in words:
            bare = word.strip("“\"”")
            if bare.lower() in _AUXILIARIES:
                break
            if bare[:1].isupper() or bare.lower() in ("of", "the") or (kept and kept[-1].endswith(("'s", "’s"))):
                kept.append(bare)
                continue
            break
        if kept and kept[0][:1].isupper() and _clean_phrase(" ".join(kept)):
            return _clean_phrase(" ".join(kept))
        if kept:
            continue
    return None


_FINITE = frozenset("said says has had have was were is are will would did does".split())
_DETERMINERS = frozenset("the a an its their his her our this that".split())
_OBJECT_STARTS = frozenset([*"the a an that to its their his her on in at by for with and".split(), ""])


def _cut_at_verb(phrase: str) -> str:
    """'Ukraine's president welcomed the decisions and' → 'Ukraine's president'."""
    words = phrase.split()
    for i, word in enumerate(words[1:], 1):
        lower = word.lower()
        following = words[i + 1].lower() if i + 1 < len(words) else ""
        participle = word.islower() and lower.endswith("ed") and len(lower) > 4 and following in _OBJECT_STARTS
        if (lower in _FINITE or participle) and words[i - 1].lower() not in _DETERMINERS:
            return " ".join(words[:i])
    return phrase


_PASSIVE_AUXILIARY_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are|not)\s+$")


def _passive_speech(sentence: str, verb_start: int) -> bool:
    """'were not confirmed', 'was reported by': the subject is what was said, not who said it."""
    return bool(_PASSIVE_AUXILIARY_BEFORE.search(sentence[max(0, verb_start - 12):verb_start]))


def _is_name(text: str) -> bool:
    """'Igor Korotchenko': a short run of capitalised words and nothing else."""
    words = text.split()
    if words and words[0].lower() in ("in", "on", "at", "after", "as", "for", "from", "by", "with", "when"):
        return False
    if len(words) <= 4 and all(w[:1].isupper() for w in words):
        return bool(words)
    # "The Institute for the Study of War": a longer proper name with its function words
    inner = words[1:-1]
    return (len(words) <= 8 and words[0][:1].isupper() and words[-1][:1].isupper()
            and all(w[:1].isupper() or w in ("of", "for", "the", "and", "on") for w in inner))


_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z'’]+)+\b")


def _has_name(text: str) -> bool:
    return bool(_NAME.search(text))


_SPEAKER_AFTER = re.compile(
    r"\s+(?:on \w+\s+)?(?P<who>(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:of\s+|the\s+)?(?:[A-Z][\w'’.-]*|region|oblast|"
    r"regional|city|governor|mayor|head|spokesman|spokeswoman|spokesperson|minister|commander|chief|"
    r"official|administration|military)){0,8})")


def _subject_after(sentence: str, verb_end: int) -> str | None:
    """Inverted attribution: '…," said the White House.' → 'the White House'."""
    found = _SPEAKER_AFTER.match(sentence[verb_end:])
    if not found:
        return None
    return _clean_phrase(found.group("who"))


def forget_sentences() -> None:
    """Empty the memos of the sentences read (for benchmarks that read the same texts twice)."""
    find_attribution.cache_clear()
    quoted_spans.cache_clear()


@lru_cache(maxsize=2048)
def find_attribution(sentence: str, anchor: int, *, voice: str | None = None) -> Attribution:
    """Claimant and attribution for a fact whose trigger sits at `anchor` in `sentence`."""
    claimant, cue, speech_at = _claimant(sentence, anchor)
    if voice and not claimant:
        claimant, cue = voice, "embedded post"
    attribution = "claimed" if claimant else "asserted"
    if claimant and cue and _CLAIM_VERB.search(cue):
        attribution = "claimed"
    folded = case_folded(sentence)
    hedge = _HEDGES.search(sentence) if holds_any(folded, _HEDGE_WORDS) else None
    if hedge:
        attribution, cue = "hedged", hedge.group(0)
    unverified = _UNVERIFIED.search(sentence) if holds_any(folded, _UNVERIFIED_WORDS) else None
    if unverified:
        attribution, cue = "unverified", unverified.group(0)
    if claimant and cue and _DENIAL.fullmatch(cue):
        return Attribution(claimant=normalise_claimant(claimant, sentence) if claimant not in _PRONOUNS
                           else claimant, attribution="denied", cue=cue, speech_at=speech_at)
    denial = _DENIAL.search(sentence, anchor) if holds_any(folded, _DENIAL_WORDS) else None
    if denial and _NEGATION_BEFORE.search(sentence[max(0, denial.start() - 8):denial.start()]):
        denial = None
    if denial and claimant:
        attribution, cue = "denied", denial.group(0)
    return Attribution(
        claimant=normalise_claimant(claimant, sentence) if claimant and claimant not in _PRONOUNS else claimant,
        attribution=attribution, cue=cue, speech_at=speech_at,
    )


def claimant_at(sentence: str, anchor: int) -> str | None:
    """The claimant `find_attribution` finds, without weighing how sure the sentence sounds."""
    claimant = _claimant(sentence, anchor)[0]
    return normalise_claimant(claimant, sentence) if claimant and claimant not in _PRONOUNS else claimant


_INTRO = re.compile(
    r"^\s*(?:(?:for instance|for example|meanwhile|however|also|separately|in addition|earlier|later|"
    r"on \w+(?: \d+)?|in \w+|last \w+|this \w+|on the same day|[a-z]+ly)\s*,\s*"
    r"|(?:earlier|later) (?:this|last|that) (?:week|month|year)\s+)+",
    re.I)


_PREPOSITION_START = re.compile(
    r"\s*(?:following|after|despite|amid|with|during|since|before|as|at|in|on|for|from|by|when|while)\b", re.I)
_LEADING_THE = re.compile(r"^\s*the\s+", re.I)


def clause_subject(clause: str) -> str | None:
    """The capitalised subject that opens a clause: 'For instance, EU leaders adopted …' → 'EU'."""
    text = _INTRO.sub("", _DATELINE.sub("", clause))
    if _PREPOSITION_START.match(text):
        text = text.split(",", 1)[1] if "," in text else ""
    text = _LEADING_THE.sub("", text)
    kept: list[str] = []
    for word in text.split():
        bare = word.strip("“\"”,")
        if bare[:1].isupper() or (kept and bare.lower() in ("of", "and", "the")):
            kept.append(bare)
            continue
        break
    while kept and kept[-1].lower() in ("of", "and", "the"):
        kept.pop()
    if not kept or kept[0].lower() in _PRONOUNS | {"the", "a", "an", "in", "on", "at", "as", "after"}:
        return None
    return _clean_phrase(" ".join(kept)) or None


_CURLY_QUOTATION = re.compile(r"“[^”]*(?:”|$)")
_STRAIGHT_QUOTATION = re.compile(r'"[^"]*(?:"|$)')


@lru_cache(maxsize=1024)
def quoted_spans(sentence: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each quotation in the sentence, curly or straight quotes."""
    spans = [(m.start(), m.end()) for m in _CURLY_QUOTATION.finditer(sentence)]
    spans += [(m.start(), m.end()) for m in _STRAIGHT_QUOTATION.finditer(sentence)]
    return tuple(spans)


def _outside(spans: tuple[tuple[int, int], ...], position: int) -> bool:
    return not any(a <= position < b for a, b in spans)


def _by_first_letter(words: list[str]) -> str:
    """'said|says|claimed' → 's(?:aid|ays)|c(?:laimed)': each place tries one choice per first letter."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


# `_SPEECH` without (?i), its verbs grouped by first letter: where the text is in lower case both
# find the same verb (no two verbs can end at a word boundary at the same place), and only
# lower-case verbs count
_LOWER_CASE_SPEECH = re.compile(rf"\b(?:{_by_first_letter(_SPEECH_VERBS.split('|'))})\b")


def _speech_verbs(sentence: str) -> list[re.Match[str]]:
    """The speech verbs written in lower case, in order."""
    if "ſ" in sentence or "ı" in sentence:  # (?i) reads them as "s" and "i", and they are lower case
        return [m for m in _SPEECH.finditer(sentence) if m.group(0).islower()]
    return list(_LOWER_CASE_SPEECH.finditer(sentence))


_VERB_AFTER_SOURCE = re.compile(r"\s+(?:has|have|had|is|was|were|are|on|in)\b")


def _claimant(sentence: str, anchor: int) -> tuple[str | None, str | None, int | None]:
    quotes = quoted_spans(sentence)
    according = [m for m in _ACCORDING.finditer(sentence) if _outside(quotes, m.start())] \
        if may_contain(sentence, _ACCORDING_WORDS) else []
    if according:
        best = min(according, key=lambda m: abs(m.start() - anchor))
        who = _clean_phrase(_VERB_AFTER_SOURCE.split(best.group("who"))[0])
        if who:
            return who, best.group(0).split()[0] + " " + best.group(0).split()[1], best.start()
    verbs = [m for m in _speech_verbs(sentence) if _outside(quotes, m.start())]
    if not verbs:
        return None, None, None
    before = [m for m in verbs if m.start() <= anchor]
    # the speaker of the anchor's own clause ('…, while B said Q'), else the frame that opens the sentence
    own_clause = clause_start(sentence, anchor) if before else 0
    own = [m for m in reversed(before) if m.start() >= own_clause]
    after = (m for m in verbs if m.start() > anchor and _same_report(sentence, anchor, m.start()))
    for verb in chain(own, [m for m in before if m not in own], after):
        subject = _subject_before(sentence, verb.start())
        if verb.group(0).lower().endswith("ing"):
            subject = _main_subject(sentence[:verb.start()])
        if subject and _passive_speech(sentence, verb.start()):
            continue
        if subject and not subject.lower().startswith(("it ", "this ", "there ")) and _plausible_speaker(subject):
            return subject, verb.group(0), verb.start()
        inverted = _subject_after(sentence, verb.end())
        if inverted and _plausible_speaker(inverted):
            return inverted, verb.group(0), verb.start()
    return None, None, None


_NOT_SPEAKERS = re.compile(
    r"^(?:this|there|reports?|photos?|videos?|statement|the statement|decision|data|figures|media|"
    r"which|what|who|some|many|others?)$",
    re.I,
)


_TWO_LETTERS = re.compile(r"[A-Za-z]{2}")


def _plausible_speaker(phrase: str) -> bool:
    if _NOT_SPEAKERS.match(phrase.strip()):
        return False
    if phrase.lower() in _PRONOUNS:
        return True
    return bool(_TWO_LETTERS.search(phrase)) and len(phrase) <= 120


def refers_to_speaker(claimant: str | None) -> bool:
    """True when the claimant is a pronoun that must be resolved from an earlier sentence."""
    return claimant is not None and claimant.lower() in _PRONOUNS


def is_denial(sentence: str) -> re.Match[str] | None:
    return _DENIAL.search(sentence) if may_contain(sentence, _DENIAL_WORDS) else None


def speaks_in_first_person(sentence: str) -> bool:
    return bool(_VOICE_SIGNS.search(sentence))
