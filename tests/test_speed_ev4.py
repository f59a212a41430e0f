"""The fourth round of events-stage shortcuts gives what the plain code gave: the word tests, the
trigger search, the dropping of containers and the clauses kept per trigger start."""

from __future__ import annotations

from functools import cache

from claimline import claimants, event_places, folding, quantities, story, triggers
from claimline.model import PlaceMention
from claimline.pipeline import Pipeline
from claimline.synthetic import TemplateCorpus
from fast_path_texts import sample_sentences, variants

_WORD_LISTS = (triggers._HYPOTHETICAL_WORDS, triggers._NEGATION_WORDS, triggers._BACKGROUND_WORDS,
               quantities._CASUALTY_WORDS, claimants._BODY_WORDS, story._PUBLISHING_WORDS, ("the",), ("İ",), ())


@cache
def _sentences() -> tuple[str, ...]:
    return tuple(sample_sentences())


def _plain_case_folded(text: str) -> str | None:
    return None if "İ" in text or "ı" in text or "ſ" in text else text.lower()


def _plain_holds_any(folded: str | None, words: tuple[str, ...]) -> bool:
    return folded is None or any(word in folded for word in words)


def test_word_tests_answer_as_the_plain_expressions() -> None:
    for sentence in _sentences()[:300]:
        for text in [*variants(sentence), sentence[:40], sentence[-25:], ""]:
            assert folding.case_folded(text) == _plain_case_folded(text)
            for words in _WORD_LISTS:
                expected = _plain_holds_any(_plain_case_folded(text), words)
                assert folding.holds_any(folding.case_folded(text), words) == expected
                assert folding.may_contain(text, words) == expected


def _plain_triggers(sentence: str) -> tuple[triggers.Trigger, ...]:
    """Every pattern of every kind run over the whole sentence."""
    found: dict[tuple[str, int], triggers.Trigger] = {}
    for alternative in triggers._ALTERNATIVES:
        for match in alternative.regex.finditer(sentence):
            triggers._keep_longest(found, alternative.kind, match)
    return tuple(sorted(found.values(), key=lambda t: (t.start, t.kind)))


def test_triggers_are_those_every_pattern_finds() -> None:
    """Also where the lower case cannot be trusted ("ı", "İ", "ſ": `_triggers_trying_each`)."""
    checked = 0
    for sentence in _sentences()[:400]:
        for text in (sentence, sentence.upper(), sentence.title().replace(" ", "  "), *variants(sentence)):
            expected = _plain_triggers(text)
            assert triggers.find_triggers(text) == list(expected)
            checked += len(expected)
    assert checked > 100


def test_no_two_triggers_of_a_kind_begin_at_one_place() -> None:
    """`_Scope` keeps a trigger's clause by where the trigger begins, for one kind at a time."""
    for sentence in _sentences():
        found = triggers.find_triggers(sentence)
        assert len({(t.kind, t.start) for t in found}) == len(found)


def _plain_drop_containers(places: list[PlaceMention], text: str, offset: int) -> list[PlaceMention]:
    """`_drop_containers` as it was: whether the place is a setting asked before whether it holds another."""
    not_sectors = [p for p in places if not event_places._is_front_sector(text, p, offset)]
    if not_sectors:
        places = not_sectors
    kept = []
    for place in places:
        assert place.location is not None
        before = text[max(0, place.start - offset - 25): place.start - offset]
        after = text[place.end - offset: place.end - offset + 40]
        setting = (
            place.location.geo_precision == "country"
            or event_places._is_setting_before(before)
            or (place.location.geo_precision == "admin1" and bool(event_places._NAME_AND_COMMA_BEFORE.search(before)))
            or (after[:1].isspace() and bool(event_places._SETTING_AFTER.match(after)))
        )
        inside = setting and any(
            other is not place and other.location is not None
            and event_places._contains(place.location, other.location) for other in places)
        if not inside:
            kept.append(place)
    return kept


def test_containers_are_dropped_as_before() -> None:
    pipeline = Pipeline()
    dropped = 0
    for article in TemplateCorpus(12):
        sentences = pipeline.segmenter.sentences(article)
        places = [p for p in pipeline.geocoder.places(article, sentences) if p.location]
        # the whole article as one text puts many places, regions and their towns, side by side
        groups = [(places, article.text, 0)] + [
            ([p for p in places if s.start <= p.start < s.end], s.text, s.start) for s in sentences]
        for group, text, offset in groups:
            expected = _plain_drop_containers(group, text, offset)
            assert event_places._drop_containers(group, text, offset) == expected
            dropped += len(group) - len(expected)
    assert dropped > 0
