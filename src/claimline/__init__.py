"""claimline: who claims what happened, where and when, from war reports.

    from claimline import Pipeline, Article
    events = Pipeline().process(Article(doc_id="a1", text="…", published=date(2025, 3, 4)))
"""

from claimline.config import PipelineConfig
from claimline.errors import BackendUnavailable, ClaimlineError, ConfigError, InputError, StoreError
from claimline.model import Article, Event, Evidence, Location, When
from claimline.pipeline import Pipeline

__all__ = [
    "Article",
    "BackendUnavailable",
    "ClaimlineError",
    "ConfigError",
    "Event",
    "Evidence",
    "InputError",
    "Location",
    "Pipeline",
    "PipelineConfig",
    "StoreError",
    "When",
]
