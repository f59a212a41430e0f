"""Texts the fast-path tests run the fast and the slow ways over: the date table, the example corpus,
template articles, and each in other cases, spacings and letters that lower-casing keeps apart."""

from __future__ import annotations

import json
import re
from pathlib import Path

from claimline import when
from claimline.synthetic import TemplateCorpus

ROOT = Path(__file__).resolve().parents[1]


def sample_texts() -> list[str]:
    texts = [json.loads(line)["text"] for line in
             (ROOT / "tests" / "fixtures" / "dates.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += [path.read_text(encoding="utf-8") for path in sorted((ROOT / "examples" / "corpus").glob("*.txt"))]
    texts += [article.text for article in TemplateCorpus(6)]
    return texts


def sample_sentences() -> list[str]:
    """The sample texts cut after each sentence stop and at each line break."""
    return [piece for text in sample_texts() for piece in re.split(r"(?<=[.!?])\s+|\n", text) if piece.strip()]


def variants(text: str) -> list[str]:
    """The text as written and in other cases and spacings, some with letters that lower-casing keeps apart."""
    return [text, text.upper(), text.lower(), text.title(), text.replace(" ", "  "), text.replace(". ", ".\n"),
            text.replace("i", "ı", 2), text.replace("s", "ſ", 2), text.replace("I", "İ", 2), text.replace("1", "١"),
            text.replace("a", "Σ", 3)]


def date_rule_matches_not_admitted(texts: list[str]) -> tuple[int, list[tuple[str, str]]]:
    """How many date-rule matches the texts hold, and those whose rule the fast path (cues and
    probes, `when._rules_for`) would not have run."""
    checked, missed = 0, []
    for text in texts:
        admitted = {id(rule) for rule in when._rules_for(text)}
        for rule in when._RULES:
            if rule.pattern.search(text):
                checked += 1
                if id(rule) not in admitted:
                    missed.append((rule.resolve.__name__, text))
    return checked, missed
