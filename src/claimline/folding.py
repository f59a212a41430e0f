"""Case-folded tests that stand in for case-blind (?i) patterns.

A (?i) pattern is slow: its choices cannot be rejected at their first letter. A plain word test on
the lower-cased text, or the pattern without (?i) on it, finds the same far sooner, except in text
holding a letter that (?i) reads differently from lower() ("İ", "ı", "ſ"): there the tests answer
"may match" and the pattern decides.
"""

from __future__ import annotations

import re

__all__ = ["case_folded", "for_folded_text", "holds_any", "may_contain", "may_end_with"]


def case_folded(text: str) -> str | None:
    """`text` in lower case when looking for lower-case ASCII words in it finds what a (?i) pattern
    finds; None when it holds a letter that (?i) reads differently: "İ", "ı" and "ſ" match "i", "i"
    and "s", which lower() does not make of them ("İ" even grows)."""
    return None if "İ" in text or "ı" in text or "ſ" in text else text.lower()


def for_folded_text(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` without (?i), for `case_folded` text: it matches there where `pattern` matches in the
    text, lower-case ASCII being all it spells (lower() keeps letters, digits and spaces what they are).
    Without (?i) its choices are rejected at their first letter, many times faster."""
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


def holds_any(folded: str | None, words: tuple[str, ...]) -> bool:
    """False only when the `case_folded` text holds none of these lower-case words."""
    return folded is None or any(map(folded.__contains__, words))


def may_contain(text: str, words: tuple[str, ...]) -> bool:
    """False only when no (?i) pattern can find any of these lower-case words in `text`: a cheap test
    that spares a pattern whose every match holds one of them."""
    return holds_any(case_folded(text), words)


def may_end_with(text: str, words: tuple[str, ...]) -> bool:
    """False only when `text`, without its closing spaces, cannot end in one of these lower-case words for
    a (?i) pattern."""
    lowered = case_folded(text)
    return lowered is None or lowered.rstrip().endswith(words)
