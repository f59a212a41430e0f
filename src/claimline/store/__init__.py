"""Event storage behind the `EventStore` protocol: SQLite by default, in memory for tests."""

from __future__ import annotations

from pathlib import Path

from claimline.store.memory import MemoryStore
from claimline.store.sqlite import SQLiteStore

__all__ = ["MemoryStore", "SQLiteStore", "open_store"]


def open_store(path: str | Path = "claimline.db") -> SQLiteStore:
    """Open (creating if needed) the SQLite event store at `path`; raises StoreError if it is unusable."""
    return SQLiteStore(path)
