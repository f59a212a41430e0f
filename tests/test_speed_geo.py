"""The fast paths of the place-name finder read text exactly as the patterns they stand in for."""

from __future__ import annotations

import random
import re

import pytest

from claimline.geocode import mentions
from claimline.geocode.mentions import LowercaseWords, lowercase_vocabulary

_SAMPLES = [
    "Russian forces shelled the village of Zorya in the Donetsk region near Kramatorsk, officials said.",
    "Governor Oleh Syniehubov said the U.S. Embassy in Kyiv and the Kyiv Independent were hit.",
    "In the well-known town of Vuhledar, pro-russian residents of Novoukrainka left; Gov. Smith stayed.",
    "Mayor\tVitali Klitschko met Ms. Jones — of Odesa — and “Kharkiv” officials at the Ministry of Defence.",
]
# Letters and marks where the patterns and the fast paths could part: case-folded letters ("ſ",
# the Kelvin sign), hyphens, apostrophes, digits, underscores, non-ASCII letters and dashes.
_PIECES = [
    *"aAoOsSfK .,-'’ʼ_1\tÉéЖж“—ſ\u212aİı\u00a0", "of ", "Of ", "mayor ", "Gov. ", "U.S. ", "sen ", "de la ",
    "Kyiv ", "ab", "-ab", "a-b",
]


def _fuzz(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [*_SAMPLES, *("".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 24))) for _ in range(count))]


def test_capitalised_stretches_match_the_pattern_with_the_look_behind_first() -> None:
    name_word = mentions._NAME_WORD
    original = re.compile(
        rf"(?<![\w'’ʼ.-])(?:{name_word})(?:[ \t\u00a0]+(?:(?:of|de|del|la|le|on|upon|am|al|el|da|do|dos|"
        rf"das|di|du|van|von)[ \t\u00a0]+){{0,2}}(?:{name_word}))*"
    )
    next_words = re.compile(mentions._NEXT_WORDS)
    for text in _fuzz(3000, 1):
        found = list(mentions._CAPITALISED.finditer(text))
        assert [m.span() for m in found] == [m.span() for m in original.finditer(text)], text
        for match in found:
            after = next_words.match(text, match.end())
            assert match.group(1, 2) == (after.group(1, 2) if after else (None, None)), text


@pytest.mark.parametrize("seed", [2, 3])
def test_title_or_of_before_agrees_with_the_backwards_pattern(seed: int) -> None:
    for text in _fuzz(1500, seed):
        for position in range(len(text) + 1):
            window = text[max(0, position - mentions._BEFORE_WINDOW) : position][::-1]
            expected = mentions._TITLE_OR_OF_BEFORE.match(window) is not None
            assert mentions._title_or_of_before(text, position) == expected, (text, position)


def test_lowercase_words_agree_with_the_vocabulary() -> None:
    for text in _fuzz(3000, 4):
        vocabulary = lowercase_vocabulary(text)
        words = LowercaseWords(text)
        asked = {"ab", "a", "b", "ba", "ab-ab", "a-", "-a", "of", "kyiv", "é", "", *text.lower().split()}
        for word in asked:
            assert (word in words) == (word in vocabulary), (text, word)
