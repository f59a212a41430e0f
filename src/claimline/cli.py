"""The `claimline` command: extract, ingest, query, export, places, docs, bench."""

from __future__ import annotations

import itertools
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from claimline.bench import bench_app
from claimline.config import Config, PipelineConfig, ServerConfig
from claimline.dedup import DEFAULT_SIMILARITY
from claimline.engine import Engine
from claimline.errors import ClaimlineError, InputError
from claimline.model import Article, Event
from claimline.pipeline import Pipeline
from claimline.serve.command import serve

if TYPE_CHECKING:
    from claimline.watch import Watcher

app = typer.Typer(
    help="Turn war reports into a record of who claims what happened, where and when.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(bench_app, name="bench")
app.command()(serve)
err = Console(stderr=True)


class Format(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    geojson = "geojson"
    parquet = "parquet"
    gpkg = "gpkg"


PathsArg = Annotated[list[Path], typer.Argument(help="Files or folders: .txt .md .html .jsonl .csv")]
ManifestOpt = Annotated[
    Path | None, typer.Option("--manifest", "-m", help="CSV with path,doc_id,published,… per document")
]
DbOpt = Annotated[Path | None, typer.Option(
    "--db", help="SQLite database file (default: [database] path of the configuration, else claimline.db)",
    envvar="CLAIMLINE_DATABASE_PATH")]
ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", help="TOML file choosing backends per stage (default: $CLAIMLINE_CONFIG)")]
FormatOpt = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="Output format (default: from the --output suffix, else jsonl)"),
]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Output file (default: stdout)")]


class EngineName(StrEnum):
    local = "local"
    ray = "ray"


EngineOpt = Annotated[EngineName, typer.Option(
    "--engine", help="local: this process; ray: Ray Data workers (pip install 'claimline[ray]')")]
RayAddressOpt = Annotated[str | None, typer.Option(
    "--ray-address", help="Ray cluster to run on, e.g. 10.0.0.5:6379 (default: a local Ray started for the run); "
    "a cluster with a token needs RAY_AUTH_MODE=token here")]
WorkersOpt = Annotated[int | None, typer.Option(
    "--workers", min=1, help="Ray workers, one CPU each (default: every CPU Ray has)")]

# what an output file's suffix says about its format when --format is not given
_SUFFIX_FORMATS = {".jsonl": Format.jsonl, ".ndjson": Format.jsonl, ".csv": Format.csv,
                   ".geojson": Format.geojson, ".parquet": Format.parquet, ".gpkg": Format.gpkg}


def _output_format(fmt: Format | None, output: Path | None) -> Format:
    """The format asked for, else the one the output file's suffix names, else jsonl.

    Checked before any document is read, so a bad combination fails at once.
    """
    if fmt is None:
        fmt = _SUFFIX_FORMATS.get(output.suffix.lower(), Format.jsonl) if output else Format.jsonl
    if fmt in (Format.parquet, Format.gpkg) and output is None:
        raise typer.BadParameter(f"{fmt.value} needs --output FILE", param_hint="--output")
    if output is not None and not output.parent.is_dir():
        raise typer.BadParameter(f"{output}: the folder {output.parent} does not exist", param_hint="--output")
    return fmt


def _database(db: Path | None, config: Config | None = None) -> Path:
    """--db (or $CLAIMLINE_DATABASE_PATH), else the [database] path of the configuration (read from
    $CLAIMLINE_CONFIG when the command has no --config), else claimline.db."""
    if db is not None:
        return db
    return (config if config is not None else Config.load()).database.file


@contextmanager
def _progress(label: str) -> Iterator[Progress]:
    columns = [SpinnerColumn(), TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as progress:
        yield progress


def _engine(config: Config, name: EngineName, ray_address: str | None, workers: int | None) -> Engine:
    from claimline.engine import make_engine

    if name is EngineName.local and (ray_address is not None or workers is not None):
        raise typer.BadParameter("--ray-address and --workers need --engine ray", param_hint="--engine")
    return make_engine(name.value, Pipeline(config.pipeline), ray_address=ray_address, workers=workers)


def _read_all(
    paths: list[Path], manifest: Path | None, engine: Engine, label: str
) -> Iterator[tuple[Article, list[Event]] | InputError]:
    """Articles and their events, with InputErrors in their place, under a progress bar."""
    from claimline.ingest import iter_articles

    with _progress(label) as progress:
        task = progress.add_task(label, total=None)
        for item in engine.run(iter_articles(paths, manifest=manifest)):
            yield item
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


@dataclass
class _Tally:
    """What the summary table shows, counted as the events stream past (they are not kept)."""

    documents: int = 0
    errors: int = 0
    events: Counter[str] = field(default_factory=Counter)
    located: Counter[str] = field(default_factory=Counter)
    dated: Counter[str] = field(default_factory=Counter)
    claimed: Counter[str] = field(default_factory=Counter)

    def add(self, events: Iterable[Event]) -> None:
        self.documents += 1
        for event in events:
            self.events[event.kind] += 1
            self.located[event.kind] += event.location is not None
            self.dated[event.kind] += event.when.known
            self.claimed[event.kind] += event.claimant is not None


def _summary(tally: _Tally, title: str) -> Table:
    table = Table(title=title)
    table.add_column("kind")
    table.add_column("events", justify="right")
    table.add_column("located", justify="right")
    table.add_column("dated", justify="right")
    table.add_column("claimed", justify="right")
    for kind, n in sorted(tally.events.items(), key=lambda kv: -kv[1]):
        table.add_row(kind, str(n), str(tally.located[kind]), str(tally.dated[kind]), str(tally.claimed[kind]))
    table.caption = (f"{tally.documents} documents, {tally.events.total()} events, "
                     f"{tally.errors} input errors")
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
    engine: EngineOpt = EngineName.local,
    ray_address: RayAddressOpt = None,
    workers: WorkersOpt = None,
) -> None:
    """Read articles and write their events (no database)."""
    from claimline.export import write_events

    fmt = _output_format(fmt, output)
    runner = _engine(Config.load(config), engine, ray_address, workers)
    tally = _Tally()

    def events() -> Iterator[Event]:
        # each article's events go out as soon as it is read, so memory does not grow with the corpus
        for item in _read_all(paths, manifest, runner, "extracting"):
            if isinstance(item, InputError):
                tally.errors += 1
                _report_error(item)
                continue
            tally.add(item[1])
            yield from item[1]

    write_events(events(), fmt.value, sys.stdout if output is None else output)
    err.print(_summary(tally, "claimline extract"))
    _finish(tally.errors)


@app.command()
def ingest(
    paths: PathsArg,
    manifest: ManifestOpt = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
    engine: EngineOpt = EngineName.local,
    ray_address: RayAddressOpt = None,
    workers: WorkersOpt = None,
) -> None:
    """Read articles and store documents and events in the database (idempotent)."""
    loaded = Config.load(config)
    db = _database(db, loaded)
    from claimline.store import open_store
    from claimline.store.quarantine import Quarantine

    runner = _engine(loaded, engine, ray_address, workers)
    unchanged = 0
    tally = _Tally()  # of the new or changed documents
    with open_store(db) as store, Quarantine(db) as quarantine:
        for item in _read_all(paths, manifest, runner, "ingesting"):
            if isinstance(item, InputError):
                tally.errors += 1
                _report_error(item)
                quarantine.add(item)
                continue
            article, found = item
            quarantine.met(article.path)
            if store.add(article, found):
                tally.add(found)
            else:
                unchanged += 1
        counts = store.counts()
    err.print(_summary(tally, "claimline ingest: new or changed documents"))
    err.print(f"{tally.documents} documents stored, {unchanged} unchanged; the database {db} now holds "
              f"{counts.get('documents', 0)} documents and {counts.get('events', 0)} events.")
    if tally.errors:
        err.print(f"The rejected inputs are kept in the quarantine: claimline quarantine --db {db}", highlight=False)
    _finish(tally.errors)


@app.command("quarantine")
def quarantine_command(
    db: DbOpt = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="JSON Lines with the raw bytes in base64 instead of a table")] = False,
) -> None:
    """List the inputs `claimline ingest` rejected: file, line, reason, time and raw bytes."""
    db = _database(db)
    from claimline.store.quarantine import Quarantine

    _require_db(db)
    with Quarantine(db) as quarantine:
        rejections = quarantine.rejections()
    if as_json:
        _write_jsonl(rejection.to_record() for rejection in rejections)
        return
    table = _table(f"{len(rejections)} rejected inputs", "path", "line", "reason", "rejected at", "bytes", "raw")
    for rejection in rejections:
        cells = (rejection.path or "", "" if rejection.line is None else str(rejection.line), rejection.reason,
                 rejection.rejected_at, "" if rejection.raw_size is None else str(rejection.raw_size),
                 rejection.preview())
        # Text, not str: rejected bytes such as "[/b]" must not be read as rich markup
        table.add_row(*(Text(cell) for cell in cells))
    Console().print(table)


@app.command()
def watch(
    sources: Annotated[list[str], typer.Argument(help="RSS/Atom feed URLs (http, https) or folders of documents")],
    db: DbOpt = None,
    interval: Annotated[float, typer.Option(min=1.0, help="Seconds between polls")] = 300.0,
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit (status 1 if an item failed)")] = False,
    similarity: Annotated[float, typer.Option(
        min=0.0, max=1.0, help="Drop an article at least this similar to one already kept (Jaccard of word "
        "shingles, estimated by MinHash)")] = DEFAULT_SIMILARITY,
    config: ConfigOpt = None,
) -> None:
    """Poll feeds or folders; ingest each new article, dropping exact and near-duplicate copies."""
    loaded = Config.load(config)
    db = _database(db, loaded)
    from claimline.store import open_store
    from claimline.watch import Watcher, WatchState, is_feed_url

    for source in sources:
        if not is_feed_url(source) and not Path(source).is_dir():
            raise typer.BadParameter(f"{source!r} is neither an http(s) feed URL nor a folder", param_hint="SOURCES")
    pipeline = Pipeline(loaded.pipeline)
    errors = 0
    with open_store(db) as store, WatchState(db) as state:
        watcher = Watcher(store, state, pipeline, similarity=similarity)
        try:
            for number in itertools.count(1):
                errors = _watch_poll(watcher, sources, number)
                if once:
                    break
                time.sleep(interval)
        except KeyboardInterrupt:
            err.print("watch stopped")
            return
    _finish(errors)


def _watch_poll(watcher: Watcher, sources: list[str], number: int) -> int:
    """One poll, each new item reported as it is handled; returns the number of failed items."""
    counts: Counter[str] = Counter()
    for outcome in watcher.poll(sources):
        counts[outcome.status] += 1
        if outcome.error is not None:
            _report_error(outcome.error)
        elif outcome.status in ("duplicate", "near-duplicate"):
            err.print(f"dropped {outcome.doc_id}: {outcome.status} {outcome.detail}", highlight=False)
        else:
            err.print(f"{outcome.status} {outcome.doc_id}: {outcome.events} event(s)", highlight=False)
    documents = watcher.store.counts().get("documents", 0)
    err.print(f"poll {number}: {counts['stored']} stored, {counts['unchanged']} unchanged, "
              f"{counts['duplicate'] + counts['near-duplicate']} duplicates dropped, {counts['error']} errors; "
              f"the database holds {documents} documents", highlight=False)
    return counts["error"]


def _parse_day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=name) from exc


@app.command()
def query(
    db: DbOpt = None,
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
    db = _database(db)
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
    db: DbOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Export every stored event as JSON Lines, ACLED-style CSV, GeoJSON, Parquet or GeoPackage."""
    db = _database(db)
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

    base = Config.load(config).pipeline
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


CLAIMS_SHOWN = 50


@app.command()
def claims(
    db: DbOpt = None,
    kind: Annotated[str | None, typer.Option(help="Only claims of this kind")] = None,
    disputed: Annotated[bool, typer.Option("--disputed", help="Only claims contradicted by another")] = False,
    limit: Annotated[int | None, typer.Option(
        min=1, help=f"Most claims to show, in the order of their first report (default: {CLAIMS_SHOWN} in the "
                    "table, every claim as JSON Lines)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines instead of a table")] = False,
) -> None:
    """The same claim across reports: sources, first report, number spread and contradictions."""
    db = _database(db)
    from claimline.merge import cluster_claims

    clusters = [c for c in cluster_claims(_stored_tellings(db))
                if (kind is None or c.kind == kind) and (not disputed or c.disputed)]
    if as_json:
        _write_jsonl(cluster.to_record() for cluster in clusters[:limit])
        return
    # a terminal table of every claim of a large store takes minutes to lay out and cannot be read
    shown = clusters[:limit or CLAIMS_SHOWN]
    title = (f"{len(clusters)} claims" if len(shown) == len(clusters)
             else f"the first {len(shown)} of {len(clusters)} claims (--limit shows more, --json every one)")
    table = _table(title, "date", "kind", "place", "sources", "claimants", "numbers", "disputed")
    for cluster in shown:
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
    db: DbOpt = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="GeoJSON file (default: stdout)")] = None,
) -> None:
    """Control timeline per settlement (claims and counter-claims by claimant) as GeoJSON."""
    db = _database(db)
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


config_app = typer.Typer(help="Show the configuration: TOML file and CLAIMLINE_* overrides.", no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("show")
def config_show(
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of TOML")] = False,
) -> None:
    """Print the effective configuration (file, then CLAIMLINE_<SECTION>_<KEY> variables) as TOML."""
    loaded = Config.load(config)
    if as_json:
        sys.stdout.write(json.dumps(loaded.to_mapping(), ensure_ascii=False, indent=2) + "\n")
        return
    sys.stdout.write(f"# from {loaded.path or 'the defaults'}"
                     + (f", overridden by ${', $'.join(loaded.overrides)}" if loaded.overrides else "") + "\n")
    sys.stdout.write(loaded.to_toml())


@app.command("datasette")
def datasette_command(
    db: DbOpt = None,
    metadata: Annotated[Path | None, typer.Option(
        "--metadata", help="Metadata JSON to write (default: beside the database, <name>.metadata.json)")] = None,
    then_serve: Annotated[bool, typer.Option("--serve", help="Then run `datasette serve` on the store")] = False,
    host: Annotated[str | None, typer.Option(help="With --serve: address (default: [server] host)")] = None,
    port: Annotated[int | None, typer.Option(help="With --serve: port (default: [server] port)")] = None,
) -> None:
    """Ready the store for Datasette: a full-text index over evidence and metadata with facets."""
    db = _database(db)
    from claimline.datasette import prepare

    _require_db(db)
    target = metadata or db.with_suffix(".metadata.json")
    indexed = prepare(db, target)
    command = ["datasette", "serve", str(db), "--metadata", str(target)]
    err.print(f"{indexed} events indexed for search; metadata written to {target}\nrun: {' '.join(command)}")
    if then_serve:
        _run_datasette(command, Config.load().server, host, port)


def _run_datasette(command: list[str], server: ServerConfig, host: str | None, port: int | None) -> None:
    import importlib.util
    import subprocess

    from claimline.errors import BackendUnavailable

    if importlib.util.find_spec("datasette") is None:
        raise BackendUnavailable("datasette", install="pip install 'claimline[datasette]'")
    address = ["--host", host or server.host, "--port", str(port or server.port)]
    raise typer.Exit(subprocess.call([sys.executable, "-m", *command, *address]))


class BriefFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"


@app.command()
def brief(
    since: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD")],
    until: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD")],
    place: Annotated[str | None, typer.Option(help="Only this region: name or ISO 3166-2 code, e.g. UA-14")] = None,
    fmt: Annotated[BriefFormat | None, typer.Option(
        "--format", "-f", help="md, html or pdf (default: from the --output suffix, else md)")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Output file (default: stdout; Markdown charts go to <stem>_charts/)")] = None,
    db: DbOpt = None,
) -> None:
    """Write a briefing of the period from the store: claims by theme, charts, every line cited."""
    db = _database(db)
    from claimline.brief import briefing_from_store
    from claimline.brief_render import render_html, render_markdown, write_briefing
    from claimline.store import open_store

    first, last = _required_day(since, "--from"), _required_day(until, "--to")
    if last < first:
        raise typer.BadParameter(f"{until} is before --from {since}", param_hint="--to")
    fmt = _brief_format(fmt, output)
    _require_db(db)
    with open_store(db) as store:
        briefing = briefing_from_store(store, first, last, place)
    if briefing.empty:
        where = f" in region {place!r}" if place else ""
        raise typer.BadParameter(f"no stored events dated {first} to {last}{where}",
                                 param_hint="--place" if place else "--from/--to")
    if output is None:
        sys.stdout.write(render_markdown(briefing) if fmt is BriefFormat.md else render_html(briefing))
        return
    written = write_briefing(briefing, fmt.value, output)
    err.print(f"{len(briefing.lines)} lines citing {len(briefing.citations)} events written to "
              + ", ".join(str(path) for path in written))


def _required_day(value: str, name: str) -> date:
    day = _parse_day(value, name)
    if day is None:
        raise typer.BadParameter("a day is needed (YYYY-MM-DD)", param_hint=name)
    return day


def _brief_format(fmt: BriefFormat | None, output: Path | None) -> BriefFormat:
    """The format asked for, else the one the output file's suffix names, else Markdown."""
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        fmt = BriefFormat(suffix) if suffix in BriefFormat.__members__ else BriefFormat.md
    if fmt is BriefFormat.pdf and output is None:
        raise typer.BadParameter("pdf needs --output FILE", param_hint="--output")
    return fmt


def _require_db(db: Path) -> None:
    if not db.exists():
        raise typer.BadParameter(f"{db} does not exist; run `claimline ingest` first", param_hint="--db")


def main() -> Any:
    try:
        return app()
    except ClaimlineError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        raise SystemExit(2) from exc
