"""How well claims are merged across reports: pairwise precision and recall against gold clusters,
and the share of planted contradictions found (`claimline eval claims`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from claimline.errors import InputError
from claimline.merge import ClaimCluster, Telling, cluster_claims
from claimline.model import Article, Event


@dataclass(frozen=True, slots=True)
class MergeScore:
    matched_mentions: int
    gold_mentions: int
    pair_precision: float
    pair_recall: float
    contradictions_found: int
    contradictions: int
    missed_contradictions: tuple[str, ...]

    def to_record(self) -> dict[str, Any]:
        return {
            "matched_mentions": self.matched_mentions, "gold_mentions": self.gold_mentions,
            "pair_precision": round(self.pair_precision, 3), "pair_recall": round(self.pair_recall, 3),
            "contradictions_found": self.contradictions_found, "contradictions": self.contradictions,
            "missed_contradictions": list(self.missed_contradictions),
        }


def load_gold(path: Path) -> dict[str, Any]:
    try:
        gold: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read gold clusters ({exc})", path=str(path)) from exc
    if "clusters" not in gold:
        raise InputError("no 'clusters' in the gold file", path=str(path))
    return gold


def _gold_cluster_of(event: Event, gold: dict[str, Any]) -> str | None:
    """The gold cluster one of whose mentions this event tells (same document, anchor in the evidence)."""
    evidence = " ".join(event.evidence.text.split()).lower()
    for cluster in gold["clusters"]:
        kinds = {cluster["kind"], *cluster.get("alt_kinds", [])}
        if event.kind not in kinds:
            continue
        for mention in cluster["mentions"]:
            if mention["doc_id"] == event.doc_id and " ".join(mention["anchor"].split()).lower() in evidence:
                return str(cluster["id"])
    return None


def score_merge(articles: Sequence[Article], events: Sequence[Event], gold: dict[str, Any]) -> MergeScore:
    published = {a.doc_id: a.published for a in articles}
    clusters = cluster_claims(Telling(e, published.get(e.doc_id)) for e in events)
    predicted_of = {t.event.event_id: c for c in clusters for t in c.tellings}
    matched = [(e, g) for e in events if (g := _gold_cluster_of(e, gold)) is not None]
    true_pos = false_pos = false_neg = 0
    for (a, gold_a), (b, gold_b) in combinations(matched, 2):
        same_gold = gold_a == gold_b
        same_predicted = predicted_of[a.event_id] is predicted_of[b.event_id]
        true_pos += same_gold and same_predicted
        false_pos += same_predicted and not same_gold
        false_neg += same_gold and not same_predicted
    found, missed = _contradictions_found(gold, matched, predicted_of)
    mentions = sum(len(c["mentions"]) for c in gold["clusters"])
    return MergeScore(
        matched_mentions=len(matched), gold_mentions=mentions,
        pair_precision=true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0,
        pair_recall=true_pos / (true_pos + false_neg) if true_pos + false_neg else 1.0,
        contradictions_found=found, contradictions=len(gold.get("contradictions", [])),
        missed_contradictions=tuple(missed),
    )


def _contradictions_found(
    gold: dict[str, Any], matched: list[tuple[Event, str]], predicted_of: dict[str, ClaimCluster]
) -> tuple[int, list[str]]:
    found, missed = 0, []
    by_id = {cluster.cluster_id: cluster for cluster in predicted_of.values()}
    for planted in gold.get("contradictions", []):
        side_a = {predicted_of[e.event_id].cluster_id for e, g in matched if g == planted["a"]}
        side_b = {predicted_of[e.event_id].cluster_id for e, g in matched if g == planted["b"]}
        linked = any(
            c.other in side_b or (c.other == cid and planted["a"] == planted["b"])
            for cid in side_a for c in by_id[cid].contradictions
        )
        if linked:
            found += 1
        else:
            missed.append(f"{planted['a']}/{planted['b']}: {planted.get('why', '')}")
    return found, missed

