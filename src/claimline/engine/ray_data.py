"""The Ray engine: the same pipeline on Ray Data workers, one Pipeline per worker.

The driver reads the inputs (so bad input is reported exactly as the local engine reports it),
sends the articles through `map_batches` to a pool of `workers` actors and puts the events back in
input order, so the output is the local engine's, event for event.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import socket
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from claimline.config import PipelineConfig
from claimline.engine.local import Outcome
from claimline.errors import BackendUnavailable, ConfigError, InputError
from claimline.model import Article, Event
from claimline.pipeline import Pipeline

INSTALL_HINT = "pip install 'claimline[ray]'"
# Small batches keep every worker busy to the end; an article takes milliseconds to a second.
BATCH_SIZE = 4
BLOCKS_PER_WORKER = 4
CONNECT_TIMEOUT_S = 5.0
# The driver holds one window of inputs at a time. Each window starts the workers afresh (seconds:
# imports, the gazetteer), so a window gives each worker minutes of work: 5,000 articles of 5 KB.
WINDOW_PER_WORKER = 5_000
WINDOW_MIN_ARTICLES = 10_000
WINDOW_CHARACTERS = 400_000_000  # bounds a window of long documents
AUTH_MODE_VARIABLE = "RAY_AUTH_MODE"


class RayEngine:
    """Runs the pipeline with Ray Data on a local Ray started for the run, or on the cluster at `address`."""

    def __init__(self, config: PipelineConfig, *, address: str | None = None, workers: int | None = None) -> None:
        if workers is not None and workers < 1:
            raise ConfigError(f"must be at least 1, not {workers}", key="--workers")
        _import_ray()  # fail before any input is read when Ray is not installed
        self.config = config
        self.address = address
        self.workers = workers

    def run(self, items: Iterable[Article | InputError]) -> Iterator[Outcome]:
        """The inputs a window at a time, so that the command's memory does not grow with the corpus.
        Ray starts at the first article (a run with none never starts it) and serves every window."""
        stream = iter(items)
        for item in stream:
            if isinstance(item, InputError):
                yield item
                continue
            with _ray_session(self.address, self.workers) as workers:
                size = max(WINDOW_MIN_ARTICLES, WINDOW_PER_WORKER * workers)
                for window in _windows(itertools.chain([item], stream), size):
                    yield from self._window(window, workers)
            return

    def _window(self, window: list[Article | InputError], workers: int) -> Iterator[Outcome]:
        articles = [(position, item) for position, item in enumerate(window) if isinstance(item, Article)]
        if not articles:  # the input errors after the last article
            yield from (item for item in window if isinstance(item, InputError))
            return
        yield from _in_input_order(window, _events_from_workers(articles, self.config, workers))


def _windows(items: Iterator[Article | InputError], size: int) -> Iterator[list[Article | InputError]]:
    """The inputs in windows of `size` articles, or fewer once they hold WINDOW_CHARACTERS of text;
    input errors travel in the window they came in."""
    window: list[Article | InputError] = []
    articles = characters = 0
    for item in items:
        window.append(item)
        if isinstance(item, Article):
            articles += 1
            characters += len(item.text)
            if articles >= size or characters >= WINDOW_CHARACTERS:
                yield window
                window, articles, characters = [], 0, 0
    if window:
        yield window


class ArticleReader:
    """The Ray Data UDF: builds the pipeline once per worker, then turns article records into events."""

    def __init__(self, config: PipelineConfig) -> None:
        self.pipeline = Pipeline(config)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        events = [self.pipeline.process(article_from_record(json.loads(str(raw)))) for raw in batch["article"]]
        return {
            "position": [int(position) for position in batch["position"]],
            "events": [json.dumps([event.to_record() for event in found], ensure_ascii=False) for found in events],
        }


def article_record(article: Article) -> dict[str, Any]:
    """An Article as a JSON-ready dict (what travels to the workers)."""
    return {
        "doc_id": article.doc_id, "text": article.text,
        "published": article.published.isoformat() if article.published else None,
        "published_reason": article.published_reason, "title": article.title, "url": article.url,
        "source": article.source, "path": article.path,
    }


def article_from_record(record: dict[str, Any]) -> Article:
    published = record.get("published")
    return Article(**{**record, "published": date.fromisoformat(published) if published else None})


def _import_ray() -> Any:
    try:
        import ray
        import ray.data  # Ray without its data extra cannot run the engine
    except ImportError as exc:
        raise BackendUnavailable("ray", install=INSTALL_HINT) from exc
    return ray


@contextmanager
def _ray_session(address: str | None, workers: int | None) -> Iterator[int]:
    """Ray for the run, yielding the number of workers to use; a Ray this run started is shut down after.

    A Ray already initialised in this process (a notebook, a test) is used as it is.
    """
    ray = _import_ray()
    started = not ray.is_initialized()
    if started:
        _start_ray(ray, address, workers)
    try:
        yield workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
    finally:
        if started:
            ray.shutdown()


def _start_ray(ray: Any, address: str | None, workers: int | None) -> None:
    # "local" always starts a new Ray: plain ray.init() would join any cluster `ray start` left running
    options: dict[str, Any] = {"address": address or "local", "include_dashboard": False,
                               "logging_level": logging.WARNING, "log_to_driver": False}
    if address is None and workers is not None:
        options["num_cpus"] = workers
    if address is not None:
        _check_reachable(address)
    try:
        ray.init(**options)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        if address is not None and _refused_for_its_token(exc):
            raise ConfigError(_token_advice(address), key="--ray-address") from exc
        where = f"the Ray cluster at {address}" if address else "a local Ray"
        raise ConfigError(f"cannot start or reach {where}: {exc}", key="--ray-address") from exc


def _refused_for_its_token(exc: BaseException) -> bool:
    """Whether the cluster turned this process away for want of its token (or for a wrong one).

    Ray wraps the refusal twice and keeps only the text of the first error, so the name is looked
    for in every message of the chain."""
    chain: list[BaseException] = []
    link: BaseException | None = exc
    while link is not None and link not in chain:
        chain.append(link)
        link = link.__cause__ or link.__context__
    return any(type(e).__name__ == "AuthenticationError" or "InvalidAuthToken" in str(e) for e in chain)


def _token_advice(address: str) -> str:
    # Ray sends the local token to an address given by hand only in token mode, so that a mistyped
    # address never receives it: a cluster started with `ray start --head` needs the mode set here.
    if os.environ.get(AUTH_MODE_VARIABLE, "").lower() != "token":
        return (f"the Ray cluster at {address} asks for its token, which Ray sends to an address given "
                f"by hand only with {AUTH_MODE_VARIABLE}=token: set it, with the head node's "
                "~/.ray/auth_token copied to this machine (or RAY_AUTH_TOKEN set to its content)")
    return (f"the Ray cluster at {address} refused this machine's token: copy the head node's "
            "~/.ray/auth_token here, or set RAY_AUTH_TOKEN to its content")


def _check_reachable(address: str) -> None:
    """Fail at once on a host:port nothing listens on: ray.init would wait for it without end."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # "auto" and other forms Ray resolves itself
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise ConfigError(f"cannot reach the Ray cluster at {address} ({exc.strerror or exc})",
                          key="--ray-address") from exc


def _events_from_workers(
    articles: list[tuple[int, Article]], config: PipelineConfig, workers: int
) -> Iterator[tuple[int, list[Event]]]:
    """(position, events) for each article, in the order the workers finish them."""
    import ray.data

    logging.getLogger("ray.data").setLevel(logging.ERROR)
    ray.data.DataContext.get_current().enable_progress_bars = False  # the command shows its own
    records = [{"position": position, "article": json.dumps(article_record(article), ensure_ascii=False)}
               for position, article in articles]
    dataset = ray.data.from_items(records, override_num_blocks=min(len(records), workers * BLOCKS_PER_WORKER))
    with warnings.catch_warnings():
        # max_restarts is only reachable through the deprecated **ray_remote_args (pinned Ray 2.60)
        warnings.simplefilter("ignore", DeprecationWarning)
        read = dataset.map_batches(
            ArticleReader, fn_constructor_kwargs={"config": config}, compute=ray.data.ActorPoolStrategy(size=workers),
            num_cpus=1, batch_size=BATCH_SIZE, batch_format="numpy",
            # Ray could not give a restarted worker its constructor arguments back: fail the run instead
            max_restarts=0,
        )
    for row in read.iter_rows():
        yield int(row["position"]), [Event.from_record(record) for record in json.loads(row["events"])]


def _in_input_order(
    inputs: list[Article | InputError], results: Iterator[tuple[int, list[Event]]]
) -> Iterator[Outcome]:
    """Each input with its events as soon as every input before it is done."""
    done: dict[int, list[Event]] = {}
    for position, item in enumerate(inputs):
        if isinstance(item, InputError):
            yield item
            continue
        while position not in done:
            finished, events = next(results)
            done[finished] = events
        yield item, done.pop(position)
