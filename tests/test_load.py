"""`claimline bench load`: the planned request mix, the accounting of a run, and a small run against
a real `claimline serve` process that must answer every request."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from typer.testing import CliRunner

from claimline.cli import app as cli_app
from claimline.serve.load import MIX, Answer, LoadReport, StoreSample, percentile, plan_requests

SAMPLE = StoreSample(event_ids=("ev/1 ?#", "ev-2"), doc_ids=("doc 1",), places=("Place 7",), regions=("UA-14",),
                     claimants=("Ukraine's General Staff",), first_day=date(2024, 1, 1), last_day=date(2024, 12, 31))


def test_the_plan_is_seeded_and_draws_every_kind_of_request() -> None:
    plan = plan_requests(SAMPLE, 2000, seed=3)
    assert plan == plan_requests(SAMPLE, 2000, seed=3)
    assert plan != plan_requests(SAMPLE, 2000, seed=4)
    routes = Counter(p.route for p in plan)
    assert len(routes) == len(MIX)
    assert routes["filtered page"] > routes["one event"] > routes["stats"] > routes["whole map"] > 0


def test_planned_urls_carry_ids_and_values_encoded() -> None:
    plan = plan_requests(SAMPLE, 500, seed=0)
    events = {unquote(urlsplit(p.url).path.removeprefix("/api/events/")) for p in plan if p.route == "one event"}
    assert events == set(SAMPLE.event_ids)
    assert all("?" not in urlsplit(p.url).path and "#" not in p.url for p in plan)
    for planned in plan:
        params = parse_qs(urlsplit(planned.url).query)
        for day in (*params.get("date_from", ()), *params.get("date_to", ())):
            assert date(2024, 1, 1) <= date.fromisoformat(day)
        assert int(params.get("limit", ["100"])[0]) <= 1000


def test_a_store_without_events_gets_no_requests_for_ids() -> None:
    empty = StoreSample((), (), (), (), (), date(2024, 1, 1), date(2024, 1, 2))
    routes = {p.route for p in plan_requests(empty, 300)}
    assert "one event" not in routes and "one document" not in routes
    assert "filtered page" in routes


def test_percentile_is_the_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 101)]
    assert percentile(samples, 0.5) == 50
    assert percentile(samples, 0.99) == 99
    assert percentile(list(reversed(samples)), 1.0) == 100
    assert percentile([7.0], 0.99) == 7
    assert percentile([], 0.5) == 0


def test_anything_but_200_is_an_error_and_no_answer_is_not_served() -> None:
    answers = (Answer("stats", 10.0, 200), Answer("stats", 30.0, 404), Answer("one event", 20.0, 0))
    report = LoadReport(events=10, planned=5, concurrency=2, seconds=2.0, answers=answers)
    assert (report.served, report.errors, report.unsent) == (2, 2, 2)
    assert report.per_second == 1.0
    assert report.latency(0.5) == 20.0
    assert report.latency(0.99, "stats") == 30.0
    summary = report.as_json()
    assert summary["routes"]["stats"]["errors"] == 1
    assert summary["statuses"] == [0, 200, 404]


@pytest.mark.slow
def test_serve_answers_a_bounded_load_from_another_process_without_an_error() -> None:
    """5,000 generated events, 300 requests over 8 connections at once, at most 120 s."""
    result = CliRunner().invoke(cli_app, ["bench", "load", "--events", "5000", "--requests", "300",
                                          "--concurrency", "8", "--seconds", "120", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["events"] == 5000
    assert (report["served"], report["errors"], report["unsent"]) == (300, 0, 0)
    assert report["statuses"] == [200]
    assert {"filtered page", "one event", "histogram", "map GeoJSON", "stats"} <= set(report["routes"])
    assert report["requests_per_second"] > 0
    assert 0 < report["p50_ms"] <= report["p99_ms"] <= report["max_ms"]
