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
    not_events_reported: int = 0
    not_events: int = 0

    def to_record(self) -> dict[str, Any]:
        return {
            "matched_mentions": self.matched_mentions, "gold_mentions": self.gold_mentions,
            "pair_precision": round(self.pair_precision, 3), "pair_recall": round(self.pair_recall, 3),
            "contradictions_found": self.contradictions_found, "contradictions": self.contradictions,
            "missed_contradictions": list(self.missed_contradictions),
            "not_events_reported": self.not_events_reported, "not_events": self.not_events,
        }


def load_gold(path: Path) -> dict[str, Any]:
    try:
        gold: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read gold clusters ({exc})", path=str(path)) from exc
    if "clusters" not in gold:
        raise InputError("no 'clusters' in the gold file", path=str(path))
    return gold


@dataclass(frozen=True, slots=True)
class _Mention:
    cluster: str
    doc_id: str
    anchor: str
    kinds: frozenset[str]


def _mentions(gold: dict[str, Any]) -> list[_Mention]:
    return [
        _Mention(str(c["id"]), m["doc_id"], " ".join(m["anchor"].split()).lower(),
                 frozenset({c["kind"], *c.get("alt_kinds", [])}))
        for c in gold["clusters"] for m in c["mentions"]
    ]


def _tells(event: Event, mention: _Mention) -> bool:
    """The event states this mention: same document, a kind the cluster allows, anchor in the evidence."""
    return (event.doc_id == mention.doc_id and event.kind in mention.kinds
            and mention.anchor in " ".join(event.evidence.text.split()).lower())


def score_merge(articles: Sequence[Article], events: Sequence[Event], gold: dict[str, Any]) -> MergeScore:
    """Pairwise scores over gold mentions: two matched mentions are predicted together when an event
    of one and an event of the other share a cluster (a mention told by several events, one per
    place, is represented by all of them)."""
    published = {a.doc_id: a.published for a in articles}
    clusters = cluster_claims(Telling(e, published.get(e.doc_id)) for e in events)
    predicted_of = {t.event.event_id: c for c in clusters for t in c.tellings}
    by_doc: dict[str, list[Event]] = {}
    for event in events:
        by_doc.setdefault(event.doc_id, []).append(event)
    mentions = _mentions(gold)
    told: list[tuple[_Mention, frozenset[str]]] = []
    for mention in mentions:
        clusters_told = frozenset(predicted_of[e.event_id].cluster_id for e in by_doc.get(mention.doc_id, [])
                                  if _tells(e, mention))
        if clusters_told:
            told.append((mention, clusters_told))
    true_pos = false_pos = false_neg = 0
    for (a, a_clusters), (b, b_clusters) in combinations(told, 2):
        same_gold = a.cluster == b.cluster
        same_predicted = bool(a_clusters & b_clusters)
        true_pos += same_gold and same_predicted
        false_pos += same_predicted and not same_gold
        false_neg += same_gold and not same_predicted
    found, missed = _contradictions_found(gold, told, {c.cluster_id: c for c in clusters})
    return MergeScore(
        matched_mentions=len(told), gold_mentions=len(mentions),
        pair_precision=true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0,
        pair_recall=true_pos / (true_pos + false_neg) if true_pos + false_neg else 1.0,
        contradictions_found=found, contradictions=len(gold.get("contradictions", [])),
        missed_contradictions=tuple(missed),
        not_events_reported=_not_events_reported(gold, by_doc), not_events=len(gold.get("not_events", [])),
    )


def _not_events_reported(gold: dict[str, Any], by_doc: dict[str, list[Event]]) -> int:
    """Recaps, hypotheses and general remarks the gold lists as no event, reported as a new event
    anyway (an event marked historical is not new)."""
    reported = 0
    for item in gold.get("not_events", []):
        anchor = " ".join(item["anchor"].split()).lower()
        reported += any(not e.historical and anchor in " ".join(e.evidence.text.split()).lower()
                        for e in by_doc.get(item["doc_id"], []))
    return reported


def _contradictions_found(
    gold: dict[str, Any], told: list[tuple[_Mention, frozenset[str]]], by_id: dict[str, ClaimCluster]
) -> tuple[int, list[str]]:
    found, missed = 0, []
    for planted in gold.get("contradictions", []):
        side_a = {cid for m, cids in told if m.cluster == planted["a"] for cid in cids}
        side_b = {cid for m, cids in told if m.cluster == planted["b"] for cid in cids}
        linked = any(
            c.other in side_b or (c.other == cid and planted["a"] == planted["b"])
            for cid in side_a for c in by_id[cid].contradictions
        )
        if linked:
            found += 1
        else:
            missed.append(f"{planted['a']}/{planted['b']}: {planted.get('why', '')}")
    return found, missed
