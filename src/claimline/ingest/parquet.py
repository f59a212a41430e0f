"""Parquet shards: one document per row, with the same columns as a JSON Lines record dump."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from claimline.errors import InputError
from claimline.ingest.records import article_from_record
from claimline.model import Article

_BATCH_ROWS = 1024


def read_parquet(path: Path) -> Iterator[Article | InputError]:
    """An Article per row (columns `text` and `doc_id` or `id`); InputErrors name the row as the line."""
    try:
        shard = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        yield InputError(f"not a readable Parquet file ({exc})", path=str(path))
        return
    columns = set(shard.schema_arrow.names)
    if "text" not in columns:
        yield InputError("Parquet file has no 'text' column", path=str(path))
        return
    if not columns & {"doc_id", "id"}:
        yield InputError("Parquet file has no 'doc_id' or 'id' column", path=str(path))
        return
    row = 0
    try:
        for batch in shard.iter_batches(batch_size=_BATCH_ROWS):
            for record in batch.to_pylist():
                row += 1
                yield from article_from_record(_with_iso_dates(record), path, row)
    except (OSError, pa.ArrowException) as exc:
        yield InputError(f"cannot read Parquet data ({exc}); rest of file skipped", path=str(path), line=row + 1)


def _with_iso_dates(record: dict[str, Any]) -> dict[str, Any]:
    """A date or timestamp column reads as the day it names, as a string column would."""
    published = record.get("published")
    if isinstance(published, date):
        return {**record, "published": published.isoformat()}
    return record
