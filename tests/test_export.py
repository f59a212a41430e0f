"""Exports: JSON Lines, ACLED-style CSV, GeoJSON and Parquet."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from claimline.export import ACLED_COLUMNS, CSV_COLUMNS, acled_row, write_events
from claimline.model import Event, Evidence, Location, When

BREVIK = Location(name="Brevik", country_code="UA", geo_precision="point", admin1="Kharkiv Oblast",
                  admin1_iso="UA-63", admin2="Kupiansk Raion", lat=49.71, lon=37.61, reason="test")


def event(
    kind: str = "strike", start: int = 0, location: Location | None = BREVIK,
    when: When | None = None, **fields: Any,
) -> Event:
    text = fields.pop("text", "The made-up ministry said drones hit a depot in Brevik, killing 2.")
    return Event(
        doc_id="doc-1", kind=kind, evidence=Evidence(text, start, start + len(text)),
        when=when or When(date(2024, 3, 12), None, "day", "on Tuesday", "weekday before publication"),
        location=location, **fields,
    )


STRIKE = event(
    claimant="Made-up Ministry", attribution="claimed", actor1="Army of Examplestan",
    acled_event_type="Explosions/Remote violence", acled_sub_event_type="Air/drone strike",
    quantities={"drones": 4, "killed": 2}, fatalities=2, source="Example Wire",
)
UNLOCATED = event(kind="statement", start=80, location=None, when=When(),
                  text="Talks were “useful”, he said.")
COUNTRY_ONLY = event(kind="sanctions", start=120, location=Location(
    name="Ukraine", country_code="UA", geo_precision="country", lat=49.0, lon=32.0))


# JSON Lines

def test_jsonl_has_one_record_per_line_in_utf8(tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    assert write_events([STRIKE, UNLOCATED], "jsonl", out) == 2
    lines = out.read_bytes().decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [STRIKE.to_record(), UNLOCATED.to_record()]
    assert "“useful”" in lines[1]


def test_jsonl_records_rebuild_the_same_events() -> None:
    out = io.StringIO()
    write_events([STRIKE, UNLOCATED], "jsonl", out)
    rebuilt = [Event.from_record(json.loads(line)) for line in out.getvalue().splitlines()]
    assert rebuilt == [STRIKE, UNLOCATED]


# CSV (ACLED columns)

def test_csv_header_is_acled_columns_then_claimline_columns() -> None:
    out = io.StringIO()
    write_events([], "csv", out)
    assert out.getvalue().strip().split(",") == [*ACLED_COLUMNS, "claimline_kind", "claimant", "attribution",
                                                 "date_end", "doc_id", "evidence_start", "evidence_end",
                                                 "quantities"]
    assert ACLED_COLUMNS[:4] == ("event_id_cnty", "event_date", "year", "time_precision")


def test_csv_round_trips_through_pandas_with_awkward_notes(tmp_path: Path) -> None:
    awkward = event(start=200, text='He said: "two, maybe three"\nwere hit; 100% sure.',
                    quantities={"drones": 3})
    out = tmp_path / "events.csv"
    assert write_events([STRIKE, awkward, UNLOCATED], "csv", out) == 3
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(CSV_COLUMNS)
    assert len(frame) == 3
    assert frame.loc[1, "notes"] == awkward.evidence.text
    assert json.loads(frame.loc[1, "quantities"]) == {"drones": 3}
    assert frame.loc[0, "event_id_cnty"] == STRIKE.event_id


def test_csv_numbers_read_back_as_numbers(tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    write_events([STRIKE, COUNTRY_ONLY], "csv", out)
    frame = pd.read_csv(out)
    assert frame["latitude"].tolist() == [49.71, 49.0]
    assert frame["iso"].tolist() == [804, 804]
    assert frame["year"].tolist() == [2024, 2024]


def test_acled_row_fills_acled_fields_from_the_event() -> None:
    row = acled_row(STRIKE)
    assert {key: row[key] for key in (
        "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1",
        "iso", "country", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision",
        "source", "notes", "fatalities", "claimline_kind", "claimant", "attribution", "doc_id",
    )} == {
        "event_date": "2024-03-12", "year": 2024, "time_precision": 1, "disorder_type": "Political violence",
        "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
        "actor1": "Army of Examplestan", "iso": 804, "country": "Ukraine", "admin1": "Kharkiv Oblast",
        "admin2": "Kupiansk Raion", "location": "Brevik", "latitude": 49.71, "longitude": 37.61,
        "geo_precision": 1, "source": "Example Wire", "notes": STRIKE.evidence.text, "fatalities": 2,
        "claimline_kind": "strike", "claimant": "Made-up Ministry", "attribution": "claimed",
        "doc_id": "doc-1",
    }
    assert set(row) == set(CSV_COLUMNS)


@pytest.mark.parametrize(
    ("when", "code"),
    [
        (When(date(2024, 3, 12), None, "day"), 1),
        (When(date(2024, 3, 12), date(2024, 3, 12), "day"), 1),
        (When(date(2024, 3, 10), date(2024, 3, 12), "day"), 2),
        (When(date(2024, 3, 4), date(2024, 3, 10), "week"), 2),
        (When(date(2024, 3, 1), date(2024, 3, 31), "month"), 3),
        (When(date(2024, 1, 1), date(2024, 12, 31), "year"), 3),
        (When(date(2024, 3, 1), date(2024, 3, 20), None), 3),
    ],
)
def test_acled_time_precision_codes(when: When, code: int) -> None:
    assert acled_row(event(when=when))["time_precision"] == code


@pytest.mark.parametrize(("precision", "code"), [("point", 1), ("admin2", 2), ("admin1", 3), ("country", 3)])
def test_acled_geo_precision_codes(precision: str, code: int) -> None:
    location = Location(name="Somewhere", country_code="UA", geo_precision=precision)  # type: ignore[arg-type]
    assert acled_row(event(location=location))["geo_precision"] == code


def test_undated_and_unlocated_event_has_empty_acled_cells(tmp_path: Path) -> None:
    row = acled_row(UNLOCATED)
    assert all(row[key] is None for key in (
        "event_date", "year", "time_precision", "location", "latitude", "country", "iso", "geo_precision"))
    out = tmp_path / "events.csv"
    write_events([UNLOCATED], "csv", out)
    assert pd.read_csv(out, dtype=str, keep_default_na=False).loc[0, "event_date"] == ""


def test_unknown_country_code_leaves_country_empty() -> None:
    nowhere = Location(name="Atlantis", country_code="XX", geo_precision="point", lat=1.0, lon=2.0)
    row = acled_row(event(location=nowhere))
    assert (row["country"], row["iso"], row["location"]) == (None, None, "Atlantis")


# GeoJSON

POINT_COLLECTION_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {"type": "array", "items": {
            "type": "object",
            "required": ["type", "geometry", "properties"],
            "properties": {
                "type": {"const": "Feature"},
                "id": {"type": ["string", "number"]},
                "geometry": {
                    "type": "object", "required": ["type", "coordinates"],
                    "properties": {
                        "type": {"const": "Point"},
                        "coordinates": {"type": "array", "minItems": 2, "maxItems": 3,
                                        "prefixItems": [{"type": "number", "minimum": -180, "maximum": 180},
                                                        {"type": "number", "minimum": -90, "maximum": 90}]},
                    },
                },
                "properties": {"type": ["object", "null"]},
            },
        }},
    },
}


def test_geojson_is_a_valid_feature_collection_of_lon_lat_points(tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    write_events([STRIKE, COUNTRY_ONLY], "geojson", out)
    collection = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(collection, POINT_COLLECTION_SCHEMA)
    assert collection["features"][0]["geometry"]["coordinates"] == [37.61, 49.71]


def test_geojson_properties_are_the_flattened_record(tmp_path: Path) -> None:
    out = io.StringIO()
    write_events([STRIKE], "geojson", out)
    [feature] = json.loads(out.getvalue())["features"]
    props = feature["properties"]
    assert feature["id"] == STRIKE.event_id == props["event_id"]
    assert (props["location_name"], props["admin1_iso"], props["evidence_start"]) == ("Brevik", "UA-63", 0)
    assert props["quantities"] == {"drones": 4, "killed": 2}
    assert props["date"] == "2024-03-12"
    assert not any(isinstance(value, dict) for key, value in props.items() if key != "quantities")


def test_geojson_leaves_out_events_without_coordinates_and_counts_only_those_written() -> None:
    no_coordinates = event(start=300, location=Location(name="Nowhere", country_code=None,
                                                         geo_precision="admin1"))
    not_a_number = event(start=400, location=Location(name="Bad", country_code="UA", geo_precision="point",
                                                       lat=float("nan"), lon=30.0))
    out = io.StringIO()
    assert write_events([STRIKE, UNLOCATED, no_coordinates, not_a_number], "geojson", out) == 1
    assert len(json.loads(out.getvalue())["features"]) == 1


def test_geojson_with_no_located_events_is_an_empty_collection() -> None:
    out = io.StringIO()
    assert write_events([UNLOCATED], "geojson", out) == 0
    assert json.loads(out.getvalue()) == {"type": "FeatureCollection", "features": []}


# Parquet

def test_parquet_reads_back_with_flat_typed_columns(tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    assert write_events([STRIKE, UNLOCATED], "parquet", out) == 2
    table = pq.read_table(out)
    assert table.schema.field("date").type == pa.date32()
    assert table.schema.field("lat").type == pa.float64()
    assert table.schema.field("quantities").type == pa.string()
    frame = table.to_pandas()
    assert frame.loc[0, "date"] == date(2024, 3, 12)
    assert json.loads(frame.loc[0, "quantities"]) == {"drones": 4, "killed": 2}
    assert frame.loc[0, "location_name"] == "Brevik"
    assert pd.isna(frame.loc[1, "lat"]) and frame.loc[1, "date"] is None
    assert frame["event_id"].tolist() == [STRIKE.event_id, UNLOCATED.event_id]


def test_parquet_with_no_events_still_has_the_schema(tmp_path: Path) -> None:
    out = tmp_path / "empty.parquet"
    assert write_events([], "parquet", out) == 0
    table = pq.read_table(out)
    assert table.num_rows == 0 and "evidence_text" in table.schema.names


def test_parquet_can_go_to_a_binary_stream() -> None:
    out = io.BytesIO()
    write_events(iter([STRIKE]), "parquet", out)
    assert pq.read_table(io.BytesIO(out.getvalue())).num_rows == 1


def test_parquet_is_written_in_batches_from_a_generator(tmp_path: Path) -> None:
    many = (event(start=i) for i in range(25_000))
    out = tmp_path / "many.parquet"
    assert write_events(many, "parquet", out) == 25_000
    assert pq.ParquetFile(out).metadata.num_rows == 25_000


# outputs

def test_text_formats_can_go_to_a_binary_stream() -> None:
    out = io.BytesIO()
    write_events([UNLOCATED], "jsonl", out)
    assert json.loads(out.getvalue().decode("utf-8"))["kind"] == "statement"


def test_unknown_format_is_rejected_before_any_file_is_made(tmp_path: Path) -> None:
    out = tmp_path / "events.xml"
    with pytest.raises(ValueError, match="jsonl, csv, geojson, parquet"):
        write_events([STRIKE], "xml", out)
    assert not out.exists()


def test_parquet_to_a_text_only_stream_is_rejected() -> None:
    with pytest.raises(ValueError, match="binary"):
        write_events([STRIKE], "parquet", io.StringIO())


# Writing over a file

@pytest.mark.parametrize("fmt", ["jsonl", "csv", "geojson", "parquet", "gpkg"])
def test_an_export_that_fails_half_way_leaves_the_file_that_was_there(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"events.{fmt}"
    write_events([STRIKE, COUNTRY_ONLY], fmt, out)
    before = out.read_bytes()

    def failing() -> Iterator[Event]:
        yield STRIKE
        raise RuntimeError("the store went away")

    with pytest.raises(RuntimeError):  # GDAL, which reads the events for gpkg, words it its own way
        write_events(failing(), fmt, out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no half-written file beside it


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "gpkg"])
def test_an_export_replaces_the_file_once_done(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"events.{fmt}"
    write_events([STRIKE, STRIKE, STRIKE], fmt, out)
    assert write_events([STRIKE], fmt, out) == 1
    assert [p.name for p in tmp_path.iterdir()] == [out.name]
    if fmt == "jsonl":
        assert out.read_text(encoding="utf-8").count("\n") == 1


def test_an_export_through_a_link_replaces_the_file_it_points_to(tmp_path: Path) -> None:
    real = tmp_path / "real.jsonl"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "events.jsonl"
    link.symlink_to(real)
    write_events([STRIKE], "jsonl", link)
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))["event_id"] == STRIKE.event_id
