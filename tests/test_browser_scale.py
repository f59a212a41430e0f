"""The map page with 20,000 generated events in a real browser: it gets ready and follows a filter within
generous limits, with no error and nothing leaving localhost. The figures to watch live in
benchmarks/map_bench.py; this only keeps the path for many events exercised."""

from __future__ import annotations

import json
import shutil
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from claimline.serve.assets import find_assets

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)
if find_assets() is None:
    pytest.skip("the page's npm packages are not installed (npm ci --prefix web)", allow_module_level=True)

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from claimline.serve.benchmark import generate_store, serving  # noqa: E402

EVENTS = 20_000
READY = 'body[data-pending="0"]'
READY_WITHIN_MS = 20_000
FILTER_WITHIN_MS = 10_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("scale") / "generated.db"
    generate_store(db, EVENTS)
    with serving(db) as base_url:
        yield base_url


def api(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def shown(page: Page) -> int:
    return int(page.get_attribute("#shown-count", "data-count") or -1)


def on_map(page: Page) -> int:
    return int(page.evaluate(
        "async () => (await window.claimlineMap.getSource('events').getData()).features.length"))


def test_many_events_are_shown_and_filtered_in_time_with_nothing_leaving_localhost(server: str) -> None:
    located = api(f"{server}/api/stats")["located"]
    strikes = len(api(f"{server}/api/map.geojson?kind=strike")["features"])
    assert located > 0.8 * EVENTS and 0 < strikes < located
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        page.on("request", lambda request: requests.append(request.url))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))

        page.goto(f"{server}/")
        # the limits are the waits' timeouts: generous, so that a loaded CI machine does not fail them
        page.wait_for_selector(READY, state="attached", timeout=READY_WITHIN_MS)
        assert shown(page) == on_map(page) == located

        page.select_option("#filter-kind", "strike")
        page.wait_for_selector(READY, state="attached", timeout=FILTER_WITHIN_MS)
        assert shown(page) == on_map(page) == strikes
        browser.close()
    assert errors == []
    assert [url for url in requests if not url.startswith((f"{server}/", "data:", "blob:"))] == []
