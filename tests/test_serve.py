"""`claimline serve`: the store's query interface it stands on, the HTTP API over the example corpus,
its limits and errors, and a property-based run of its OpenAPI document."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, suppress
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance
from typer.testing import CliRunner

from claimline.cli import app as cli_app
from claimline.ingest import iter_articles
from claimline.model import Article, Event, Evidence, Location, When
from claimline.pipeline import Pipeline
from claimline.serve.app import ServeSettings, create_app
from claimline.serve.assets import WebAssets, find_assets
from claimline.serve.views import BadParameter, histogram, parse_bbox
from claimline.stages import EventStore
from claimline.store import MemoryStore, SQLiteStore

CORPUS = Path(__file__).parents[1] / "examples" / "corpus"
TOKEN = "test-token-1234"


def fill_from_corpus(store: EventStore) -> None:
    pipeline = Pipeline()
    for item in iter_articles([CORPUS], manifest=CORPUS / "manifest.csv"):
        assert isinstance(item, Article), item
        store.add(item, pipeline.process(item))


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "corpus.db"
    with SQLiteStore(path) as store:
        fill_from_corpus(store)
    return path


@pytest.fixture(scope="module")
def all_events(corpus_db: Path) -> list[Event]:
    with SQLiteStore(corpus_db) as store:
        return list(store.events())


@pytest.fixture(scope="module")
def client(corpus_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServeSettings(db=corpus_db, assets=find_assets()))) as made:
        yield made


@pytest.fixture
def writable(tmp_path: Path, corpus_db: Path) -> Iterator[TestClient]:
    """A client over a copy of the corpus store that accepts POST with TOKEN, bodies up to 20 kB."""
    path = tmp_path / "copy.db"
    with closing(sqlite3.connect(corpus_db)) as source, closing(sqlite3.connect(path)) as target:
        source.backup(target)
    with TestClient(create_app(ServeSettings(db=path, token=TOKEN, max_body=20_000))) as made:
        yield made


# ---- the store's query interface -------------------------------------------------------------

TEXT = "Drones struck the port of Brevik overnight. Officials in Łódka denied the claim. Shelling hit Osterfeld."


def made_event(start: int, end: int, kind: str, *, lon: float | None, day: date | None, attribution: str = "asserted",
               claimant: str | None = None) -> Event:
    location = None if lon is None else Location(name=f"place {start}", country_code="UA", geo_precision="point",
                                                 admin1="Odesa Oblast", admin1_iso="UA-51", lat=46.0, lon=lon)
    when = When(start=day, end=day, precision="day", reason="test") if day else When()
    return Event(doc_id="doc", kind=kind, evidence=Evidence(TEXT[start:end], start, end), when=when,
                 location=location, attribution=attribution, claimant=claimant)


SAMPLE = [
    made_event(0, 43, "strike", lon=30.7, day=date(2024, 5, 1), claimant="Governor of Brevik"),
    made_event(44, 80, "statement", lon=179.5, day=date(2024, 5, 3), attribution="denied"),
    made_event(81, 104, "strike", lon=-179.5, day=None),
    made_event(81, 104, "clash", lon=None, day=date(2024, 5, 3)),
]


@pytest.fixture(params=["sqlite", "memory"])
def sample_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore]:
    store: EventStore = SQLiteStore(tmp_path / "s.db") if request.param == "sqlite" else MemoryStore()
    store.add(Article(doc_id="doc", text=TEXT), SAMPLE)
    yield store
    store.close()


def kinds(events: Iterator[Event]) -> list[str]:
    return [event.kind for event in events]


def test_text_search_finds_every_word_as_a_prefix_in_any_order(sample_store: EventStore) -> None:
    assert kinds(sample_store.events(text="port drone")) == ["strike"]
    assert kinds(sample_store.events(text="ŁÓDKA")) == ["statement"]
    assert kinds(sample_store.events(text="port Łódka")) == []


def test_text_search_reads_fts_syntax_as_plain_words(sample_store: EventStore) -> None:
    assert kinds(sample_store.events(text='"port* (drones: "')) == ["strike"]
    assert sample_store.count(text="*** ()") == 0


def test_bbox_filter_also_crosses_the_antimeridian(sample_store: EventStore) -> None:
    assert kinds(sample_store.events(bbox=(30.0, 45.0, 31.0, 47.0))) == ["strike"]
    assert sorted(kinds(sample_store.events(bbox=(179.0, 45.0, -179.0, 47.0)))) == ["statement", "strike"]
    assert sample_store.count(bbox=(30.0, 47.5, 31.0, 50.0)) == 0


def test_attribution_filter_count_and_offset(sample_store: EventStore) -> None:
    assert kinds(sample_store.events(attribution="denied")) == ["statement"]
    assert sample_store.count() == 4
    assert sample_store.count(kind="strike") == 2
    every = [e.event_id for e in sample_store.events()]
    assert [e.event_id for e in sample_store.events(offset=1, limit=2)] == every[1:3]
    assert [e.event_id for e in sample_store.events(offset=3)] == every[3:]
    with pytest.raises(ValueError, match="offset"):
        sample_store.events(offset=-1)


def test_points_are_the_located_events_with_their_span(sample_store: EventStore) -> None:
    points = sorted(sample_store.points(), key=lambda p: p.lon)
    assert [(p.kind, p.lon, p.date, p.date_end) for p in points] == [
        ("strike", -179.5, None, None), ("strike", 30.7, "2024-05-01", "2024-05-01"),
        ("statement", 179.5, "2024-05-03", "2024-05-03"),
    ]
    assert [p.kind for p in sample_store.points(kind="clash")] == []


def test_day_counts_group_dated_events_by_first_day(sample_store: EventStore) -> None:
    assert sample_store.day_counts() == [(date(2024, 5, 1), 1), (date(2024, 5, 3), 2)]
    assert sample_store.day_counts(kind="clash") == [(date(2024, 5, 3), 1)]


def test_document_lookup_and_event_id_filter(sample_store: EventStore) -> None:
    assert sample_store.document("doc") == Article(doc_id="doc", text=TEXT)
    assert sample_store.document("nope") is None
    wanted = SAMPLE[1].event_id
    assert [e.event_id for e in sample_store.events(event_id=wanted)] == [wanted]


def test_an_older_store_gains_the_search_index_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with SQLiteStore(path) as store:
        store.add(Article(doc_id="doc", text=TEXT), SAMPLE)
    with closing(sqlite3.connect(path)) as db:  # as written before the index existed
        db.executescript("DROP TABLE evidence_fts; DROP TRIGGER evidence_fts_insert; "
                         "DROP TRIGGER evidence_fts_delete; DROP TRIGGER evidence_fts_update;")
    with SQLiteStore(path) as store:
        assert kinds(store.events(text="osterfeld")) == ["clash", "strike"]
        store.add(Article(doc_id="doc", text=TEXT + " More."), SAMPLE[:1])  # the triggers keep it in step
        assert store.count(text="osterfeld") == 0
        assert store.count(text="brevik") == 1


# ---- the HTTP API ----------------------------------------------------------------------------

def test_stats_describe_the_store(client: TestClient, all_events: list[Event]) -> None:
    stats = client.get("/api/stats").json()
    assert stats["events"] == len(all_events) > 50
    assert stats["documents"] == 28
    assert stats["located"] == sum(1 for e in all_events if e.location and e.location.lat is not None)
    assert sum(stats["by_kind"].values()) == sum(stats["by_attribution"].values()) == len(all_events)
    assert stats["first_date"] == min(e.when.start for e in all_events if e.when.start).isoformat()


def test_pages_of_events_add_up_to_every_event_in_order(client: TestClient, all_events: list[Event]) -> None:
    seen: list[str] = []
    offset = 0
    while True:
        page = client.get("/api/events", params={"limit": 40, "offset": offset}).json()
        assert page["total"] == len(all_events)
        if not page["events"]:
            break
        seen.extend(record["event_id"] for record in page["events"])
        offset += 40
    assert seen == [e.event_id for e in all_events]


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"kind": "territory"}, lambda e: e.kind == "territory"),
        ({"attribution": "claimed"}, lambda e: e.attribution == "claimed"),
        ({"claimant": "GENERAL STAFF"}, lambda e: "general staff" in (e.claimant or "").casefold()),
        ({"admin1": "UA-14"}, lambda e: e.location is not None and e.location.admin1_iso == "UA-14"),
        ({"date_from": "2025-03-10", "date_to": "2025-03-11"},
         lambda e: e.when.start is not None and e.when.start <= date(2025, 3, 11)
         and (e.when.end or e.when.start) >= date(2025, 3, 10)),
        ({"bbox": "36,47,39,49.5"}, lambda e: e.location is not None and e.location.lat is not None
         and 47 <= e.location.lat <= 49.5 and 36 <= (e.location.lon or 0) <= 39),
        ({"q": "drones"}, lambda e: any(w.startswith("drones") for w in re.findall(r"\w+", e.evidence.text.lower()))),
    ],
)
def test_each_filter_selects_exactly_the_matching_events(
    client: TestClient, all_events: list[Event], params: dict[str, str], keep: Any
) -> None:
    expected = [e.event_id for e in all_events if keep(e)]
    page = client.get("/api/events", params={**params, "limit": 1000}).json()
    assert expected, "the corpus should hold events for every filter tried"
    assert [r["event_id"] for r in page["events"]] == expected
    assert page["total"] == len(expected)
    located = {e.event_id for e in all_events if keep(e) and e.location and e.location.lat is not None}
    features = client.get("/api/map.geojson", params=params).json()["features"]
    assert {f["properties"]["id"] for f in features} == located


def test_a_page_comes_as_geojson_too(client: TestClient) -> None:
    response = client.get("/api/events", params={"format": "geojson", "kind": "strike", "limit": 5})
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 5
    feature = collection["features"][0]
    location = feature["properties"]["location"]
    assert feature["geometry"]["coordinates"] == [location["lon"], location["lat"]]


def test_one_event_comes_with_its_evidence_in_context_and_its_source(client: TestClient,
                                                                      all_events: list[Event]) -> None:
    event = next(e for e in all_events if e.kind == "territory")
    detail = client.get(f"/api/events/{event.event_id}").json()
    assert detail["event"] == event.to_record()
    start, end = detail["context"]["highlight"]
    assert detail["context"]["text"][start:end] == event.evidence.text
    assert detail["context"]["start"] + start == event.evidence.start
    assert detail["document"]["doc_id"] == event.doc_id
    assert detail["document"]["published"]


def test_histogram_buckets_add_up_to_the_dated_events(client: TestClient, all_events: list[Event]) -> None:
    dated = sum(1 for e in all_events if e.when.start)
    for bucket in ("day", "week", "month"):
        bars = client.get("/api/histogram", params={"bucket": bucket}).json()["counts"]
        assert sum(bar["count"] for bar in bars) == dated
    weeks = client.get("/api/histogram", params={"bucket": "week"}).json()["counts"]
    assert all(date.fromisoformat(bar["date"]).weekday() == 0 for bar in weeks)


def test_histogram_groups_by_week_from_monday_and_by_month() -> None:
    days = [(date(2025, 3, 9), 1), (date(2025, 3, 10), 2), (date(2025, 3, 16), 4), (date(2025, 4, 1), 8)]
    assert histogram(days, "week") == [{"date": "2025-03-03", "count": 1}, {"date": "2025-03-10", "count": 6},
                                       {"date": "2025-03-31", "count": 8}]
    assert histogram(days, "month") == [{"date": "2025-03-01", "count": 7}, {"date": "2025-04-01", "count": 8}]


def test_claims_sources_documents_and_control(client: TestClient, all_events: list[Event]) -> None:
    claims = client.get("/api/claims", params={"limit": 1000}).json()
    told = [event_id for claim in claims["claims"] for event_id in claim["event_ids"]]
    assert sorted(told) == sorted(e.event_id for e in all_events)
    disputed = client.get("/api/claims", params={"disputed": True}).json()
    assert 0 < disputed["total"] < claims["total"]
    sources = client.get("/api/sources").json()
    assert sum(s["documents"] for s in sources) == 28
    document = client.get(f"/api/documents/{all_events[0].doc_id}").json()
    evidence = all_events[0].evidence
    assert document["text"][evidence.start:evidence.end] == evidence.text
    control = client.get("/api/control").json()
    assert control["type"] == "FeatureCollection" and control["features"]
    assert all(f["properties"]["timeline"] for f in control["features"])


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/api/events?bbox=1,2,3", 400, "bbox"),
        ("/api/events?bbox=10,60,20,50", 400, "bbox"),
        ("/api/events?bbox=a,b,c,d", 400, "bbox"),
        ("/api/events?bbox=nan,1,2,3", 400, "bbox"),
        ("/api/events?kind=parade", 422, "kind"),
        ("/api/events?date_from=2025-13-01", 422, "date_from"),
        ("/api/events?limit=0", 422, "limit"),
        ("/api/events?offset=-1", 422, "offset"),
        ("/api/histogram?bucket=year", 422, "bucket"),
        ("/api/events/nope", 404, "nope"),
        ("/api/documents/nope", 404, "nope"),
    ],
)
def test_bad_parameters_get_a_4xx_naming_them(client: TestClient, url: str, status: int, words: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert words in response.text


def test_adding_documents_is_off_without_a_token(client: TestClient) -> None:
    response = client.post("/api/documents", json={"documents": [{"doc_id": "x", "text": "Drones hit Kyiv."}]})
    assert response.status_code == 403
    assert "--token" in response.json()["detail"]


def test_adding_documents_needs_the_token(writable: TestClient) -> None:
    body = {"documents": [{"doc_id": "posted", "published": "2025-03-10",
                           "text": "Russian drones struck the port of Odesa overnight, the governor said."}]}
    assert writable.post("/api/documents", json=body).status_code == 401
    assert writable.post("/api/documents", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    response = writable.post("/api/documents", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.json()["documents"][0]["stored"] is True
    stored = writable.get("/api/events", params={"doc_id": "posted"}).json()
    assert stored["total"] == response.json()["documents"][0]["events"] >= 1
    assert stored["events"][0]["location"]["name"] == "Odesa"


def test_request_bodies_are_limited(writable: TestClient) -> None:
    big = {"documents": [{"doc_id": "big", "text": "word " * 10_000}]}
    headers = {"Authorization": f"Bearer {TOKEN}"}
    assert writable.post("/api/documents", json=big, headers=headers).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit still holds
        yield b'{"documents": [{"doc_id": "big", "text": "'
        for _ in range(50):
            yield b"word " * 100
        yield b'"}]}'

    headers["content-type"] = "application/json"
    response = writable.post("/api/documents", content=chunks(), headers=headers)
    assert response.status_code == 413


def test_posted_text_must_be_valid_unicode(writable: TestClient) -> None:
    body = '{"documents": [{"doc_id": "x", "text": "bad \\ud800 text"}]}'
    response = writable.post("/api/documents", content=body, headers={
        "Authorization": f"Bearer {TOKEN}", "content-type": "application/json"})
    assert response.status_code == 422


def test_the_page_is_served_with_a_same_origin_policy(client: TestClient) -> None:
    if find_assets() is None:
        pytest.skip("web assets not installed (npm ci --prefix web)")
    page = client.get("/")
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/vendor/maplibre-gl/maplibre-gl.mjs").status_code == 200
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/api/openapi.json").json()["info"]["title"] == "claimline"


def test_without_assets_the_page_says_how_to_install_them(corpus_db: Path, tmp_path: Path) -> None:
    assert WebAssets(tmp_path).missing()
    with TestClient(create_app(ServeSettings(db=corpus_db))) as bare:
        page = bare.get("/")
        assert page.status_code == 503
        assert "npm ci --prefix web" in page.text
        assert bare.get("/api/stats").status_code == 200


def test_parse_bbox_names_the_problem() -> None:
    assert parse_bbox("22,44,41,53") == (22.0, 44.0, 41.0, 53.0)
    with pytest.raises(BadParameter, match="latitudes"):
        parse_bbox("0,95,1,96")


def test_serve_command_refuses_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    said = re.sub(r"[\s│]+", " ", result.output)  # the message as rich wraps it in its box
    assert "does not exist" in said
    assert "claimline ingest" in said


def test_serve_command_has_help() -> None:
    result = CliRunner().invoke(cli_app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--token" in result.output and "127.0.0.1" in result.output


# ---- property-based: the OpenAPI document, no server error --------------------------------------

@pytest.fixture(scope="module")
def api_schema(corpus_db: Path, tmp_path_factory: pytest.TempPathFactory) -> schemathesis.BaseSchema:
    path = tmp_path_factory.mktemp("schemathesis") / "copy.db"
    with closing(sqlite3.connect(corpus_db)) as source, closing(sqlite3.connect(path)) as target:
        source.backup(target)
    app = create_app(ServeSettings(db=path, token=TOKEN, max_body=50_000))
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


@pytest.mark.slow
def test_no_request_the_openapi_document_allows_makes_a_server_error(api_schema: schemathesis.BaseSchema) -> None:
    failures: list[str] = []
    statuses: list[int] = []

    def call(case: schemathesis.Case) -> None:
        headers = {"Authorization": f"Bearer {TOKEN}"} if case.method == "POST" else None
        try:
            response = case.call_and_validate(headers=headers, checks=[
                not_a_server_error, content_type_conformance, response_schema_conformance])
            statuses.append(response.status_code)
        except Exception as failure:  # schemathesis raises a group of the checks that failed; gather them all
            failures.append(f"{case.method} {case.formatted_path} {case.query or ''}: {failure}")

    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        for mode in schemathesis.GenerationMode:  # valid requests, then requests the document forbids
            run = settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck))(
                given(operation.as_strategy(mode))(call))
            with suppress(Unsatisfiable):  # an operation without parameters has no request to get wrong
                run()
    assert not failures, "\n".join(failures[:5])
    assert len(statuses) >= 20 * len(operations)
    assert {200, 404, 422} <= set(statuses)


@pytest.mark.slow
def test_the_serve_benchmark_times_both_sides_on_generated_events(tmp_path: Path) -> None:
    from claimline.serve.benchmark import run_serve_benchmark

    result = run_serve_benchmark(events=400, repeat=5, folder=tmp_path)
    assert result["events"] == 400
    page, whole_map = result["queries"]
    assert page["query"] == "filtered page" and whole_map["query"] == "whole-map GeoJSON"
    assert 0 < page["sqlite_rows"] <= 100
    assert whole_map["sqlite_rows"] > 250  # about 85 % of the events are located
    for row in result["queries"]:
        assert 0 < row["http_median_ms"] <= row["http_p95_ms"]
        assert 0 < row["sqlite_median_ms"] <= row["sqlite_p95_ms"]
