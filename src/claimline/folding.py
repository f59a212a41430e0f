"""Case-folded tests that stand in for case-blind (?i) patterns.

A (?i) pattern is slow: its choices cannot be rejected at their first letter. A plain word test on
the lower-cased text, or the pattern without (?i) on it, finds the same far sooner, except in text
holding a letter that (?i) reads differently from lower() ("İ", "ı", "ſ"): there the tests answer
"may match" and the pattern decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["case_folded", "for_folded_text", "holds_any", "lookalikes_folded", "may_contain", "may_end_with"]

# The letters (?i) matches with an ASCII letter that lower() does not turn into it.
_LOOKALIKES = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})

# Python's own str.lower, called through a name: mypyc compiles a plain `text.lower()` to its own
# routine, which lowers a word-final "Σ" to "σ" where Python gives "ς" (the compiled build, README)
_python_lower: Callable[[str], str] = str.lower


def case_folded(text: str) -> str | None:
    """`text` in lower case when looking for lower-case ASCII words in it finds what a (?i) pattern
    finds; None when it holds a letter that (?i) reads differently: "İ", "ı" and "ſ" match "i", "i"
    and "s", which lower() does not make of them ("İ" even grows)."""
    if text.isascii():  # a flag of the string: no scan, and none of the three letters can be in it
        return text.lower()
    return None if "İ" in text or "ı" in text or "ſ" in text else _python_lower(text)


def lookalikes_folded(text: str) -> str:
    """`text` in lower case with "İ", "ı" and "ſ" read as the ASCII letters (?i) matches them with:
    a word test on it admits whatever a (?i) pattern finds, where `case_folded` gives up."""
    return text.translate(_LOOKALIKES).lower()


def for_folded_text(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` without (?i), for `case_folded` text: it matches there where `pattern` matches in the
    text, lower-case ASCII being all it spells (lower() keeps letters, digits and spaces what they are).
    Without (?i) its choices are rejected at their first letter, many times faster."""
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


def holds_any(folded: str | None, words: tuple[str, ...]) -> bool:
    """False only when the `case_folded` text holds none of these lower-case words."""
    if folded is None:
        return True
    for word in words:  # noqa: SIM110 - any() over a generator or map() costs more than the few tests
        if word in folded:
            return True
    return False


def may_contain(text: str, words: tuple[str, ...]) -> bool:
    """False only when no (?i) pattern can find any of these lower-case words in `text`: a cheap test
    that spares a pattern whose every match holds one of them."""
    return holds_any(case_folded(text), words)


def may_end_with(text: str, words: tuple[str, ...]) -> bool:
    """False only when `text`, without its closing spaces, cannot end in one of these lower-case words for
    a (?i) pattern."""
    lowered = case_folded(text)
    return lowered is None or lowered.rstrip().endswith(words)
