"""The engine contract, and the local engine: one pipeline in this process, article after article."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from claimline.errors import InputError
from claimline.model import Article, Event
from claimline.pipeline import Pipeline

Outcome = tuple[Article, list[Event]] | InputError


class Engine(Protocol):
    def run(self, items: Iterable[Article | InputError]) -> Iterator[Outcome]:
        """Each article with its events and each InputError as it came, in input order."""
        ...


class LocalEngine:
    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    def run(self, items: Iterable[Article | InputError]) -> Iterator[Outcome]:
        for item in items:
            yield item if isinstance(item, InputError) else (item, self.pipeline.process(item))
