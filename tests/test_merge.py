"""Merging the same claim across reports, and linking contradictions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from claimline.merge import Telling, cluster_claims, events_with_disputes, same_claim
from claimline.model import Event, Evidence, When
from doubles import village


def event(doc: str, kind: str = "territory", *, place: str | None = "Udachne", day: int = 4,
          quantities: dict[str, int] | None = None, attribution: str = "claimed", claimant: str = "MoD") -> Event:
    return Event(
        doc_id=doc, kind=kind, evidence=Evidence(f"{doc} text", 0, 9),
        when=When(date(2025, 3, day), date(2025, 3, day), "day", "on Tuesday", "test"),
        location=village(place, "UA-14") if place else None, claimant=claimant, attribution=attribution,
        quantities=quantities or {}, source=f"outlet-{doc}",
    )


def told(*events: Event) -> list[Telling]:
    return [Telling(e, e.when.start) for e in events]


def test_the_same_capture_told_by_three_outlets_is_one_cluster() -> None:
    (cluster,) = cluster_claims(told(event("a"), event("b", day=5), event("c")))
    assert cluster.corroborations == 3
    assert cluster.first_report.event.doc_id == "a"
    assert not cluster.disputed


def test_different_places_or_distant_dates_are_different_claims() -> None:
    assert not same_claim(event("a"), event("b", place="Kotlyne"))
    assert not same_claim(event("a", day=1), event("b", day=28))
    assert not same_claim(event("a", kind="strike", day=1), event("b", kind="strike", day=5))
    assert not same_claim(event("a"), event("b", kind="strike"))


def test_a_denial_at_the_same_place_contradicts_the_claim() -> None:
    clusters = cluster_claims(told(event("a"), event("b", attribution="denied", claimant="General Staff")))
    assert len(clusters) == 2
    assert all(c.disputed for c in clusters)
    assert {e.attribution for e in events_with_disputes(clusters)} == {"disputed", "denied"}


def test_different_counts_of_the_same_attack_are_a_dispute_with_their_spread() -> None:
    a = event("a", kind="strike", place=None, quantities={"drones": 112})
    b = event("b", kind="strike", place=None, quantities={"drones": 130})
    (cluster,) = cluster_claims(told(a, b))
    assert cluster.number_spread() == {"drones": (112, 130)}
    assert cluster.disputed and "drones" in cluster.contradictions[0].why


def test_the_same_count_told_twice_is_no_dispute() -> None:
    a = event("a", kind="strike", place=None, quantities={"drones": 112})
    b = event("b", kind="strike", place=None, quantities={"drones": 112})
    (cluster,) = cluster_claims(told(a, b))
    assert not cluster.disputed


def test_cluster_ids_are_stable() -> None:
    first = [c.cluster_id for c in cluster_claims(told(event("a"), event("b")))]
    second = [c.cluster_id for c in cluster_claims(told(event("a"), event("b")))]
    assert first == second


def test_a_telling_without_a_place_joins_the_one_placed_claim_it_fits() -> None:
    (cluster,) = cluster_claims(told(event("a", kind="strike"), event("b", kind="strike", place=None)))
    assert cluster.corroborations == 2


def test_a_telling_without_a_place_stays_apart_when_two_claims_fit() -> None:
    clusters = cluster_claims(told(event("a", kind="strike"), event("b", kind="strike", place="Kotlyne"),
                                   event("c", kind="strike", place=None)))
    assert len(clusters) == 3


def test_the_toll_of_a_strike_joins_the_strike_told_elsewhere() -> None:
    strike = event("a", kind="strike", quantities={"killed": 3})
    toll = event("b", kind="casualties", quantities={"injured": 5})
    (cluster,) = cluster_claims(told(strike, toll))
    assert cluster.kind == "strike" and cluster.corroborations == 2


def test_casualties_elsewhere_stay_apart_from_the_strike() -> None:
    clusters = cluster_claims(told(event("a", kind="strike"), event("b", kind="casualties", place="Kotlyne")))
    assert len(clusters) == 2


def _with_text(e: Event, text: str) -> Event:
    return Event(doc_id=e.doc_id, kind=e.kind, evidence=Evidence(text, 0, len(text)), when=e.when,
                 location=e.location, claimant=e.claimant, attribution=e.attribution, quantities=e.quantities,
                 source=e.source)


def test_all_drones_shot_down_contradicts_a_strike_that_night_in_that_region() -> None:
    strike = _with_text(event("a", kind="strike", claimant="General Staff"),
                        "Ukraine's General Staff said its drones hit a depot at Udachne.")
    assert strike.location is not None
    strike = replace(strike, location=replace(strike.location, admin1="Donetsk Oblast"))
    shot_down = _with_text(event("b", kind="interception", place=None, quantities={"drones_intercepted": 20}),
                           "The ministry said all 20 drones were destroyed, 12 of them over Donetsk region.")
    clusters = cluster_claims(told(strike, shot_down))
    assert len(clusters) == 2 and all(c.disputed for c in clusters)


def test_some_drones_shot_down_does_not_contradict_a_strike() -> None:
    strike = _with_text(event("a", kind="strike", claimant="General Staff"),
                        "Ukraine's General Staff said its drones hit a depot at Udachne.")
    shot_down = _with_text(event("b", kind="interception", place=None, quantities={"drones_intercepted": 20}),
                           "The ministry said 20 drones were destroyed over Donetsk region.")
    assert not any(c.disputed for c in cluster_claims(told(strike, shot_down)))


def test_a_strike_reported_beside_a_counter_claim_is_still_the_strike() -> None:
    plain = event("a", kind="strike")
    beside = _with_text(event("b", kind="strike", day=5),
                        "Kyiv said its drones hit the depot at Udachne; Moscow said all the drones were shot down.")
    (cluster,) = [c for c in cluster_claims(told(plain, beside)) if c.kind == "strike"]
    assert cluster.corroborations == 2


def test_an_unplaced_toll_joins_the_strike_its_own_report_places() -> None:
    strike_here = event("a", kind="strike")
    strike_there = event("b", kind="strike", place="Kotlyne")
    toll = event("a", kind="casualties", place=None, quantities={"injured": 3})
    clusters = cluster_claims(told(strike_here, strike_there, toll))
    (home,) = [c for c in clusters if any(t.event is toll for t in c.tellings)]
    assert home.place == "Udachne"


def test_a_count_of_launched_drones_without_a_place_does_not_join_a_city_strike() -> None:
    wave = event("a", kind="strike", place=None, quantities={"drones": 120})
    clusters = cluster_claims(told(event("a", kind="strike"), wave))
    assert len(clusters) == 2


def test_the_same_village_name_in_the_same_region_is_one_place() -> None:
    a = event("a")
    b = event("b")
    assert b.location is not None
    b = replace(b, location=replace(b.location, gazetteer_id="test:another-entry"))
    assert same_claim(a, b)
    c = replace(b, location=replace(b.location, admin1_iso="UA-63"))
    assert not same_claim(a, c)
