"""The date resolver's cheaper and sharper probes admit every sentence their rules match."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest

from claimline import segment, when
from claimline.model import Article
from fast_path_texts import date_rule_matches_not_admitted, sample_texts, variants

# the two-month probe as it was written before: one pattern, stepping through the text between them
_OLD_TWO_MONTHS = re.compile(rf"{when._MONTH_START}.+?{when._MONTH_START}", re.S)


@pytest.fixture(scope="module")
def articles() -> list[str]:
    return [variant for text in sample_texts() for variant in variants(text)]


# sentences for the probes made sharper: each holds what one of their rules matches
_SHARPER_PROBE_CASES = [
    "Fighting has raged since Sept. along the river.", "It fell in late-February.", "Shelling began in May.",
    "They left last Dec., officials said.", "Kyiv was hit by Febr. and again.", "In the middle of March, troops left.",
    "Power was cut until June\t.", "From August-", "Attacks resumed in NOVEMBER.", "by\u00a0January, it was over.",
    "Later that night, drones hit Odesa.", "Earlier in the morning, a drone fell.", "THE NEXT DAY the city was calm.",
    "That same day, 12 people died.", "The following afternoon, sirens sounded.", "The day after, it rained.",
    "A day later, the bridge fell.", "On the previous evening, the army said so.", "It came a day\nearlier.",
    "The budget for 2024 grew.", "Its 2023 budget shrank.", "Since 19\u0662\u0664 it has held.", "In 2100 it ends.",
    "Their 2019 report said so.", "Prices rose in 2022-23.", "In Novoolenivka on March 3, shells fell.",
]


def test_sharper_probes_admit_every_match_of_their_rules() -> None:
    checked, missed = date_rule_matches_not_admitted(
        [variant for case in _SHARPER_PROBE_CASES for variant in variants(case)])
    assert missed == []
    assert checked > 100


def test_two_month_probe_finds_what_the_single_pattern_found(articles: list[str]) -> None:
    (probe,) = when._PROBE_TWO_MONTHS
    extra = ["MayMay", "May May", "MarApr 5", "JanxFeb", "Jan", "Jan\nFeb", "in June and July"]
    for text in [*articles, *extra]:
        for piece in [*text.splitlines(), text]:
            assert when._probed((probe,), piece, piece.lower()) == bool(_OLD_TWO_MONTHS.search(piece)), piece


def test_mentions_of_overlapping_sentences_are_those_of_each_sentence_alone() -> None:
    article = Article(doc_id="t", text="Drones hit Odesa on Monday. Then on 3 June, more.", published=date(2025, 6, 8))
    first, second = segment.RuleSegmenter().sentences(article)
    widened = dataclasses.replace(first, end=second.end, text=article.text[first.start:second.end])
    resolver = when.RuleDateResolver()
    alone = resolver.mentions(article, [widened]) + resolver.mentions(article, [second])
    assert resolver.mentions(article, [widened, second]) == alone
    assert [m.text for m in alone] == ["Monday", "3 June", "3 June"]
