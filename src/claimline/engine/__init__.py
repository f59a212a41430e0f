"""Engines run the pipeline over a stream of articles: in this process, or on Ray Data workers.

Every engine yields, in input order, each article with its events and each InputError in its place,
so what is written or stored does not depend on the engine.
"""

from __future__ import annotations

from claimline.engine.local import Engine, LocalEngine, Outcome
from claimline.errors import ConfigError
from claimline.pipeline import Pipeline

__all__ = ["ENGINES", "Engine", "LocalEngine", "Outcome", "make_engine"]

ENGINES = ("local", "ray")


def make_engine(
    name: str, pipeline: Pipeline, *, ray_address: str | None = None, workers: int | None = None
) -> Engine:
    """The engine called `name`; Ray is imported only when asked for."""
    if name == "local":
        if ray_address is not None or (workers is not None and workers != 1):
            raise ConfigError("--ray-address and --workers need --engine ray", key="--engine")
        return LocalEngine(pipeline)
    if name == "ray":
        from claimline.engine.ray_data import RayEngine

        return RayEngine(pipeline.config, address=ray_address, workers=workers)
    raise ConfigError(f"unknown engine {name!r}; known: {', '.join(ENGINES)}", key="--engine")
