"""The fast paths of the segmenter and the date resolver find exactly what the plain scans find."""

from __future__ import annotations

import dataclasses
import re
import sys
from datetime import date

import pytest

from claimline import segment, when
from claimline.model import Article
from fast_path_texts import date_rule_matches_not_admitted, sample_texts, variants

# the patterns the fast paths stand in for, as they were written before
_OLD_TERMINAL = re.compile(r"[.!?…:;\"”’')\]]\s*$")
_OLD_SENTENCE_END = re.compile(r"(?<=[.!?…])(?P<close>[\"”’')\]]*)\s+(?=[\"“‘'(\[]?[A-Z0-9\u0400-\u04FF])")


def _sentences(text: str) -> list[str]:
    return [piece for piece in re.split(r"(?<=[.!?])\s+|\n", text) if piece.strip()]


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    return [s for text in sample_texts() for variant in variants(text) for s in _sentences(variant)]


# ── segmenter ────────────────────────────────────────────────────────────────────────────────────


def test_sentence_end_pattern_splits_where_the_lookbehind_pattern_did(sentences: list[str]) -> None:
    for text in sentences:
        new = [(m.start("close"), m.group("close"), m.end()) for m in segment._SENTENCE_END.finditer(text)]
        old = [(m.start(), m.group("close"), m.end()) for m in _OLD_SENTENCE_END.finditer(text)]
        assert new == old, text


@pytest.mark.parametrize("text", ["Kyiv.", "Kyiv.  ", "Kyiv", "", "  ", "“Yes”", "(2025)", "see below:", "x…\u2003"])
def test_ends_with_stop_is_the_terminal_pattern(text: str) -> None:
    assert segment._ends_with_stop(text) == bool(_OLD_TERMINAL.search(text))


@pytest.mark.parametrize("before", ["Gen", "the U.S", "Mr", "J", "at 5", "Dec", "the village", "“Capt", "x'"])
def test_abbreviation_test_reads_the_last_word_as_the_regex_did(before: str) -> None:
    last_word = re.search(r"([A-Za-z.]+)\.?$", before.rstrip(".!?…\"”’')]"))
    word = last_word.group(1).lower().rstrip(".") if last_word else ""
    expected = bool(last_word) and (word in segment._ABBREVIATIONS or (len(word) == 1 and word.isalpha()))
    assert segment._is_abbreviation(before) == expected


def test_credit_and_signature_gates_never_hide_a_match(sentences: list[str]) -> None:
    extra = ["Photo: Reuters", "PHOTO BY AFP", "Getty Images", "[Source: army]", "via Telegram/Army",
             "Vİdeo: ministry", "ſcreenshot: X", "— Ministry (@mod_ua) June 8, 2025", "Watch (@kyiv)"]
    for text in [*sentences, *extra]:
        if segment._CREDIT.search(text):
            assert segment._has_credit(text), text
        assert (segment._post_signature_in(text) is None) == (segment._POST_SIGNATURE.search(text) is None), text


def test_segmenter_keeps_offsets_and_flags_on_every_variant() -> None:
    for text in sample_texts()[-8:]:
        for variant in variants(text):
            for s in segment.RuleSegmenter().sentences(Article(doc_id="t", text=variant)):
                assert variant[s.start:s.end] == s.text
                assert s.text == s.text.strip() and s.text


# ── date rules ───────────────────────────────────────────────────────────────────────────────────


def test_every_date_rule_match_passes_its_cues_and_probes(sentences: list[str]) -> None:
    checked, missed = date_rule_matches_not_admitted(sentences)
    assert missed == []
    assert checked > 1000


def test_the_article_gate_admits_what_the_sentence_gate_admits(sentences: list[str]) -> None:
    for text in sample_texts()[-10:]:
        gate = when._RuleGate(text)
        for sentence in _sentences(text):
            assert gate.rules_for(sentence) == when._rules_for(sentence)


def test_opening_lookahead_admits_every_character_ignore_case_matches() -> None:
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        matched = set(re.findall(f"(?i:{letter})", every))
        assert matched <= set(re.findall(when._opens_with(letter)[3:-1], every)), letter


def test_mentions_of_sentences_not_cut_from_the_article_use_the_plain_gate() -> None:
    article = Article(doc_id="t", text="Drones hit Odesa on Monday.", published=date(2025, 6, 8))
    sentence = segment.RuleSegmenter().sentences(article)[0]
    elsewhere = dataclasses.replace(sentence, text="Drones hit Odesa on Tuesday, 3 June.")
    found = when.RuleDateResolver().mentions(article, [elsewhere])
    assert [m.when.start for m in found] == [date(2025, 6, 3)]


def test_year_clues_are_read_only_without_a_publication_date() -> None:
    assert when._year_clues("In 2022 and 2023.", date(2025, 1, 1)) == frozenset()
    assert when._year_clues("In 2022 and 2023.", None) == {2022, 2023}
