"""The Ray engine: the same events as the local engine, event for event, over folders, JSON Lines
and Parquet shards, on a Ray started for the run or on a running cluster (--ray-address)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner, Result

from claimline.cli import app
from claimline.engine import LocalEngine, make_engine
from claimline.engine.ray_data import _in_input_order, _windows, article_from_record, article_record
from claimline.errors import BackendUnavailable, ConfigError, InputError
from claimline.ingest import iter_articles
from claimline.model import Article, Event, Evidence
from claimline.pipeline import Pipeline
from claimline.store import open_store

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
WIRE = EXAMPLES / "wire.jsonl"

runner = CliRunner()
CLAIMLINE = str(Path(sys.executable).parent / "claimline")


def invoke(*args: str | Path) -> Result:
    return runner.invoke(app, [str(arg) for arg in args])


def wire_records() -> list[dict[str, str]]:
    return [json.loads(line) for line in WIRE.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_shards(folder: Path, records: list[dict[str, str]], shards: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(shards):
        pq.write_table(pa.Table.from_pylist(records[number::shards]), folder / f"part-{number:02d}.parquet")
    return folder


def event(doc_id: str, start: int) -> Event:
    return Event(doc_id=doc_id, kind="strike", evidence=Evidence("x", start, start + 1))


# ---------------------------------------------------------------------------------------------
# without Ray: Parquet shards, the order of results, the options


def test_parquet_shard_reads_like_the_jsonl_it_was_written_from(tmp_path: Path) -> None:
    shard = tmp_path / "wire.parquet"
    pq.write_table(pa.Table.from_pylist(wire_records()), shard)
    from_jsonl = [a for a in iter_articles([WIRE]) if isinstance(a, Article)]
    from_parquet = [a for a in iter_articles([shard]) if isinstance(a, Article)]
    assert [a.doc_id for a in from_parquet] == [a.doc_id for a in from_jsonl]
    assert [(a.text, a.published, a.title, a.url, a.source) for a in from_parquet] == [
        (a.text, a.published, a.title, a.url, a.source) for a in from_jsonl]


def test_parquet_date_column_gives_the_publication_day(tmp_path: Path) -> None:
    shard = tmp_path / "dated.parquet"
    pq.write_table(pa.table({"doc_id": ["d1"], "text": ["Shelling hit Kherson."],
                             "published": pa.array([date(2025, 3, 4)], pa.date32())}), shard)
    [article] = list(iter_articles([shard]))
    assert isinstance(article, Article)
    assert article.published == date(2025, 3, 4)


def test_parquet_without_text_column_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    shard = tmp_path / "events.parquet"
    pq.write_table(pa.table({"doc_id": ["d1"], "kind": ["strike"]}), shard)
    [problem] = list(iter_articles([tmp_path]))
    assert isinstance(problem, InputError)
    assert problem.path == str(shard) and "'text'" in str(problem)


def test_parquet_row_without_text_names_its_row(tmp_path: Path) -> None:
    shard = tmp_path / "rows.parquet"
    pq.write_table(pa.table({"id": ["a", "b"], "text": ["Drones hit Odesa.", None]}), shard)
    items = list(iter_articles([shard]))
    assert isinstance(items[0], Article)
    assert isinstance(items[1], InputError) and items[1].line == 2


def test_not_a_parquet_file_is_an_input_error(tmp_path: Path) -> None:
    fake = tmp_path / "fake.parquet"
    fake.write_text("not parquet", encoding="utf-8")
    [problem] = list(iter_articles([fake]))
    assert isinstance(problem, InputError) and "Parquet" in str(problem)


def test_results_finishing_out_of_order_come_back_in_input_order() -> None:
    first, second, third = (Article(doc_id=d, text="t") for d in ("a", "b", "c"))
    problem = InputError("bad line", path="x.jsonl", line=3)
    finished = iter([(3, [event("c", 0)]), (0, [event("a", 0)]), (1, [])])
    outcomes = list(_in_input_order([first, second, problem, third], finished))
    assert outcomes == [(first, [event("a", 0)]), (second, []), problem, (third, [event("c", 0)])]


def test_windows_hold_a_number_of_articles_with_the_errors_among_them(monkeypatch: pytest.MonkeyPatch) -> None:
    articles = [Article(doc_id=f"d{n}", text="x" * 10) for n in range(7)]
    problem = InputError("bad line", path="x.jsonl", line=3)
    items: list[Article | InputError] = [*articles[:2], problem, *articles[2:], problem]
    windows = list(_windows(iter(items), 3))
    assert windows == [[*articles[:2], problem, articles[2]], articles[3:6], [articles[6], problem]]
    monkeypatch.setattr("claimline.engine.ray_data.WINDOW_CHARACTERS", 25)  # or as much text as that
    assert [len(w) for w in _windows(iter(articles), 100)] == [3, 3, 1]


def test_the_ray_engine_reads_the_inputs_a_window_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The driver holds a window, not the corpus: the next window is read only once this one is out."""
    from claimline.engine import ray_data

    read: list[str] = []
    read_at_output: list[int] = []

    def inputs() -> Iterator[Article]:
        for n in range(7):
            read.append(f"d{n}")
            yield Article(doc_id=f"d{n}", text="Drones hit Odesa.")

    def by_hand(articles: list[tuple[int, Article]], *_: object) -> Iterator[tuple[int, list[Event]]]:
        yield from ((position, []) for position, _ in articles)

    @contextmanager
    def no_ray(*_: object) -> Iterator[int]:
        yield 1

    monkeypatch.setattr(ray_data, "WINDOW_MIN_ARTICLES", 3)
    monkeypatch.setattr(ray_data, "WINDOW_PER_WORKER", 1)
    monkeypatch.setattr(ray_data, "_ray_session", no_ray)
    monkeypatch.setattr(ray_data, "_events_from_workers", by_hand)
    for _ in ray_data.RayEngine(Pipeline().config).run(inputs()):
        read_at_output.append(len(read))
    assert read_at_output == [3, 3, 3, 6, 6, 6, 7]


def test_article_record_round_trips() -> None:
    article = Article(doc_id="d", text="Text.", published=date(2025, 1, 2), published_reason="manifest",
                      title="T", url="https://example.org/d", source="Wire", path="d.txt")
    assert article_from_record(json.loads(json.dumps(article_record(article)))) == article


def test_workers_without_ray_engine_is_refused_naming_the_option() -> None:
    result = invoke("extract", WIRE, "--workers", "2")
    assert result.exit_code == 2
    assert "--engine" in result.output


def test_unknown_engine_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown engine"):
        make_engine("spark", Pipeline())


def test_ray_engine_without_ray_installed_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(BackendUnavailable, match=r"claimline\[ray\]"):
        make_engine("ray", Pipeline())


def test_ray_engine_with_nothing_readable_reports_errors_without_starting_ray(tmp_path: Path) -> None:
    import ray

    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    result = invoke("extract", bad, "--engine", "ray")
    assert result.exit_code == 1
    assert f"{bad}:1: malformed JSON" in result.stderr
    assert not ray.is_initialized()


def test_local_engine_keeps_errors_in_their_place() -> None:
    problem = InputError("bad", path="x.jsonl", line=1)
    article = Article(doc_id="d", text="Russian drones hit Odesa overnight, the governor said.")
    outcomes = list(LocalEngine(Pipeline()).run([problem, article]))
    assert outcomes[0] is problem and outcomes[1][0] == article  # type: ignore[index]


# ---------------------------------------------------------------------------------------------
# with Ray (slow: starting Ray takes seconds)


@pytest.mark.slow
def test_extract_with_ray_started_for_the_run_equals_local(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ray

    # windows of 10 articles: the inputs go to the workers in several windows
    monkeypatch.setattr("claimline.engine.ray_data.WINDOW_MIN_ARTICLES", 10)
    monkeypatch.setattr("claimline.engine.ray_data.WINDOW_PER_WORKER", 1)

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ok", "text": "Drones hit Odesa overnight."}\n{not json\n', encoding="utf-8")
    local, distributed = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    common = [EXAMPLES, bad, "--manifest", EXAMPLES / "manifest.csv"]
    by_local = invoke("extract", *common, "-o", local)
    by_ray = invoke("extract", *common, "-o", distributed, "--engine", "ray", "--workers", "2")
    assert by_local.exit_code == by_ray.exit_code == 1  # the bad line, reported by both
    assert f"{bad}:2: malformed JSON" in by_ray.stderr
    assert local.read_text(encoding="utf-8").count("\n") > 20
    assert distributed.read_bytes() == local.read_bytes()
    assert not ray.is_initialized()  # the Ray this run started is shut down


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[str]:
    """A two-CPU Ray owned by this test process; its address lets another process join it."""
    ray = pytest.importorskip("ray")
    context = ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield str(context.address_info["gcs_address"])
    finally:
        ray.shutdown()


@pytest.mark.slow
def test_ingest_with_ray_stores_what_local_ingest_stores(tmp_path: Path, ray_cluster: str) -> None:
    stored = {}
    for engine in ("local", "ray"):
        db = tmp_path / f"{engine}.db"
        result = invoke("ingest", EXAMPLES, "--manifest", EXAMPLES / "manifest.csv", "--db", db, "--engine", engine)
        assert result.exit_code == 0, result.output
        with open_store(db) as store:
            stored[engine] = ([a.doc_id for a in store.documents()], [e.to_record() for e in store.events()])
    assert stored["ray"] == stored["local"]
    assert len(stored["ray"][1]) > 20


@pytest.mark.slow
def test_extract_on_a_running_cluster_from_parquet_shards_equals_local(tmp_path: Path, ray_cluster: str) -> None:
    shards = write_shards(tmp_path / "shards", wire_records() * 1, shards=3)
    local = invoke("extract", shards, "-o", tmp_path / "local.jsonl")
    assert local.exit_code == 0, local.output
    command = [CLAIMLINE, "extract", str(shards), "-o", str(tmp_path / "ray.jsonl"),
               "--engine", "ray", "--ray-address", ray_cluster]
    env = {**os.environ, "RAY_ADDRESS": ""}
    joined = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, check=False)
    assert joined.returncode == 0, joined.stderr
    assert (tmp_path / "ray.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert len((tmp_path / "local.jsonl").read_text(encoding="utf-8").splitlines()) >= len(wire_records())


@pytest.mark.slow
@pytest.mark.parametrize(("auth", "said"), [
    ({}, "only with RAY_AUTH_MODE=token"),  # what a shell that did not start the cluster has
    ({"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": "0" * 32}, "refused this machine's token"),
])
def test_a_cluster_that_wants_its_token_is_a_clear_error(
    tmp_path: Path, ray_cluster: str, auth: dict[str, str], said: str
) -> None:
    if os.environ.get("RAY_AUTH_MODE", "").lower() != "token":
        pytest.skip("the test's Ray started without token authentication")
    env = {key: value for key, value in os.environ.items() if not key.startswith("RAY_AUTH")}
    # Ray tries to connect once a second for 20 s by default before it gives up
    env |= {"RAY_ADDRESS": "", "RAY_gcs_server_port_wait_time_s": "2", **auth}
    out = tmp_path / "events.jsonl"
    command = [CLAIMLINE, "extract", str(WIRE), "-o", str(out), "--engine", "ray", "--ray-address", ray_cluster]
    refused = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, check=False)
    assert refused.returncode == 2
    assert said in " ".join(refused.stderr.split()) and "--ray-address" in refused.stderr
    assert "Traceback" not in refused.stderr and not out.exists()


@pytest.mark.slow
def test_unreachable_cluster_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    command = [CLAIMLINE, "extract", str(WIRE), "--engine", "ray",
               "--ray-address", "127.0.0.1:9"]
    failed = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert failed.returncode == 2
    assert "--ray-address" in failed.stderr and "Traceback" not in failed.stderr
