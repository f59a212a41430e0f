"""Benchmarks: claimline against other tools on claimline's own test sets (`claimline bench …`).

`claimline bench dates` runs the date-expression table (tests/fixtures/dates.jsonl) through
claimline's RuleDateResolver and through dateparser's `search_dates` in one run, and prints the
accuracy and speed of each.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from claimline.errors import BackendUnavailable, InputError
from claimline.model import Article
from claimline.segment import RuleSegmenter
from claimline.when import RuleDateResolver

__all__ = ["DateAnswer", "DateCase", "StageTimes", "bench_app", "load_date_cases", "run_dates", "run_pipeline",
           "synthetic_articles"]

bench_app = typer.Typer(help="Measure claimline against other tools on its own test sets.", no_args_is_help=True)

DEFAULT_DATE_CASES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "dates.jsonl"

SCORING_RULE = (
    "claimline is right when its start and end days both equal the expected ones. dateparser gives one "
    "datetime, so it is right when that day lies inside the expected span (for a one-day span: equals "
    "that day), whatever the precision. Where the expected date is unknown or the words are not a date, "
    "either is right only when it gives no date for those words. Rows without a publication date give "
    "dateparser no RELATIVE_BASE, so it falls back to the clock."
)


@dataclass(frozen=True, slots=True)
class DateCase:
    """One row of the table: an expression in a short text, its anchor and the expected span."""

    id: str
    text: str
    anchor: date | None
    expr: str
    start: date | None
    end: date | None
    absent: bool = False

    @property
    def at(self) -> int:
        return self.text.index(self.expr)


@dataclass(frozen=True, slots=True)
class DateAnswer:
    """What a system said about a case's expression: a day or span, or nothing."""

    start: date | None = None
    end: date | None = None


@dataclass(frozen=True, slots=True)
class SystemScore:
    system: str
    correct: int
    total: int
    seconds: float
    misses: tuple[str, ...]

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def per_second(self) -> float:
        return self.total / self.seconds if self.seconds > 0 else float("inf")


def load_date_cases(path: Path) -> list[DateCase]:
    """The cases in a dates.jsonl file; raises InputError naming the line of a bad row."""
    cases: list[DateCase] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", path=str(path)) from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            case = DateCase(
                id=str(row["id"]), text=row["text"], anchor=_day(row.get("anchor")), expr=row["expr"],
                start=_day(row.get("date")), end=_day(row.get("date_end")), absent=bool(row.get("absent")),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"bad case: {exc}", path=str(path), line=number) from exc
        if case.expr not in case.text:
            raise InputError(f"expression {case.expr!r} is not in the text", path=str(path), line=number)
        cases.append(case)
    return cases


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def claimline_answers(cases: Sequence[DateCase]) -> list[DateAnswer]:
    """claimline's span for each case's expression: the first mention overlapping it."""
    segmenter, resolver = RuleSegmenter(), RuleDateResolver()
    answers: list[DateAnswer] = []
    for case in cases:
        article = Article(doc_id=case.id, text=case.text, published=case.anchor)
        # short test texts are not pages: no line of them is navigation or a caption
        sentences = [dataclasses.replace(s, furniture=False) for s in segmenter.sentences(article)]
        end = case.at + len(case.expr)
        found = next((m.when for m in resolver.mentions(article, sentences) if m.start < end and m.end > case.at),
                     None)
        answers.append(DateAnswer(found.start, found.end) if found is not None else DateAnswer())
    return answers


def dateparser_answers(cases: Sequence[DateCase]) -> list[DateAnswer]:
    """dateparser's day for each case's expression: the first `search_dates` hit overlapping it."""
    try:
        from dateparser.search import search_dates
    except ImportError as exc:
        raise BackendUnavailable("dateparser", install="pip install dateparser==1.5.0") from exc
    answers: list[DateAnswer] = []
    for case in cases:
        settings: dict[str, Any] = {"PREFER_DATES_FROM": "past"}
        if case.anchor is not None:
            settings["RELATIVE_BASE"] = datetime(case.anchor.year, case.anchor.month, case.anchor.day)
        hits = search_dates(case.text, languages=["en"], settings=settings) or []
        end, cursor, day = case.at + len(case.expr), 0, None
        for written, when in hits:
            where = case.text.find(written, cursor)
            if where < 0:
                continue
            cursor = where + len(written)
            if where < end and cursor > case.at:
                day = when.date()
                break
        answers.append(DateAnswer(day, day))
    return answers


def _claimline_right(case: DateCase, answer: DateAnswer) -> bool:
    if case.absent or case.start is None:
        return answer.start is None
    return (answer.start, answer.end) == (case.start, case.end)


def _dateparser_right(case: DateCase, answer: DateAnswer) -> bool:
    if case.absent or case.start is None:
        return answer.start is None
    return answer.start is not None and case.start <= answer.start <= (case.end or case.start)


def _score(system: str, cases: Sequence[DateCase], answer: Callable[[Sequence[DateCase]], list[DateAnswer]],
           right: Callable[[DateCase, DateAnswer], bool], repeat: int) -> SystemScore:
    answer(cases[:1])  # warm-up: first calls load data and compile patterns
    best, answers = float("inf"), []
    for _ in range(max(1, repeat)):
        began = time.perf_counter()
        answers = answer(cases)
        best = min(best, time.perf_counter() - began)
    misses = tuple(
        f"{case.id}: {case.expr!r} expected {case.start}..{case.end}, got {got.start}..{got.end}"
        for case, got in zip(cases, answers, strict=True) if not right(case, got)
    )
    return SystemScore(system, len(cases) - len(misses), len(cases), best, misses)


def run_dates(cases: Sequence[DateCase], repeat: int = 1) -> list[SystemScore]:
    """Score claimline and dateparser on the same cases; best time of `repeat` runs each."""
    return [
        _score("claimline", cases, claimline_answers, _claimline_right, repeat),
        _score("dateparser", cases, dateparser_answers, _dateparser_right, repeat),
    ]


CasesOpt = Annotated[
    Path | None, typer.Option("--cases", help="JSON Lines test set (default: tests/fixtures/dates.jsonl)")
]


@bench_app.command()
def dates(
    cases: CasesOpt = None,
    repeat: Annotated[int, typer.Option(help="Runs per system; the fastest counts")] = 3,
    misses: Annotated[bool, typer.Option("--misses", help="List every case each system got wrong")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object instead of a table")] = False,
) -> None:
    """Date expressions: claimline's resolver against dateparser's search_dates, accuracy and speed."""
    path = cases or DEFAULT_DATE_CASES
    if not path.exists():
        raise typer.BadParameter(f"{path} does not exist; pass the test set with --cases", param_hint="--cases")
    table_cases = load_date_cases(path)
    if not table_cases:
        raise typer.BadParameter(f"{path} holds no cases", param_hint="--cases")
    scores = run_dates(table_cases, repeat)
    ours, theirs = scores
    speedup = ours.per_second / theirs.per_second if theirs.per_second else float("inf")
    if as_json:
        record = {
            "cases": len(table_cases), "path": str(path), "rule": SCORING_RULE, "speed_ratio": speedup,
            "systems": [{"system": s.system, "correct": s.correct, "total": s.total, "accuracy": s.accuracy,
                         "expressions_per_second": s.per_second, "seconds": s.seconds,
                         **({"misses": list(s.misses)} if misses else {})} for s in scores],
        }
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    console = Console()
    table = Table(title=f"claimline bench dates: {len(table_cases)} expressions from {path.name}")
    for column in ("system", "correct", "accuracy", "expressions/s"):
        table.add_column(column, justify="left" if column == "system" else "right")
    for s in scores:
        table.add_row(s.system, f"{s.correct}/{s.total}", f"{s.accuracy:.1%}", f"{s.per_second:,.0f}")
    console.print(table)
    console.print(f"claimline/dateparser: accuracy {ours.accuracy:.3f} vs {theirs.accuracy:.3f} "
                  f"({(ours.accuracy - theirs.accuracy) * 100:+.1f} points), speed ×{speedup:.1f}")
    console.print(f"Scoring: {SCORING_RULE}", soft_wrap=True)
    if misses:
        for s in scores:
            console.print(f"\n[bold]{s.system}[/bold] misses ({len(s.misses)}):")
            for line in s.misses:
                console.print(f"  {line}", highlight=False, soft_wrap=True)


# ── the pipeline, stage by stage ───────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class StageTimes:
    """Seconds spent per stage over a run, and how many articles (and characters) it read."""

    articles: int
    characters: int
    seconds: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.seconds.values())

    def share(self, stage: str) -> float:
        return self.seconds[stage] / self.total if self.total else 0.0


def synthetic_articles(size: int, length: int = 5000, seed_folder: Path | None = None) -> list[Article]:
    """`size` articles of about `length` characters, stitched from the built-in example corpus."""
    folder = seed_folder or Path(__file__).resolve().parents[2] / "examples" / "corpus"
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    if not texts:
        raise typer.BadParameter(f"no .txt articles in {folder}")
    articles = []
    for n in range(size):
        parts, total, k = [], 0, n
        while total < length:
            piece = texts[k % len(texts)]
            parts.append(piece)
            total += len(piece) + 2
            k += 7
        articles.append(Article(doc_id=f"synthetic-{n}", text="\n\n".join(parts)[:length],
                                published=date(2025, 3, 16)))
    return articles


def run_pipeline(articles: Sequence[Article]) -> StageTimes:
    """Run every stage over the articles, timing each one on its own."""
    from claimline.pipeline import Pipeline

    pipeline = Pipeline()
    pipeline.process(articles[0])  # open the gazetteer and warm the caches outside the timing
    seconds = {"segment": 0.0, "places": 0.0, "dates": 0.0, "events": 0.0}
    for article in articles:
        t0 = time.perf_counter()
        sentences = pipeline.segmenter.sentences(article)
        t1 = time.perf_counter()
        places = pipeline.geocoder.places(article, sentences)
        t2 = time.perf_counter()
        dates = pipeline.dates.mentions(article, sentences)
        t3 = time.perf_counter()
        pipeline.extractor.events(article, sentences, places, dates)
        t4 = time.perf_counter()
        seconds["segment"] += t1 - t0
        seconds["places"] += t2 - t1
        seconds["dates"] += t3 - t2
        seconds["events"] += t4 - t3
    return StageTimes(len(articles), sum(len(a.text) for a in articles), seconds)


@bench_app.command()
def pipeline(
    size: Annotated[int, typer.Option("--size", min=1, help="How many synthetic articles of about 5 KB")] = 300,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object instead of the table")] = False,
) -> None:
    """Articles per second per stage and for the whole pipeline, on one core."""
    times = run_pipeline(synthetic_articles(size))
    if as_json:
        sys.stdout.write(json.dumps({
            "articles": times.articles, "characters": times.characters,
            "seconds": times.seconds, "articles_per_second": times.articles / times.total,
        }) + "\n")
        return
    table = Table(title=f"claimline bench pipeline: {times.articles} articles of ~5 KB, one core")
    for column in ("stage", "ms per article", "articles/s", "share of the pipeline"):
        table.add_column(column, justify="right")
    for stage, spent in times.seconds.items():
        table.add_row(stage, f"{1000 * spent / times.articles:.2f}", f"{times.articles / spent:.0f}",
                      f"{times.share(stage):.0%}")
    table.add_row("pipeline", f"{1000 * times.total / times.articles:.2f}", f"{times.articles / times.total:.0f}",
                  "100%")
    Console().print(table)
