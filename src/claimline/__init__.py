"""claimline: who claims what happened, where and when, from war reports.

    import claimline
    events = claimline.extract("examples/corpus", manifest="examples/corpus/manifest.csv")
    events.to_pandas()                      # one row per event; to_geopandas() with claimline[geo]

    pipeline = claimline.Pipeline()         # reuse one for many articles
    pipeline.process(claimline.Article(doc_id="a1", text="…", published=date(2025, 3, 4)))

    with claimline.open_store("claimline.db") as store:
        store.ingest("examples/corpus", manifest="examples/corpus/manifest.csv")
        store.events(kind="strike", admin1="UA-51")
"""

from claimline.api import Events, IngestReport, Source, Store, extract, open_store, read_articles
from claimline.config import Config, PipelineConfig
from claimline.errors import BackendUnavailable, ClaimlineError, ConfigError, InputError, StoreError
from claimline.model import Article, Event, Evidence, Location, When
from claimline.pipeline import Pipeline

__all__ = [
    "Article",
    "BackendUnavailable",
    "ClaimlineError",
    "Config",
    "ConfigError",
    "Event",
    "Events",
    "Evidence",
    "IngestReport",
    "InputError",
    "Location",
    "Pipeline",
    "PipelineConfig",
    "Source",
    "Store",
    "StoreError",
    "When",
    "extract",
    "open_store",
    "read_articles",
]
