"""`claimline brief` on the example corpus: every number equals a query over the store, every line cites
stored evidence, images have alt text, the page renders in headless Chromium; and the grouping, marking
and counting rules on short hand-made events."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from typer.testing import CliRunner, Result

from claimline.brief import air_days, briefing_from_store, build_briefing, territory_weeks
from claimline.brief_render import day_label, render_html, render_markdown
from claimline.charts import CHARTS, UnknownChart, chart_alt, chart_png, chart_svg
from claimline.cli import app
from claimline.ingest import iter_articles
from claimline.model import Article, Event, Evidence, Location, When
from claimline.store import MemoryStore, open_store

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
FIRST, LAST = date(2025, 3, 3), date(2025, 3, 16)
PERIOD = ["--from", FIRST.isoformat(), "--to", LAST.isoformat()]
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
IN_PERIOD = "COALESCE(date_end, date) >= :first AND date <= :last"

runner = CliRunner()


def invoke(*args: str | Path) -> Result:
    # wide enough that error boxes do not wrap the names they quote
    return runner.invoke(app, [str(arg) for arg in args], env={"COLUMNS": "400"})


def numbers_in(text: str) -> list[float]:
    return [float(token.replace(",", "")) for token in NUMBER.findall(text)]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("brief") / "examples.db"
    result = invoke("ingest", EXAMPLES, "--manifest", EXAMPLES / "manifest.csv", "--db", path)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def sql(db: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(db)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def html(db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "briefing.html"
    result = invoke("brief", *PERIOD, "--db", db, "-o", out)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def page(html: Path) -> Any:
    return lxml.html.fromstring(html.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def markdown(db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("md") / "briefing.md"
    result = invoke("brief", *PERIOD, "--db", db, "--format", "md", "-o", out)
    assert result.exit_code == 0, result.output
    return out


def stored_records(sql: sqlite3.Connection, event_ids: list[str]) -> list[dict[str, Any]]:
    marks = ",".join("?" * len(event_ids))
    rows = sql.execute(f"SELECT record FROM events WHERE event_id IN ({marks})", event_ids).fetchall()
    return [json.loads(record) for (record,) in rows]


def cited_ids(element: Any) -> list[str]:
    return [href.removeprefix("#ev-") for href in element.xpath(".//a[@class='cite']/@href")]


# --- numbers equal queries over the store ---------------------------------------------------------------

def test_air_table_equals_an_sql_query_over_the_store(sql: sqlite3.Connection, page: Any) -> None:
    # the same number in one sentence counts once, a report's sentences add up, and the largest report wins
    rows = sql.execute(f"""
        SELECT day, claimant, key, MAX(report_total) FROM (
            SELECT day, claimant, doc_id, key, SUM(value) AS report_total FROM (
                SELECT DISTINCT date AS day, COALESCE(claimant, 'unattributed') AS claimant, doc_id,
                       evidence_start, evidence_end, q.key AS key, q.value AS value
                FROM events, json_each(json_extract(record, '$.quantities')) AS q
                WHERE kind IN ('strike', 'interception') AND {IN_PERIOD}
                  AND q.key IN ('drones', 'missiles', 'drones_intercepted', 'missiles_intercepted'))
            GROUP BY day, claimant, doc_id, key)
        GROUP BY day, claimant, key""", {"first": FIRST.isoformat(), "last": LAST.isoformat()}).fetchall()
    expected: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for day, claimant, key, value in rows:
        expected[(day, claimant)][key] = value
    assert expected, "the example corpus reports drones and missiles"

    shown: dict[tuple[str, str], dict[str, float]] = {}
    columns = ("drones", "missiles", "drones_intercepted", "missiles_intercepted")
    for row in page.xpath("//tr[@class='air-day']"):
        cells = [cell.text_content() for cell in row.xpath("./td[@class='n']")]
        shown[(row.get("data-day"), row.get("data-claimant"))] = {
            key: float(cell.replace(",", "")) for key, cell in zip(columns, cells, strict=True) if cell != "–"}
    assert shown == expected


def test_kind_counts_and_totals_equal_sql_counts(sql: sqlite3.Connection, page: Any) -> None:
    params = {"first": FIRST.isoformat(), "last": LAST.isoformat()}
    expected = dict(sql.execute(f"SELECT kind, count(*) FROM events WHERE {IN_PERIOD} GROUP BY kind", params))
    table = page.xpath("//section[@id='at-a-glance']//table[1]/tbody/tr")
    shown = {row[0].text_content(): int(row[1].text_content()) for row in table}
    assert shown == expected
    events, documents, sources = sql.execute(
        f"SELECT count(*), count(DISTINCT doc_id), count(DISTINCT COALESCE(json_extract(record, '$.source'), doc_id))"
        f" FROM events WHERE {IN_PERIOD}", params).fetchone()
    glance = page.xpath("//p[@class='glance']")[0].text_content()
    assert numbers_in(glance)[:3] == [events, documents, sources]


def test_territorial_claims_per_week_equal_an_sql_query(sql: sqlite3.Connection, db: Path) -> None:
    rows = sql.execute(f"""
        SELECT date(date, '-' || ((CAST(strftime('%w', date) AS INTEGER) + 6) % 7) || ' days') AS week,
               CASE WHEN location_name IS NULL THEN 'Place not stated'
                    WHEN json_extract(record, '$.location.geo_precision') = 'country' AND admin1 IS NULL
                         THEN location_name
                    WHEN admin1 IS NOT NULL AND admin1_iso IS NOT NULL THEN admin1 || ' (' || admin1_iso || ')'
                    ELSE COALESCE(admin1, admin1_iso, location_name) END AS region,
               count(*)
        FROM events WHERE kind = 'territory' AND {IN_PERIOD} GROUP BY week, region""",
                       {"first": FIRST.isoformat(), "last": LAST.isoformat()}).fetchall()
    with open_store(db) as store:
        briefing = briefing_from_store(store, FIRST, LAST)
    assert {(w.week.isoformat(), w.region, w.claims) for w in briefing.territory_weeks} == set(rows)


def test_every_number_in_a_line_is_a_quantity_of_an_event_it_cites(sql: sqlite3.Connection, page: Any) -> None:
    lines = page.xpath("//li[@class='line']")
    assert len(lines) > 50
    for line in lines:
        records = stored_records(sql, cited_ids(line))
        stated = {float(v) for r in records for v in r["quantities"].values() if isinstance(v, (int, float))}
        text = line.xpath(".//span[@class='text']")[0].text_content()
        assert set(numbers_in(text)) <= stated, text
        agree = line.xpath(".//span[@class='agree']")
        sources = {r["source"] or r["doc_id"] for r in records}
        assert int(line.get("data-corroborations")) == len(sources)
        if agree:
            assert numbers_in(agree[0].text_content()) == [len(sources)]


def test_a_line_is_dated_by_the_events_it_cites(sql: sqlite3.Connection, page: Any) -> None:
    for line in page.xpath("//li[@class='line']"):
        records = stored_records(sql, cited_ids(line))
        first = min(date.fromisoformat(r["date"]) for r in records)
        ends = [date.fromisoformat(r["date_end"] or r["date"]) for r in records]
        label = line.xpath(".//span[@class='day']")[0].text_content()
        assert label == day_label(first, max(ends) if max(ends) != first else None)


# --- citations resolve to stored evidence ----------------------------------------------------------------

def test_every_line_cites_evidence_that_is_in_the_store(sql: sqlite3.Connection, page: Any) -> None:
    documents = dict(sql.execute("SELECT doc_id, text FROM documents"))
    appendix = {item.get("id").removeprefix("ev-"): item for item in page.xpath("//ol[@class='evidence']/li")}
    for line in page.xpath("//li[@class='line']"):
        ids = cited_ids(line)
        assert ids, line.text_content()
        assert all(event_id in appendix for event_id in ids)
        records = stored_records(sql, ids)
        assert len(records) == len(set(ids))
        for quote in line.xpath(".//q[@class='quote']"):
            assert quote.text_content() in {r["evidence"]["text"] for r in records}
    for event_id, item in appendix.items():
        (record,) = stored_records(sql, [event_id])
        evidence = record["evidence"]
        shown = item.xpath(".//blockquote")[0].text_content()
        assert shown == evidence["text"] == documents[record["doc_id"]][evidence["start"]:evidence["end"]]


def test_the_air_table_cites_its_events(sql: sqlite3.Connection, page: Any) -> None:
    for row in page.xpath("//tr[@class='air-day']"):
        ids = [href.removeprefix("#ev-") for href in row.xpath(".//a/@href")]
        records = stored_records(sql, ids)
        assert records and all(r["date"] == row.get("data-day") for r in records)


def test_markdown_lines_cite_anchored_evidence(sql: sqlite3.Connection, markdown: Path) -> None:
    text = markdown.read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a id="ev-([0-9a-f]+)"></a>', text))
    lines = [line for line in text.splitlines() if line.startswith("- **")]
    assert len(lines) > 50
    for line in lines:
        ids = re.findall(r"\]\(#ev-([0-9a-f]+)\)", line)
        assert ids and set(ids) <= anchors, line
    for event_id in anchors:
        (record,) = stored_records(sql, [event_id])
        assert f"\n> {record['evidence']['text']}\n" in text
    charts = re.findall(r"!\[([^\]]+)\]\(([^)]+)\)", text)
    assert len(charts) == len(CHARTS)
    assert all(alt and (markdown.parent / path).stat().st_size > 1000 for alt, path in charts)


def test_disputed_claims_are_marked_in_the_page(page: Any) -> None:
    disputed = page.xpath("//li[@class='line'][@data-status='disputed']")
    assert disputed
    for line in disputed:
        assert line.xpath(".//span[contains(@class, 'status-disputed')]")
    for line in page.xpath("//li[@class='line'][@data-status='claimed']"):
        assert line.xpath(".//span[contains(@class, 'status-claimed')]")


# --- the page works offline, and for screen readers ------------------------------------------------------

def test_every_image_has_alt_text_and_is_embedded(page: Any) -> None:
    images = page.xpath("//img")
    assert len(images) == len(CHARTS)
    for image in images:
        assert (image.get("alt") or "").strip()
        assert image.get("src").startswith("data:image/png;base64,")
    assert not page.xpath("//script[@src] | //link[@rel='stylesheet']")


@pytest.mark.browser
def test_the_page_renders_in_headless_chromium(html: Path, tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu",
                                            "--disable-background-networking"])
        try:
            tab = browser.new_page(viewport={"width": 1100, "height": 1400})
            tab.on("request", lambda request: requests.append(request.url))
            tab.goto(html.as_uri())
            widths = tab.evaluate("Array.from(document.images).map(image => image.naturalWidth)")
            heading = tab.inner_text("h1")
            tab.screenshot(path=str(tmp_path / "briefing.png"))
        finally:
            browser.close()
    assert heading.startswith("Briefing 2025-03-03")
    assert len(widths) == len(CHARTS) and all(width > 300 for width in widths)
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    assert (tmp_path / "briefing.png").stat().st_size > 20_000


@pytest.mark.slow
def test_pdf_briefing_is_written(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "briefing.pdf"
    result = invoke("brief", *PERIOD, "--db", db, "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-") and out.stat().st_size > 50_000


# --- the command's errors -------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "named"), [
    (["--from", "2025-13-01", "--to", "2025-03-16"], "--from"),
    (["--from", "2025-03-16", "--to", "2025-03-03"], "--to"),
    (["--from", "2024-01-01", "--to", "2024-01-07"], "--from/--to"),
    ([*PERIOD, "--place", "UA-99"], "--place"),
    ([*PERIOD, "--format", "pdf"], "--output"),
    ([*PERIOD, "--format", "docx"], "--format"),
])
def test_bad_input_names_the_parameter(db: Path, args: list[str], named: str) -> None:
    result = invoke("brief", *args, "--db", db)
    assert result.exit_code == 2
    assert named in result.output and "Traceback" not in result.output


def test_a_missing_database_is_named(tmp_path: Path) -> None:
    result = invoke("brief", *PERIOD, "--db", tmp_path / "none.db")
    assert result.exit_code == 2 and "none.db does not exist" in result.output
    assert not (tmp_path / "none.db").exists()


def test_markdown_goes_to_stdout_without_charts(db: Path) -> None:
    result = invoke("brief", *PERIOD, "--place", "UA-59", "--db", db)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Briefing 2025-03-03 to 2025-03-16 — UA-59")
    assert "Novenke" in result.output and "Kotlyne" not in result.output and "![" not in result.output


def test_brief_help_names_every_option() -> None:
    result = invoke("brief", "--help")
    assert result.exit_code == 0
    assert all(option in result.output for option in ("--from", "--to", "--place", "--format", "--output", "--db"))


# --- rules, on hand-made events --------------------------------------------------------------------------

KOTLYNE = Location("Kotlyne", "UA", "point", admin1="Donetsk", admin1_iso="UA-14", lat=48.1, lon=37.0,
                   gazetteer_id="t:kotlyne", feature="settlement")
KHERSON = Location("Kherson", "UA", "point", admin1="Kherson", admin1_iso="UA-65", lat=46.6, lon=32.6,
                   gazetteer_id="t:kherson", feature="settlement")
MARCH_4 = When(date(2025, 3, 4), date(2025, 3, 4), "day")


def event(doc_id: str, kind: str, text: str, *, location: Location | None = None, claimant: str | None = None,
          attribution: str = "claimed", source: str | None = None, start: int = 0, **quantities: float) -> Event:
    return Event(doc_id=doc_id, kind=kind, evidence=Evidence(text, start, start + len(text)), when=MARCH_4,
                 location=location, claimant=claimant, attribution=attribution, source=source,
                 actor1="Military Forces of Russia", quantities=quantities)


def articles(*events: Event) -> dict[str, Article]:
    return {e.doc_id: Article(e.doc_id, e.evidence.text, published=date(2025, 3, 5), source=e.source)
            for e in events}


def brief(*events: Event) -> Any:
    return build_briefing(events, articles(*events), date_from=date(2025, 3, 3), date_to=date(2025, 3, 9))


def test_one_claim_told_by_two_outlets_is_one_line_with_two_sources() -> None:
    a = event("a", "strike", "Russian drones hit Kherson, killing two.", location=KHERSON, claimant="governor",
              source="Wire", killed=2)
    b = event("b", "strike", "Two were killed in Kherson by drones.", location=KHERSON, claimant="governor",
              source="Daily", killed=2)
    (line,) = brief(a, b).lines
    assert line.corroborations == 2 and len(line.citations) == 2
    assert line.text == "Strike on Kherson by Russian forces: 2 killed, according to governor."
    assert "2 sources agree" in render_markdown(brief(a, b))


def test_a_capture_and_its_denial_are_both_marked_disputed() -> None:
    claim = event("a", "territory", "Russia's Defence Ministry said its forces captured Kotlyne.",
                  location=KOTLYNE, claimant="Russian Ministry of Defence", source="Wire")
    denial = event("b", "territory", "Kyiv denied that Kotlyne had been captured.", location=KOTLYNE,
                   claimant="General Staff", attribution="denied", source="Daily")
    briefing = brief(claim, denial)
    assert {line.status for line in briefing.lines} == {"disputed"}
    page = lxml.html.fromstring(render_html(briefing, drawn=[]))
    assert len(page.xpath("//li[@class='line']//span[contains(@class, 'status-disputed')]")) == 2


def test_unverified_and_hedged_claims_are_marked() -> None:
    hedged = event("a", "strike", "The strike may have destroyed a radar.", location=KOTLYNE, attribution="hedged")
    unverified = event("b", "territory", "The capture could not be verified.", location=KHERSON,
                       attribution="unverified")
    text = render_markdown(brief(hedged, unverified))
    assert "_[hedged]_" in text and "_[unverified]_" in text


def test_figures_from_one_sentence_count_once_and_repeated_reports_do_not_add_up() -> None:
    sentence = "Air defences destroyed 27 drones over Belgorod and nine over Voronezh, the ministry said."
    belgorod = event("a", "interception", sentence, claimant="MoD", location=KOTLYNE, drones_intercepted=27)
    voronezh = event("a", "interception", sentence, claimant="MoD", location=KHERSON, drones_intercepted=9)
    repeated = "The ministry said 30 drones were downed over Kotlyne and Kherson."
    first = event("b", "interception", repeated, claimant="MoD", location=KOTLYNE, drones_intercepted=30)
    second = event("b", "interception", repeated, claimant="MoD", location=KHERSON, drones_intercepted=30)
    (row,) = air_days([first, second])
    assert dict(row.numbers) == {"drones_intercepted": 30}
    (row,) = air_days([belgorod, voronezh, first, second])
    assert dict(row.numbers) == {"drones_intercepted": 36}
    assert len(row.event_ids) == 4


def test_territory_lines_are_grouped_by_region() -> None:
    donetsk = event("a", "territory", "Moscow said it took Kotlyne.", location=KOTLYNE, claimant="MoD")
    kherson = event("b", "territory", "Moscow said it took Kherson.", location=KHERSON, claimant="MoD")
    (section,) = brief(donetsk, kherson).sections
    assert [group.title for group in section.groups] == ["Donetsk (UA-14)", "Kherson (UA-65)"]
    assert [w.region for w in territory_weeks([donetsk, kherson])] == ["Donetsk (UA-14)", "Kherson (UA-65)"]


def test_statements_quote_their_evidence_verbatim() -> None:
    said = event("a", "statement", '"We will not negotiate through the press," he said.', claimant="Kremlin")
    (line,) = brief(said).lines
    assert line.quote is not None and line.quote.evidence == said.evidence.text
    assert line.text == "Statement, according to Kremlin."


def test_a_kind_no_theme_names_goes_under_other_reports() -> None:
    odd = event("a", "cyber", "Hackers took the railway booking site offline.", claimant="SBU")
    (section,) = brief(odd).sections
    assert section.title == "Other reports" and section.lines[0].quote is not None


def test_briefing_from_a_memory_store_filters_by_region() -> None:
    store = MemoryStore()
    donetsk = event("a", "territory", "Moscow said it took Kotlyne.", location=KOTLYNE, claimant="MoD")
    kherson = event("b", "strike", "Drones hit Kherson.", location=KHERSON, claimant="governor")
    for e in (donetsk, kherson):
        store.add(articles(e)[e.doc_id], [e])
    briefing = briefing_from_store(store, date(2025, 3, 1), date(2025, 3, 31), place="UA-65")
    assert [line.citations[0].doc_id for line in briefing.lines] == ["b"]


# --- charts ----------------------------------------------------------------------------------------------

def test_every_chart_is_a_png_with_a_text_alternative() -> None:
    events = [event("a", "interception", "Air defences shot down 20 drones.", location=KHERSON, claimant="Air Force",
                    drones=25, drones_intercepted=20),
              event("b", "territory", "Moscow said it took Kotlyne.", location=KOTLYNE, claimant="MoD")]
    for kind in CHARTS:
        assert chart_png(kind, events).startswith(b"\x89PNG\r\n\x1a\n")
        assert chart_alt(kind, events)
    assert b"<svg" in chart_svg("map", events)
    assert "25 drones" in chart_alt("air", events) and "20 drones intercepted" in chart_alt("air", events)
    with pytest.raises(UnknownChart, match="unknown chart 'pie'"):
        chart_png("pie", events)


def test_the_committed_briefing_cites_the_example_corpus_and_describes_its_images() -> None:
    folder = ROOT / "docs" / "briefing"
    texts = {a.doc_id: a.text for a in iter_articles([EXAMPLES], manifest=EXAMPLES / "manifest.csv")
             if isinstance(a, Article)}
    page = lxml.html.fromstring((folder / "2025-03-03_2025-03-16.html").read_text(encoding="utf-8"))
    assert page.xpath("//img") and all((img.get("alt") or "").strip() for img in page.xpath("//img"))
    appendix = page.xpath("//ol[@class='evidence']/li")
    assert appendix
    for item in appendix:
        start, end = int(item.get("data-start")), int(item.get("data-end"))
        assert item.xpath(".//blockquote")[0].text_content() == texts[item.get("data-doc-id")][start:end]
    anchors = {item.get("id") for item in appendix}
    for line in page.xpath("//li[@class='line']"):
        assert cited_ids(line) and {f"ev-{event_id}" for event_id in cited_ids(line)} <= anchors
    markdown = (folder / "2025-03-03_2025-03-16.md").read_text(encoding="utf-8")
    assert all((folder / path).is_file() for path in re.findall(r"!\[[^\]]+\]\(([^)]+)\)", markdown))
    assert (folder / "2025-03-03_2025-03-16.pdf").read_bytes().startswith(b"%PDF-")
    assert (folder / "screenshot.png").read_bytes().startswith(b"\x89PNG")
