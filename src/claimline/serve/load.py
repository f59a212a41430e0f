"""`claimline bench load`: many clients at once against `claimline serve`, from another process.

A store of generated events (the generator of `claimline bench serve`, or a store given with --db)
is served by `claimline serve` in its own process on 127.0.0.1. This process plans a fixed, seeded
mix of requests from what the store holds (its event and document ids, places, regions, claimants,
dates) and sends them over `concurrency` keep-alive connections at once, each timed end to end,
until all are answered or the time cap passes. Anything but 200 OK, or no answer, is an error.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import typer
from rich.console import Console
from rich.table import Table

from claimline.model import ATTRIBUTIONS, KINDS
from claimline.serve.benchmark import generate_store, serving

__all__ = ["Answer", "LoadReport", "Planned", "StoreSample", "bench_load", "percentile", "plan_requests",
           "run_load", "sample_store"]

REQUEST_TIMEOUT_S = 60.0


@dataclass(frozen=True, slots=True)
class StoreSample:
    """What the planned requests ask about: values the store holds, so most requests find events."""

    event_ids: tuple[str, ...]
    doc_ids: tuple[str, ...]
    places: tuple[str, ...]
    regions: tuple[str, ...]
    claimants: tuple[str, ...]
    first_day: date
    last_day: date


@dataclass(frozen=True, slots=True)
class Planned:
    """One request of the mix: which kind of request it is, and its path with the query."""

    route: str
    url: str


@dataclass(frozen=True, slots=True)
class Answer:
    route: str
    ms: float
    status: int  # 0: no response (refused, reset, timed out)


def sample_store(db: Path, seed: int = 0, size: int = 2000) -> StoreSample:
    """Up to `size` event ids and doc ids, and the places, regions and claimants, of the store at `db`."""
    rng = random.Random(seed)
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
        def column(sql: str) -> list[str]:
            return [row[0] for row in connection.execute(sql) if row[0] is not None]

        event_ids = column("SELECT event_id FROM events ORDER BY event_id")
        doc_ids = column("SELECT doc_id FROM documents ORDER BY doc_id")
        days = column("SELECT min(date) FROM events UNION ALL SELECT max(date) FROM events")
        return StoreSample(
            event_ids=tuple(rng.sample(event_ids, min(size, len(event_ids)))),
            doc_ids=tuple(rng.sample(doc_ids, min(size, len(doc_ids)))),
            places=tuple(column("SELECT DISTINCT location_name FROM events ORDER BY 1 LIMIT 5000")),
            regions=tuple(column("SELECT DISTINCT admin1_iso FROM events ORDER BY 1")),
            claimants=tuple(column("SELECT DISTINCT claimant FROM events ORDER BY 1 LIMIT 200")),
            first_day=date.fromisoformat(days[0]) if days else date(2024, 1, 1),
            last_day=date.fromisoformat(days[-1]) if days else date(2024, 12, 31),
        )


def _url(path: str, params: dict[str, str]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def _window(rng: random.Random, sample: StoreSample, days: int) -> dict[str, str]:
    span = max(0, (sample.last_day - sample.first_day).days - days)
    start = sample.first_day + timedelta(days=rng.randrange(span + 1))
    return {"date_from": start.isoformat(), "date_to": (start + timedelta(days=days)).isoformat()}


def _filters(rng: random.Random, sample: StoreSample) -> dict[str, str]:
    """One to three of the filters a map user sets, chosen at random."""
    choices: list[Callable[[], dict[str, str]]] = [
        lambda: {"kind": rng.choice(KINDS)},
        lambda: _window(rng, sample, rng.choice((7, 30, 90))),
        lambda: {"attribution": rng.choice(ATTRIBUTIONS)},
        lambda: {"bbox": rng.choice(("22,44,41,53", "30,46,38,50", "35,47,40,49"))},
    ]
    if sample.regions:
        choices.append(lambda: {"admin1": rng.choice(sample.regions)})
    if sample.places:
        choices.append(lambda: {"place": rng.choice(sample.places)})
    if sample.claimants:
        choices.append(lambda: {"claimant": rng.choice(sample.claimants).split()[-1]})
    choices.append(lambda: {"q": rng.choice(("drone", "strike near", "officials said", "shelling"))})
    params: dict[str, str] = {}
    for pick in rng.sample(choices, rng.randint(1, 3)):
        params |= pick()
    return params


def _page(rng: random.Random, sample: StoreSample) -> Planned:
    params = _filters(rng, sample) | {"limit": str(rng.choice((20, 50, 100))), "offset": str(rng.choice((0, 0, 100)))}
    return Planned("filtered page", _url("/api/events", params))


def _geojson_page(rng: random.Random, sample: StoreSample) -> Planned:
    return Planned("GeoJSON page", _url("/api/events", _filters(rng, sample) | {"format": "geojson", "limit": "500"}))


def _event(rng: random.Random, sample: StoreSample) -> Planned:
    return Planned("one event", "/api/events/" + quote(rng.choice(sample.event_ids), safe=""))


def _document(rng: random.Random, sample: StoreSample) -> Planned:
    return Planned("one document", "/api/documents/" + quote(rng.choice(sample.doc_ids), safe=""))


def _histogram(rng: random.Random, sample: StoreSample) -> Planned:
    params = _filters(rng, sample) | {"bucket": rng.choice(("day", "week", "month"))}
    return Planned("histogram", _url("/api/histogram", params))


def _map(rng: random.Random, sample: StoreSample) -> Planned:
    """The map's points for one kind in a quarter: what the page fetches when a user sets filters."""
    params = {"kind": rng.choice(KINDS)} | _window(rng, sample, 90)
    return Planned("map GeoJSON", _url("/api/map.geojson", params))


def _stats(rng: random.Random, sample: StoreSample) -> Planned:
    return Planned("stats", "/api/stats")


def _whole_map(rng: random.Random, sample: StoreSample) -> Planned:
    return Planned("whole map", "/api/map.geojson")


# relative weights of the mix: mostly pages and single events, as a map user browsing makes them
MIX: tuple[tuple[Callable[[random.Random, StoreSample], Planned], int], ...] = (
    (_page, 40), (_geojson_page, 5), (_event, 20), (_document, 5), (_histogram, 15), (_map, 10), (_stats, 4),
    (_whole_map, 1),
)


def plan_requests(sample: StoreSample, count: int, seed: int = 0) -> list[Planned]:
    """`count` requests drawn from MIX; the same sample and seed give the same requests."""
    rng = random.Random(seed)
    lacking = {maker for maker, ids in ((_event, sample.event_ids), (_document, sample.doc_ids)) if not ids}
    mix = [(maker, weight) for maker, weight in MIX if maker not in lacking]
    chosen = rng.choices([maker for maker, _ in mix], [weight for _, weight in mix], k=count)
    return [maker(rng, sample) for maker in chosen]


async def _send_all(base_url: str, plan: Sequence[Planned], concurrency: int, seconds: float) -> list[Answer]:
    import httpx

    pending = iter(plan)
    answers: list[Answer] = []
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def worker(client: httpx.AsyncClient) -> None:
        for planned in pending:  # one shared iterator: each request is sent once, by whichever worker is free
            if time.perf_counter() >= deadline:
                return
            started = time.perf_counter()
            try:
                status = (await client.get(planned.url)).status_code
            except httpx.HTTPError:
                status = 0
            answers.append(Answer(planned.route, (time.perf_counter() - started) * 1000, status))

    async with httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT_S, limits=limits) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return answers


def percentile(samples: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest sample with at least `share` of the samples at or below it."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What one load run sent and got back."""

    events: int
    planned: int
    concurrency: int
    seconds: float
    answers: tuple[Answer, ...]

    @property
    def served(self) -> int:
        return sum(1 for a in self.answers if a.status)

    @property
    def errors(self) -> int:
        return sum(1 for a in self.answers if a.status != 200)

    @property
    def unsent(self) -> int:
        """Requests the time cap left unsent."""
        return self.planned - len(self.answers)

    @property
    def per_second(self) -> float:
        return self.served / self.seconds if self.seconds > 0 else 0.0

    def latency(self, share: float, route: str | None = None) -> float:
        return percentile([a.ms for a in self.answers if route is None or a.route == route], share)

    def routes(self) -> dict[str, list[Answer]]:
        found: dict[str, list[Answer]] = {}
        for answer in self.answers:
            found.setdefault(answer.route, []).append(answer)
        return found

    def as_json(self) -> dict[str, Any]:
        def figures(route: str | None, answers: Sequence[Answer]) -> dict[str, Any]:
            return {"requests": len(answers), "errors": sum(1 for a in answers if a.status != 200),
                    "p50_ms": round(self.latency(0.5, route), 1), "p99_ms": round(self.latency(0.99, route), 1),
                    "max_ms": round(max((a.ms for a in answers), default=0.0), 1)}

        return {"events": self.events, "planned": self.planned, "served": self.served, "errors": self.errors,
                "unsent": self.unsent, "concurrency": self.concurrency, "seconds": round(self.seconds, 2),
                "requests_per_second": round(self.per_second, 1), **figures(None, self.answers),
                "statuses": sorted({a.status for a in self.answers}),
                "routes": {route: figures(route, answers) for route, answers in sorted(self.routes().items())},
                "cores": os.cpu_count(), "load_average": [round(n, 2) for n in os.getloadavg()]}


def run_load(db: Path, requests: int, concurrency: int, seconds: float, seed: int = 0) -> LoadReport:
    """Serve `db` with `claimline serve` in its own process and send it the planned mix from this one."""
    sample = sample_store(db, seed)
    plan = plan_requests(sample, requests, seed)
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
        events = int(connection.execute("SELECT count(*) FROM events").fetchone()[0])
    with serving(db) as base_url:
        started = time.perf_counter()
        answers = asyncio.run(_send_all(base_url, plan, concurrency, seconds))
        elapsed = time.perf_counter() - started
    return LoadReport(events, len(plan), concurrency, elapsed, tuple(answers))


@contextmanager
def _store(db: Path | None, events: int) -> Iterator[Path]:
    if db is not None:
        yield db
        return
    with tempfile.TemporaryDirectory(prefix="claimline-load-") as folder:
        made = Path(folder) / "load.db"
        generate_store(made, events)
        yield made


def _print(report: LoadReport) -> None:
    console = Console()
    table = Table(title=f"{report.served:,} requests served in {report.seconds:.1f} s over {report.concurrency} "
                        f"connections, {report.events:,} events: {report.per_second:,.0f} requests/s")
    for column in ("request", "requests", "errors", "p50 ms", "p99 ms", "max ms"):
        table.add_column(column, justify="left" if column == "request" else "right")
    summary = report.as_json()
    rows = [*summary["routes"].items(), ("all", summary)]
    for route, row in rows:
        table.add_row(route, f"{row['requests']:,}", str(row["errors"]), f"{row['p50_ms']:.1f}",
                      f"{row['p99_ms']:.1f}", f"{row['max_ms']:.1f}", style="bold" if route == "all" else None)
    console.print(table)
    if report.unsent:
        console.print(f"[yellow]{report.unsent:,} planned requests left unsent: the time cap passed[/yellow]")
    console.print(f"{summary['cores']} cores, load average {', '.join(map(str, summary['load_average']))}")


def bench_load(
    events: Annotated[int, typer.Option(min=100, help="Events to generate into a temporary store")] = 100_000,
    requests: Annotated[int, typer.Option(min=1, help="Requests to send (the mix is seeded)")] = 2000,
    concurrency: Annotated[int, typer.Option(min=1, max=256, help="Requests in flight at once")] = 8,
    seconds: Annotated[float, typer.Option(min=1, help="Stop sending after this many seconds")] = 300,
    seed: Annotated[int, typer.Option(help="Seed of the request mix")] = 0,
    db: Annotated[Path | None, typer.Option(exists=True, dir_okay=False,
                                            help="Serve this store instead of generating one")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object instead of the table")] = False,
) -> None:
    """Load `claimline serve` (on 127.0.0.1, its own process) with a mix of API requests from this
    process: requests served, requests per second, p50/p99 latency, errors. Exits 1 on any error."""
    with _store(db, events) as path:
        report = run_load(path, requests, concurrency, seconds, seed)
    if as_json:
        sys.stdout.write(json.dumps(report.as_json()) + "\n")
    else:
        _print(report)
    if report.errors:
        raise typer.Exit(1)
