"""The `claimline` command end to end: every input format, every output format, bad input, the
database (ingest, query, export), --help, and the built-in example corpus."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner, Result

from claimline.cli import app
from claimline.ingest import iter_articles
from claimline.model import KINDS, Article, Event

ROOT = Path(__file__).parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
EXAMPLES = ROOT / "examples" / "corpus"

WIRE = {"id": "w1", "published": "2024-03-13", "source": "Example Wire",
        "text": "On 12 March 2024, Russian forces shelled Bilopillia, Sumy region, with mortars. "
                "Two civilians were killed."}
TERRITORY = {"id": "w2", "published": "2024-03-20", "source": "Example Daily",
             "text": "Russia's Defence Ministry said on Tuesday that its forces had captured the village of "
                     "Kotlyne in Donetsk region."}
INTERCEPTION = {"id": "w3", "published": "2024-04-06", "source": "Example Wire",
                "text": "Ukraine's air force said it shot down 20 of 25 Russian drones launched overnight at the "
                        "Kharkiv region."}
ODESA = ("The regional governor said Russian drones hit port infrastructure in Odesa overnight, "
         "injuring three people.\n")
KHERSON = "Russian artillery shelled Kherson on Monday, killing one man, the regional governor said.\n"

ACLED_CSV_COLUMNS = ["event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
                     "country", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision",
                     "fatalities", "source", "notes"]

runner = CliRunner()


def invoke(*args: str | Path) -> Result:
    return runner.invoke(app, [str(arg) for arg in args])


def parse_jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def write_jsonl(path: Path, *records: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def texts(*paths: Path, manifest: Path | None = None) -> dict[str, str]:
    """doc_id → the text claimline reads from each document (the text offsets point into)."""
    return {a.doc_id: a.text for a in iter_articles(list(paths), manifest=manifest) if isinstance(a, Article)}


def assert_evidence_matches(events: list[dict[str, Any]], documents: dict[str, str]) -> None:
    assert events
    for event in events:
        evidence = event["evidence"]
        assert documents[event["doc_id"]][evidence["start"]:evidence["end"]] == evidence["text"], event


def only(events: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = [e for e in events if e["kind"] == kind]
    assert len(found) == 1, events
    return found[0]


def written_events(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.output
    return parse_jsonl(result.stdout)


# extract: input formats

def test_extract_reads_a_folder_of_text_files_with_offsets_into_each_file(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "odesa.txt").write_text(ODESA, encoding="utf-8")
    (folder / "kherson.txt").write_text("Headline without a full stop\n\n" + KHERSON, encoding="utf-8")
    events = written_events(invoke("extract", folder))
    assert {e["doc_id"] for e in events} == {"odesa", "kherson"}
    assert_evidence_matches(events, texts(folder))


def test_extract_reads_markdown_as_text_with_offsets_into_the_file(tmp_path: Path) -> None:
    path = tmp_path / "brief.md"
    path.write_text("# Morning brief\n\n**Overnight**: " + KHERSON, encoding="utf-8")
    events = written_events(invoke("extract", path))
    assert only(events, "strike")["location"]["name"] == "Kherson"
    assert_evidence_matches(events, {"brief": path.read_text(encoding="utf-8")})


def test_extract_reads_an_html_page_with_offsets_into_the_extracted_text(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Odesa port hit | Example News</title>"
        "<meta property='article:published_time' content='2025-03-03T08:00:00+02:00'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>Odesa port hit</h1>"
        f"<p>{ODESA.strip()}</p><p>{KHERSON.strip()}</p>"
        "<p>Rescue teams worked through the morning to clear debris from the damaged warehouses.</p>"
        "</article><footer>© Example News</footer></body></html>", encoding="utf-8")
    events = written_events(invoke("extract", page))
    assert {e["location"]["name"] for e in events if e["kind"] == "strike"} == {"Odesa", "Kherson"}
    extracted = texts(page)
    assert "<p>" not in extracted["page"]
    assert_evidence_matches(events, extracted)
    kherson = next(e for e in events if e["kind"] == "strike" and e["location"]["name"] == "Kherson")
    assert kherson["date"] == "2025-03-03"  # "on Monday": the page's own published_time is a Monday


def test_extract_reads_a_jsonl_dump_with_offsets_into_each_record_text(tmp_path: Path) -> None:
    dump = write_jsonl(tmp_path / "dump.jsonl", WIRE, TERRITORY, INTERCEPTION)
    events = written_events(invoke("extract", dump))
    assert {e["doc_id"] for e in events} == {"w1", "w2", "w3"}
    assert_evidence_matches(events, {r["id"]: r["text"] for r in (WIRE, TERRITORY, INTERCEPTION)})


def test_extract_reads_a_csv_dump_with_one_document_per_row(tmp_path: Path) -> None:
    dump = tmp_path / "dump.csv"
    with dump.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=["id", "published", "source", "text"])
        writer.writeheader()
        writer.writerows([WIRE, TERRITORY])
    events = written_events(invoke("extract", dump))
    assert only(events, "territory")["date"] == "2024-03-19"
    assert only(events, "strike")["source"] == "Example Wire"
    assert_evidence_matches(events, texts(dump))


def test_manifest_gives_the_doc_id_publication_date_and_source(tmp_path: Path) -> None:
    (tmp_path / "k.txt").write_text(KHERSON, encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,doc_id,published,source,url\n"
                        "k.txt,kherson-0311,2025-03-11,Example Daily,https://example.org/k\n", encoding="utf-8")
    strike = only(written_events(invoke("extract", tmp_path, "--manifest", manifest)), "strike")
    assert strike["doc_id"] == "kherson-0311"
    assert strike["date"] == "2025-03-10"  # "on Monday" before Tuesday 11 March
    assert (strike["source"], strike["url"]) == ("Example Daily", "https://example.org/k")


def test_wire_report_gives_a_strike_at_bilopillia_in_sumy_region_with_two_killed(tmp_path: Path) -> None:
    events = written_events(invoke("extract", write_jsonl(tmp_path / "wire.jsonl", WIRE)))
    strike = only(events, "strike")
    assert strike["location"]["name"] == "Bilopillia"
    assert strike["location"]["admin1_iso"] == "UA-59"
    assert strike["date"] == "2024-03-12"
    assert strike["quantities"]["killed"] == 2


def test_leading_date_line_sets_the_publication_date(tmp_path: Path) -> None:
    path = tmp_path / "dated.txt"
    path.write_text("date 2025-03-10\n" + KHERSON.replace("Monday", "Sunday"), encoding="utf-8")
    strike = only(written_events(invoke("extract", path)), "strike")
    assert strike["date"] == "2025-03-09"


def test_page_furniture_yields_no_events(tmp_path: Path) -> None:
    furniture = [
        "Advertisement",
        "Firefighters work at the site of a drone strike in Kharkiv on Sunday. Photo: Example Wire",
        "— Example Watch (@example_watch) March 7, 2025",
        "Similar Posts",
    ]
    path = tmp_path / "page.txt"
    path.write_text(
        "date 2025-03-10\n" + KHERSON.replace("Monday", "Sunday") + "\n"
        f"{furniture[0]}\n\n{furniture[1]}\n\n"
        "Repair crews worked through the night to restore power, the city council said. Schools stayed open.\n\n"
        "A local monitoring channel posted:\nSmoke over the town this morning, crews at work near the market.\n"
        f"{furniture[2]}\n\n{furniture[3]}\n", encoding="utf-8")
    events = written_events(invoke("extract", path))
    assert [e["location"]["name"] for e in events] == ["Kherson"]
    for event in events:
        assert not any(line in event["evidence"]["text"] or event["evidence"]["text"] in line for line in furniture)


# extract: output formats

def test_extract_writes_jsonl_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    result = invoke("extract", write_jsonl(tmp_path / "in.jsonl", WIRE), "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert only(parse_jsonl(out.read_text(encoding="utf-8")), "strike")["doc_id"] == "w1"


def test_extract_writes_acled_csv_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    result = invoke("extract", write_jsonl(tmp_path / "in.jsonl", WIRE), "--format", "csv", "-o", out)
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert frame.loc[0, "location"] == "Bilopillia" and frame.loc[0, "fatalities"] == 2


def test_extract_writes_geojson_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    result = invoke("extract", write_jsonl(tmp_path / "in.jsonl", WIRE), "-f", "geojson", "-o", out)
    assert result.exit_code == 0, result.output
    [feature] = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert feature["properties"]["location_name"] == "Bilopillia"


def test_extract_writes_parquet_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    result = invoke("extract", write_jsonl(tmp_path / "in.jsonl", WIRE), "-f", "parquet", "-o", out)
    assert result.exit_code == 0, result.output
    assert pq.read_table(out).to_pylist()[0]["location_name"] == "Bilopillia"


@pytest.mark.parametrize("suffix", [".csv", ".geojson", ".parquet"])
def test_output_format_follows_the_file_suffix_when_not_given(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"events{suffix}"
    result = invoke("extract", write_jsonl(tmp_path / "in.jsonl", WIRE), "-o", out)
    assert result.exit_code == 0, result.output
    if suffix == ".parquet":
        assert pq.read_table(out).num_rows == 1
    elif suffix == ".csv":
        assert len(pd.read_csv(out)) == 1
    else:
        assert json.loads(out.read_text(encoding="utf-8"))["type"] == "FeatureCollection"


def test_parquet_to_stdout_is_refused_before_any_document_is_read(tmp_path: Path) -> None:
    result = invoke("extract", tmp_path / "missing.txt", "--format", "parquet")
    assert result.exit_code == 2
    assert "--output" in result.stderr and "missing.txt" not in result.stderr


# extract: streaming

def test_extract_writes_each_articles_events_without_waiting_for_the_rest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory flat in the number of documents: the events are not gathered before they are written."""
    from claimline import export
    from claimline.pipeline import Pipeline

    processed: list[str] = []
    processed_at_first_event: list[int] = []
    process, write_events = Pipeline.process, export.write_events

    def counting(self: Pipeline, article: Article) -> list[Event]:
        processed.append(article.doc_id)
        return process(self, article)

    def watching(events: Iterable[Event], fmt: str, out: Any) -> int:
        def watched() -> Iterator[Event]:
            for event in events:
                processed_at_first_event.append(len(processed))
                yield event
        return write_events(watched(), fmt, out)

    monkeypatch.setattr(Pipeline, "process", counting)
    monkeypatch.setattr(export, "write_events", watching)
    result = invoke("extract", EXAMPLES, "--manifest", EXAMPLES / "manifest.csv", "-o", tmp_path / "events.jsonl")
    assert result.exit_code == 0, result.output
    assert len(processed) > 20 and len(processed_at_first_event) > 20
    assert processed_at_first_event[0] <= 3  # the first article with events, not the last article


def test_extract_that_fails_half_way_keeps_the_output_file_it_had(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimline.pipeline import Pipeline

    out = tmp_path / "out" / "events.jsonl"
    out.parent.mkdir()
    out.write_text("the events of yesterday\n", encoding="utf-8")
    process = Pipeline.process
    calls: list[str] = []

    def failing_at_the_fifth(self: Pipeline, article: Article) -> list[Event]:
        calls.append(article.doc_id)
        if len(calls) == 5:
            raise MemoryError("out of memory")
        return process(self, article)

    monkeypatch.setattr(Pipeline, "process", failing_at_the_fifth)
    result = invoke("extract", EXAMPLES, "--manifest", EXAMPLES / "manifest.csv", "-o", out)
    assert isinstance(result.exception, MemoryError)
    assert out.read_text(encoding="utf-8") == "the events of yesterday\n"
    assert [p.name for p in out.parent.iterdir()] == ["events.jsonl"]


def test_output_in_a_missing_folder_is_refused_before_any_document_is_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")  # the message on one line
    result = invoke("extract", tmp_path / "missing.txt", "-o", tmp_path / "no" / "events.jsonl")
    assert result.exit_code == 2
    assert "--output" in result.stderr and "does not exist" in result.stderr
    assert "missing.txt" not in result.stderr


# extract: bad input

BAD_INPUTS = {
    "undecodable.txt": (b"Shelling reported in \xff\xfe the town.\n", "not valid UTF-8", "undecodable.txt:1"),
    "empty.txt": (b"", "empty file", "empty.txt"),
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file", "image.txt"),
    "dump.jsonl": (json.dumps(WIRE).encode() + b"\n{not json\n", "malformed JSON", "dump.jsonl:2"),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_is_reported_by_file_and_line_and_the_rest_is_processed(tmp_path: Path, name: str) -> None:
    data, problem, where = BAD_INPUTS[name]
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text(KHERSON, encoding="utf-8")
    result = invoke("extract", tmp_path)
    assert result.exit_code == 1
    assert problem in result.stderr and where in result.stderr
    assert "1 input error(s)" in result.stderr
    assert "good" in {e["doc_id"] for e in parse_jsonl(result.stdout)}


def test_unknown_manifest_date_is_reported_with_its_line_and_the_document_still_read(tmp_path: Path) -> None:
    (tmp_path / "k.txt").write_text(KHERSON, encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,doc_id,published\nk.txt,k1,the Ides of March\n", encoding="utf-8")
    result = invoke("extract", tmp_path, "--manifest", manifest)
    assert result.exit_code == 1
    assert "manifest.csv:2" in result.stderr and "unknown date format" in result.stderr
    strike = only(parse_jsonl(result.stdout), "strike")
    assert strike["doc_id"] == "k1" and strike["date"] is None


def test_every_bad_file_in_a_batch_is_counted_at_the_end(tmp_path: Path) -> None:
    for name, (data, _, _) in BAD_INPUTS.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text(KHERSON, encoding="utf-8")
    out = tmp_path / "out" / "events.jsonl"
    out.parent.mkdir()
    result = invoke("extract", tmp_path, "-o", out)
    assert result.exit_code == 1
    assert f"{len(BAD_INPUTS)} input error(s)" in result.stderr
    assert {e["doc_id"] for e in parse_jsonl(out.read_text(encoding="utf-8"))} == {"good", "w1"}


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(KHERSON, encoding="utf-8")
    result = invoke("extract", tmp_path / "good.txt", tmp_path / "nowhere.txt")
    assert result.exit_code == 1
    assert "nowhere.txt: no such file or directory" in result.stderr


def test_unreadable_manifest_stops_the_command_with_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(KHERSON, encoding="utf-8")
    script = Path(sys.executable).parent / "claimline"
    done = subprocess.run([str(script), "extract", str(tmp_path), "--manifest", str(tmp_path / "none.csv")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "none.csv" in done.stderr and "Traceback" not in done.stderr


# ingest

def db_counts(db: Path) -> dict[str, int]:
    from claimline.store import open_store

    with open_store(db) as store:
        return store.counts()


def event_ids(db: Path) -> list[str]:
    result = invoke("query", "--db", db, "--json", "--limit", "1000")
    assert result.exit_code == 0, result.output
    return sorted(e["event_id"] for e in parse_jsonl(result.stdout))


def test_ingest_stores_documents_and_events(tmp_path: Path) -> None:
    db = tmp_path / "events.db"
    result = invoke("ingest", write_jsonl(tmp_path / "in.jsonl", WIRE, TERRITORY), "--db", db)
    assert result.exit_code == 0, result.output
    counts = db_counts(db)
    assert counts["documents"] == 2 and counts["kind:strike"] == 1 and counts["kind:territory"] == 1
    assert "2 documents stored, 0 unchanged" in result.stderr


def test_ingesting_the_same_input_twice_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "events.db"
    source = write_jsonl(tmp_path / "in.jsonl", WIRE, TERRITORY, INTERCEPTION)
    assert invoke("ingest", source, "--db", db).exit_code == 0
    counts, ids = db_counts(db), event_ids(db)
    again = invoke("ingest", source, "--db", db)
    assert again.exit_code == 0, again.output
    assert "0 documents stored, 3 unchanged" in again.stderr
    assert db_counts(db) == counts and event_ids(db) == ids


def test_a_bad_file_in_a_later_batch_loses_nothing_already_stored(tmp_path: Path) -> None:
    db = tmp_path / "events.db"
    assert invoke("ingest", write_jsonl(tmp_path / "first.jsonl", WIRE), "--db", db).exit_code == 0
    ids = event_ids(db)
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "broken.txt").write_bytes(b"\x00\x01binary")
    write_jsonl(batch / "second.jsonl", TERRITORY)
    result = invoke("ingest", batch, "--db", db)
    assert result.exit_code == 1
    assert "broken.txt" in result.stderr
    assert db_counts(db)["documents"] == 2
    assert set(ids) < set(event_ids(db))


def test_reingesting_with_a_publication_date_now_known_updates_the_events(tmp_path: Path) -> None:
    db = tmp_path / "events.db"
    (tmp_path / "k.txt").write_text(KHERSON, encoding="utf-8")
    assert invoke("ingest", tmp_path / "k.txt", "--db", db).exit_code == 0
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,published\nk.txt,2025-03-11\n", encoding="utf-8")
    result = invoke("ingest", tmp_path / "k.txt", "--manifest", manifest, "--db", db)
    assert result.exit_code == 0, result.output
    [strike] = parse_jsonl(invoke("query", "--db", db, "--json", "--kind", "strike").stdout)
    assert strike["date"] == "2025-03-10"


# query and export, on one database built once

@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("db")
    path = folder / "events.db"
    result = invoke("ingest", write_jsonl(folder / "in.jsonl", WIRE, TERRITORY, INTERCEPTION), "--db", path)
    assert result.exit_code == 0, result.output
    yield path


def query(db: Path, *args: str) -> list[dict[str, Any]]:
    result = invoke("query", "--db", db, "--json", *args)
    assert result.exit_code == 0, result.output
    return parse_jsonl(result.stdout)


@pytest.mark.parametrize(("args", "doc_ids"), [
    ((), ["w1", "w2", "w3"]),
    (("--kind", "territory"), ["w2"]),
    (("--from", "2024-03-13"), ["w2", "w3"]),
    (("--to", "2024-03-19"), ["w1", "w2"]),
    (("--from", "2024-03-13", "--to", "2024-03-31"), ["w2"]),
    (("--place", "bilopillia"), ["w1"]),
    (("--admin1", "UA-14"), ["w2"]),
    (("--admin1", "Kharkiv"), ["w3"]),
    (("--claimant", "defence"), ["w2"]),
    (("--kind", "strike", "--admin1", "UA-14"), []),
])
def test_query_filters_stored_events(db: Path, args: tuple[str, ...], doc_ids: list[str]) -> None:
    assert [e["doc_id"] for e in query(db, *args)] == doc_ids


def test_query_prints_a_table_by_default(db: Path) -> None:
    result = invoke("query", "--db", db, "--kind", "strike")
    assert result.exit_code == 0, result.output
    assert "1 events" in result.stdout and "UA-59" in result.stdout and "strike" in result.stdout


def test_query_rejects_a_date_that_is_not_iso(db: Path) -> None:
    result = invoke("query", "--db", db, "--from", "12/03/2024")
    assert result.exit_code == 2
    assert "not a date" in result.stderr


@pytest.mark.parametrize("command", ["query", "export"])
def test_reading_a_missing_database_says_to_ingest_first(tmp_path: Path, command: str) -> None:
    result = invoke(command, "--db", tmp_path / "none.db")
    assert result.exit_code == 2
    assert "claimline ingest" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_export_jsonl_holds_every_stored_event(db: Path) -> None:
    result = invoke("export", "--db", db)
    assert result.exit_code == 0, result.output
    assert parse_jsonl(result.stdout) == query(db)
    assert "3 events written" in result.stderr


def test_export_geojson_is_a_feature_collection_of_lon_lat_points(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    assert invoke("export", "--db", db, "--format", "geojson", "-o", out).exit_code == 0
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    by_doc = {f["properties"]["doc_id"]: f for f in collection["features"]}
    assert set(by_doc) == {"w1", "w2", "w3"}
    for feature in collection["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert (lat, lon) == (feature["properties"]["lat"], feature["properties"]["lon"])
    lon, lat = by_doc["w1"]["geometry"]["coordinates"]
    assert 33.5 < lon < 35 and 50.5 < lat < 51.5  # Bilopillia, not swapped


def test_export_csv_round_trips_through_pandas_with_acled_columns(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    assert invoke("export", "--db", db, "--format", "csv", "-o", out).exit_code == 0
    frame = pd.read_csv(out)
    assert set(ACLED_CSV_COLUMNS) <= set(frame.columns)
    assert len(frame) == 3
    strike = frame[frame["location"] == "Bilopillia"].iloc[0]
    assert strike["event_date"] == "2024-03-12" and strike["time_precision"] == 1
    assert strike["event_type"] == "Explosions/Remote violence"
    assert strike["country"] == "Ukraine" and strike["admin1"] == "Sumy"
    assert strike["fatalities"] == 2 and strike["source"] == "Example Wire"
    assert strike["notes"] == WIRE["text"].split(" Two")[0]


def test_export_parquet_reads_back_with_pyarrow(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    assert invoke("export", "--db", db, "--format", "parquet", "-o", out).exit_code == 0
    rows = pq.read_table(out).to_pylist()
    assert sorted(r["doc_id"] for r in rows) == ["w1", "w2", "w3"]
    assert {r["kind"] for r in rows} == {"strike", "territory", "interception"}


def test_export_parquet_needs_an_output_file(db: Path) -> None:
    result = invoke("export", "--db", db, "--format", "parquet")
    assert result.exit_code == 2 and "--output" in result.stderr


# help

@pytest.mark.parametrize("command", [[], ["extract"], ["ingest"], ["query"], ["export"], ["places"], ["docs"],
                                     ["bench"], ["bench", "dates"], ["claims"], ["timeline"], ["gazetteer"],
                                     ["gazetteer", "import"], ["bench", "pipeline"], ["eval"], ["eval", "claims"]])
def test_every_command_answers_help(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage" in result.stdout


# the built-in example corpus

def test_example_corpus_gives_events_of_every_kind(tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    result = invoke("extract", EXAMPLES, "--manifest", EXAMPLES / "manifest.csv", "-o", out)
    assert result.exit_code == 0, result.output
    events = parse_jsonl(out.read_text(encoding="utf-8"))
    assert {e["kind"] for e in events} >= set(KINDS) - {"other"}
    documents = texts(EXAMPLES, manifest=EXAMPLES / "manifest.csv")
    assert f"{len(documents)} documents, {len(events)} events, 0 input errors" in result.stderr
    assert_evidence_matches(events, documents)


# docs: documents with their publication date and how it was found

def _docs_folder(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "wire.txt").write_text("BREVIK, March 4, 2025 (Example Wire) - Drones struck the port.\n",
                                       encoding="utf-8")
    (tmp_path / "undated.txt").write_text("Russian forces advanced last month.\n", encoding="utf-8")
    (tmp_path / "listed.txt").write_text("Troops entered Osterfeld on Tuesday.\n", encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,doc_id,published,title\nlisted.txt,osterfeld,2025-03-06,Osterfeld taken\n",
                        encoding="utf-8")
    return tmp_path, manifest


def test_docs_lists_each_document_with_its_date_and_how_it_was_found(tmp_path: Path) -> None:
    folder, manifest = _docs_folder(tmp_path)
    result = runner.invoke(app, ["docs", str(folder), "--manifest", str(manifest)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    lines = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.count("│") > 3}
    assert "2025-03-06" in lines["osterfeld"] and "manifest" in lines["osterfeld"]
    assert "Osterfeld taken" in lines["osterfeld"]
    assert "2025-03-04" in lines["wire"] and "dateline" in lines["wire"]
    assert "unknown" in lines["undated"]
    assert "3 documents" in result.stdout


def test_docs_json_lines_give_doc_id_title_date_and_reason(tmp_path: Path) -> None:
    folder, manifest = _docs_folder(tmp_path)
    result = invoke("docs", folder, "--manifest", manifest, "--json")
    assert result.exit_code == 0, result.output
    rows = {row["doc_id"]: row for row in parse_jsonl(result.stdout)}
    assert set(rows) == {"osterfeld", "wire", "undated"}
    assert rows["osterfeld"] | {"path": None} == {
        "doc_id": "osterfeld", "title": "Osterfeld taken", "published": "2025-03-06",
        "published_reason": "manifest", "path": None}
    assert rows["wire"]["published"] == "2025-03-04"
    assert rows["undated"]["published"] is None
    assert rows["undated"]["published_reason"].startswith("unknown")


# bench dates: claimline and dateparser on the same expressions

def test_bench_dates_prints_both_accuracies_and_speeds(tmp_path: Path) -> None:
    cases = write_jsonl(
        tmp_path / "cases.jsonl",
        {"id": "weekday", "text": "The bridge was hit on Tuesday.", "anchor": "2025-07-03", "expr": "Tuesday",
         "date": "2025-07-01", "date_end": "2025-07-01", "precision": "day"},
        {"id": "late-year", "text": "It was first used in late 2024.", "anchor": "2025-07-03",
         "expr": "late 2024", "date": "2024-09-01", "date_end": "2024-12-31", "precision": "month"},
        {"id": "no-anchor", "text": "Troops seized 500 km2 last month.", "anchor": None, "expr": "last month",
         "date": None, "date_end": None, "precision": None},
    )
    result = runner.invoke(app, ["bench", "dates", "--cases", str(cases), "--repeat", "1"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.count("│") > 3}
    assert "3/3" in rows["claimline"] and "100.0%" in rows["claimline"]
    assert "dateparser" in rows
    assert "claimline/dateparser: accuracy 1.000 vs" in result.stdout
    assert "Scoring:" in result.stdout


def test_bench_dates_json_reports_accuracy_and_speed_per_system(tmp_path: Path) -> None:
    cases = write_jsonl(tmp_path / "cases.jsonl", {
        "id": "md", "text": "Troops entered the town on June 27.", "anchor": "2025-07-03", "expr": "June 27",
        "date": "2025-06-27", "date_end": "2025-06-27", "precision": "day"})
    result = invoke("bench", "dates", "--cases", cases, "--repeat", "1", "--json")
    assert result.exit_code == 0, result.output
    [record] = parse_jsonl(result.stdout)
    assert [s["system"] for s in record["systems"]] == ["claimline", "dateparser"]
    assert all(0 <= s["accuracy"] <= 1 and s["expressions_per_second"] > 0 for s in record["systems"])
    assert record["cases"] == 1 and record["rule"]


def test_bench_dates_with_a_missing_test_set_fails_with_a_message(tmp_path: Path) -> None:
    result = invoke("bench", "dates", "--cases", tmp_path / "nope.jsonl")
    assert result.exit_code != 0
    assert "does not exist" in result.output


def test_claims_merges_one_capture_told_by_two_outlets_and_shows_a_denial(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    dumps = write_jsonl(
        tmp_path / "claims.jsonl",
        {"id": "c1", "published": "2025-03-05", "source": "Example Wire",
         "text": "Russia's Defence Ministry said on Tuesday that its forces had captured Kotlyne in Donetsk region."},
        {"id": "c2", "published": "2025-03-05", "source": "Example Daily",
         "text": "Russian forces captured the village of Kotlyne in Donetsk region on Tuesday, Moscow said."},
        {"id": "c3", "published": "2025-03-06", "source": "Kyiv Example",
         "text": "Ukraine's General Staff on Wednesday denied that Kotlyne in Donetsk region had been captured."},
    )
    assert invoke("ingest", dumps, "--db", db).exit_code == 0
    result = invoke("claims", "--db", db, "--json")
    assert result.exit_code == 0, result.output
    clusters = parse_jsonl(result.stdout)
    capture = next(c for c in clusters if c["place"] == "Kotlyne" and c["corroborations"] == 2)
    assert capture["disputed"] is True
    timeline = invoke("timeline", "--db", db, "-o", tmp_path / "timeline.geojson")
    assert timeline.exit_code == 0
    collection = json.loads((tmp_path / "timeline.geojson").read_text(encoding="utf-8"))
    assert collection["features"][0]["properties"]["name"] == "Kotlyne"


def test_claims_table_shows_the_first_claims_of_a_large_store_and_json_every_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    villages = ["Kotlyne", "Pishchane", "Novooleksandrivka", "Udachne"]
    dumps = write_jsonl(tmp_path / "claims.jsonl", *(
        {"id": f"v{day}", "published": f"2025-03-{day + 10:02d}", "source": "Example Wire",
         "text": f"Russia's Defence Ministry said on Monday that its forces had captured {village} in Donetsk region."}
        for day, village in enumerate(villages)))
    db = tmp_path / "claims.db"
    assert invoke("ingest", dumps, "--db", db).exit_code == 0
    assert len(parse_jsonl(invoke("claims", "--db", db, "--json").stdout)) == len(villages)
    assert [c["place"] for c in parse_jsonl(invoke("claims", "--db", db, "--json", "--limit", "2").stdout)] \
        == villages[:2]
    monkeypatch.setattr("claimline.cli.CLAIMS_SHOWN", 3)
    monkeypatch.setenv("COLUMNS", "200")
    table = invoke("claims", "--db", db).stdout
    assert "the first 3 of 4 claims" in table
    assert all(village in table for village in villages[:3]) and villages[3] not in table
    everything = invoke("claims", "--db", db, "--limit", "10").stdout
    assert "4 claims" in everything and all(village in everything for village in villages)
    assert invoke("claims", "--db", db, "--limit", "0").exit_code != 0


def test_places_resolves_demonyms_unless_told_not_to(tmp_path: Path) -> None:
    page = tmp_path / "demonyms.txt"
    page.write_text("French officials met Polish diplomats in Kyiv on Monday.\n", encoding="utf-8")
    with_demonyms = {r["text"] for r in parse_jsonl(invoke("places", page).stdout)}
    without = {r["text"] for r in parse_jsonl(invoke("places", page, "--no-demonyms").stdout)}
    assert {"French", "Kyiv"} <= with_demonyms
    assert "French" not in without and "Kyiv" in without


def test_gazetteer_import_names_the_bad_line(tmp_path: Path) -> None:
    dump = tmp_path / "XX.txt"
    dump.write_text("not\ta\tgeonames\tline\n", encoding="utf-8")
    result = invoke("gazetteer", "import", dump, "--cache-dir", tmp_path)
    assert result.exit_code == 1
    assert "XX.txt:1" in result.output


def test_bench_pipeline_reports_every_stage() -> None:
    result = invoke("bench", "pipeline", "--size", "3", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report["seconds"]) == {"segment", "places", "dates", "events"}
    assert report["articles"] == 3 and report["articles_per_second"] > 0


def test_eval_claims_prints_merge_scores_on_the_multisource_corpus() -> None:
    result = invoke("eval", "claims", ROOT / "tests" / "fixtures" / "multisource", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["gold_mentions"] > 100
    # a floor under what is measured now, so a change that loses merges or contradictions fails
    assert report["pair_precision"] >= 0.9 and report["pair_recall"] >= 0.7
    assert report["contradictions_found"] == report["contradictions"] == 5
