"""The trigger vocabulary and its shortcut."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claimline.triggers import _ALTERNATIVES, find_triggers

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"


def _every_match(sentence: str) -> set[tuple[str, int]]:
    return {(a.kind, m.start()) for a in _ALTERNATIVES for m in a.regex.finditer(sentence)}


def test_required_word_shortcut_loses_no_trigger() -> None:
    sentences = [s for path in sorted(CORPUS.glob("*.txt"))
                 for s in re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8"))]
    assert len(sentences) > 200
    for sentence in sentences:
        assert {(t.kind, t.start) for t in find_triggers(sentence)} == _every_match(sentence), sentence


def test_every_required_word_appears_in_what_its_pattern_matches() -> None:
    samples = ["Russian forces recaptured the village", "troops took control of the town",
               "drones were shot down over the region", "the EU adopted a sanctions package"]
    for alternative in _ALTERNATIVES:
        for sample in samples:
            for match in alternative.regex.finditer(sample):
                assert alternative.required in match.group(0).lower()


@pytest.mark.parametrize("text", ["Fighters clashed near the village.", "A clash near the village was reported.",
                                  "Clashes continued near the village."])
def test_clash_in_every_form_is_a_clash_trigger(text: str) -> None:
    assert [t.kind for t in find_triggers(text)] == ["clash"]


def test_a_trigger_word_spelt_with_a_lookalike_letter_is_found_as_its_pattern_finds_it() -> None:
    # (?i) matches "ı", "İ" and "ſ" with "i", "i" and "s", which lower() does not make of them
    for sentence in ("Two people were kılled.", "Two people were KİLLED.", "Two people were killed in a ſtrike."):
        assert "casualties" in [t.kind for t in find_triggers(sentence)], sentence
