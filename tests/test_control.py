"""Control timelines: who claims to hold each settlement, and since when."""

from __future__ import annotations

from datetime import date

from claimline.control import control_timelines, timelines_geojson
from test_events import extract


def test_capture_then_denial_make_a_dated_timeline_for_the_village() -> None:
    events = extract(
        "Russia's Defence Ministry claimed on Monday that its forces had captured Udachne.\n\n"
        "On Wednesday, Ukraine's General Staff denied the claim, saying Udachne remains under Ukrainian control."
    )
    (timeline,) = control_timelines(events)
    assert timeline.location.name == "Udachne"
    stances = [(c.day, c.stance) for c in timeline.claims]
    assert stances[0] == (date(2025, 3, 3), "captured")
    assert timeline.claims[0].holder == "Military Forces of Russia"


def test_timelines_export_as_geojson_points() -> None:
    events = extract("Russian forces captured Kotlyne on Monday, the ministry said.")
    collection = timelines_geojson(control_timelines(events))
    (feature,) = collection["features"]
    assert feature["geometry"]["type"] == "Point"
    assert feature["properties"]["timeline"][0]["stance"] == "captured"


def test_regions_and_countries_have_no_timeline() -> None:
    events = extract("Russian forces advanced into Sumy region on Monday.")
    assert control_timelines(events) == []
