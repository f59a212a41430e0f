"""benchmarks/oracle.py times the pipeline with parts answered from an earlier pass; it must keep
timing the same pipeline (the same events) as the code changes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from claimline.bench import compiled_modules, read_corpus
from claimline.model import Article
from claimline.pipeline import Pipeline
from scripts import load_script

ROOT = Path(__file__).resolve().parent.parent
COMPILED = bool(compiled_modules())


def _oracle() -> ModuleType:
    return load_script("oracle", ROOT / "benchmarks" / "oracle.py")


def _examples(count: int) -> list[Article]:
    return read_corpus([ROOT / "examples" / "corpus"], ROOT / "examples" / "corpus" / "manifest.csv")[:count]


@pytest.mark.skipif(COMPILED, reason="the oracle times the pure-Python build")
def test_every_part_made_free_leaves_the_events_as_they_were() -> None:
    oracle = _oracle()
    corpus = _examples(4)
    expected = [Pipeline().read(article).events for article in corpus]
    assert any(expected)
    for free in oracle.PARTS:
        assert oracle.cost(free, corpus, 1, expected) > 0


@pytest.mark.skipif(COMPILED, reason="the oracle times the pure-Python build")
def test_an_oracle_that_changed_the_events_stops_the_run() -> None:
    oracle = _oracle()
    corpus = _examples(2)
    with pytest.raises(SystemExit, match="differ"):
        oracle.cost(("places",), corpus, 1, [[] for _ in corpus])


@pytest.mark.skipif(not COMPILED, reason="this claimline is the pure-Python build")
def test_the_compiled_build_is_refused_with_a_reason() -> None:
    """Compiled modules call their functions directly: answers put in their place would go unread."""
    corpus = _examples(1)
    with pytest.raises(SystemExit, match="pure-Python build only"):
        _oracle().cost(("quantities",), corpus, 1, [[]])
