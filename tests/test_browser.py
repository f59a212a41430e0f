"""The map page in a real browser: Debian's chromium, driven by Playwright, against `claimline serve`
started on a store filled from the example corpus."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from claimline.serve.assets import find_assets

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)
if find_assets() is None:
    pytest.skip("the page's npm packages are not installed (npm ci --prefix web)", allow_module_level=True)

from playwright.sync_api import Browser, ConsoleMessage, Page, Request, sync_playwright  # noqa: E402

from claimline.store import SQLiteStore  # noqa: E402
from test_serve import fill_from_corpus  # noqa: E402

CLAIMLINE = Path(sys.executable).with_name("claimline")
READY = 'body[data-pending="0"]'


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("browser") / "corpus.db"
    with SQLiteStore(db) as store:
        fill_from_corpus(store)
    port = free_port()
    process = subprocess.Popen([str(CLAIMLINE), "serve", "--db", str(db), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{url}/api/stats", timeout=1).close()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"claimline serve stopped: {process.stdout.read()!r}") from None  # type: ignore[union-attr]
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def api(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@dataclass
class Visit:
    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def visit(browser: Browser, server: str) -> Iterator[Visit]:
    page = browser.new_page(viewport={"width": 1400, "height": 860})
    seen = Visit(page)
    page.on("request", lambda request: seen.requests.append(request.url))
    page.on("console", lambda message: _record_error(seen, message))
    page.on("pageerror", lambda error: seen.errors.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: _record_failure(seen, request))
    page.goto(f"{server}/")
    page.wait_for_selector(READY, state="attached", timeout=30_000)
    yield seen
    page.close()


def _record_error(seen: Visit, message: ConsoleMessage) -> None:
    if message.type == "error":
        seen.errors.append(message.text)


def _record_failure(seen: Visit, request: Request) -> None:
    seen.errors.append(f"request failed: {request.url} {request.failure}")


def shown(page: Page) -> int:
    return int(page.get_attribute("#shown-count", "data-count") or -1)


def on_map(page: Page) -> int:
    """The number of points in the map's event source (what MapLibre clusters and draws)."""
    return int(page.evaluate(
        "async () => (await window.claimlineMap.getSource('events').getData()).features.length"))


def settle(page: Page) -> None:
    """Wait until the page has fetched and drawn what the last input asked for (it counts itself busy
    from the input on, through the pause it waits for typing to stop)."""
    page.wait_for_selector(READY, state="attached", timeout=30_000)


def test_the_page_loads_with_no_error_and_nothing_leaves_localhost(visit: Visit, server: str) -> None:
    visit.page.wait_for_timeout(500)
    assert visit.errors == []
    assert visit.requests
    strays = [url for url in visit.requests if not url.startswith((f"{server}/", "data:", "blob:"))]
    assert strays == []
    assert any("/vendor/world-atlas/" in url for url in visit.requests)
    assert visit.page.locator("canvas.maplibregl-canvas").count() == 1


def test_the_points_on_the_map_are_the_located_events_of_the_api(visit: Visit, server: str) -> None:
    located = api(f"{server}/api/stats")["located"]
    assert located > 50
    assert shown(visit.page) == on_map(visit.page) == located
    assert len(api(f"{server}/api/map.geojson")["features"]) == located


def test_a_filter_changes_what_is_shown(visit: Visit, server: str) -> None:
    page = visit.page
    page.select_option("#filter-kind", "territory")
    settle(page)
    territory = len(api(f"{server}/api/map.geojson?kind=territory")["features"])
    assert 0 < territory < api(f"{server}/api/stats")["located"]
    assert shown(page) == on_map(page) == territory
    page.fill("#filter-q", "drones")
    settle(page)
    both = len(api(f"{server}/api/map.geojson?kind=territory&q=drones")["features"])
    assert shown(page) == on_map(page) == both < territory
    assert visit.errors == []


def test_dragging_on_the_timeline_chooses_the_time_range(visit: Visit, server: str) -> None:
    page = visit.page
    everything = shown(page)
    box = page.locator("#histogram").bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.80, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.90, y, steps=5)
    page.mouse.move(box["x"] + box["width"] * 0.96, y, steps=5)
    page.mouse.up()
    settle(page)
    first, last = page.input_value("#date-from"), page.input_value("#date-to")
    assert first and last and first < last
    in_range = api(f"{server}/api/events?date_from={first}&date_to={last}&limit=1000")["events"]
    expected = sum(1 for record in in_range if record["location"] and record["location"]["lat"] is not None)
    assert 0 < shown(page) == on_map(page) == expected < everything
    page.click("#range-reset")
    assert shown(page) == on_map(page) == everything
    assert visit.errors == []


def test_clicking_a_point_shows_its_evidence(visit: Visit, server: str) -> None:
    page = visit.page
    features = api(f"{server}/api/map.geojson")["features"]
    places: dict[tuple[float, float], list[str]] = {}
    for feature in features:
        places.setdefault(tuple(feature["geometry"]["coordinates"]), []).append(feature["properties"]["id"])
    (lon, lat), (event_id,) = next((place, ids) for place, ids in places.items() if len(ids) == 1)
    page.evaluate(f"() => window.claimlineMap.jumpTo({{center: [{lon}, {lat}], zoom: 13}})")
    page.wait_for_timeout(1500)  # the worker re-clusters for the new zoom
    box = page.locator("#map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector(f'#evidence[data-event-id="{event_id}"]', timeout=10_000)
    detail = api(f"{server}/api/events/{event_id}")
    assert page.inner_text("#evidence mark") == detail["event"]["evidence"]["text"]
    panel = page.inner_text("#evidence")
    assert detail["event"]["attribution"] in panel
    assert detail["document"]["doc_id"] in panel
    if detail["event"]["time_precision"]:
        assert f"precise to the {detail['event']['time_precision']}" in panel
    assert visit.errors == []


def test_the_territory_view_lists_places_and_their_claims(visit: Visit, server: str) -> None:
    page = visit.page
    page.click("#tab-territory")
    page.wait_for_selector("#places li button", timeout=10_000)
    control = api(f"{server}/api/control")["features"]
    assert page.locator("#places li").count() == len(control) > 0
    page.locator("#places li button").first.click()
    rows = page.locator("#place-timeline tbody tr")
    assert rows.count() == len(control[0]["properties"]["timeline"])
    assert visit.errors == []
