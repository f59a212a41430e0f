"""The event store, ready for Datasette: a full-text index over the evidence, and metadata with
column descriptions, facets and the search settings.

    claimline datasette --db claimline.db        # writes claimline.metadata.json, then:
    datasette claimline.db --metadata claimline.metadata.json

The index is the FTS5 table `evidence_fts` (evidence sentence, place, claimant), keyed by the rowid
of `events` and kept in step with it by triggers, so later `claimline ingest` runs stay searchable.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from claimline.errors import StoreError
from claimline.store.sqlite import EVIDENCE_INDEX_SQL, FTS_TABLE

__all__ = ["EVENT_COLUMNS", "FACETS", "FTS_TABLE", "ensure_search_index", "metadata", "prepare"]

FACETS: tuple[str, ...] = ("kind", "attribution", "admin1_iso", "claimant", "time_precision")

EVENT_COLUMNS: dict[str, str] = {
    "event_id": "Stable id: the same document, kind, evidence span, place and day give the same id",
    "doc_id": "The document the event was read from (see the documents table)",
    "kind": "territory, clash, strike, interception, casualties, statement, diplomacy, sanctions, aid, "
            "policy or other",
    "date": "First day the event happened (ISO 8601), resolved against the publication date",
    "date_end": "Last day when the date is a span, else empty",
    "time_precision": "How precise the date is: day, week, month or year",
    "claimant": "Who says so (empty when the report asserts it in its own voice)",
    "claimant_key": "The claimant case-folded, for filtering",
    "attribution": "How the claim is attributed: asserted, claimed, hedged, unverified, disputed or denied",
    "admin1": "First-level region (oblast) of the place",
    "admin1_key": "The region case-folded, for filtering",
    "admin1_iso": "ISO 3166-2 code of the region, e.g. UA-14",
    "country_code": "ISO 3166-1 alpha-2 code of the country",
    "location_name": "The place the event happened at, as the gazetteer names it",
    "location_key": "The place case-folded, for filtering",
    "lat": "Latitude (WGS 84)",
    "lon": "Longitude (WGS 84)",
    "evidence_start": "Character offset where the evidence sentence starts in the document text",
    "evidence_end": "Character offset where the evidence sentence ends",
    "record": "The whole event record as JSON (quantities, actors, reasons for the place and date, evidence)",
}

DOCUMENT_COLUMNS: dict[str, str] = {
    "doc_id": "Document id (file stem or the record's id)",
    "content_hash": "Fingerprint of the text and metadata; an unchanged document is not re-ingested",
    "text": "The document text as read; event offsets point into it",
    "published": "Publication date against which relative dates were resolved",
    "published_reason": "How the publication date was found",
    "title": "Title", "url": "Address of the report", "source": "Publisher",
    "path": "The file it was read from", "ingested_at": "When it was stored (UTC)",
}

def ensure_search_index(db_path: str | Path) -> int:
    """Create (or rebuild) the evidence full-text index of an existing store; returns the rows indexed."""
    path = Path(db_path)
    if not path.is_file():
        raise StoreError(f"{path}: no such event store; run `claimline ingest` first")
    try:
        with closing(sqlite3.connect(path, timeout=30.0, isolation_level=None)) as db:
            if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").fetchone() is None:
                raise StoreError(f"{path}: not a claimline event store (no events table)")
            # the store's own index script: creates what is missing, then refills it from `events`
            db.executescript(f"BEGIN IMMEDIATE; {EVIDENCE_INDEX_SQL} COMMIT;")
            return int(db.execute(f"SELECT count(*) FROM {FTS_TABLE}").fetchone()[0])
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot build the search index ({exc})") from exc


def metadata(db_path: str | Path, *, title: str = "claimline events") -> dict[str, Any]:
    """Datasette metadata for the store: descriptions of every column, facets, search over evidence."""
    return {
        "title": title,
        "description": "Who claims what happened, where and when: one row per claimed event.",
        "about": "claimline",
        "databases": {
            Path(db_path).stem: {
                "tables": {
                    "events": {
                        "description": "One row per claimed event; search looks in the evidence sentence, "
                                       "the place and the claimant.",
                        "columns": EVENT_COLUMNS,
                        "facets": list(FACETS),
                        "sort_desc": "date",
                        "fts_table": FTS_TABLE,
                        "fts_pk": "rowid",
                        "label_column": "location_name",
                    },
                    "documents": {
                        "description": "The reports the events were read from.",
                        "columns": DOCUMENT_COLUMNS,
                        "facets": ["source", "published_reason"],
                        "sort_desc": "published",
                        "label_column": "title",
                    },
                    FTS_TABLE: {"hidden": True},
                },
            },
        },
    }


def prepare(db_path: str | Path, metadata_path: str | Path) -> int:
    """Build the search index and write the metadata JSON; returns the events indexed."""
    indexed = ensure_search_index(db_path)
    text = json.dumps(metadata(db_path), ensure_ascii=False, indent=2) + "\n"
    try:
        Path(metadata_path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"{metadata_path}: cannot write the Datasette metadata ({exc.strerror})") from exc
    return indexed
