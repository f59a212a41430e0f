"""Article → sentences with character offsets, page furniture marked.

Offsets always point into `Article.text` as read: nothing is removed from the text, furniture is
only flagged, and a leading metadata line (`date 2025-06-08`) is stepped over.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from claimline.folding import may_contain
from claimline.model import Article, Sentence

_METADATA_LINE = re.compile(r"\A\s*(?:date|published|dateline)\s*:?\s*\d{4}-\d{2}-\d{2}(?:[T ][\d:]+Z?)?\s*", re.I)

# A line made only of one of these is page furniture, never news.
_FURNITURE_LINES = re.compile(
    r"^\W*(?:advertisement|advert|sponsored(?: content)?|similar posts|related(?: posts| articles| stories| news)?"
    r"|read (?:more|also|next)|see also|more on this story|share(?: this)?(?: article)?|subscribe.*"
    r"|sign up.*|newsletter|comments?|tags?:.*|breaking:?|watch:?|listen:?|photo gallery|\[?video\]?)\W*$",
    re.I,
)
_CREDIT = re.compile(
    r"(?:\[(?:source|photo|image|video)s?:[^\]]*\]|\b(?:photo|image|picture|video|screenshot|illustration)"
    r"(?: from [^:,.]+)?\s*(?::|by\b|credit\b)|\bvia (?:[A-Z][\w/.-]*)(?:\s*/\s*[A-Z][\w.-]*)*\s*$"
    r"|getty images|\bafp photo\b|\breuters/)",
    re.I,
)
_METADATA_FIELD = re.compile(r"^(?:source|sources|author|by|editor|updated|published|tags)\s*:", re.I)
# "— Name (@handle) June 8, 2025": the signature that closes an embedded social-media post.
_POST_SIGNATURE = re.compile(
    r"(?:pic\.twitter\.com/\S+\s*)?[—–-]\s*(?P<name>[^—–(\n]{1,60}?)\s*\(@(?P<handle>\w{1,30})\)\s*"
    r"(?:[A-Z][a-z]+\.? \d{1,2}, \d{4})?\s*$"
)
_LINK_ONLY = re.compile(r"^\s*(?:pic\.twitter\.com/\S+|https?://\S+)\s*$")
_TERMINAL_CHARS = frozenset(".!?…:;\"”’')]")

# Sentence ends: . ! ? (optionally followed by closing quotes/brackets) then space and an opener. The
# sentence ends where `close` starts; the pattern opens with the stop itself (not a lookbehind) so
# that the regex engine can skip ahead to the next stop instead of trying every position.
_SENTENCE_END = re.compile(r"[.!?…](?P<close>[\"”’')\]]*)\s+(?=[\"“‘'(\[]?[A-Z0-9\u0400-\u04FF])")
_ABBREVIATIONS = frozenset(
    (
        "mr mrs ms dr prof gen lt col maj capt sgt st mt no vs etc jan feb mar apr jun jul aug sep sept oct nov dec"
        " u.s u.k u.n e.g i.e approx est dept gov rep sen jr sr inc ltd co corp fig ca"
    ).split()
)


# Every _CREDIT match holds one of these (in lower case), and every _POST_SIGNATURE match holds "(@":
# lines without them skip those searches.
_CREDIT_CUES = ("[", "photo", "image", "picture", "video", "screenshot", "illustration", "via ", "reuters/")
_SIGNATURE_CUE = "(@"
_CLOSERS = "\"”’')]"
_STOPS_AND_CLOSERS = ".!?…" + _CLOSERS
_WORD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz."
_ABBREVIATION_WINDOW = 64

# No sentence is longer than this. Longer "sentences" are text without stops (a table or a list
# flattened into one line) or a quotation never closed; rules that compare the words of a sentence
# pairwise would make such a document cost the square of its length. A sentence of news is far
# shorter (the longest in the seed, dev and example corpora is about 500 characters).
LONGEST_SENTENCE = 1500
# Where an overlong span is cut, best first: after a stop, a semicolon or colon, before a dash, after
# a comma, at a space. The piece before ends where `gap` starts; the next begins where it ends.
_CUTS = tuple(re.compile(pattern) for pattern in (
    r"[.!?…][\"”’')\]]*(?P<gap>\s+)", r"[;:](?P<gap>\s+)", r"(?P<gap>\s)[—–]\s", r",(?P<gap>\s+)", r"(?P<gap>\s+)"))


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int
    text: str
    paragraph: int


def _lines(text: str, start: int) -> Iterator[_Line]:
    pos = start
    for paragraph, raw in enumerate(text[start:].splitlines(keepends=True)):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            yield _Line(pos + lead, pos + lead + len(stripped), stripped, paragraph)
        pos += len(raw)


def _post_signature_in(text: str) -> re.Match[str] | None:
    return _POST_SIGNATURE.search(text) if _SIGNATURE_CUE in text else None


def _ends_with_stop(text: str) -> bool:
    """True when the text ends in closing punctuation (a full stop, quote, bracket, colon…), spaces aside."""
    return text.rstrip()[-1:] in _TERMINAL_CHARS


def _has_credit(line: str) -> bool:
    return may_contain(line, _CREDIT_CUES) and _CREDIT.search(line) is not None


def _is_furniture_line(line: str, first: bool) -> bool:
    if _FURNITURE_LINES.match(line) or _LINK_ONLY.match(line) or _METADATA_FIELD.match(line):
        return True
    words = line.split()
    if len(words) <= 40 and _has_credit(line):
        return True  # a caption; a whole article on one line may carry a credit and still be news
    if line.startswith("**") and line.rstrip().endswith("**"):
        return True
    # Headlines, section heads and captions carry no closing punctuation; news sentences do. A line
    # that already ended a sentence inside it is prose cut short (a truncated page), not a headline.
    if not _ends_with_stop(line) and len(words) <= 30 and not _SENTENCE_END.search(line):
        return True
    if not first or len(words) > 25:
        return False
    return not line.rstrip().endswith((".", "!", "?", "\"", "”")) and not _SENTENCE_END.search(line)


def _split_sentences(line: _Line) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence inside one line, as offsets into the article."""
    text = line.text
    begin = 0
    for match in _SENTENCE_END.finditer(text):
        stop, close = match.start("close"), match.group("close")
        if text[stop - 1] == "." and _is_abbreviation(text[max(begin, stop - _ABBREVIATION_WINDOW):stop]):
            continue
        # a quotation open for longer than a sentence can be was never closed
        if stop - begin < 3 or (stop - begin < LONGEST_SENTENCE and _inside_quotation(text[begin:stop] + close)):
            continue
        yield from _cut_overlong(text, line.start, begin, stop + len(close))
        begin = match.end()
    if begin < len(text):
        yield from _cut_overlong(text, line.start, begin, len(text))


def _cut_overlong(text: str, offset: int, begin: int, end: int) -> Iterator[tuple[int, int]]:
    """The span text[begin:end] as (start, end) offsets into the article (`offset` is where `text`
    starts), cut into pieces of at most LONGEST_SENTENCE characters at the best break in the
    latter half of each piece."""
    while end - begin > LONGEST_SENTENCE:
        piece_end, next_begin = _best_cut(text, begin + LONGEST_SENTENCE // 2, begin + LONGEST_SENTENCE)
        yield offset + begin, offset + piece_end
        begin = next_begin
    if end > begin:
        yield offset + begin, offset + end


def _best_cut(text: str, first: int, last: int) -> tuple[int, int]:
    """Where the piece before the best break between `first` and `last` ends, and where the next
    begins: the last break of the best kind there; `last` when there is none (text without spaces)."""
    for kind in _CUTS:
        breaks = list(kind.finditer(text, first, last))
        if breaks:
            return breaks[-1].start("gap"), breaks[-1].end("gap")
    return last, last


def _is_abbreviation(before: str) -> bool:
    """True when the text before a full stop ends in an abbreviation ("Gen.", "U.S.") or an initial.
    Only the last _ABBREVIATION_WINDOW characters are read: a longer word is no abbreviation."""
    stem = before.rstrip(_STOPS_AND_CLOSERS)
    word = stem[len(stem.rstrip(_WORD_CHARS)):].lower().rstrip(".")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _inside_quotation(text: str) -> bool:
    """True while a quotation opened in `text` is still open: a quote is one sentence with its speaker."""
    if text.count("“") > text.count("”"):
        return True
    return text.count('"') % 2 == 1


class RuleSegmenter:
    """Lines → sentences by punctuation rules; furniture lines and post signatures flagged."""

    def __init__(self, **_: object) -> None:
        pass

    def sentences(self, article: Article) -> list[Sentence]:
        text = article.text
        meta = _METADATA_LINE.match(text)
        lines = list(_lines(text, meta.end() if meta else 0))
        signatures = [_post_signature_in(line.text) for line in lines]
        voices = _embedded_post_voices(lines, signatures)
        out: list[Sentence] = []
        for n, line in enumerate(lines):
            voice = voices.get(n)
            furniture = voice is None and (_is_furniture_line(line.text, first=n == 0) or n in voices)
            for start, end in _sentence_spans(line, signatures[n]):
                span = text[start:end]
                piece = span.strip()
                if not piece:
                    continue
                start += len(span) - len(span.lstrip())
                end = start + len(piece)
                out.append(Sentence(
                    index=len(out), start=start, end=end, text=piece, paragraph=line.paragraph,
                    furniture=furniture or _is_signature(piece) or _is_link(piece),
                    voice=voice,
                ))
        return out


def _is_signature(piece: str) -> bool:
    return _SIGNATURE_CUE in piece and _POST_SIGNATURE.fullmatch(piece) is not None


def _is_link(piece: str) -> bool:
    return "/" in piece and _LINK_ONLY.match(piece) is not None


def _embedded_post_voices(lines: list[_Line], signatures: list[re.Match[str] | None]) -> dict[int, str | None]:
    """Line index → the account an embedded post's line belongs to.

    A post is the signature line and the few lines above it, back to the caption that introduced
    it (a line ending in a colon). The caption itself maps to None: it is furniture.
    `signatures` holds each line's post signature, if any.
    """
    voices: dict[int, str | None] = {}
    for n, (line, signature) in enumerate(zip(lines, signatures, strict=True)):
        if not signature:
            continue
        name = signature.group("name").strip()
        if line.text[:signature.start()].rstrip().endswith(":"):
            voices[n] = None  # "X has shared a video of …: <link> — Account": a caption for the embed
            continue
        voices[n] = name
        for back in range(n - 1, max(-1, n - 5), -1):
            if back in voices:
                break
            above = lines[back].text
            if above.endswith(":") and len(above.split()) > 1:
                voices[back] = None
                break
            if _ends_with_stop(above) and not above.endswith(":") and back < n - 2:
                break
            voices[back] = name
    return voices


def _sentence_spans(line: _Line, signature: re.Match[str] | None) -> Iterator[tuple[int, int]]:
    """Sentences of a line, with its embedded-post signature (if any) split off as its own span."""
    if signature and signature.start() > 0:
        head = _Line(line.start, line.start + signature.start(), line.text[:signature.start()], line.paragraph)
        yield from _split_sentences(head)
        yield line.start + signature.start(), line.end
        return
    yield from _split_sentences(line)


def post_signature(text: str) -> tuple[str, str] | None:
    """(display name, handle) when `text` is an embedded-post signature."""
    match = _POST_SIGNATURE.fullmatch(text.strip())
    if not match:
        return None
    return match.group("name").strip(), match.group("handle")
