"""The store in Datasette: JSON API, column descriptions, facets and search over the evidence."""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from claimline.cli import app
from claimline.datasette import EVENT_COLUMNS, FTS_TABLE, ensure_search_index, metadata, prepare
from claimline.errors import StoreError
from claimline.model import Article, Event, Evidence, Location, When
from claimline.store import open_store

KUPIANSK = Location(name="Kupiansk", country_code="UA", geo_precision="point", admin1="Kharkiv Oblast",
                    admin1_iso="UA-63", lat=49.71, lon=37.61, reason="test")


def event(doc_id: str, start: int, text: str, kind: str = "strike", **fields: Any) -> Event:
    return Event(doc_id=doc_id, kind=kind, evidence=Evidence(text, start, start + len(text)),
                 when=When(date(2025, 3, 10), None, "day", "on Monday", "test"), location=KUPIANSK, **fields)


def stored(db: Path) -> list[Event]:
    events = [event("a", 0, "Drones hit a warehouse in Kupiansk, the governor said.", claimant="the governor"),
              event("a", 60, "Russia claimed to have taken a village near Kupiansk.", kind="territory",
                    claimant="Russia's Defence Ministry", attribution="claimed")]
    with open_store(db) as store:
        store.add(Article(doc_id="a", text="…", title="Kupiansk report"), events)
    return events


def get(db: Path, path: str) -> Any:
    from datasette.app import Datasette

    async def fetch() -> Any:
        datasette = Datasette([str(db)], metadata=metadata(db))
        await datasette.invoke_startup()
        response = await datasette.client.get(path)
        assert response.status_code == 200, response.text
        return response.json() if ".json" in path else response.text

    return asyncio.run(fetch())


def test_datasette_json_api_returns_the_stored_events(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    events = stored(db)
    ensure_search_index(db)
    rows = get(db, "/claims/events.json?_shape=array")
    assert sorted(row["event_id"] for row in rows) == sorted(e.event_id for e in events)
    assert {json.loads(row["record"])["kind"] for row in rows} == {"strike", "territory"}


def test_search_finds_events_by_their_evidence(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    stored(db)
    assert ensure_search_index(db) == 2
    found = get(db, "/claims/events.json?_search=warehouse&_shape=objects")["rows"]
    assert [row["kind"] for row in found] == ["strike"]


def test_events_stored_later_are_searchable_too(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    stored(db)
    ensure_search_index(db)
    with open_store(db) as store:
        store.add(Article(doc_id="b", text="…"), [event("b", 0, "A missile struck a bridge in Kupiansk.")])
        store.add(Article(doc_id="a", text="changed"), [])  # re-ingested: its old events go
    found = get(db, "/claims/events.json?_search=bridge%20OR%20warehouse&_searchmode=raw&_shape=objects")["rows"]
    assert [row["doc_id"] for row in found] == ["b"]


def test_metadata_describes_every_column_and_facets_the_table(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    stored(db)
    with closing(sqlite3.connect(db)) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(events)")]
    assert set(columns) <= set(EVENT_COLUMNS), "describe the new columns in claimline/datasette.py"
    page = get(db, "/claims/events")
    assert EVENT_COLUMNS["attribution"] in page
    facets = get(db, "/claims/events.json?_extra=facet_results")["facet_results"]
    facets = facets.get("results", facets)
    kinds = {item["value"]: item["count"] for item in facets["kind"]["results"]}
    assert kinds == {"strike": 1, "territory": 1}


def test_search_index_is_hidden_from_the_table_list(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    stored(db)
    ensure_search_index(db)
    tables = get(db, "/claims.json")["tables"]
    assert {t["name"] for t in tables if not t["hidden"]} == {"events", "documents"}
    assert FTS_TABLE in {t["name"] for t in tables}


def test_a_missing_or_foreign_database_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such event store"):
        ensure_search_index(tmp_path / "none.db")
    with closing(sqlite3.connect(tmp_path / "other.db")) as connection:
        connection.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="not a claimline event store"):
        ensure_search_index(tmp_path / "other.db")


def test_datasette_command_writes_metadata_beside_the_database(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    stored(db)
    result = CliRunner().invoke(app, ["datasette", "--db", str(db)])
    assert result.exit_code == 0, result.output
    written = json.loads((tmp_path / "claims.metadata.json").read_text(encoding="utf-8"))
    assert written["databases"]["claims"]["tables"]["events"]["fts_table"] == FTS_TABLE
    assert "2 events indexed" in result.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_datasette_serve_answers_with_the_events(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    events = stored(db)
    prepare(db, tmp_path / "metadata.json")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(db), "--metadata", str(tmp_path / "metadata.json"),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        rows = _poll(f"http://127.0.0.1:{port}/claims/events.json?_shape=array", server)
        assert sorted(row["event_id"] for row in rows) == sorted(e.event_id for e in events)
        found = _poll(f"http://127.0.0.1:{port}/claims/events.json?_search=village&_shape=array", server)
        assert [row["kind"] for row in found] == ["territory"]
    finally:
        server.terminate()
        server.wait(timeout=10)


def _poll(url: str, server: subprocess.Popen[bytes], seconds: float = 30.0) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.loads(response.read())
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                assert server.stderr is not None
                raise AssertionError(f"datasette did not answer: {server.stderr.read().decode()[-2000:]}") from None
            time.sleep(0.2)
