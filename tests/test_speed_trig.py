"""The trigger and clause shortcuts find exactly what the plain scans find."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from claimline import triggers
from fast_path_texts import sample_sentences

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"
_PIECES = ["and", "had", "hadn't", ",", ", ", ",  ", ",     ", ", and", " and had", "as", "ask", "even though",
           ";", ":", "—", ".", ". ", "x", "with", "withhold", " ", "\n", "also", "then", "who", "_", "9"]


def _corpus_sentences() -> list[str]:
    return [s for path in sorted(CORPUS.glob("*.txt"))
            for s in re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8"))]


def _odd_sentences(count: int) -> list[str]:
    rnd = random.Random(7)
    return ["".join(rnd.choice(_PIECES) + rnd.choice(["", " "]) for _ in range(rnd.randint(1, 30)))
            for _ in range(count)]


def _scanned_end(sentence: str, position: int) -> int:
    match = triggers._CLAUSE_BREAK.search(sentence, position)
    return match.start() if match else len(sentence)


def test_clause_bounds_match_the_plain_scans_everywhere() -> None:
    for sentence in [*_corpus_sentences()[:150], *_odd_sentences(400)]:
        for position in range(-1, len(sentence) + 2):
            assert triggers.clause_start(sentence, position) == triggers._clause_start_scanning(sentence, position)
            assert triggers.clause_end(sentence, position) == _scanned_end(sentence, position)


# matches the example corpus lacks: prisoners released, drones downed
_RELEASED_AND_DOWNED = "Twelve prisoners of war were released and 40 drones were downed."


def _trigger_matches(sentences: Iterable[str], alternatives: Sequence[triggers._Alternative],
                     ) -> Iterator[tuple[str, triggers._Alternative, re.Match[str]]]:
    """Every match of every one of the `alternatives` in every sentence."""
    for sentence in sentences:
        for alternative in alternatives:
            for match in alternative.regex.finditer(sentence):
                yield sentence, alternative, match


def test_every_trigger_match_begins_a_word_with_one_of_its_leading_words() -> None:
    led = [a for a in triggers._ALTERNATIVES if a.leading]
    assert len(led) > 150
    checked = 0
    for sentence, alternative, match in _trigger_matches([*_corpus_sentences(), _RELEASED_AND_DOWNED], led):
        lowered = sentence.lower()
        checked += 1
        assert match.start() == 0 or not lowered[match.start() - 1].isalpha()
        assert lowered.startswith(alternative.leading, match.start()), alternative.regex.pattern
    assert checked > 200


def test_every_trigger_match_holds_a_word_of_each_further_choice() -> None:
    checked = 0
    for _, alternative, match in _trigger_matches(_corpus_sentences(), triggers._ALTERNATIVES):
        for words in alternative.also_any:
            checked += 1
            assert any(word in match.group(0).lower() for word in words), alternative.regex.pattern
    assert checked > 30


def test_every_trigger_match_holds_one_of_its_required_words() -> None:
    with_choices = [a for a in triggers._ALTERNATIVES if a.required_any]
    assert len(with_choices) >= 8
    checked = 0
    for sentence, alternative, _ in _trigger_matches([*sample_sentences(), _RELEASED_AND_DOWNED], with_choices):
        checked += 1
        assert any(word in sentence.lower() for word in alternative.required_any), (alternative.regex.pattern, sentence)
    assert checked > 20


def test_a_trigger_pattern_with_a_top_level_choice_gets_no_required_words() -> None:
    assert triggers._required_words(r"\b(?:freed|released)\s+\w+") == ("freed", "released")
    assert triggers._required_words(r"\b(?:freed|released)\b|\b(?:swap)") == ()
    assert triggers._required_words(r"\b(?:freed|released)?\s+\w+") == ()
    assert triggers._required_words(r"\b(?:bn|m) euros") == ("euros",)
    assert triggers._required_word(r"\bdemanded\b|\bdemands that\b") == ""


def test_each_side_of_a_top_level_choice_in_a_trigger_pattern_triggers() -> None:
    for sentence in ("Moscow demanded that Kyiv withdraw.", "Moscow demands that Kyiv withdraw its troops."):
        assert [t.kind for t in triggers.find_triggers(sentence)] == ["statement"], sentence


def test_further_choices_come_from_top_level_groups_only() -> None:
    assert triggers._word_choices(r"\bwe (?:want|will|are ready)\b") == (("want", "will", "ready"),)
    assert triggers._word_choices(r"\bsigned (?:an? |the )?(?:deal|accord)\b") == (("deal", "accord"),)
    assert triggers._word_choices(r"\b(?:a|b)x\b|\bsome (?:deal|accord)") == ()
    assert triggers._leading_words(r"\b(?:drones?|uavs?)\s+attacked") == ("drone", "uav")
    assert triggers._leading_words(r"\b(?:re)?captured\b") == ()
    assert triggers._leading_words(r"(?<!air )\bassault\b") == ("assault",)


def test_sentences_lower_case_cannot_be_trusted_in_are_read_the_plain_way() -> None:
    assert [t.kind for t in triggers.find_triggers("Drones ſtruck Kharkiv and killed two.")] == ["strike", "casualties"]


def test_every_match_of_a_cancelling_pattern_holds_one_of_its_gate_words() -> None:
    gated = [(triggers._HYPOTHETICAL, triggers._HYPOTHETICAL_WORDS), (triggers._NEGOTIATED, triggers._NEGOTIATED_WORDS),
             (triggers._CONDITIONAL, triggers._CONDITIONAL_WORDS), (triggers._NEGATION, triggers._NEGATION_WORDS),
             (triggers._HABITUAL, triggers._HABITUAL_WORDS), (triggers._BACKGROUND_BEFORE, triggers._BACKGROUND_WORDS)]
    extra = ["If they could, it would.", "plans to, in the hopes of, proposing a potential prospect; excuse to",
             "a halt to the war", "a ceasefire in the east", "did not, didn't, hasn't, never, without, neither, spared",
             "continued to, keeps up, every night, constantly", "after the first time, at the early onset of"]
    checked = 0
    for sentence in [*_corpus_sentences(), *extra]:
        for start in range(0, len(sentence), 7):
            window = sentence[start: start + 60]
            lowered = window.lower()
            for pattern, words in gated:
                if pattern.search(window):
                    checked += 1
                    assert any(word in lowered for word in words), (pattern.pattern, window)
    assert checked > 300


def test_clause_breaks_are_those_of_the_pattern_with_leading_word_boundaries() -> None:
    plain = re.compile(
        r"[;:—–]|,\s+(?:and|but|while|as|when|although|though|even though|which|who|marking|making|"
        r"meaning|whereas|with)\b|\.\s|\band (?:had|has|have|was|were|then|also)\b")
    for sentence in [*_corpus_sentences()[:300], *_odd_sentences(400), "band had; sand was, Band also"]:
        for start in range(0, len(sentence), 5):
            assert ([m.span() for m in plain.finditer(sentence, start)]
                    == [m.span() for m in triggers._CLAUSE_BREAK.finditer(sentence, start)])
            assert ([m.span() for m in plain.finditer(sentence, 0, start)]
                    == [m.span() for m in triggers._CLAUSE_BREAK.finditer(sentence, 0, start)])


def test_leading_words_are_those_one_scan_of_every_word_finds() -> None:
    # the scan `_leads_in` replaced: one match per word, its group the longest leading word it begins with
    scan = re.compile("(?:(" + triggers._trie_pattern(triggers._LED_BY_WORD) + ")|[a-z])[a-z]*")
    rnd = random.Random(11)
    leads = sorted(triggers._LED_BY_WORD)
    glued = [" ".join(rnd.choice(leads) + rnd.choice(["", "s", "ed", "x", "-", "'s", "9", "é"]) for _ in range(8))
             for _ in range(300)]
    texts = [s.lower() for s in [*_corpus_sentences(), *sample_sentences(), *_odd_sentences(200)]] + glued
    found_any = 0
    for text in texts:
        expected = set(scan.findall(text)) - {""}
        assert triggers._leads_in(text) == expected, text
        found_any += bool(expected)
    assert found_any > 300
