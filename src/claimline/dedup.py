"""Exact and near-duplicate articles: a hash of the normalised text, and a MinHash signature over
word shingles whose agreement estimates the Jaccard similarity of two texts.

Syndicated copies of one wire story differ by a headline, a byline, a trimmed sentence: most of their
three-word shingles are shared, while two reports of the same event written apart share few.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

SHINGLE_WORDS = 3
PERMUTATIONS = 128
DEFAULT_SIMILARITY = 0.5
_SEED = 20250301
_WORD = re.compile(r"\w+")

Signature = npt.NDArray[np.uint32]


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What is kept of an article to recognise its copies."""

    doc_id: str
    exact: str
    signature: bytes  # PERMUTATIONS little-endian uint32 minima

    def minima(self) -> Signature:
        return np.frombuffer(self.signature, dtype="<u4")


@dataclass(frozen=True, slots=True)
class Duplicate:
    """The earlier article a text copies, and how alike they are (1.0: the same text)."""

    of: str
    similarity: float
    exact: bool


def fingerprint(doc_id: str, text: str) -> Fingerprint:
    words = _WORD.findall(text.casefold())
    exact = hashlib.sha256(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()[:32]
    return Fingerprint(doc_id, exact, _minhash(_shingles(words)).astype("<u4").tobytes())


def similarity(first: Fingerprint, second: Fingerprint) -> float:
    """Estimated Jaccard similarity of the two texts' word shingles."""
    return float(np.mean(first.minima() == second.minima()))


def _shingles(words: list[str]) -> set[str]:
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words)}
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def _permutations() -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    rng = np.random.default_rng(_SEED)
    multipliers = rng.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    offsets = rng.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)
    return multipliers, offsets


_MULTIPLIERS, _OFFSETS = _permutations()


def _minhash(shingles: set[str]) -> Signature:
    hashes = np.fromiter(
        (int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "little") for s in shingles),
        dtype=np.uint64, count=len(shingles),
    )
    # multiply-shift hashing: (a·x + b mod 2^64) >> 32 is a universal family for odd a
    permuted = (_MULTIPLIERS[:, None] * hashes[None, :] + _OFFSETS[:, None]) >> np.uint64(32)
    minima: Signature = permuted.min(axis=1).astype(np.uint32)
    return minima


class DuplicateIndex:
    """Fingerprints of the articles kept so far; finds the one a new article copies."""

    def __init__(self, threshold: float = DEFAULT_SIMILARITY, fingerprints: Iterable[Fingerprint] = ()) -> None:
        self.threshold = threshold
        self._by_exact: dict[str, str] = {}
        self._rows: dict[str, int] = {}
        self._doc_ids: list[str] = []
        self._minima: Signature = np.empty((16, PERMUTATIONS), dtype=np.uint32)
        for known in fingerprints:
            self.add(known)

    def __len__(self) -> int:
        return len(self._doc_ids)

    def find(self, candidate: Fingerprint) -> Duplicate | None:
        """The most similar earlier article at or above the threshold; an article never copies itself."""
        earlier = self._by_exact.get(candidate.exact)
        if earlier is not None and earlier != candidate.doc_id:
            return Duplicate(earlier, 1.0, exact=True)
        if not self._doc_ids:
            return None
        agreement = np.mean(self._minima[: len(self._doc_ids)] == candidate.minima(), axis=1)
        own = self._rows.get(candidate.doc_id)
        if own is not None:
            agreement[own] = -1.0
        best = int(np.argmax(agreement))
        if agreement[best] >= self.threshold:
            return Duplicate(self._doc_ids[best], float(agreement[best]), exact=False)
        return None

    def add(self, kept: Fingerprint) -> None:
        """Remember `kept`; a document seen before is remembered by its latest text."""
        row = self._rows.get(kept.doc_id)
        if row is None:
            row = len(self._doc_ids)
            self._rows[kept.doc_id] = row
            self._doc_ids.append(kept.doc_id)
            if row == len(self._minima):
                self._minima = np.concatenate([self._minima, np.empty_like(self._minima)])
        self._minima[row] = kept.minima()
        self._by_exact[kept.exact] = kept.doc_id
