"""The Python API: claimline.extract, Events, claimline.open_store, and a small explicit surface."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

import claimline
from claimline import Article, Events, InputError, Pipeline, extract, open_store
from claimline.ingest import iter_articles

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
KHERSON = "Russian artillery shelled Kherson on Monday, killing one man, the regional governor said."
ODESA = "The regional governor said Russian drones hit port infrastructure in Odesa overnight, injuring three people."


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def test_public_surface_is_explicit_and_importable() -> None:
    assert {"extract", "open_store", "Pipeline", "Events", "Store", "Config", "Article", "Event"} <= set(
        claimline.__all__)
    assert all(hasattr(claimline, name) for name in claimline.__all__)
    assert {"PipelineConfig", "Evidence", "Location", "When", "ClaimlineError", "StoreError"} <= set(
        claimline.__all__)


def test_importing_claimline_loads_no_data_frame_library() -> None:
    code = ("import sys, claimline; "
            "print(sorted(m for m in ('pyarrow', 'pandas', 'polars', 'geopandas') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"


def test_extract_a_text_resolves_dates_against_the_given_publication_day(pipeline: Pipeline) -> None:
    events = extract(KHERSON, published="2024-03-13", pipeline=pipeline)
    assert isinstance(events, Events) and isinstance(events, Sequence)
    strike = next(e for e in events if e.kind == "strike")
    assert strike.location is not None and strike.location.name == "Kherson"
    assert strike.when.start == date(2024, 3, 11)
    assert strike.doc_id.startswith("text-")


def test_the_same_text_gives_the_same_doc_id_and_event_ids(pipeline: Pipeline) -> None:
    first = extract([KHERSON, ODESA], published=date(2024, 3, 13), pipeline=pipeline)
    again = extract([KHERSON, ODESA], published=date(2024, 3, 13), pipeline=pipeline)
    assert [e.event_id for e in first] == [e.event_id for e in again]
    assert len({e.doc_id for e in first}) == 2


def test_extract_a_folder_matches_the_pipeline_over_its_articles(pipeline: Pipeline) -> None:
    manifest = EXAMPLES / "manifest.csv"
    events = extract(str(EXAMPLES), manifest=manifest, pipeline=pipeline)
    expected = [event for article in iter_articles([EXAMPLES], manifest=manifest)
                if not isinstance(article, InputError) for event in pipeline.process(article)]
    assert [e.event_id for e in events] == [e.event_id for e in expected]
    assert len(events) > 50 and events.errors == ()


def test_articles_are_read_as_given(pipeline: Pipeline) -> None:
    article = Article(doc_id="mine", text=ODESA, published=date(2024, 3, 13))
    events = extract([article], published="2020-01-01", pipeline=pipeline)
    assert {e.doc_id for e in events} == {"mine"}
    assert all(e.when.start is None or e.when.start.year == 2024 for e in events)


def test_a_mistyped_path_is_an_error_not_a_text(pipeline: Pipeline) -> None:
    with pytest.raises(InputError, match="no such file"):
        extract("examples/corpsu", pipeline=pipeline)


def test_unreadable_documents_are_kept_in_errors_when_not_strict(tmp_path: Path, pipeline: Pipeline) -> None:
    (tmp_path / "good.txt").write_text(KHERSON, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.txt"):
        extract(tmp_path, pipeline=pipeline)
    events = extract(tmp_path, published="2024-03-13", pipeline=pipeline, strict=False)
    assert len(events.errors) == 1 and "empty.txt" in str(events.errors[0])
    assert {e.doc_id for e in events} == {"good"}


def test_events_slice_compare_and_write(tmp_path: Path, pipeline: Pipeline) -> None:
    events = extract([KHERSON, ODESA], published="2024-03-13", pipeline=pipeline)
    assert isinstance(events[:1], Events) and len(events[:1]) == 1
    assert events[0] == next(iter(events)) and events == Events(list(events))
    assert events.to_records() == [e.to_record() for e in events]
    assert events.write(tmp_path / "out.geojson") == sum(e.location is not None for e in events)
    assert events.write(tmp_path / "out.ndjson") == len(events)
    assert len((tmp_path / "out.ndjson").read_text(encoding="utf-8").splitlines()) == len(events)


def test_events_convert_to_frames(pipeline: Pipeline) -> None:
    events = extract([KHERSON, ODESA], published="2024-03-13", pipeline=pipeline)
    assert len(events.to_pandas()) == len(events) == events.to_polars().height
    located = events.to_geopandas()
    assert located.crs.to_epsg() == 4326


def test_a_config_file_chooses_the_backends(tmp_path: Path) -> None:
    config = tmp_path / "claimline.toml"
    config.write_text('[stages]\nevents = "no.such.backend"\n', encoding="utf-8")
    with pytest.raises(claimline.ConfigError, match=r"no\.such\.backend"):
        extract(KHERSON, config=config)


def test_store_ingests_once_and_answers_queries(tmp_path: Path, pipeline: Pipeline) -> None:
    with open_store(tmp_path / "events.db") as store:
        report = store.ingest([KHERSON, ODESA], published="2024-03-13", pipeline=pipeline)
        assert (report.added, report.unchanged) == (2, 0) and report.events > 0
        assert store.ingest([KHERSON, ODESA], published="2024-03-13", pipeline=pipeline).unchanged == 2
        strikes = store.events(kind="strike", admin1="UA-65")
        assert isinstance(strikes, Events)
        assert [e.location.name for e in strikes if e.location] == ["Kherson"]
        assert store.counts()["documents"] == 2 and len(store.documents()) == 2
        assert len(store.events(limit=1)) == 1


def test_open_store_defaults_to_the_configured_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMLINE_DATABASE_PATH", str(tmp_path / "configured.db"))
    with open_store() as store:
        assert store.path == tmp_path / "configured.db"
    assert (tmp_path / "configured.db").exists()
