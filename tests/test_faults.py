"""Crash safety and concurrency of `claimline ingest` on SQLite, run as the real command.

A corpus of 84 documents (the example corpus three times over, under new doc_ids) is ingested once
cleanly; every other run must end with exactly the same documents and events.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from claimline.store import SQLiteStore

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).parents[1] / "examples" / "corpus"
CLAIMLINE = Path(sys.executable).with_name("claimline")
COPIES = ("a", "b", "c")
KILLS = 8
RUN_TIMEOUT = 300.0


@dataclass(frozen=True)
class Clean:
    """The corpus folders per copy and what one uninterrupted ingest of all of them stores."""

    folders: dict[str, Path]
    documents: dict[str, str]  # doc_id → content_hash
    events_by_doc: dict[str, frozenset[str]]
    records: dict[str, str]  # event_id → the stored record


def copy_corpus(prefix: str, folder: Path) -> None:
    """The example corpus under doc_ids starting with `prefix`, so copies are distinct documents."""
    folder.mkdir(parents=True)
    for source in CORPUS.iterdir():
        if source.suffix in (".txt", ".md", ".html"):
            shutil.copyfile(source, folder / f"{prefix}_{source.name}")
    lines = (CORPUS / "wire.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    for record in records:
        record["id"] = f"{prefix}_{record['id']}"
    (folder / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def ingest_command(db: Path, *folders: Path) -> list[str]:
    return [str(CLAIMLINE), "ingest", *map(str, folders), "--db", str(db)]


def ingest(db: Path, *folders: Path) -> None:
    done = subprocess.run(ingest_command(db, *folders), capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert done.returncode == 0, done.stderr


def stored(db: Path) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Documents (doc_id → content_hash) and event ids per document, read with plain sqlite3."""
    with closing(sqlite3.connect(db, timeout=30.0)) as connection:
        documents = dict(connection.execute("SELECT doc_id, content_hash FROM documents").fetchall())
        events: dict[str, set[str]] = defaultdict(set)
        for doc_id, event_id in connection.execute("SELECT doc_id, event_id FROM events"):
            events[doc_id].add(event_id)
    return documents, dict(events)


def records(db: Path) -> dict[str, str]:
    with SQLiteStore(db) as store:
        found = [(event.event_id, json.dumps(event.to_record(), sort_keys=True)) for event in store.events()]
    assert len(found) == len({event_id for event_id, _ in found}), "an event is stored twice"
    return dict(found)


def assert_consistent(db: Path, clean: Clean) -> int:
    """The database passes SQLite's checks and holds whole documents only; returns how many."""
    with closing(sqlite3.connect(db, timeout=30.0)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    # killed while making the schema: all of it or none of it
    if not tables & {"documents", "events"}:
        return 0
    assert {"documents", "events"} <= tables
    documents, events = stored(db)
    assert set(events) <= set(documents), "events without their document"
    for doc_id, content_hash in documents.items():
        assert content_hash == clean.documents[doc_id]
        assert events.get(doc_id, set()) == clean.events_by_doc.get(doc_id, frozenset()), f"{doc_id} is partial"
    return len(documents)


def assert_same_as_clean(db: Path, clean: Clean) -> None:
    documents, _ = stored(db)
    assert documents == clean.documents
    assert records(db) == clean.records


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Clean:
    root = tmp_path_factory.mktemp("faults")
    folders = {prefix: root / prefix for prefix in COPIES}
    for prefix, folder in folders.items():
        copy_corpus(prefix, folder)
    db = root / "clean.db"
    ingest(db, *folders.values())
    documents, events = stored(db)
    return Clean(folders, documents, {doc_id: frozenset(ids) for doc_id, ids in events.items()}, records(db))


def document_count(db: Path) -> int:
    try:
        with closing(sqlite3.connect(db, timeout=30.0)) as connection:
            return int(connection.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def kill_after(process: subprocess.Popen[bytes], db: Path, documents: int, delay: float) -> bool:
    """SIGKILL `process` `delay` seconds after `db` holds `documents` documents (0: once the file
    exists, i.e. while the schema is being made); False when it finished first."""
    deadline = time.monotonic() + RUN_TIMEOUT
    while process.poll() is None and time.monotonic() < deadline:
        if db.exists() and (documents == 0 or document_count(db) >= documents):
            time.sleep(delay)
            break
        time.sleep(0.01)
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    return True


def test_ingest_killed_again_and_again_then_rerun_stores_exactly_a_clean_run(
    clean: Clean, tmp_path: Path
) -> None:
    db = tmp_path / "killed.db"
    folders = list(clean.folders.values())
    assert len(clean.documents) >= 60
    rng = random.Random(9)
    # each kill lands a little further on, so every rerun gets to write before it dies too
    targets = [0, *sorted(rng.sample(range(1, len(clean.documents)), KILLS - 1))]
    kills = 0
    left_with: list[int] = []
    for target in targets:
        process = subprocess.Popen(ingest_command(db, *folders), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        kills += kill_after(process, db, target, rng.uniform(0.0, 0.08))
        if db.exists():
            left_with.append(assert_consistent(db, clean))
    assert kills >= KILLS - 1, f"only {kills} of {KILLS} runs were still going when killed"
    ingest(db, *folders)
    assert_consistent(db, clean)
    assert_same_as_clean(db, clean)
    print(f"\n{kills} kills survived over {len(clean.documents)} documents; stored after each: {left_with}")


def read_while_writing(db: Path, clean: Clean, writing: threading.Event, reads: list[int]) -> None:
    """Read every event through the store until `writing` clears; each read must show whole
    documents only, and never fewer events than the read before."""
    while not db.exists():
        time.sleep(0.01)
    with SQLiteStore(db) as store:
        seen = 0
        while writing.is_set():
            by_doc: dict[str, set[str]] = defaultdict(set)
            for event in store.events():
                by_doc[event.doc_id].add(event.event_id)
            for doc_id, ids in by_doc.items():
                assert ids == clean.events_by_doc[doc_id], f"{doc_id} read half-written"
            total = sum(map(len, by_doc.values()))
            assert total >= seen
            seen = total
            reads.append(total)
            time.sleep(0.02)


def test_two_ingests_at_once_with_a_reader_store_exactly_a_clean_run(clean: Clean, tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    a, b, c = (clean.folders[prefix] for prefix in COPIES)
    writing = threading.Event()
    writing.set()
    reads: list[int] = []
    failures: list[BaseException] = []

    def reader() -> None:
        try:
            read_while_writing(db, clean, writing, reads)
        except BaseException as exc:  # surfaced in the test's own thread below
            failures.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    # both start on an empty database and share the b copy
    first = subprocess.Popen(ingest_command(db, a, b), stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(ingest_command(db, b, c), stderr=subprocess.PIPE, text=True)
    outcomes = [process.communicate(timeout=RUN_TIMEOUT) for process in (first, second)]
    writing.clear()
    thread.join(timeout=60)
    assert first.returncode == 0, outcomes[0][1]
    assert second.returncode == 0, outcomes[1][1]
    assert not failures, failures
    assert_consistent(db, clean)
    assert_same_as_clean(db, clean)
    print(f"\n{len(reads)} consistent reads while two ingests wrote")

