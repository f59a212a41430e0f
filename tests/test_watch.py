"""`claimline watch` and the duplicate index: feeds and pages served by the test on 127.0.0.1,
folders written by the test; new items only on the next poll, copies of a story dropped."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from claimline.cli import app
from claimline.dedup import DuplicateIndex, fingerprint, similarity
from claimline.errors import InputError
from claimline.pipeline import Pipeline
from claimline.store import open_store
from claimline.watch import FEED_DATE_REASON, Outcome, Watcher, WatchState, doc_id_for, fetch, read_feed

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
PAGES = FEEDS / "pages"

runner = CliRunner()

STORY = ("Russian artillery shelled the town of Nikopol overnight, damaging a power line and three houses, "
         "the regional governor said on Monday. No one was hurt, and repair crews restored electricity to "
         "most homes by the afternoon, he added in a statement on his Telegram channel.")
COPY = ("By our correspondent. Russian artillery shelled the town of Nikopol overnight, damaging a power line "
        "and three houses, the regional governor said on Monday. No one was hurt, and repair crews restored "
        "electricity to most homes by the afternoon.")
OTHER = ("Ukraine's air force said it shot down twenty of twenty-five drones launched at the Kharkiv region "
         "overnight, while debris fell on a warehouse in the city's industrial district.")


def invoke(*args: str | Path) -> Result:
    return runner.invoke(app, [str(arg) for arg in args])


@dataclass
class Site:
    """What the test server serves (path → content type and body) and the paths asked for."""

    base: str
    routes: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)

    def serve(self, path: str, fixture: Path, content_type: str) -> None:
        self.routes[path] = (content_type, fixture.read_bytes())

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.requested.append(self.path)
            found = served.routes.get(self.path)
            if found is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", found[0])
            self.send_header("Content-Length", str(len(found[1])))
            self.end_headers()
            self.wfile.write(found[1])

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    for page in PAGES.glob("*.html"):
        served.serve(f"/pages/{page.name}", page, "text/html; charset=utf-8")
    served.serve("/pages/mirror-kherson.html", PAGES / "kherson-shelling.html", "text/html; charset=utf-8")
    served.serve("/wire.xml", FEEDS / "wire.xml", "application/rss+xml")
    served.serve("/partner.atom", FEEDS / "partner.atom", "application/atom+xml")
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def poll(db: Path, *sources: str) -> list[Outcome]:
    with open_store(db) as store, WatchState(db) as state:
        return list(Watcher(store, state, Pipeline()).poll(list(sources)))


def by_status(outcomes: list[Outcome]) -> dict[str, list[str | None]]:
    found: dict[str, list[str | None]] = {}
    for outcome in outcomes:
        found.setdefault(outcome.status, []).append(outcome.doc_id)
    return found


def stored_documents(db: Path) -> dict[str, tuple[date | None, str | None, str | None]]:
    with open_store(db) as store:
        return {doc.doc_id: (doc.published, doc.published_reason, doc.source) for doc in store.documents()}


# ---------------------------------------------------------------------------------------------
# the duplicate index


def test_small_edits_keep_a_copy_above_the_threshold() -> None:
    assert similarity(fingerprint("a", STORY), fingerprint("b", COPY)) >= 0.5


def test_different_stories_are_far_below_the_threshold() -> None:
    assert similarity(fingerprint("a", STORY), fingerprint("b", OTHER)) < 0.1


def test_same_text_differing_in_case_and_spacing_is_an_exact_duplicate() -> None:
    index = DuplicateIndex(fingerprints=[fingerprint("a", STORY)])
    found = index.find(fingerprint("b", "  " + STORY.upper().replace(" ", "\n ")))
    assert found is not None and found.exact and found.of == "a"


def test_near_duplicate_names_the_earlier_article() -> None:
    index = DuplicateIndex(0.5, [fingerprint("other", OTHER), fingerprint("story", STORY)])
    found = index.find(fingerprint("copy", COPY))
    assert found is not None and not found.exact and found.of == "story"


def test_an_article_is_not_a_duplicate_of_its_own_earlier_text() -> None:
    index = DuplicateIndex(0.5, [fingerprint("story", STORY)])
    assert index.find(fingerprint("story", COPY)) is None
    assert index.find(fingerprint("story", STORY)) is None


def test_unrelated_article_is_kept() -> None:
    assert DuplicateIndex(0.5, [fingerprint("story", STORY)]).find(fingerprint("other", OTHER)) is None


def test_index_grows_past_its_first_allocation() -> None:
    index = DuplicateIndex(0.5, [fingerprint(f"d{n}", f"report number {n} about shelling in town {n * 7}")
                                 for n in range(40)])
    assert len(index) == 40
    found = index.find(fingerprint("new", "report number 39 about shelling in town 273"))
    assert found is not None and found.of == "d39"


# ---------------------------------------------------------------------------------------------
# feeds over HTTP


def test_doc_id_is_the_page_name_and_a_hash_of_the_url() -> None:
    first = doc_id_for("https://example.org/news/Odesa-Port.html?ref=rss")
    assert first.startswith("odesa-port-") and first == doc_id_for("https://example.org/news/Odesa-Port.html?ref=rss")
    assert first != doc_id_for("https://example.org/news/Odesa-Port.html")


def test_rss_items_come_oldest_first_with_links_resolved(site: Site) -> None:
    items = read_feed(site.url("/wire.xml"))
    assert not isinstance(items, InputError)
    assert [item.link for item in items] == [site.url("/pages/odesa-port.html"),
                                             site.url("/pages/kherson-shelling.html")]
    assert items[0].published == date(2025, 3, 4) and items[0].source == "Example Wire"
    assert items[0].key == "wire-2025-03-04-odesa"


def test_missing_feed_is_an_input_error_naming_the_url(site: Site) -> None:
    problem = read_feed(site.url("/nowhere.xml"))
    assert isinstance(problem, InputError)
    assert problem.path == site.url("/nowhere.xml") and "404" in str(problem)


def test_html_page_is_not_a_feed(site: Site) -> None:
    problem = read_feed(site.url("/pages/odesa-port.html"))
    assert isinstance(problem, InputError) and "not an RSS or Atom feed" in str(problem)


def test_fetch_refuses_a_body_over_the_size_limit(site: Site) -> None:
    with pytest.raises(InputError, match="larger than 100 bytes"):
        fetch(site.url("/pages/odesa-port.html"), limit=100)


def test_first_poll_stores_originals_and_drops_copies(site: Site, tmp_path: Path) -> None:
    db = tmp_path / "watch.db"
    outcomes = poll(db, site.url("/wire.xml"), site.url("/partner.atom"))
    statuses = by_status(outcomes)
    assert len(statuses["stored"]) == 2
    assert [d for d in statuses["near-duplicate"] if d and d.startswith("partner-odesa-")]
    assert [d for d in statuses["duplicate"] if d and d.startswith("mirror-kherson-")]
    documents = stored_documents(db)
    assert len(documents) == 2
    odesa = documents[doc_id_for(site.url("/pages/odesa-port.html"))]
    assert odesa == (date(2025, 3, 4), FEED_DATE_REASON, "Example Wire")
    near = next(o for o in outcomes if o.status == "near-duplicate")
    assert near.detail.startswith(f"of {doc_id_for(site.url('/pages/odesa-port.html'))}")


def test_second_poll_fetches_and_stores_only_new_items(site: Site, tmp_path: Path) -> None:
    db = tmp_path / "watch.db"
    feeds = (site.url("/wire.xml"), site.url("/partner.atom"))
    poll(db, *feeds)
    site.serve("/wire.xml", FEEDS / "wire-later.xml", "application/rss+xml")
    site.requested.clear()
    outcomes = poll(db, *feeds)
    assert by_status(outcomes) == {"stored": [doc_id_for(site.url("/pages/belgorod-drones.html"))]}
    assert sorted(site.requested) == ["/pages/belgorod-drones.html", "/partner.atom", "/wire.xml"]
    assert len(stored_documents(db)) == 3
    site.requested.clear()
    assert poll(db, *feeds) == []  # nothing new: nothing fetched but the feeds
    assert sorted(site.requested) == ["/partner.atom", "/wire.xml"]


def test_syndicated_copy_of_an_article_already_ingested_is_dropped(site: Site, tmp_path: Path) -> None:
    db = tmp_path / "watch.db"
    assert invoke("ingest", PAGES / "odesa-port.html", "--db", db).exit_code == 0
    outcomes = poll(db, site.url("/partner.atom"))
    statuses = by_status(outcomes)
    assert len(statuses["near-duplicate"]) == 1 and len(statuses["stored"]) == 1  # the Kherson mirror is new here
    near = next(o for o in outcomes if o.status == "near-duplicate")
    assert near.detail.startswith("of odesa-port ")


def test_page_that_cannot_be_fetched_is_reported_and_retried(site: Site, tmp_path: Path) -> None:
    db = tmp_path / "watch.db"
    del site.routes["/pages/kherson-shelling.html"]
    first = poll(db, site.url("/wire.xml"))
    errors = [o for o in first if o.status == "error"]
    assert len(errors) == 1 and errors[0].error is not None
    assert errors[0].error.path == site.url("/pages/kherson-shelling.html")
    site.serve("/pages/kherson-shelling.html", PAGES / "kherson-shelling.html", "text/html")
    assert by_status(poll(db, site.url("/wire.xml"))) == {
        "stored": [doc_id_for(site.url("/pages/kherson-shelling.html"))]}


# ---------------------------------------------------------------------------------------------
# folders


def test_folder_is_watched_for_new_files_and_copies_dropped(tmp_path: Path) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "watch.db"
    inbox.mkdir()
    (inbox / "story.txt").write_text(STORY, encoding="utf-8")
    assert by_status(poll(db, str(inbox))) == {"stored": ["story"]}
    assert poll(db, str(inbox)) == []
    (inbox / "copy.txt").write_text(COPY, encoding="utf-8")
    (inbox / "other.txt").write_text(OTHER, encoding="utf-8")
    assert by_status(poll(db, str(inbox))) == {"near-duplicate": ["copy"], "stored": ["other"]}


def test_bad_file_in_a_watched_folder_is_reported_once(tmp_path: Path) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "watch.db"
    inbox.mkdir()
    (inbox / "empty.txt").write_text("", encoding="utf-8")
    [failed] = poll(db, str(inbox))
    assert failed.status == "error" and failed.error is not None and failed.error.path == str(inbox / "empty.txt")
    assert poll(db, str(inbox)) == []


# ---------------------------------------------------------------------------------------------
# the command


def test_watch_once_ingests_and_remembers_across_runs(site: Site, tmp_path: Path) -> None:
    db = tmp_path / "claimline.db"
    first = invoke("watch", site.url("/wire.xml"), site.url("/partner.atom"), "--db", db, "--once")
    assert first.exit_code == 0, first.output
    assert "poll 1: 2 stored, 0 unchanged, 2 duplicates dropped, 0 errors" in first.stderr
    assert "near-duplicate of" in first.stderr
    site.serve("/wire.xml", FEEDS / "wire-later.xml", "application/rss+xml")
    second = invoke("watch", site.url("/wire.xml"), site.url("/partner.atom"), "--db", db, "--once")
    assert second.exit_code == 0, second.output
    assert "poll 1: 1 stored, 0 unchanged, 0 duplicates dropped, 0 errors" in second.stderr
    assert "3 documents" in second.stderr


def test_watch_once_with_a_failing_feed_exits_1_naming_it(site: Site, tmp_path: Path) -> None:
    result = invoke("watch", site.url("/gone.xml"), "--db", tmp_path / "claimline.db", "--once")
    assert result.exit_code == 1
    assert site.url("/gone.xml") in result.stderr and "Traceback" not in result.output


def test_watch_refuses_a_source_that_is_neither_url_nor_folder(tmp_path: Path) -> None:
    result = invoke("watch", tmp_path / "missing", "--db", tmp_path / "claimline.db", "--once")
    assert result.exit_code == 2
    assert "neither an http(s) feed URL nor a folder" in result.output


def test_watch_folder_copy_keeps_its_doc_id(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(PAGES / "odesa-port.html", inbox / "odesa-port.html")
    result = invoke("watch", inbox, "--db", tmp_path / "claimline.db", "--once")
    assert result.exit_code == 0, result.output
    assert "stored odesa-port:" in result.stderr
