"""What the pipeline would cost if one part of it cost nothing: the most a redesign of that part could give.

That part's answers are looked up from a pass made beforehand (an oracle); everything else runs as
usual. CPU time per KB, best of several passes, over a corpus of your own and the template corpus:

    .venv/bin/python benchmarks/oracle.py CORPUS [--manifest CSV] [--rounds N] [--size N]

The parts: trigger finding, attribution, numbers (quantities), finding place names, the whole places
stage, the whole dates stage, and combinations. Results of the sixth round: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path

from claimline import events, quantities
from claimline.bench import compiled_modules, forget_sentences, read_corpus, synthetic_articles
from claimline.model import Article, Event
from claimline.pipeline import Pipeline

PARTS = (
    (), ("triggers",), ("attribution",), ("quantities",), ("triggers", "attribution", "quantities"),
    ("place-names",), ("places",), ("dates",), ("places", "dates"),
)


def _by_document(stage: Callable[[Article, object], object]) -> Callable[[Article, object], object]:
    answers: dict[str, object] = {}

    def answered(article: Article, sentences: object) -> object:
        if article.doc_id not in answers:
            answers[article.doc_id] = stage(article, sentences)
        return answers[article.doc_id]
    return answered


@contextmanager
def _free_quantities() -> Iterator[None]:
    if vars(events).get("find_quantities") is not quantities.find_quantities:
        raise SystemExit("the events stage no longer reads numbers through events.find_quantities")
    answers: dict[str, tuple[object, ...]] = {}
    find = quantities.find_quantities

    def answered(text: str) -> tuple[object, ...]:
        if text not in answers:
            answers[text] = tuple(find(text))
        return answers[text]
    events.find_quantities = answered
    try:
        yield
    finally:
        events.find_quantities = find


def cost(free: Sequence[str], corpus: list[Article], passes: int, expected: list[list[Event]]) -> float:
    """Best CPU seconds of `passes` reads of `corpus` with the `free` parts answered by the oracle;
    the events must be `expected`, or the oracle timed a pipeline that does something else."""
    if compiled_modules():
        # a compiled module calls its functions directly, so answers put in their place go unread
        raise SystemExit("benchmarks/oracle.py times the pure-Python build only (pip install -e .); "
                         "this claimline is the compiled build")
    pipeline = Pipeline()
    if "places" in free:
        pipeline.geocoder.places = _by_document(pipeline.geocoder.places)
    if "dates" in free:
        pipeline.dates.mentions = _by_document(pipeline.dates.mentions)
    best = float("inf")
    with _free_quantities() if "quantities" in free else nullcontext():
        for article in corpus:
            pipeline.read(article)  # fills the oracles
        for _ in range(passes):
            forget_sentences(pipeline, keep=free)  # the free parts keep their memos
            started = time.process_time()
            found = [pipeline.read(article).events for article in corpus]
            best = min(best, time.process_time() - started)
            if found != expected:
                raise SystemExit(f"with {'+'.join(free)} answered by the oracle the events differ")
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, nargs="+", help="folders or files of articles")
    parser.add_argument("--manifest", type=Path, help="manifest CSV of the corpus")
    parser.add_argument("--rounds", type=int, default=2, help="rounds over every part (best is kept)")
    parser.add_argument("--size", type=int, default=100, help="template articles")
    args = parser.parse_args()
    corpora = (("corpus", read_corpus(args.corpus, args.manifest), 3),
               ("template", list(synthetic_articles(args.size, seed=3)), 1))
    for label, corpus, passes in corpora:
        kb = sum(len(article.text) for article in corpus) / 1000
        expected = [Pipeline().read(article).events for article in corpus]
        cost((), corpus, 1, expected)  # a first run is slower whatever it times
        best = {free: float("inf") for free in PARTS}
        for _ in range(args.rounds):
            for free in PARTS:
                best[free] = min(best[free], cost(free, corpus, passes, expected))
        for free in PARTS:
            print(f"{label:9s} {'+'.join(free) or 'nothing':34s} {1000 * best[free] / kb:6.3f} ms/KB"
                  f"  ×{best[()] / best[free]:.2f}", flush=True)


if __name__ == "__main__":
    main()
