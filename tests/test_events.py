"""Event extraction on short reports written for these tests, with a geocoder double."""

from __future__ import annotations

from datetime import date

import pytest

from claimline.config import PipelineConfig
from claimline.events import RuleEventExtractor
from claimline.model import Article, Event
from claimline.segment import RuleSegmenter
from claimline.when import RuleDateResolver
from doubles import DictGeocoder, country, region, village

GEO = DictGeocoder({
    "Kotlyne": village("Kotlyne", "UA-14"), "Udachne": village("Udachne", "UA-14"),
    "Zvirove": village("Zvirove", "UA-14"), "Novoukrainka": village("Novoukrainka", "UA-14"),
    "Donetsk": region("Donetsk", "UA-14"), "Kharkiv": village("Kharkiv", "UA-63"),
    "Sumy": region("Sumy", "UA-59"), "Kursk": region("Kursk", "RU-KRS", "RU"),
    "Belgorod": region("Belgorod", "RU-BEL", "RU"), "Bryansk": region("Bryansk", "RU-BRY", "RU"),
    "Odesa": village("Odesa", "UA-51"), "Istanbul": village("Istanbul", None, "TR"),
    "Kyiv": village("Kyiv", "UA-30"), "Ukraine": country("Ukraine", "UA"), "Russia": country("Russia", "RU"),
    "Saky": village("Saky", "UA-43"), "Pokrovsk": village("Pokrovsk", "UA-14"),
    "Kyivskyi": village("Kyivskyi", "UA-30"),
})


def extract(text: str, published: date | None = date(2025, 3, 6)) -> list[Event]:
    article = Article(doc_id="t", text=text, published=published)
    sentences = RuleSegmenter().sentences(article)
    places = GEO.places(article, sentences)
    dates = RuleDateResolver().mentions(article, sentences)
    return RuleEventExtractor().events(article, sentences, places, dates)


def only(events: list[Event], kind: str) -> Event:
    matching = [e for e in events if e.kind == kind]
    assert len(matching) == 1, [(e.kind, e.location) for e in events]
    return matching[0]


def test_list_of_captured_villages_gives_one_event_each_with_its_own_date() -> None:
    events = extract(
        "The Russian Defence Ministry claimed its forces had captured the villages of Kotlyne, Udachne and "
        "Zvirove in Donetsk region on March 4, proceeding to Novoukrainka the following day."
    )
    places = {e.location.name: e for e in events if e.kind == "territory" and e.location}
    assert set(places) == {"Kotlyne", "Udachne", "Zvirove", "Novoukrainka"}
    assert places["Kotlyne"].when.start == date(2025, 3, 4)
    assert places["Novoukrainka"].when.start == date(2025, 3, 5)
    assert all(e.claimant == "Russian Ministry of Defence" and e.attribution == "claimed" for e in places.values())
    assert all(e.evidence.text.startswith("The Russian Defence Ministry") for e in events)


def test_strike_counts_and_interception_arithmetic_in_words() -> None:
    events = extract(
        "Russia launched 112 drones and 7 missiles at Ukraine overnight. "
        "The Air Force said air defences shot down all but 12 of the drones and five missiles."
    )
    strike = only(events, "strike")
    assert strike.quantities == {"drones": 112, "missiles": 7}
    interception = only(events, "interception")
    assert interception.quantities["drones_intercepted"] == 100
    assert interception.quantities["missiles_intercepted"] == 5
    assert interception.claimant == "Ukrainian Air Force"


def test_counts_distributed_over_regions_give_one_event_per_region() -> None:
    events = extract(
        "The Russian Defence Ministry said 18 drones were destroyed over Bryansk region, nine in Kursk "
        "region and nine in Belgorod region."
    )
    by_place = {e.location.name: e.quantities for e in events if e.kind == "interception" and e.location}
    assert by_place == {"Bryansk": {"drones_intercepted": 18}, "Kursk": {"drones_intercepted": 9},
                        "Belgorod": {"drones_intercepted": 9}}


def test_strike_with_casualties_is_one_event_with_fatalities() -> None:
    events = extract("According to the regional governor, a Russian missile strike on Odesa killed at least three "
                     "civilians and injured 11 on Tuesday.")
    strike = only(events, "strike")
    assert strike.quantities == {"killed": 3, "injured": 11}
    assert strike.fatalities == 3
    assert strike.claimant == "regional governor"
    assert strike.when.start == date(2025, 3, 4)
    assert strike.acled_event_type == "Explosions/Remote violence"


def test_clash_repelled_attacks_near_places() -> None:
    events = extract("Ukraine's General Staff said its forces repelled 14 attacks near Pokrovsk on Wednesday.")
    clash = only(events, "clash")
    assert clash.location is not None and clash.location.name == "Pokrovsk"
    assert clash.claimant == "General Staff of the Armed Forces of Ukraine"
    assert clash.acled_sub_event_type == "Armed clash"


def test_hedged_claim_is_marked_hedged() -> None:
    (event,) = extract("Intelligence sources said Ukrainian drones may have destroyed a radar near Kursk on Monday.")
    assert event.kind == "strike" and event.attribution == "hedged"


def test_unverifiable_figure_is_marked_unverified() -> None:
    events = extract("Ukraine's General Staff said 1,200 Russian soldiers were killed on Monday, a figure that "
                     "could not be independently verified.")
    assert only(events, "casualties").attribution == "unverified"


def test_claim_contradicted_in_the_next_sentence_is_disputed() -> None:
    events = extract("Russia's Defence Ministry claimed its troops captured Zvirove on Monday. "
                     "Ukraine's military denied the claim, saying fighting continues.")
    assert only(events, "territory").attribution == "disputed"


def test_hypotheticals_recaps_and_negations_are_not_events() -> None:
    assert extract("If Russian forces capture Pokrovsk, the road to Kharkiv would open.") == []
    assert extract("The offensive came after Russia failed to capture Kyiv in 2022.") == []
    assert extract("Russian forces did not shell Kharkiv on Monday, officials said.") == []


def test_prose_without_place_date_or_number_is_not_an_event() -> None:
    assert extract("Drone strikes alone do not change the balance of the war.") == []


def test_diplomacy_sanctions_aid_and_policy() -> None:
    events = extract(
        "Delegations from Russia and Ukraine met in Istanbul on Monday for talks. "
        "EU leaders adopted their 17th sanctions package against Russia on Tuesday. "
        "Germany pledged a military aid package worth 1.2 billion euros ($1.3bn) on Wednesday. "
        "On Thursday, parliament passed a law lowering the mobilisation age."
    )
    assert only(events, "diplomacy").location.name == "Istanbul"  # type: ignore[union-attr]
    assert only(events, "sanctions").when.start == date(2025, 3, 4)
    aid = only(events, "aid")
    assert aid.quantities == {"amount_eur": 1_200_000_000}
    assert only(events, "policy").when.start == date(2025, 3, 6)


def test_statement_needs_a_speaker_and_words_of_intent() -> None:
    events = extract("The Kremlin's spokesman warned on Monday that Moscow would respond to any new strikes.")
    statement = only(events, "statement")
    assert "Kremlin" in (statement.claimant or "")


def test_follow_up_sentence_adds_claimant_and_numbers_to_the_strike() -> None:
    events = extract("Ukrainian drones struck the Saky airfield on Sunday. "
                     "The SBU said it was behind the attack and destroyed two helicopters.")
    strike = only(events, "strike")
    assert strike.claimant == "Security Service of Ukraine (SBU)"
    assert strike.quantities == {"helicopters_destroyed": 2}


def test_repeats_of_the_same_fact_are_one_event() -> None:
    events = extract("Russian forces captured Udachne on Monday, the ministry said. "
                     "The capture of Udachne opens the way west.")
    assert len([e for e in events if e.kind == "territory"]) == 1


def test_no_publication_date_leaves_relative_dates_unknown() -> None:
    events = extract("Russian forces shelled Kharkiv on Tuesday, killing two people.", published=None)
    assert events and all(e.when.start is None for e in events)


def test_embedded_post_author_is_the_claimant() -> None:
    text = ("Reports say a large attack is under way.\n\n"
            "Around 80 Russian drones are targeting the Sumy region pic.twitter.com/x "
            "— Front Watch (@fw) March 6, 2025\n")
    strike = only(extract(text), "strike")
    assert strike.claimant == "Front Watch" and strike.quantities == {"drones": 80}


def test_event_ids_are_stable_and_evidence_offsets_exact() -> None:
    text = "Intro line here.\n\nRussian forces shelled Kharkiv on Tuesday."
    first, second = extract(text), extract(text)
    assert [e.event_id for e in first] == [e.event_id for e in second]
    for event in first:
        assert text[event.evidence.start:event.evidence.end] == event.evidence.text


@pytest.mark.parametrize("backend", ["rules.events.v1"])
def test_default_config_selects_the_rule_backend(backend: str) -> None:
    assert PipelineConfig().backends["events"] == backend


def test_place_named_after_the_villages_of_the_last_claim() -> None:
    events = extract("Monitors said Russian forces occupied the villages of Kotlyne and Udachne on Monday. "
                     "Russia's Defence Ministry claimed to have captured the villages on Sunday.")
    claimed = [e for e in events if e.claimant == "Russian Ministry of Defence"]
    assert {e.location.name for e in claimed if e.location} == {"Kotlyne", "Udachne"}


def test_report_that_names_its_source_credits_unclaimed_facts() -> None:
    events = extract("Russian forces attacked positions near Pokrovsk on Tuesday. "
                     "The statement was published on Wednesday by Ukraine's General Staff.")
    clash = only(events, "clash")
    assert clash.claimant == "General Staff of the Armed Forces of Ukraine"
    assert clash.attribution == "claimed"


def test_short_name_of_a_body_resolves_to_its_full_name() -> None:
    events = extract("Russia's Defence Ministry said its forces captured Udachne on Monday. "
                     "The ministry said its forces also struck Kharkiv on Tuesday.")
    assert {e.claimant for e in events} == {"Russian Ministry of Defence"}


def test_dateline_city_is_not_where_it_happened() -> None:
    events = extract("KYIV (Example Wire) - Russian drones struck Odesa on Tuesday.")
    assert [e.location.name for e in events if e.location] == ["Odesa"]


def test_official_title_locates_a_strike_only_when_nothing_finer_is_named() -> None:
    (event,) = extract("Two apartment buildings were hit in the strikes, Kyiv mayor Oleh Petrenko said.")
    assert event.kind == "strike" and event.location is not None and event.location.name == "Kyiv"


def test_halt_to_strikes_under_negotiation_is_not_a_strike() -> None:
    events = extract("Delegations met in Istanbul on Monday to discuss a halt to strikes on energy infrastructure.")
    assert [e.kind for e in events] == ["diplomacy"]


def test_casualty_toll_in_the_next_sentence_joins_the_strike() -> None:
    events = extract("On Tuesday, Russian forces shelled Kharkiv with artillery. Two civilians were killed.")
    strike = only(events, "strike")
    assert strike.quantities == {"killed": 2} and strike.fatalities == 2
    assert not [e for e in events if e.kind == "casualties"]


def test_shared_total_over_several_regions_is_one_event() -> None:
    events = extract("Russia's Defence Ministry said air defences downed 36 Ukrainian drones overnight over "
                     "Bryansk, Kursk and Belgorod regions.")
    interception = only(events, "interception")
    assert interception.quantities == {"drones_intercepted": 36}


def test_role_in_a_quote_attributed_to_a_named_speaker() -> None:
    events = extract('"Our forces have taken Udachne," the ministry spokesman Igor Petrov told reporters on Monday.')
    territory = only(events, "territory")
    assert "Igor Petrov" in (territory.claimant or "")


def test_money_in_an_aid_clause_belongs_to_the_aid() -> None:
    events = extract("On Tuesday, the EU approved a new package of sanctions against Russia and 18 billion euros "
                     "that will be transferred to Ukraine.")
    assert only(events, "aid").quantities == {"amount_eur": 18_000_000_000}
    assert "amount_eur" not in only(events, "sanctions").quantities


def test_a_recap_after_the_place_does_not_date_the_claim() -> None:
    events = extract("Russia's Defence Ministry said on Tuesday that its troops had retaken Udachne, which Ukraine "
                     "had held since August 2024.")
    assert only(events, "territory").when.start == date(2025, 3, 4)


def test_two_speakers_in_one_sentence_each_claim_their_own_clause() -> None:
    events = extract("Russian forces captured Udachne, the Russian Defence Ministry said on Monday, while Ukraine's "
                     "General Staff said fighting continued near Pokrovsk.")
    assert only(events, "territory").claimant == "Russian Ministry of Defence"
    assert only(events, "clash").claimant == "General Staff of the Armed Forces of Ukraine"


def test_a_contradiction_must_be_about_the_claim() -> None:
    events = extract("Russian drones struck Odesa on Tuesday, officials said. "
                     "Separately, the Kremlin rejected a proposal for a ceasefire.")
    assert only(events, "strike").attribution == "claimed"


def test_rejection_by_a_government_is_a_statement() -> None:
    events = extract("The Kremlin rejected the proposal for a 30-day ceasefire on Monday.")
    assert only(events, "statement").claimant == "Kremlin"


def test_a_proposed_sanctions_package_is_news() -> None:
    events = extract("The European Commission proposed a new package of sanctions against Russia on Wednesday.")
    assert only(events, "sanctions").when.start == date(2025, 3, 5)


def test_count_followed_by_a_casualty_verb_counts_people() -> None:
    events = extract("At least 12 people were killed and more than 50 wounded when Russian missiles hit Kharkiv "
                     "on Monday, officials said.")
    assert only(events, "strike").quantities == {"killed": 12, "injured": 50}


def test_an_unrelated_paragraph_keeps_the_publication_date() -> None:
    events = extract("EU ministers approved new sanctions against Russia on Monday.\n\n"
                     "Poland's defence minister said Warsaw would send military aid worth 200 million euros.")
    assert only(events, "aid").when.start == date(2025, 3, 6)


def test_a_may_date_is_not_a_modal_verb() -> None:
    events = extract("Ukraine's General Staff reported on May 20 that its forces destroyed a depot near Pokrovsk.",
                     published=date(2025, 5, 21))
    assert only(events, "strike").when.start == date(2025, 5, 20)


def test_a_claim_no_one_has_confirmed_is_unverified() -> None:
    events = extract("Russian bloggers claimed that Russian forces seized Udachne, but analysts have not observed "
                     "confirmation of this claim.")
    assert only(events, "territory").attribution == "unverified"


def test_a_follow_up_takes_the_day_of_the_event_told_just_before() -> None:
    events = extract("Russian forces shelled Kharkiv on Monday, the governor said.\n\n"
                     "Ukraine's air force said it shot down 12 drones over the region.")
    assert only(events, "interception").when.start == date(2025, 3, 3)


def test_a_town_a_village_lies_near_is_not_where_it_happened() -> None:
    events = extract("Russia's Defence Ministry said on Monday its forces captured the village of Udachne near "
                     "Pokrovsk.")
    assert [e.location.name for e in events if e.location] == ["Udachne"]


def test_a_town_villages_lie_near_is_not_where_it_happened() -> None:
    events = extract("Russia's Defence Ministry said on Monday its forces captured Udachne and Kotlyne near Pokrovsk.")
    assert sorted(e.location.name for e in events if e.location) == ["Kotlyne", "Udachne"]


def places_of(events: list[Event], kind: str) -> list[str]:
    return [e.location.name for e in events if e.kind == kind and e.location]


def test_a_town_the_captured_village_lies_near_is_not_captured() -> None:
    events = extract("Russia's Defence Ministry claimed on Saturday that its forces had taken Zvirove, "
                     "a village near Pokrovsk in north-eastern Donetsk region, close to the border.")
    assert places_of(events, "territory") == ["Zvirove"]


def test_the_sector_a_clash_is_in_is_not_a_place_of_its_own() -> None:
    events = extract("Ukraine's General Staff said its troops had repelled 12 assaults near Kotlyne and "
                     "Udachne, in the Pokrovsk sector, on Wednesday.")
    assert places_of(events, "clash") == ["Kotlyne", "Udachne"]


def test_villages_seized_around_a_town_do_not_make_the_town_seized() -> None:
    events = extract("The ministry said its forces had taken Zvirove, the latest of several villages it "
                     "says it has seized around Pokrovsk.")
    assert places_of(events, "territory") == ["Zvirove"]


@pytest.mark.parametrize("whose", ["Odesa's", "the city's"])
def test_a_city_district_is_not_a_place_elsewhere(whose: str) -> None:
    events = extract(f"Russian drones struck Odesa overnight. The drones hit an apartment building in "
                     f"{whose} Kyivskyi district, the governor said.")
    assert "Kyivskyi" not in places_of(events, "strike")


@pytest.mark.parametrize("text", [
    "Two hundred and twelve Ukrainian prisoners of war returned home on Friday in an exchange with Russia, "
    "the coordination headquarters said.",
    "In return, 95 prisoners of war of the Russian army were handed over, the ministry said on Friday.",
    "Both countries freed 84 prisoners of war on Sunday in a swap brokered by Turkey, officials said.",
])
def test_prisoner_exchanges_are_diplomacy_with_their_count(text: str) -> None:
    (event,) = extract(text)
    assert event.kind == "diplomacy"
    assert event.quantities.get("prisoners") in (212, 95, 84)


def test_an_attack_with_a_count_of_drones_is_a_strike() -> None:
    event = only(extract("Russia attacked Ukraine overnight with 95 attack drones and three missiles, "
                         "Ukraine's Air Force said."), "strike")
    assert dict(event.quantities) == {"drones": 95, "missiles": 3}


@pytest.mark.parametrize("text", [
    "Kyiv welcomed the bloc's decision to sanction 14 individuals over the deportations.",
    "EU foreign ministers adopted the listings on Monday.",
])
def test_sanction_decisions_and_listings_are_sanctions(text: str) -> None:
    assert [e.kind for e in extract(text)] == ["sanctions"]


def test_a_long_organisation_name_before_an_appositive_is_the_claimant() -> None:
    (event,) = extract("The Institute for the Study of War, a US think tank, said it had seen no evidence "
                       "that Russian forces had captured Kotlyne.")
    assert event.claimant == "Institute for the Study of War (ISW)"


def test_a_district_named_after_a_city_in_another_region_is_that_citys_district() -> None:
    events = extract("Russian shelling killed two people in Odesa on Tuesday, the governor said. "
                     "The shells hit a bus stop in the Kyivskyi district, he said.")
    assert "Kyivskyi" not in places_of(events, "strike") + places_of(events, "casualties")


def test_the_body_that_declined_to_comment_is_who_it_said_refers_to() -> None:
    events = extract("Ukraine's Air Force said 20 drones had been downed over Odesa. Russia's Defence Ministry did "
                     "not comment on the attack. It said its air defences had shot down 17 Ukrainian drones over "
                     "Kursk region overnight.")
    assert [e.claimant for e in events if e.kind == "interception"][-1] == "Russian Ministry of Defence"


def test_a_share_of_the_launched_drones_downed_is_the_intercepted_count() -> None:
    event = only(extract("Ukraine's Air Force said 31 of the 46 drones launched overnight had been downed."),
                 "interception")
    assert dict(event.quantities) == {"drones_intercepted": 31, "drones": 46}


def test_officials_of_an_occupied_city_report_a_strike_not_a_capture() -> None:
    (event,) = extract("Russian-installed officials in the occupied city of Pokrovsk in Donetsk region said a "
                       "Ukrainian drone had struck a minibus on Saturday, killing two people.")
    assert event.kind == "strike" and event.claimant == "Russian-installed officials"


@pytest.mark.parametrize(("text", "kind", "historical"), [
    ("The previous exchange took place in early February, when each side released 150 prisoners.", "diplomacy",
     True),
    ("Officials had already reported the capture of Kotlyne in early February, a claim Kyiv rejected.", "territory",
     True),
    ("Russian forces captured Kotlyne on Tuesday, the ministry said.", "territory", False),
])
def test_recaps_of_earlier_weeks_are_marked_historical(text: str, kind: str, historical: bool) -> None:
    assert only(extract(text), kind).historical is historical
