"""`claimline bench serve`: the HTTP API against the same queries run directly in SQLite.

A store of generated events (made here, not extracted: the pipeline is not what is measured) is
served by `claimline serve` in its own process on 127.0.0.1; a keep-alive HTTP client times each
request end to end (query, JSON, HTTP). The same SQL statements the store issues are then run on a
plain sqlite3 connection, rows fetched and nothing more. Both run in one invocation, on one machine.
"""

from __future__ import annotations

import json
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from claimline.model import ATTRIBUTIONS, KINDS, Article, Event, Evidence, Location, When
from claimline.store.sqlite import SQLiteStore

EVENTS_PER_DOCUMENT = 20
FIRST_DAY = date(2024, 1, 1)
DAYS = 730
# the filtered page: one kind in a 90-day window, the first 100 in date order, with the total
PAGE_PARAMS = {"kind": "strike", "date_from": "2024-06-01", "date_to": "2024-08-29", "limit": "100"}
_PAGE_WHERE = "WHERE kind = ? AND COALESCE(date_end, date) >= ? AND date <= ?"
_PAGE_VALUES = ("strike", "2024-06-01", "2024-08-29")
_PAGE_SQL = (f"SELECT record FROM events {_PAGE_WHERE} "
             "ORDER BY date IS NULL, date, doc_id, evidence_start, event_id LIMIT 100 OFFSET 0")
_COUNT_SQL = f"SELECT count(*) FROM events {_PAGE_WHERE}"
_MAP_SQL = ("SELECT event_id, kind, date, date_end, lat, lon, attribution FROM events "
            "WHERE lat IS NOT NULL AND lon IS NOT NULL")
_CLAIMANTS = ("Ukraine's General Staff", "Russia's Defence Ministry", "the regional governor", None)


@dataclass(frozen=True, slots=True)
class Timing:
    """Latencies of one query, in milliseconds."""

    name: str
    samples: tuple[float, ...]
    size: int  # bytes in the response (HTTP) or rows fetched (SQLite)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _document(number: int, rng: random.Random) -> tuple[Article, list[Event]]:
    """One generated report with EVENTS_PER_DOCUMENT events, their evidence sentences in its text."""
    doc_id = f"bench-{number}"
    sentences: list[str] = []
    events: list[Event] = []
    offset = 0
    for index in range(EVENTS_PER_DOCUMENT):
        kind = rng.choice(KINDS)
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        place = f"Place {rng.randrange(5000)}"
        text = f"Report {index}: a {kind} near {place} on {day.isoformat()}, officials said."
        located = rng.random() < 0.85
        location = Location(name=place, country_code="UA", geo_precision="point", admin1="Region",
                            admin1_iso=f"UA-{rng.randrange(10, 75)}", lat=rng.uniform(44.4, 52.3),
                            lon=rng.uniform(22.2, 40.2)) if located else None
        events.append(Event(doc_id=doc_id, kind=kind, evidence=Evidence(text, offset, offset + len(text)),
                            when=When(start=day, end=day, precision="day", reason="generated"),
                            location=location, claimant=rng.choice(_CLAIMANTS), attribution=rng.choice(ATTRIBUTIONS)))
        sentences.append(text)
        offset += len(text) + 1
    return Article(doc_id=doc_id, text=" ".join(sentences), published=FIRST_DAY), events


def generate_store(path: Path, events: int, seed: int = 0) -> int:
    """Fill a new store at `path` with about `events` generated events; returns how many."""
    rng = random.Random(seed)
    with SQLiteStore(path) as store:
        for number in range(max(1, events // EVENTS_PER_DOCUMENT)):
            store.add(*_document(number, rng))
        return store.counts()["events"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _time(name: str, run: Callable[[], int], repeat: int) -> Timing:
    run()  # warm caches and connections once
    samples = []
    size = 0
    for _ in range(repeat):
        started = time.perf_counter()
        size = run()
        samples.append((time.perf_counter() - started) * 1000)
    return Timing(name, tuple(samples), size)


@contextmanager
def serving(db: Path, *extra: str) -> Iterator[str]:
    """`claimline serve --db DB` in its own process on a free port of 127.0.0.1, once it answers;
    yields its base URL and stops it afterwards."""
    import httpx

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "from claimline.cli import main; main()", "serve", "--db", str(db), "--port", str(port),
         *extra], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base_url, timeout=60) as client:
            _wait_for(client, server)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _http_timings(db: Path, repeat: int) -> list[Timing]:
    import httpx

    with serving(db) as base_url, httpx.Client(base_url=base_url, timeout=60) as client:
        def page() -> int:
            return len(client.get("/api/events", params=PAGE_PARAMS).raise_for_status().content)

        def whole_map() -> int:
            return len(client.get("/api/map.geojson").raise_for_status().content)

        return [_time("filtered page", page, repeat), _time("whole-map GeoJSON", whole_map, repeat)]


def _wait_for(client: Any, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError("claimline serve stopped before answering")
        try:
            client.get("/api/stats")
            return
        except Exception:  # not listening yet
            time.sleep(0.1)
    raise RuntimeError("claimline serve did not answer within 30 s")


def _sqlite_timings(db: Path, repeat: int) -> list[Timing]:
    with closing(sqlite3.connect(db)) as connection:
        def page() -> int:
            connection.execute(_COUNT_SQL, _PAGE_VALUES).fetchone()
            return len(connection.execute(_PAGE_SQL, _PAGE_VALUES).fetchall())

        def whole_map() -> int:
            return len(connection.execute(_MAP_SQL).fetchall())

        return [_time("filtered page", page, repeat), _time("whole-map GeoJSON", whole_map, repeat)]


def run_serve_benchmark(events: int, repeat: int, folder: Path) -> dict[str, Any]:
    db = folder / "bench.db"
    started = time.perf_counter()
    stored = generate_store(db, events)
    generated = time.perf_counter() - started
    http, direct = _http_timings(db, repeat), _sqlite_timings(db, repeat)
    return {
        "events": stored, "repeat": repeat, "generate_s": round(generated, 1),
        "queries": [
            {"query": h.name, "http_median_ms": round(h.median, 3), "http_p95_ms": round(h.p95, 3),
             "http_bytes": h.size, "sqlite_median_ms": round(s.median, 3), "sqlite_p95_ms": round(s.p95, 3),
             "sqlite_rows": s.size}
            for h, s in zip(http, direct, strict=True)
        ],
    }


def bench_serve(
    events: Annotated[int, typer.Option(min=100, help="Events to generate into a temporary store")] = 100_000,
    repeat: Annotated[int, typer.Option(min=5, help="Timed runs of each query")] = 30,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object instead of the table")] = False,
) -> None:
    """The API (`claimline serve` on 127.0.0.1) against SQLite: median and p95 latency of a filtered
    page of events and of the whole-map GeoJSON."""
    with tempfile.TemporaryDirectory(prefix="claimline-bench-") as folder:
        result = run_serve_benchmark(events, repeat, Path(folder))
    if as_json:
        sys.stdout.write(json.dumps(result) + "\n")
        return
    table = Table(title=f"{result['events']:,} events, {repeat} runs each (ms)")
    for column in ("query", "HTTP median", "HTTP p95", "response kB", "SQLite median", "SQLite p95", "rows"):
        table.add_column(column, justify="left" if column == "query" else "right", no_wrap=column == "query")
    for row in result["queries"]:
        table.add_row(row["query"], f"{row['http_median_ms']:.1f}", f"{row['http_p95_ms']:.1f}",
                      f"{row['http_bytes'] / 1000:,.0f}", f"{row['sqlite_median_ms']:.1f}",
                      f"{row['sqlite_p95_ms']:.1f}", f"{row['sqlite_rows']:,}")
    Console().print(table)
