"""Events as pandas, polars and GeoPandas frames, and the GeoPackage export read back by a GIS library."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyogrio
import pytest
from typer.testing import CliRunner

from claimline import frames
from claimline.cli import app
from claimline.errors import BackendUnavailable
from claimline.export import ARROW_SCHEMA, write_events
from claimline.model import Article, Event, Evidence, Location, When
from claimline.store import open_store

BREVIK = Location(name="Brevik", country_code="UA", geo_precision="point", admin1="Kharkiv Oblast",
                  admin1_iso="UA-63", lat=49.71, lon=37.61, reason="test")
ODESA = Location(name="Odesa", country_code="UA", geo_precision="point", admin1="Odesa Oblast",
                 admin1_iso="UA-51", lat=46.48, lon=30.73, reason="test")


def event(start: int, location: Location | None, **fields: Any) -> Event:
    text = fields.pop("text", "The made-up ministry said drones hit a depot, killing 2.")
    return Event(doc_id="doc-1", kind=fields.pop("kind", "strike"), evidence=Evidence(text, start, start + len(text)),
                 when=fields.pop("when", When(date(2024, 3, 12), date(2024, 3, 13), "day", "overnight", "test")),
                 location=location, **fields)


STRIKE = event(0, BREVIK, claimant="Made-up Ministry", attribution="claimed", quantities={"drones": 4, "killed": 2},
               fatalities=2)
PORT = event(100, ODESA, fatalities=0, text="Drones hit the port of Odesa.")
TALKS = event(200, None, kind="statement", when=When(), text="Talks were useful, he said.")
EVENTS = [STRIKE, PORT, TALKS]


def test_pandas_frame_has_one_row_per_event_with_typed_dates() -> None:
    frame = frames.to_pandas(EVENTS)
    assert list(frame.columns) == ARROW_SCHEMA.names
    assert list(frame["event_id"]) == [e.event_id for e in EVENTS]
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
    assert frame["date"].iloc[0] == pd.Timestamp("2024-03-12") and pd.isna(frame["date"].iloc[2])
    assert json.loads(frame["quantities"].iloc[0]) == {"drones": 4, "killed": 2}
    assert frame["location_name"].tolist()[:2] == ["Brevik", "Odesa"]


def test_polars_frame_has_date_columns() -> None:
    import polars as pl

    frame = frames.to_polars(EVENTS)
    assert frame.height == 3
    assert frame.schema["date"] == pl.Date and frame.schema["fatalities"] == pl.Int64
    assert frame["date_end"][0] == date(2024, 3, 13)


def test_geopandas_frame_has_lon_lat_points_in_wgs84() -> None:
    frame = frames.to_geopandas(EVENTS)
    assert frame.crs.to_epsg() == 4326
    assert (frame.geometry.iloc[0].x, frame.geometry.iloc[0].y) == (37.61, 49.71)
    assert frame.geometry.iloc[2] is None
    assert len(frame[frame.geometry.notna()]) == 2


def test_an_empty_list_gives_empty_frames() -> None:
    assert len(frames.to_pandas([])) == 0
    assert len(frames.to_geopandas([])) == 0


def test_a_missing_optional_library_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "polars", None)
    monkeypatch.setitem(sys.modules, "geopandas", None)
    with pytest.raises(BackendUnavailable, match=r"claimline\[geo\]"):
        frames.to_polars(EVENTS)
    with pytest.raises(BackendUnavailable, match=r"claimline\[geo\]"):
        frames.to_geopandas(EVENTS)


# GeoPackage, as QGIS reads it

def test_geopackage_has_a_point_layer_in_wgs84_with_typed_fields(tmp_path: Path) -> None:
    out = tmp_path / "events.gpkg"
    assert write_events(EVENTS, "gpkg", out) == 2
    info = pyogrio.read_info(out, layer="events")
    assert (info["features"], info["geometry_type"], info["crs"]) == (2, "Point", "EPSG:4326")
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["date"] == types["date_end"] == "datetime64[D]"
    assert types["fatalities"] == types["evidence_start"] == types["evidence_end"] == "int64"
    assert types["lat"] == types["lon"] == "float64"
    assert types["historical"] == "bool"
    assert types["kind"] == types["evidence_text"] == "object"


def test_geopackage_reads_back_the_values(tmp_path: Path) -> None:
    out = tmp_path / "events.gpkg"
    write_events(EVENTS, "gpkg", out)
    _, table = pyogrio.read_arrow(out, layer="events")
    rows = table.to_pylist()
    assert [r["event_id"] for r in rows] == [STRIKE.event_id, PORT.event_id]
    assert rows[0]["date"] == date(2024, 3, 12) and rows[0]["fatalities"] == 2
    frame = pyogrio.read_dataframe(out)
    assert (frame.geometry.iloc[1].x, frame.geometry.iloc[1].y) == (30.73, 46.48)


def test_writing_a_geopackage_again_replaces_it(tmp_path: Path) -> None:
    out = tmp_path / "events.gpkg"
    write_events(EVENTS, "gpkg", out)
    write_events([PORT], "gpkg", out)
    assert pyogrio.read_info(out, layer="events")["features"] == 1
    assert [layer[0] for layer in pyogrio.list_layers(out)] == ["events"]


def test_geopackage_needs_a_path() -> None:
    with pytest.raises(ValueError, match="gpkg needs a path"):
        write_events(EVENTS, "gpkg", sys.stdout)


def test_export_command_writes_a_geopackage(tmp_path: Path) -> None:
    db = tmp_path / "claimline.db"
    with open_store(db) as store:
        store.add(Article(doc_id="doc-1", text="…"), EVENTS)
    runner = CliRunner()
    result = runner.invoke(app, ["export", "--db", str(db), "-o", str(tmp_path / "out.gpkg")])
    assert result.exit_code == 0, result.output
    assert pyogrio.read_info(tmp_path / "out.gpkg", layer="events")["features"] == 2
    refused = runner.invoke(app, ["export", "--db", str(db), "--format", "gpkg"])
    assert refused.exit_code == 2 and "--output" in refused.stderr
