"""Pipeline.run(articles) → events: the stages wired in one direction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from claimline import registry
from claimline.config import PipelineConfig
from claimline.model import Article, DateMention, Event, PlaceMention, Sentence
from claimline.stages import DateResolver, EventExtractor, Geocoder, Segmenter


@dataclass(frozen=True, slots=True)
class Reading:
    """Everything the pipeline made of one article."""

    article: Article
    sentences: list[Sentence]
    places: list[PlaceMention]
    dates: list[DateMention]
    events: list[Event]


class Pipeline:
    """Runs the configured backends over articles; reuse one instance for many articles."""

    def __init__(self, config: PipelineConfig | None = None) -> None:
        self.config = config or PipelineConfig()
        self._segmenter: Segmenter | None = None
        self._geocoder: Geocoder | None = None
        self._dates: DateResolver | None = None
        self._events: EventExtractor | None = None

    def _stage(self, stage: str) -> object:
        name = self.config.backends[stage]
        return registry.create(name, **dict(self.config.options.get(stage, {})))

    @property
    def segmenter(self) -> Segmenter:
        if self._segmenter is None:
            self._segmenter = self._stage("segmenter")  # type: ignore[assignment]
        assert self._segmenter is not None
        return self._segmenter

    @property
    def geocoder(self) -> Geocoder:
        if self._geocoder is None:
            self._geocoder = self._stage("geocoder")  # type: ignore[assignment]
        assert self._geocoder is not None
        return self._geocoder

    @property
    def dates(self) -> DateResolver:
        if self._dates is None:
            self._dates = self._stage("dates")  # type: ignore[assignment]
        assert self._dates is not None
        return self._dates

    @property
    def extractor(self) -> EventExtractor:
        if self._events is None:
            self._events = self._stage("events")  # type: ignore[assignment]
        assert self._events is not None
        return self._events

    def read(self, article: Article) -> Reading:
        """Run every stage over one article."""
        sentences = self.segmenter.sentences(article)
        places = self.geocoder.places(article, sentences)
        dates = self.dates.mentions(article, sentences)
        events = self.extractor.events(article, sentences, places, dates)
        return Reading(article, sentences, places, dates, events)

    def process(self, article: Article) -> list[Event]:
        return self.read(article).events

    def run(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event]]]:
        for article in articles:
            yield article, self.process(article)
