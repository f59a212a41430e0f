"""The `claimline` command: extract, ingest, query, export, places, docs, bench."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from claimline.bench import bench_app
from claimline.config import PipelineConfig
from claimline.errors import ClaimlineError, InputError
from claimline.model import Article, Event
from claimline.pipeline import Pipeline

app = typer.Typer(
    help="Turn war reports into a record of who claims what happened, where and when.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(bench_app, name="bench")
err = Console(stderr=True)


class Format(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    geojson = "geojson"
    parquet = "parquet"


PathsArg = Annotated[list[Path], typer.Argument(help="Files or folders: .txt .md .html .jsonl .csv")]
ManifestOpt = Annotated[
    Path | None, typer.Option("--manifest", "-m", help="CSV with path,doc_id,published,… per document")
]
DbOpt = Annotated[Path, typer.Option("--db", help="SQLite database file")]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="TOML file choosing backends per stage")]
FormatOpt = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="Output format (default: from the --output suffix, else jsonl)"),
]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Output file (default: stdout)")]

# what an output file's suffix says about its format when --format is not given
_SUFFIX_FORMATS = {".jsonl": Format.jsonl, ".ndjson": Format.jsonl, ".csv": Format.csv,
                   ".geojson": Format.geojson, ".parquet": Format.parquet}


def _output_format(fmt: Format | None, output: Path | None) -> Format:
    """The format asked for, else the one the output file's suffix names, else jsonl.

    Checked before any document is read, so a bad combination fails at once.
    """
    if fmt is None:
        fmt = _SUFFIX_FORMATS.get(output.suffix.lower(), Format.jsonl) if output else Format.jsonl
    if fmt is Format.parquet and output is None:
        raise typer.BadParameter("parquet needs --output FILE", param_hint="--output")
    return fmt


def _pipeline(config: Path | None) -> Pipeline:
    return Pipeline(PipelineConfig.from_toml(config) if config else None)


@contextmanager
def _progress(label: str) -> Iterator[Progress]:
    columns = [SpinnerColumn(), TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as progress:
        yield progress


def _read_all(
    paths: list[Path], manifest: Path | None, pipeline: Pipeline, label: str
) -> Iterator[tuple[Article, list[Event]] | InputError]:
    """Articles and their events, with InputErrors in their place, under a progress bar."""
    from claimline.ingest import iter_articles

    with _progress(label) as progress:
        task = progress.add_task(label, total=None)
        for item in iter_articles(paths, manifest=manifest):
            if isinstance(item, InputError):
                yield item
            else:
                yield item, pipeline.process(item)
            progress.advance(task)


def _write_jsonl(records: Iterable[dict[str, Any]]) -> None:
    for record in records:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _report_error(error: InputError) -> None:
    err.print(f"[red]error[/red] {error}", highlight=False, soft_wrap=True)


def _summary(events: list[Event], documents: int, errors: int, title: str) -> Table:
    table = Table(title=title)
    table.add_column("kind")
    table.add_column("events", justify="right")
    table.add_column("located", justify="right")
    table.add_column("dated", justify="right")
    table.add_column("claimed", justify="right")
    by_kind = Counter(e.kind for e in events)
    for kind, n in sorted(by_kind.items(), key=lambda kv: -kv[1]):
        of_kind = [e for e in events if e.kind == kind]
        table.add_row(
            kind, str(n), str(sum(e.location is not None for e in of_kind)),
            str(sum(e.when.known for e in of_kind)), str(sum(e.claimant is not None for e in of_kind)),
        )
    table.caption = f"{documents} documents, {len(events)} events, {errors} input errors"
    return table


def _finish(errors: int) -> None:
    if errors:
        err.print(f"[red]{errors} input error(s)[/red]: the other documents were processed.")
        raise typer.Exit(1)


@app.command()
def extract(
    paths: PathsArg,
    manifest: ManifestOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Read articles and write their events (no database)."""
    from claimline.export import write_events

    fmt = _output_format(fmt, output)
    pipeline = _pipeline(config)
    events: list[Event] = []
    documents = errors = 0
    for item in _read_all(paths, manifest, pipeline, "extracting"):
        if isinstance(item, InputError):
            errors += 1
            _report_error(item)
            continue
        documents += 1
        events.extend(item[1])
    if output is None:
        write_events(events, fmt.value, sys.stdout)
    else:
        write_events(events, fmt.value, output)
    err.print(_summary(events, documents, errors, "claimline extract"))
    _finish(errors)


@app.command()
def ingest(
    paths: PathsArg,
    manifest: ManifestOpt = None,
    db: DbOpt = Path("claimline.db"),
    config: ConfigOpt = None,
) -> None:
    """Read articles and store documents and events in the database (idempotent)."""
    from claimline.store import open_store

    pipeline = _pipeline(config)
    added = unchanged = errors = 0
    events: list[Event] = []
    with open_store(db) as store:
        for item in _read_all(paths, manifest, pipeline, "ingesting"):
            if isinstance(item, InputError):
                errors += 1
                _report_error(item)
                continue
            article, found = item
            if store.add(article, found):
                added += 1
                events.extend(found)
            else:
                unchanged += 1
        counts = store.counts()
    err.print(_summary(events, added, errors, "claimline ingest: new or changed documents"))
    err.print(f"{added} documents stored, {unchanged} unchanged; the database {db} now holds "
              f"{counts.get('documents', 0)} documents and {counts.get('events', 0)} events.")
    _finish(errors)


def _parse_day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=name) from exc


@app.command()
def query(
    db: DbOpt = Path("claimline.db"),
    kind: Annotated[str | None, typer.Option(help="Event kind, e.g. territory")] = None,
    since: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD")] = None,
    place: Annotated[str | None, typer.Option(help="Place name")] = None,
    admin1: Annotated[str | None, typer.Option(help="Region name or ISO 3166-2 code, e.g. UA-14")] = None,
    claimant: Annotated[str | None, typer.Option(help="Claimant (substring)")] = None,
    limit: Annotated[int, typer.Option(help="Most rows to show")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines instead of a table")] = False,
) -> None:
    """Show stored events matching the filters."""
    from claimline.store import open_store

    _require_db(db)
    with open_store(db) as store:
        found = list(store.events(
            kind=kind, date_from=_parse_day(since, "--from"), date_to=_parse_day(until, "--to"),
            place=place, admin1=admin1, claimant=claimant, limit=limit,
        ))
    if as_json:
        _write_jsonl(event.to_record() for event in found)
        return
    table = _table(f"{len(found)} events", "date", "kind", "place", "admin1", "claimant", "attribution", "evidence")
    for event in found:
        loc = event.location
        table.add_row(
            event.when.start.isoformat() if event.when.start else "", event.kind,
            loc.name if loc else "", (loc.admin1_iso or "") if loc else "", event.claimant or "",
            event.attribution, event.evidence.text[:160],
        )
    Console().print(table)


@app.command()
def export(
    db: DbOpt = Path("claimline.db"),
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Export every stored event as JSON Lines, ACLED-style CSV, GeoJSON or Parquet."""
    from claimline.export import write_events
    from claimline.store import open_store

    fmt = _output_format(fmt, output)
    _require_db(db)
    with open_store(db) as store:
        written = write_events(store.events(), fmt.value, output if output is not None else sys.stdout)
    err.print(f"{written} events written" + (f" to {output}" if output else ""))


@app.command()
def places(
    paths: PathsArg,
    manifest: ManifestOpt = None,
    config: ConfigOpt = None,
    demonyms: Annotated[bool, typer.Option(help="Also resolve demonyms ('French' → France) and 'U.S.', 'EU'")] = True,
) -> None:
    """Print every place mention with its resolution and reason, as JSON Lines."""
    from claimline.geocode.places_out import place_records
    from claimline.ingest import iter_articles

    base = PipelineConfig.from_toml(config) if config else PipelineConfig()
    options = {stage: dict(values) for stage, values in base.options.items()}
    options.setdefault("geocoder", {})["include_demonyms"] = demonyms
    pipeline = Pipeline(PipelineConfig(backends=base.backends, options=options))
    errors = 0
    for item in iter_articles(paths, manifest=manifest):
        if isinstance(item, InputError):
            errors += 1
            _report_error(item)
            continue
        sentences = pipeline.segmenter.sentences(item)
        mentions = pipeline.geocoder.places(item, sentences)
        _write_jsonl(place_records(item, mentions))
    _finish(errors)


eval_app = typer.Typer(help="Score claimline against gold annotations.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@eval_app.command("claims")
def eval_claims(
    folder: Annotated[Path, typer.Argument(help="A corpus folder with articles/, manifest.csv and gold.json")] = Path(
        "tests/fixtures/multisource"),
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object instead of text")] = False,
) -> None:
    """Pairwise merge precision and recall against gold claim clusters, and contradictions found."""
    from claimline.evaluate import load_gold, score_merge
    from claimline.ingest import iter_articles

    gold = load_gold(folder / "gold.json")
    pipeline = Pipeline()
    articles = [a for a in iter_articles([folder / "articles"], manifest=folder / "manifest.csv")
                if not isinstance(a, InputError)]
    events = [event for article in articles for event in pipeline.process(article)]
    score = score_merge(articles, events, gold)
    if as_json:
        sys.stdout.write(json.dumps(score.to_record()) + "\n")
        return
    sys.stdout.write(
        f"gold mentions matched by events: {score.matched_mentions}/{score.gold_mentions}\n"
        f"pairwise merge precision={score.pair_precision:.3f} recall={score.pair_recall:.3f}\n"
        f"contradictions found: {score.contradictions_found}/{score.contradictions}\n"
        f"not-events reported as new events: {score.not_events_reported}/{score.not_events}\n"
        + "".join(f"  missed: {m}\n" for m in score.missed_contradictions)
    )


gazetteer_app = typer.Typer(help="Manage the offline gazetteer.", no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("import")
def gazetteer_import(
    dump: Annotated[Path, typer.Argument(help="A GeoNames country dump (UA.txt, RU.txt …), tab-separated")],
    cache_dir: Annotated[Path | None, typer.Option(help="Gazetteer folder (default: the cache)")] = None,
) -> None:
    """Add a GeoNames country dump's places and facilities to the gazetteer, used from then on."""
    from claimline.geocode import import_geonames_dump

    try:
        added = import_geonames_dump(dump, cache_dir=cache_dir)
    except InputError as exc:
        _report_error(exc)
        raise typer.Exit(1) from exc
    err.print(f"{added} places from {dump} added to the gazetteer.")


def _stored_tellings(db: Path) -> list[Any]:
    from claimline.merge import Telling
    from claimline.store import open_store

    _require_db(db)
    with open_store(db) as store:
        published = {doc.doc_id: doc.published for doc in store.documents()}
        return [Telling(event, published.get(event.doc_id)) for event in store.events()]


@app.command()
def claims(
    db: DbOpt = Path("claimline.db"),
    kind: Annotated[str | None, typer.Option(help="Only claims of this kind")] = None,
    disputed: Annotated[bool, typer.Option("--disputed", help="Only claims contradicted by another")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines instead of a table")] = False,
) -> None:
    """The same claim across reports: sources, first report, number spread and contradictions."""
    from claimline.merge import cluster_claims

    clusters = [c for c in cluster_claims(_stored_tellings(db))
                if (kind is None or c.kind == kind) and (not disputed or c.disputed)]
    if as_json:
        _write_jsonl(cluster.to_record() for cluster in clusters)
        return
    table = _table(f"{len(clusters)} claims", "date", "kind", "place", "sources", "claimants", "numbers", "disputed")
    for cluster in clusters:
        numbers = ", ".join(f"{key} {low:g}" + (f"–{high:g}" if high != low else "")
                            for key, (low, high) in cluster.number_spread().items())
        table.add_row(
            cluster.start.isoformat() if cluster.start else "", cluster.kind, cluster.place or "",
            str(cluster.corroborations), "; ".join(cluster.claimants), numbers,
            "; ".join(c.why for c in cluster.contradictions),
        )
    Console().print(table)


@app.command()
def timeline(
    db: DbOpt = Path("claimline.db"),
    output: Annotated[Path | None, typer.Option("--output", "-o", help="GeoJSON file (default: stdout)")] = None,
) -> None:
    """Control timeline per settlement (claims and counter-claims by claimant) as GeoJSON."""
    from claimline.control import control_timelines, timelines_geojson
    from claimline.merge import cluster_claims, events_with_disputes

    events = events_with_disputes(cluster_claims(_stored_tellings(db)))
    collection = timelines_geojson(control_timelines(events))
    text = json.dumps(collection, ensure_ascii=False, indent=1)
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        output.write_text(text, encoding="utf-8")
    err.print(f"{len(collection['features'])} places with a control timeline")


@app.command()
def docs(
    paths: PathsArg,
    manifest: ManifestOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines instead of a table")] = False,
) -> None:
    """List documents with their publication date and how it was found."""
    from claimline.ingest import iter_articles

    rows: list[dict[str, Any]] = []
    errors = 0
    for item in iter_articles(paths, manifest=manifest):
        if isinstance(item, InputError):
            errors += 1
            _report_error(item)
            continue
        row = {"doc_id": item.doc_id, "title": item.title,
               "published": item.published.isoformat() if item.published else None,
               "published_reason": item.published_reason, "path": item.path}
        if as_json:
            _write_jsonl([row])
        rows.append(row)
    if not as_json:
        table = Table(title=f"{len(rows)} documents")
        for column in ("doc_id", "title", "published", "how"):
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(row["doc_id"], row["title"] or "", row["published"] or "unknown",
                          row["published_reason"] or "")
        Console().print(table)
    _finish(errors)


def _require_db(db: Path) -> None:
    if not db.exists():
        raise typer.BadParameter(f"{db} does not exist; run `claimline ingest` first", param_hint="--db")


def main() -> Any:
    try:
        return app()
    except ClaimlineError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise SystemExit(2) from exc
