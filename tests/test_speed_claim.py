"""The fast paths of the events-stage helpers find exactly what the plain patterns find."""

import re

import pytest

from claimline import claimants, counts, event_places, folding, quantities, story
from fast_path_texts import sample_texts

TRICKY = [
    "Russia launched 112 drones and seven missiles at 4:30",
    "someone said over5 people and no less than 20 were hurt, no fewer than  € 3 million",
    "xa hundred drones, a hundred-fold, A Hundred tanks, One hundred and seventy-three people",
    "the Donetsk region, often attacked, saw tens of strikes; ten of 12,000.5 km",
    "about £ 5bn, up to $ 9-12 billion, 1,000 to 2,000 (40 to 75 miles) deep",
    "ſome 5 drones, about ıt, İn 2024 Seven were kılled",
    "all but one of the drones; March 4, 2025; the 3rd day; 21st",
    "-5 .5 _5 5- 5_ five-six twenty one twentyone",
]


def _plain_noun_key(following: str) -> str | None:
    for pattern, key in quantities._NOUN_KEYS:
        if re.match(quantities._UP_TO_THREE_WORDS + rf"(?:{pattern})\b", following, re.I):
            return key
    return None


@pytest.mark.parametrize("text", TRICKY)
def test_quantity_matches_are_those_of_the_plain_pattern(text: str) -> None:
    def spans(matches: object) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
        return [(m.span(), m.groupdict()) for m in matches]  # type: ignore[attr-defined]

    for start in range(len(text)):
        piece = text[start:]
        assert spans(quantities._quantity_matches(piece)) == spans(quantities.QUANTITY.finditer(piece))


@pytest.mark.parametrize("text", [*TRICKY, "fighter jets over the city", "36 of them shot down by drones",
                                  "five square kilometres", "two Su-34s and 3 pounds of"])
def test_noun_key_is_the_first_noun_in_order(text: str) -> None:
    for start in range(len(text)):
        assert quantities._noun_key(text[start:]) == _plain_noun_key(text[start:])


def test_letters_that_case_folding_reads_differently_disable_the_word_tests() -> None:
    assert folding.case_folded("Kyiv") == "kyiv"
    assert folding.case_folded("deſtroyed") is None
    assert folding.may_contain("DESTROYED", ("destroy",))
    assert folding.may_contain("deſtroyed", ("destroy",))
    assert not folding.may_contain("shelled", ("destroy",))
    assert folding.may_end_with("south of the ", ("the",))
    assert not folding.may_end_with("south of Kyiv ", ("the",))


@pytest.mark.parametrize("before", [
    "10 km north-west of ", "South of the ", "according to ", "villages around the city near ",
    "15 kilometres east of the town ", "in ", "strikes on ", "outside of the occupied ", "ſouth of ", ""])
def test_reference_point_test_agrees_with_the_pattern(before: str) -> None:
    assert event_places._is_reference_point(before) == bool(event_places._REFERENCE_POINT.search(before))


@pytest.mark.parametrize("before", [
    "the fighting in ", "in the Russian city of ", "near Kupiansk's eastern ", "villages of the ",
    "within the ", "attacks on ", "Kremlin ", "in ıts ", "ſettlements of ", ""])
def test_setting_test_agrees_with_the_pattern(before: str) -> None:
    assert event_places._is_setting_before(before) == bool(event_places._SETTING_BEFORE.search(before))


@pytest.mark.parametrize("left", [
    "The ministry on Monday", "The ministry on monday", "Kyiv officials earlier", "The governor on 5 March",
    "Zelensky March 5", "The army has", "The army, which", "The army said", "", "  "])
def test_words_before_the_verb_are_cut_only_where_the_pattern_can_match(left: str) -> None:
    if not claimants._may_end_in_words_before_verb(left):
        assert claimants._WORDS_BEFORE_VERB.sub("", left) == left


@pytest.mark.parametrize("phrase", [
    "the ministry on Telegram", "Kyiv officials late on Sunday", "the governor in an interview", "SBU",
    "Ukraine's Security Service", "the Russian Defence Ministry", "Moscow's foreign ministry", "the General Staff",
    "Ukraine's air force", "officials in the occupied city of Horlivka", "the Pentagon", "Kremlin spokesman",
])
def test_trailing_times_are_cut_only_where_the_test_allows(phrase: str) -> None:
    text = claimants._clean_phrase(phrase)
    assert claimants._TRAILING_TIME.sub("", text) == text or claimants._may_have_trailing_time(text)


def test_speech_verbs_are_the_lower_case_matches_of_the_pattern() -> None:
    sentence = "The ministry Said it had claimed, and later CLAIMED, what officials said; ſaid called on them"
    expected = [m.span() for m in claimants._SPEECH.finditer(sentence) if m.group(0).islower()]
    assert [m.span() for m in claimants._speech_verbs(sentence)] == expected
    plain = sentence.replace("ſ", "s")
    expected = [m.span() for m in claimants._SPEECH.finditer(plain) if m.group(0).islower()]
    assert [m.span() for m in claimants._speech_verbs(plain)] == expected


@pytest.mark.parametrize("sentence", [
    "Air defences shot down 30 drones.", "Twelve drones were destroyed over the region.", "The drones hit homes.",
    "No drones were reported.", "Drones were deſtroyed.", "Missiles had been intercepted, officials said."])
def test_interception_start_agrees_with_the_patterns(sentence: str) -> None:
    active = counts._ACTIVE_DOWN.search(sentence)
    passive = counts._PASSIVE_DOWN_COUNTED.search(sentence)
    expected = active.start() if active else passive.start() if passive else None
    assert counts._interception_start(sentence) == expected


@pytest.mark.parametrize(("short", "name"), [
    ("ministry", "Russian Ministry of Defence"), ("Ministry", "the ministry's"), ("staff", "General Staff"),
    ("air", "Ukrainian Air Force"), ("ır", "Ukrainian Air Force"), ("force", "Ukrainian Air Forces")])
def test_short_claimant_within_a_longer_name(short: str, name: str) -> None:
    expected = bool(re.search(rf"\b{re.escape(short)}\b", name, re.I))
    assert story._names_within(short, name) == expected


# Each word list stands before its pattern as a cheap test: every match must hold one of its words.
_GATED = [
    (claimants._HEDGES, claimants._HEDGE_WORDS), (claimants._UNVERIFIED, claimants._UNVERIFIED_WORDS),
    (claimants._DENIAL, claimants._DENIAL_WORDS), (claimants._ACCORDING, claimants._ACCORDING_WORDS),
    (claimants._ANY_ORGANISATION, claimants._BODY_WORDS), (claimants._MINISTRY, claimants._BODY_WORDS),
    (claimants._MINISTRY_FOREIGN, claimants._BODY_WORDS), (claimants._GENERAL_STAFF, claimants._BODY_WORDS),
    (claimants._AIR_FORCE, claimants._BODY_WORDS),
    (story._CONTRADICTION, story._CONTRADICTION_WORDS), (story._ANAPHORIC_FOLLOW_UP, story._FOLLOW_UP_WORDS),
    (story._ANAPHORA, story._ANAPHORA_WORDS),
    (counts._DESTROYED, counts._DESTROYED_WORDS), (counts._ACTIVE_DOWN, counts._ACTIVE_DOWN_WORDS),
    (counts._PASSIVE_DOWN_CUE, counts._WEAPON_WORDS), (counts._PASSIVE_DOWN_CUE, counts._DOWNED_WORDS),
    (counts._PEOPLE_VERB_BEFORE, counts._PEOPLE_VERBS_BEFORE), (counts._PEOPLE_VERB_AFTER, counts._PEOPLE_VERBS_AFTER),
    (quantities._CASUALTY_AFTER, quantities._CASUALTY_WORDS),
]


def test_every_match_of_a_gated_pattern_holds_one_of_its_words() -> None:
    texts = [*sample_texts(), *TRICKY, "The ministry said the claim was false; allegedly 12 drones were shot down.",
             "According to the SBU, this decision followed the attack, which killed 3 and left 5 wounded."]
    checked = 0
    for text in texts:
        for start in range(0, len(text), 9):
            window = text[start: start + 120]
            for pattern, words in _GATED:
                if pattern.search(window):
                    checked += 1
                    assert folding.may_contain(window, words), (pattern.pattern[:60], window)
    assert checked > 2000
