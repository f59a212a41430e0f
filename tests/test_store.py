"""The event store: both implementations keep the same contract; SQLite also persists."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from claimline.errors import StoreError
from claimline.model import Article, Event, Evidence, Location, When
from claimline.stages import EventStore
from claimline.store import MemoryStore, SQLiteStore, open_store

TEXT = (
    "The made-up ministry said its forces struck a depot in Brevik on 12 March. "
    "Officials in Łódka said two drones were shot down. "
    "Governor Anna Lind said fighting continued near Osterfeld."
)


def article(doc_id: str = "doc-1", text: str = TEXT, **meta: object) -> Article:
    return Article(doc_id=doc_id, text=text, **meta)  # type: ignore[arg-type]


def place(name: str, admin1: str = "Kharkiv Oblast", iso: str = "UA-63") -> Location:
    return Location(name=name, country_code="UA", geo_precision="point", admin1=admin1, admin1_iso=iso,
                    lat=49.9, lon=36.3, reason="test place")


def event(
    doc_id: str = "doc-1", kind: str = "strike", start: int = 0, day: date | None = date(2024, 3, 12),
    end: date | None = None, location: Location | None = None, claimant: str | None = None,
) -> Event:
    evidence = Evidence(TEXT[start:start + 20], start, start + 20)
    when = When(start=day, end=end, precision="day", text="12 March", reason="test") if day else When()
    return Event(doc_id=doc_id, kind=kind, evidence=evidence, when=when, location=location,
                 claimant=claimant, quantities={"drones": 2})


@pytest.fixture(params=["sqlite", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore]:
    made: EventStore = SQLiteStore(tmp_path / "events.db") if request.param == "sqlite" else MemoryStore()
    yield made
    made.close()


def ids(events: Iterator[Event]) -> list[str]:
    return [e.event_id for e in events]


# the contract, for both stores

def test_both_stores_implement_the_event_store_protocol(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "x.db") as sqlite_store:
        assert isinstance(sqlite_store, EventStore)
    assert isinstance(MemoryStore(), EventStore)


def test_stored_events_come_back_equal(store: EventStore) -> None:
    stored = [event(location=place("Brevik"), claimant="Made-up Ministry"), event(kind="clash", start=30)]
    assert store.add(article(), stored) is True
    assert list(store.events()) == stored


def test_reingesting_the_same_document_changes_nothing(store: EventStore) -> None:
    store.add(article(), [event()])
    assert store.add(article(title="A new title"), [event(), event(kind="clash", start=40)]) is False
    assert store.counts() == {"documents": 1, "events": 1, "kind:strike": 1}
    assert [a.title for a in store.documents()] == [None]


def test_a_publication_date_now_known_replaces_the_events(store: EventStore) -> None:
    store.add(article(), [event(kind="clash", start=40)])
    dated = article(published=date(2024, 3, 13))
    assert store.add(dated, [event()]) is True
    assert [a.published for a in store.documents()] == [date(2024, 3, 13)]
    assert [e.kind for e in store.events()] == ["strike"]


def test_changed_text_replaces_the_document_and_all_its_events(store: EventStore) -> None:
    store.add(article(), [event(), event(kind="clash", start=40)])
    changed = article(text=TEXT + " Updated.")
    assert store.add(changed, [event(kind="aid", start=5)]) is True
    assert [a.text for a in store.documents()] == [changed.text]
    assert [e.kind for e in store.events()] == ["aid"]


def test_the_same_event_twice_is_stored_once(store: EventStore) -> None:
    store.add(article(), [event(), event()])
    assert store.counts()["events"] == 1


def test_events_of_another_document_are_rejected(store: EventStore) -> None:
    with pytest.raises(ValueError, match="other"):
        store.add(article(), [event(doc_id="other")])
    assert store.counts()["documents"] == 0


def test_documents_come_back_with_their_metadata(store: EventStore) -> None:
    stored = article(published=date(2024, 3, 12), published_reason="manifest", title="Depot hit",
                     url="https://example.org/a", source="Example Wire", path="in/a.txt")
    store.add(stored, [])
    assert list(store.documents()) == [stored]


def test_counts_give_documents_events_and_events_per_kind(store: EventStore) -> None:
    store.add(article(), [event(), event(start=10), event(kind="clash", start=20)])
    store.add(article("doc-2"), [])
    assert store.counts() == {"documents": 2, "events": 3, "kind:clash": 1, "kind:strike": 2}


def test_events_are_ordered_by_date_then_document_then_offset_with_undated_last(store: EventStore) -> None:
    late = event(start=0, day=date(2024, 3, 14))
    undated = event(start=5, day=None)
    second = event(start=30)
    first = event(start=10)
    other_doc = event("doc-0", start=50)
    store.add(article(), [late, undated, second, first])
    store.add(article("doc-0"), [other_doc])
    assert ids(store.events()) == ids(iter([other_doc, first, second, late, undated]))


def test_kind_filter(store: EventStore) -> None:
    store.add(article(), [event(), event(kind="clash", start=10)])
    assert [e.kind for e in store.events(kind="clash")] == ["clash"]


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        (date(2024, 3, 1), date(2024, 3, 9), ["span"]),
        (date(2024, 3, 10), date(2024, 3, 10), ["span"]),
        (date(2024, 3, 11), None, ["day"]),
        (None, date(2024, 3, 4), ["span"]),
        (date(2024, 3, 13), None, []),
    ],
)
def test_date_range_selects_events_whose_span_overlaps_it(
    store: EventStore, date_from: date | None, date_to: date | None, expected: list[str]
) -> None:
    span = event(kind="span", day=date(2024, 3, 4), end=date(2024, 3, 10))
    day = event(kind="day", start=10, day=date(2024, 3, 12))
    store.add(article(), [span, day, event(kind="undated", start=20, day=None)])
    assert [e.kind for e in store.events(date_from=date_from, date_to=date_to)] == expected


def test_place_filter_matches_the_name_case_insensitively_beyond_ascii(store: EventStore) -> None:
    store.add(article(), [event(location=place("Łódka")), event(start=10, location=place("Brevik"))])
    assert [e.location.name for e in store.events(place="łÓDKA") if e.location] == ["Łódka"]
    assert list(store.events(place="Łód")) == []


@pytest.mark.parametrize("wanted", ["UA-63", "ua-63", "Kharkiv Oblast", "kharkiv oblast"])
def test_admin1_filter_matches_the_iso_code_or_the_name(store: EventStore, wanted: str) -> None:
    store.add(article(), [event(location=place("Brevik")),
                          event(start=10, location=place("Osterfeld", "Donetsk Oblast", "UA-14"))])
    assert [e.location.name for e in store.events(admin1=wanted) if e.location] == ["Brevik"]


def test_claimant_filter_is_a_case_insensitive_substring(store: EventStore) -> None:
    store.add(article(), [event(claimant="Ministry of Defence of Examplestan"),
                          event(start=10, claimant="Governor Anna Lind"), event(start=20)])
    assert [e.claimant for e in store.events(claimant="DEFENCE")] == ["Ministry of Defence of Examplestan"]


def test_doc_id_filter_and_limit(store: EventStore) -> None:
    store.add(article(), [event(start=0), event(start=10), event(start=20)])
    store.add(article("doc-2"), [event("doc-2")])
    assert [e.evidence.start for e in store.events(doc_id="doc-1", limit=2)] == [0, 10]
    assert list(store.events(limit=0)) == []


def test_negative_limit_is_rejected(store: EventStore) -> None:
    with pytest.raises(ValueError):
        store.events(limit=-1)


def test_filter_values_are_data_not_sql(store: EventStore) -> None:
    store.add(article(), [event(claimant="The ministry")])
    assert list(store.events(claimant="'; DROP TABLE events; --")) == []
    assert list(store.events(place="x' OR '1'='1")) == []
    assert store.counts()["events"] == 1


# SQLite specifics

def test_sqlite_store_persists_across_connections(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    with open_store(path) as first:
        first.add(article(), [event()])
    with open_store(path) as second:
        assert second.counts()["events"] == 1
        assert second.add(article(), [event()]) is False


def test_sqlite_store_uses_wal_normal_sync_foreign_keys_and_a_schema_version(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "events.db") as store:
        db = store._db()
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 1
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1


def test_failed_add_rolls_back_the_whole_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import claimline.store.sqlite as sqlite_module

    with SQLiteStore(tmp_path / "events.db") as store:
        monkeypatch.setattr(sqlite_module, "_event_row", _raise)
        with pytest.raises(RuntimeError):
            store.add(article(), [event()])
        assert store.counts() == {"documents": 0, "events": 0}


def test_replacing_a_document_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import claimline.store.sqlite as sqlite_module

    with SQLiteStore(tmp_path / "events.db") as store:
        store.add(article(), [event()])
        monkeypatch.setattr(sqlite_module, "_event_row", _raise)
        with pytest.raises(RuntimeError):
            store.add(article(text="Changed text."), [event()])
        assert [a.text for a in store.documents()] == [TEXT]
        assert store.counts()["events"] == 1


def _raise(e: Event) -> tuple[object, ...]:
    raise RuntimeError("interrupted")


@pytest.mark.parametrize(
    "content", [b"this is not a database, just text\n" * 100, b"SQLite format 3\x00" + b"\xff" * 4000]
)
def test_corrupt_file_raises_store_error_naming_the_path(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=str(path)):
        SQLiteStore(path)


def test_database_from_a_newer_claimline_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer"):
        SQLiteStore(path)


def test_unwritable_location_raises_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="missing"):
        SQLiteStore(tmp_path / "missing" / "events.db")


def test_closed_store_raises_store_error(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "events.db")
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.counts()


def test_context_manager_closes_the_store(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "events.db") as store:
        pass
    with pytest.raises(StoreError):
        store.add(article(), [])


def test_stored_record_is_queryable_json(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    with SQLiteStore(path) as store:
        store.add(article(), [event(location=place("Brevik"))])
    with closing(sqlite3.connect(path)) as db:
        sql = "SELECT json_extract(record, '$.location.name'), location_name, lat FROM events"
        row = db.execute(sql).fetchone()
    assert row == ("Brevik", "Brevik", 49.9)


def test_events_survive_a_round_trip_with_every_field(tmp_path: Path) -> None:
    full = replace(
        event(location=place("Brevik"), claimant="Made-up Ministry", end=date(2024, 3, 13)),
        actor1="Army of Examplestan", actor2="Civilians", attribution="claimed", attribution_cue="said",
        acled_event_type="Explosions/Remote violence", acled_sub_event_type="Air/drone strike",
        fatalities=0, historical=True, source="Example Wire", url="https://example.org/a",
    )
    with SQLiteStore(tmp_path / "events.db") as store:
        store.add(article(), [full])
        assert list(store.events()) == [full]

