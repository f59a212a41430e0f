"""The one-scan side words read each trigger's sides exactly as the two plain scans did."""

from __future__ import annotations

import random
import re
from pathlib import Path

from claimline import events

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"
_PIECES = ["Russia", "zelenskyiv", "KremlinKyiv", "ukrainE", "Ukraine'", "'s", "russian", "Russians", "Russia's",
           "russia’s", "Moscow", "Kremlin", "Putin's", "Ukraine",
           "ukrainian", "Ukraine's", "UKRAINE’S", "Kyiv", "Kiev", "Zelensky", "Zelenskyy's", "by", "by the",
           "shelled", "'", "’", "s", "x", "_", "9", ",", ".", " ", "-", "\n", "KYIVx", "ruſſia", "Ukrainians"]

_PLAIN = {
    "Russia": re.compile(r"\b(?:russian?|russia['’]s|moscow|kremlin|putin)\b", re.I),
    "Ukraine": re.compile(r"\b(?:ukrainian?|ukraine['’]s|kyiv|kiev|zelensk\w*)\b", re.I),
}


def _plain_side_near(text: str, position: int) -> str | None:
    best: tuple[int, str] | None = None
    for side, regex in _PLAIN.items():
        for match in regex.finditer(text):
            distance = abs(match.start() - position)
            if match.start() > position + 40:
                distance += 100
            if best is None or distance < best[0]:
                best = (distance, side)
    return best[1] if best else None


def _plain_agent_side(text: str, position: int) -> str | None:
    before = text[:position]
    sides = [(m.start(), side) for side, regex in _PLAIN.items() for m in regex.finditer(before)]
    if sides:
        return max(sides)[1]
    by = events._BY_AGENT.search(text[position:])
    if by:
        for side, regex in _PLAIN.items():
            if regex.match(by.group(1)):
                return side
    return _plain_side_near(text, position)


def _corpus_sentences() -> list[str]:
    return [s for path in sorted(CORPUS.glob("*.txt"))
            for s in re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8"))]


def _odd_sentences(count: int) -> list[str]:
    rnd = random.Random(11)
    ascii_pieces = [p for p in _PIECES if p.isascii()]
    return ["".join(rnd.choice(pieces) + rnd.choice(["", "", " "]) for _ in range(rnd.randint(1, 25)))
            for index in range(count) for pieces in [_PIECES if index % 2 else ascii_pieces]]


def test_one_scan_finds_the_words_of_both_plain_scans() -> None:
    for sentence in [*_corpus_sentences()[:300], *_odd_sentences(400)]:
        plain = sorted((m.start(), m.end(), side) for side, regex in _PLAIN.items() for m in regex.finditer(sentence))
        assert events._scan_side_words(sentence) == plain


def test_agent_side_matches_the_plain_scans_at_every_position() -> None:
    for sentence in [*_corpus_sentences()[:150], *_odd_sentences(300)]:
        side_words = events._SideWords(sentence)
        for position in range(len(sentence) + 2):
            assert events._agent_side(sentence, position, side_words) == _plain_agent_side(sentence, position)
            assert events._side_near(side_words.all(), position) == _plain_side_near(sentence, position)


def test_rewritten_patterns_find_what_the_plain_ones_find() -> None:
    from claimline import claimants

    subordinator = re.compile(r"\b(?:that|which|while|as|after|when|because|but|and then)\b")
    clause_between = re.compile(r",\s+(?:proceeding|and then|then|before|while)\b|;|\bthe following\b|\bthe next\b"
                                r"|\b(?:where|which|who|after|since|when|according to)\b")
    by_agent = re.compile(r"\bby\s+(?:the\s+)?(\w+)")
    texts = ["that, which while as after when because but and then", "thatwhich abut chat basis",
             "the following day; the next", "Moscow, proceeding to where since according to",
             "hit by the Russians", "nearby troops", "stand-by the", "by  Kyiv", "_by the", "by"]
    for text in texts:
        for start in range(len(text) + 1):
            piece = text[start:]
            assert subordinator.split(piece) == claimants._SUBORDINATOR.split(piece)
            assert bool(clause_between.search(piece)) == bool(events._CLAUSE_BETWEEN.search(piece))
            plain, fast = by_agent.search(piece), events._BY_AGENT.search(piece)
            assert (plain and (plain.span(), plain.group(1))) == (fast and (fast.span(), fast.group(1)))


def test_support_found_in_lower_case_is_that_of_the_case_blind_patterns() -> None:
    from claimline import facts
    from claimline.triggers import Trigger

    texts = ["Explosions rocked the DEPOT overnight.", "Three were KILLED and 2 hurt", "It was Hit hard.",
             "the SHAHEDS were jammed", "An İstanbul strike, ſo it was", "Seven Residents died."]
    for text in texts:
        for kind, pattern in facts._NEEDS_SUPPORT.items():
            for start in range(len(text)):
                trigger = Trigger(kind, start, min(len(text), start + 3), text[start: start + 3])
                near = text[max(0, start - 80): start] + " " + text[trigger.end: trigger.end + 80]
                assert facts._is_supported(text, trigger) == bool(pattern.search(near)), (kind, text, start)
