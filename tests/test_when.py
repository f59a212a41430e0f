"""Date expressions → When: the rules one by one, then a table of expressions in short contexts."""

from __future__ import annotations

import itertools
import json
import re
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from claimline.model import Article, DateMention, Sentence, When
from claimline.stages import DateResolver
from claimline.when import RuleDateResolver, resolve_expression

FIXTURE = Path(__file__).parent / "fixtures" / "dates.jsonl"
THU = date(2025, 7, 3)


def _sentences(text: str) -> list[Sentence]:
    """Split where a stop is followed by a capital, so "Dec. 5" stays whole."""
    cuts = [0, *(m.end() for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z\"“])", text)), len(text)]
    spans = [(s, e) for s, e in itertools.pairwise(cuts) if text[s:e].strip()]
    return [Sentence(i, s, e, text[s:e]) for i, (s, e) in enumerate(spans)]


def _mentions(text: str, published: date | None = THU, **options: Any) -> list[DateMention]:
    article = Article(doc_id="t", text=text, published=published)
    resolver = RuleDateResolver(**options)
    return resolver.mentions(article, _sentences(text))


def _when(text: str, expr: str, published: date | None = THU, **options: Any) -> When:
    found = [m for m in _mentions(text, published, **options) if m.text == expr]
    assert found, f"{expr!r} not found in {[m.text for m in _mentions(text, published, **options)]}"
    return found[0].when


def _span(when: When) -> tuple[date | None, date | None, str | None]:
    return when.start, when.end, when.precision


def test_resolver_satisfies_the_stage_protocol() -> None:
    assert isinstance(RuleDateResolver(), DateResolver)


def test_mention_offsets_point_into_the_article_text() -> None:
    text = "Advertisement\n\nDrones hit Kyiv on June 27. The next day, Kharkiv was shelled."
    article = Article(doc_id="t", text=text, published=THU)
    sentences = [Sentence(0, 0, 13, "Advertisement", furniture=True)] + [
        Sentence(i + 1, s.start + 15, s.end + 15, s.text) for i, s in enumerate(_sentences(text[15:]))
    ]
    mentions = RuleDateResolver().mentions(article, sentences)
    assert [m.text for m in mentions] == ["June 27", "The next day"]
    assert all(text[m.start:m.end] == m.text for m in mentions)


def test_furniture_sentences_are_skipped() -> None:
    text = "Posted June 8, 2025"
    article = Article(doc_id="t", text=text, published=THU)
    assert RuleDateResolver().mentions(article, [Sentence(0, 0, len(text), text, furniture=True)]) == []


def test_explicit_date_resolves_without_publication_date() -> None:
    assert _span(_when("Talks were held on 27 June 2025.", "27 June 2025", None)) == (
        date(2025, 6, 27), date(2025, 6, 27), "day")


def test_month_day_takes_the_year_of_publication() -> None:
    assert _when("Troops entered the town on June 27.", "June 27").start == date(2025, 6, 27)


def test_month_day_after_new_year_falls_in_previous_year() -> None:
    when = _when("The strike on Dec. 28 killed four.", "Dec. 28", date(2023, 1, 2))
    assert when.start == date(2022, 12, 28)


def test_day_range_is_one_mention_covering_the_span() -> None:
    mentions = _mentions("On Friday and Saturday, June 27-28, drones struck the base.")
    assert [m.text for m in mentions] == ["Friday and Saturday, June 27-28"]
    assert _span(mentions[0].when) == (date(2025, 6, 27), date(2025, 6, 28), "day")


def test_range_across_months() -> None:
    when = _when("Fighting raged from June 27 to July 2.", "from June 27 to July 2")
    assert (when.start, when.end) == (date(2025, 6, 27), date(2025, 7, 2))


def test_weekday_with_date_fixes_the_year_nearest_publication() -> None:
    assert _when("The bridge was hit on Monday, July 4.", "Monday, July 4").start == date(2022, 7, 4)


def test_weekday_with_date_uses_year_clues_without_publication_date() -> None:
    text = "In 2025 the war went on. On Monday, July 7, drones hit the city."
    assert _when(text, "Monday, July 7", None).start == date(2025, 7, 7)


def test_weekday_with_date_stays_unknown_without_any_year() -> None:
    assert not _when("On Monday, July 4, the minister spoke.", "Monday, July 4", None).known


def test_weekday_is_the_most_recent_before_publication() -> None:
    when = _when("The region was conquered on Tuesday.", "Tuesday")
    assert when.start == date(2025, 7, 1)
    assert when.reason == "weekday 'Tuesday' before publication Thu 2025-07-03"


def test_weekday_equal_to_publication_weekday_is_the_publication_day() -> None:
    assert _when("Drones were launched on Sunday.", "Sunday", date(2025, 6, 8)).start == date(2025, 6, 8)


def test_weekday_equal_to_publication_weekday_can_mean_a_week_before() -> None:
    when = _when("Drones were launched on Sunday.", "Sunday", date(2025, 6, 8), same_weekday="week_before")
    assert when.start == date(2025, 6, 1)


def test_today_is_the_publication_day_in_either_weekday_mode() -> None:
    assert _when("Officials said today.", "today", same_weekday="week_before").start == THU


def test_unknown_weekday_mode_is_rejected() -> None:
    with pytest.raises(ValueError):
        RuleDateResolver(same_weekday="never")  # type: ignore[arg-type]


def test_last_week_is_the_previous_monday_to_sunday() -> None:
    assert _span(_when("He said last week.", "last week")) == (date(2025, 6, 23), date(2025, 6, 29), "week")


def test_month_name_is_the_most_recent_such_month() -> None:
    assert _span(_when("He met the envoy in May.", "May")) == (date(2025, 5, 1), date(2025, 5, 31), "month")


def test_last_month_name_in_that_month_is_the_previous_year() -> None:
    assert _when("Last March, prices rose.", "Last March", date(2024, 3, 15)).start == date(2023, 3, 1)


def test_month_of_that_year_uses_the_last_year_mentioned() -> None:
    text = "The town fell in 2022, before being retaken in September of that year."
    assert _when(text, "September of that year").start == date(2022, 9, 1)


def test_late_year_is_a_month_precision_span() -> None:
    assert _span(_when("The missile was used in late 2024.", "late 2024")) == (
        date(2024, 9, 1), date(2024, 12, 31), "month")


def test_last_summer_is_the_most_recent_finished_summer() -> None:
    when = _when("The offensive failed last summer.", "last summer", date(2024, 2, 22))
    assert _span(when) == (date(2023, 6, 1), date(2023, 8, 31), "month")


def test_overnight_spans_the_night_before_publication() -> None:
    assert _span(_when("36 drones were downed overnight.", "overnight")) == (date(2025, 7, 2), THU, "day")


def test_past_24_hours_spans_the_day_before_publication() -> None:
    when = _when("Over the past 24 hours, 27 airstrikes hit.", "the past 24 hours")
    assert (when.start, when.end) == (date(2025, 7, 2), THU)


def test_days_ago_counts_back_from_publication() -> None:
    assert _when("Troops crossed the border 20 days ago.", "20 days ago").start == date(2025, 6, 13)


def test_following_day_resolves_against_previous_date() -> None:
    text = "Forces took Perebudova on June 27, proceeding to Zirka the following day and to Pisky on Sunday."
    assert _when(text, "the following day").start == date(2025, 6, 28)
    assert _when(text, "Sunday").start == date(2025, 6, 29)


def test_previous_day_resolves_against_previous_sentence_date() -> None:
    text = "Zelenskyy spoke on June 30. The previous day, Russia launched 447 drones."
    when = _when(text, "The previous day")
    assert when.start == date(2025, 6, 29)
    assert when.reason == "'The previous day' before narrative date 2025-06-30"


def test_narrative_date_ignores_month_and_year_mentions() -> None:
    text = "Kyiv was hit on March 3. In May, talks resumed. On the same day, Kharkiv was shelled."
    assert _when(text, "the same day").start == date(2025, 3, 3)


def test_relative_dates_stay_unknown_without_publication_date() -> None:
    when = _when("Russian forces seized 556 square kilometres last month.", "last month", None)
    assert not when.known
    assert when.reason.startswith("no publication date")
    assert when.text == "last month"


def test_recently_is_a_mention_with_unknown_date() -> None:
    when = _when("Fighting has recently intensified.", "recently")
    assert not when.known
    assert when.reason.startswith("vague")


@pytest.mark.parametrize("text", [
    "Russian forces have advanced in the intervening 33 months.",
    "Su-34 bombers dropped glide bombs.",
    "Ukraine may have destroyed a radar.",
    "May God protect Ukraine, the priest said.",
    "Air defence works 24/7 around the capital.",
    "Russia lost up to 2000 soldiers near Pokrovsk.",
    "The unit fired 2022 shells at the town.",
])
def test_numbers_and_verbs_are_not_dates(text: str) -> None:
    assert _mentions(text) == []


def test_decade_resolves_to_a_year_span() -> None:
    assert _span(_when("The fleet was built in the 1990s.", "the 1990s")) == (
        date(1990, 1, 1), date(1999, 12, 31), "year")


def test_every_known_when_has_precision_text_and_reason() -> None:
    text = ("On Tuesday, July 1, troops advanced. The next day they stopped. In May, talks resumed; "
            "in 2022 the town fell. Last week and overnight drones flew.")
    for mention in _mentions(text):
        assert mention.when.precision and mention.when.text == mention.text and mention.when.reason


def test_resolve_expression_uses_the_narrative_date() -> None:
    when = resolve_expression("the following day", THU, date(2025, 6, 27))
    assert when.start == date(2025, 6, 28)


def test_resolve_expression_without_a_date_is_unknown() -> None:
    assert not resolve_expression("no date here", THU).known


def test_scan_time_grows_linearly_with_text_length() -> None:
    unit = "On June 27 drones hit Kyiv, and the next day 33 troops advanced 10-12 km near Su-34 jets. "

    def seconds(copies: int) -> float:
        text = unit * copies
        best = float("inf")
        for _ in range(3):
            began = time.perf_counter()
            _mentions(text)
            best = min(best, time.perf_counter() - began)
        return best

    assert seconds(400) < 60 * max(seconds(20), 1e-3)


def _cases() -> list[dict[str, Any]]:
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["id"])
def test_expression_table(case: dict[str, Any]) -> None:
    published = date.fromisoformat(case["anchor"]) if case["anchor"] else None
    mentions = _mentions(case["text"], published)
    assert all(case["text"][m.start:m.end] == m.text for m in mentions)
    if case.get("absent"):
        at = case["text"].index(case["expr"])
        overlapping = [m.text for m in mentions if m.start < at + len(case["expr"]) and m.end > at]
        assert overlapping == []
        return
    when = _when(case["text"], case["expr"], published)
    expected = (
        date.fromisoformat(case["date"]) if case["date"] else None,
        date.fromisoformat(case["date_end"]) if case["date_end"] else None,
        case["precision"],
    )
    assert _span(when) == expected, when.reason
    assert when.reason
