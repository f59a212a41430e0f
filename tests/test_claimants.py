"""Claimant and attribution on sentences written for these tests."""

from __future__ import annotations

import pytest

from claimline.claimants import clause_subject, find_attribution, normalise_claimant


def claimant_of(sentence: str, anchor_word: str) -> str | None:
    return find_attribution(sentence, sentence.index(anchor_word)).claimant


@pytest.mark.parametrize(("sentence", "anchor", "expected"), [
    ("The Russian Defence Ministry claimed its forces had captured Udachne.", "captured",
     "Russian Ministry of Defence"),
    ("Ukraine's air force said it had shot down 40 drones.", "shot", "Ukrainian Air Force"),
    ("According to the city's mayor, a strike killed two people.", "killed", "city's mayor"),
    ('"We hit the depot," Igor Petrov, the commander of a drone unit, told reporters.', "hit",
     "Igor Petrov, the commander of a drone unit"),
    ("DeepState, which maps the front from open sources, said Russian troops entered Dachne.", "entered",
     "DeepState"),
    ("On June 2, Putin referred to the talks, telling journalists that the offensive would go on.", "offensive",
     "Putin"),
    ("The governor said a drone hit a house and urged residents to stay indoors.", "hit", "governor"),
    ("On the same day, the United States said it would not be sending the missiles.", "sending", "United States"),
])
def test_speaker_of_the_reporting_frame(sentence: str, anchor: str, expected: str) -> None:
    assert claimant_of(sentence, anchor) == expected


def test_citing_a_reason_is_not_citing_a_source() -> None:
    sentence = "Parliament voted to leave the treaty, citing the threat from its neighbour."
    assert claimant_of(sentence, "leave") is None


def test_hedges_and_verification() -> None:
    assert find_attribution("Officials said the drones may have hit a depot.", 30).attribution == "hedged"
    sentence = "The ministry said 900 soldiers were killed, a figure that could not be independently verified."
    assert find_attribution(sentence, 20).attribution == "unverified"


def test_denial_and_its_negation() -> None:
    sentence = "A Ukrainian spokesman said claims about the capture of Dachne were not confirmed by Ukraine."
    assert find_attribution(sentence, sentence.index("capture")).attribution == "denied"
    sentence = "The General Staff said its units had withdrawn from the town and did not deny the loss."
    assert find_attribution(sentence, sentence.index("withdrawn")).attribution != "denied"


@pytest.mark.parametrize(("phrase", "expected"), [
    ("Russia's defense ministry", "Russian Ministry of Defence"),
    ("the Ukrainian State Security Service (SBU)", "Security Service of Ukraine (SBU)"),
    ("Ukraine's general staff", "General Staff of the Armed Forces of Ukraine"),
    ("the General Staff", "General Staff"),
    ("Kremlin spokesperson Dmitry Peskov", "Kremlin spokesperson Dmitry Peskov"),
    ("the Kremlin", "Kremlin"),
])
def test_organisations_get_one_stable_name(phrase: str, expected: str) -> None:
    assert normalise_claimant(phrase) == expected


def test_clause_subject_skips_introductions() -> None:
    assert clause_subject("For instance, EU leaders adopted their ") == "EU"
    assert clause_subject("Following the talks, Germany pledged ") == "Germany"
    assert clause_subject("Earlier this month the president signed ") is None
