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
