"""The geocoder's memory of stretches across documents changes no place it finds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from claimline.geocode import GazetteerGeocoder, mentions
from claimline.model import Article, PlaceMention
from doubles import stop_sentences

# The same stretches with different words around them: a cue before or after, a title, the
# start of a sentence with a word the article writes in lower case elsewhere, a possessive.
_TEXTS = [
    "Police in Kharkiv said Zorya was shelled. The village of Zorya lies near Kramatorsk.",
    "Zorya airfield was hit, police said. Governor Oleh Syniehubov spoke in Kharkiv.",
    "Kharkiv Oblast Governor Oleh Syniehubov said Russia's Marinovka airbase was hit.",
    "Police said Russian forces shelled Kupiansk, Izium and Balakliia in the Kharkiv region.",
    "Kupiansk, Izium and Balakliia were shelled. The Kyiv Independent reported it from Kyiv.",
    "Marinovka was quiet. Residents of Sumy and Zorya left for Dnipro on Monday.",
    "Reading the report, officials said Kyiv was hit. Their reading was short.",
    "Reading the report, officials said Kyiv was hit.",
    "Fighting went on near the village of Oknovka.",
    "Fighting went on near Oknovka, Kyiv said.",
]


@pytest.fixture(scope="module")
def cache_dir() -> Iterator[str]:
    geocoder = GazetteerGeocoder()
    yield str(geocoder.gazetteer.path.parent)
    geocoder.gazetteer.close()


def _places(geocoder: GazetteerGeocoder, text: str) -> list[PlaceMention]:
    return geocoder.places(Article("t", text), stop_sentences(text))


@pytest.mark.parametrize("order", [1, -1])
def test_remembered_stretches_give_the_places_a_fresh_geocoder_gives(cache_dir: str, order: int) -> None:
    remembering = GazetteerGeocoder(cache_dir=cache_dir)
    for text in [*_TEXTS, *_TEXTS][::order]:
        fresh = GazetteerGeocoder(cache_dir=cache_dir)
        assert _places(remembering, text) == _places(fresh, text), text
        fresh.gazetteer.close()
    remembering.gazetteer.close()


def test_one_word_that_makes_no_run_is_a_lone_common_word_or_starts_no_run() -> None:
    words = {*mentions._ALONE_WITH_DEMONYMS, *mentions._NO_RUN_ALONE, "kyiv", "french", "us", "eu", "s", ""}
    for word in words:
        for lower in (word, f"{word}'s", f"{word}’s"):
            bare = lower[:-2] if lower.endswith(("'s", "’s")) else lower
            expected = bare in mentions._ALONE_WITH_DEMONYMS or lower in mentions._NO_RUN_ALONE
            assert mentions._makes_no_run(lower) == expected, lower


def test_a_run_of_one_word_splits_as_the_general_way_splits_it() -> None:
    from fast_path_texts import sample_texts

    runs_checked = kinds = 0
    outcomes: set[tuple[bool, ...]] = set()
    for number, text in enumerate([*sample_texts(), *_TEXTS]):
        lowercase = mentions.LowercaseWords(text)
        runs = [run for sentence in stop_sentences(text) for stretch in mentions.sentence_stretches(sentence, lowercase)
                for run in mentions.stretch_runs(stretch) if len(run.tokens) == 1]
        # every other key known, alternating with the text, so that each word is met known and unknown
        known = {mentions.name_key(run.tokens[0].bare) for i, run in enumerate(runs) if (i + number) % 2}
        for run in runs:
            for never_alone in (mentions.NEVER_ALONE, mentions._ALONE_WITH_DEMONYMS):
                general = mentions._part_spans(run, 0, 1, known.__contains__, lowercase, never_alone)
                assert mentions._one_word_spans(run, known.__contains__, lowercase, never_alone) == general, run
                outcomes.add((bool(general), bool(general) and general[0].known))
                runs_checked += 1
        kinds += 1
    assert runs_checked > 1000 and kinds > 20
    assert outcomes == {(False, False), (True, False), (True, True)}  # none, an unknown name, a known one
