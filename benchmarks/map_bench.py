"""The map page with many events, in headless chromium: how long it takes to show them and to follow
the user.

    .venv/bin/python benchmarks/map_bench.py [--events N] [--repeat R] [--db STORE] [--json]

A store of generated events (the generator of `claimline bench serve`) is served by `claimline serve`
on 127.0.0.1; Debian's chromium, driven by Playwright, opens the page `--repeat` times, each time in
a fresh tab, and measures in the page (performance.now()):

- ready: navigation start to the points drawn (the page's last fetch done and the map idle);
- kind filter: the kind select changed to "strike", to the map idle with the fewer points;
- date range (inputs): both date inputs set to a 90-day range, to the map idle;
- date range (drag): pointer release after dragging across the timeline, to the map idle;
- evidence: pointer release on a lone point, to the evidence panel filled;
- frames: requestAnimationFrame intervals while the map pans and zooms for a few seconds;
- heap: the page's JS heap after a garbage collection (MapLibre's workers hold their own heaps).

Prints the median of each over the repetitions. Needs the dev dependencies (Playwright), chromium
(`apt-get install chromium`) and the page's npm packages (`npm ci --prefix web`).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

from claimline.serve.benchmark import generate_store, serving

VIEWPORT = {"width": 1400, "height": 860}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
RANGE = ("2024-06-01", "2024-08-29")
PAN_SECONDS = 4.0

# Installed before the page's own scripts: timing helpers that wait for the page to be settled,
# i.e. no fetch or deferred filter pending (body[data-pending="0"]) and the map idle.
PAGE_HELPERS = """
window.__bench = (() => {
  const pendingIsZero = () => new Promise((resolve) => {
    if (document.body.dataset.pending === '0') { resolve(); return; }
    const watch = new MutationObserver(() => {
      if (document.body.dataset.pending === '0') { watch.disconnect(); resolve(); }
    });
    watch.observe(document.body, { attributes: true, attributeFilter: ['data-pending'] });
  });
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  async function settled() {
    await pendingIsZero();
    const map = window.claimlineMap;
    if (map.loaded()) await nextFrame();
    else await new Promise((resolve) => map.once('idle', resolve));
    return performance.now();
  }
  // the handlers of an event run after capture listeners on window: look one task later
  const afterHandlers = () => new Promise((resolve) => setTimeout(resolve, 0));
  let released = null;
  window.addEventListener('pointerup', () => { released = performance.now(); }, true);
  const shown = () => Number(document.getElementById('shown-count').dataset.count);

  async function chooseKind(kind) {
    const select = document.getElementById('filter-kind');
    const started = performance.now();
    select.value = kind;
    select.dispatchEvent(new Event('input', { bubbles: true }));
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await afterHandlers();
    return { ms: (await settled()) - started, shown: shown() };
  }
  async function chooseDates(first, last) {
    const from = document.getElementById('date-from');
    const to = document.getElementById('date-to');
    const started = performance.now();
    from.value = first;
    to.value = last;
    to.dispatchEvent(new Event('change', { bubbles: true }));
    await afterHandlers();
    return { ms: (await settled()) - started, shown: shown() };
  }
  async function sinceRelease() {
    await afterHandlers();
    return { ms: (await settled()) - released, shown: shown() };
  }
  function evidenceSinceRelease(eventId) {
    const panel = document.getElementById('evidence');
    return new Promise((resolve) => {
      const done = () => panel.dataset.eventId === eventId && !panel.hidden;
      if (done()) { resolve(performance.now() - released); return; }
      const watch = new MutationObserver(() => {
        if (done()) { watch.disconnect(); resolve(performance.now() - released); }
      });
      watch.observe(panel, { attributes: true });
    });
  }
  async function panAndZoom(seconds) {
    const map = window.claimlineMap;
    const frames = [];
    let last = null;
    let running = true;
    const tick = (now) => {
      if (last !== null) frames.push(now - last);
      last = now;
      if (running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const moves = [
      () => map.panBy([320, 0], { duration: 700 }),
      () => map.panBy([0, 220], { duration: 700 }),
      () => map.zoomTo(map.getZoom() + 1.5, { duration: 700 }),
      () => map.panBy([-320, -220], { duration: 700 }),
      () => map.zoomTo(map.getZoom() - 1.5, { duration: 700 }),
    ];
    const until = performance.now() + seconds * 1000;
    for (let i = 0; performance.now() < until; i += 1) {
      const moved = new Promise((resolve) => map.once('moveend', resolve));
      moves[i % moves.length]();
      await moved;
    }
    running = false;
    return frames;
  }
  return { settled, chooseKind, chooseDates, sinceRelease, evidenceSinceRelease, panAndZoom };
})();
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def open_page(browser: Browser, base_url: str) -> tuple[Page, float, list[str]]:
    """A fresh tab on the map page once it is settled; the ms from navigation start, and every URL
    it requested."""
    page = browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.add_init_script(PAGE_HELPERS)
    page.goto(f"{base_url}/", timeout=120_000)
    ready = float(page.evaluate("window.__bench.settled()"))
    return page, ready, requested


def geojson_fetch_ms(page: Page) -> float:
    """How long the page's fetch of /api/map.geojson took, request to last byte."""
    return float(page.evaluate("""() => {
      const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/map.geojson'));
      return entry ? entry.responseEnd - entry.startTime : -1;
    }"""))


def drag_timeline(page: Page, start: float, end: float) -> dict[str, Any]:
    """Drag across the timeline from `start` to `end` (shares of its width); ms from release to settled."""
    box = page.locator("#histogram").bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * start, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * end, y, steps=10)
    page.mouse.up()
    return dict(page.evaluate("window.__bench.sinceRelease()"))


def lone_point(page: Page) -> tuple[str, list[float]] | None:
    """An event with no other event within a few hundred metres, from what the map holds."""
    found = page.evaluate("""async () => {
      const features = (await window.claimlineMap.getSource('events').getData()).features;
      const cells = new Map();
      for (const f of features) {
        const [lon, lat] = f.geometry.coordinates;
        const key = `${Math.round(lon * 200)},${Math.round(lat * 200)}`;
        cells.set(key, (cells.get(key) ?? 0) + 1);
      }
      for (const f of features) {
        const [lon, lat] = f.geometry.coordinates;
        let near = 0;
        for (let dx = -1; dx <= 1; dx += 1) for (let dy = -1; dy <= 1; dy += 1) {
          near += cells.get(`${Math.round(lon * 200) + dx},${Math.round(lat * 200) + dy}`) ?? 0;
        }
        if (near === 1) return [f.properties.id, f.geometry.coordinates];
      }
      return null;
    }""")
    return None if found is None else (str(found[0]), [float(c) for c in found[1]])


def open_evidence(page: Page) -> float:
    """Zoom onto a lone point and click it; ms from release to the evidence panel filled."""
    found = lone_point(page)
    if found is None:
        return float("nan")
    event_id, (lon, lat) = found
    page.evaluate(f"() => window.claimlineMap.jumpTo({{center: [{lon}, {lat}], zoom: 14}})")
    page.evaluate("window.__bench.settled()")
    box = page.locator("#map").bounding_box()
    assert box is not None
    # kept in the page: evaluating the promise here would wait for a click not made yet
    page.evaluate(f"() => {{ window.__evidence = window.__bench.evidenceSinceRelease({json.dumps(event_id)}); }}")
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    return float(page.evaluate("window.__evidence"))


def heap_mb(page: Page) -> float:
    session = page.context.new_cdp_session(page)
    session.send("HeapProfiler.collectGarbage")
    session.send("Performance.enable")
    metrics = {m["name"]: m["value"] for m in session.send("Performance.getMetrics")["metrics"]}
    session.detach()
    return float(metrics["JSHeapUsedSize"]) / 1e6


def one_visit(browser: Browser, base_url: str) -> dict[str, Any]:
    """Every measurement on one fresh tab, in the order a user might do them."""
    page, ready, requested = open_page(browser, base_url)
    try:
        shown = page.get_attribute("#shown-count", "data-count")
        result: dict[str, Any] = {"ready_ms": ready, "geojson_fetch_ms": geojson_fetch_ms(page),
                                  "shown": int(shown or -1)}
        kind = page.evaluate("window.__bench.chooseKind('strike')")
        everything = page.evaluate("window.__bench.chooseKind('')")
        result.update(kind_ms=kind["ms"], kind_shown=kind["shown"], kind_back_ms=everything["ms"])
        dates = page.evaluate(f"window.__bench.chooseDates({json.dumps(RANGE[0])}, {json.dumps(RANGE[1])})")
        result.update(range_inputs_ms=dates["ms"], range_shown=dates["shown"])
        dragged = drag_timeline(page, 0.30, 0.55)
        result.update(range_drag_ms=dragged["ms"], drag_shown=dragged["shown"])
        page.click("#range-reset")
        page.evaluate("window.__bench.settled()")
        frames = [float(f) for f in page.evaluate(f"window.__bench.panAndZoom({PAN_SECONDS})")]
        result.update(frames=len(frames), frame_median_ms=statistics.median(frames),
                      frame_p95_ms=percentile(frames, 0.95), frame_max_ms=max(frames))
        result["evidence_ms"] = open_evidence(page)
        result["heap_mb"] = heap_mb(page)
        result["strays"] = [url for url in requested if not url.startswith((f"{base_url}/", "data:", "blob:"))]
        return result
    finally:
        page.close()


def medians(visits: list[dict[str, Any]]) -> dict[str, Any]:
    numbers = [key for key, value in visits[0].items() if isinstance(value, int | float)]
    return {key: round(statistics.median(v[key] for v in visits), 1) for key in numbers}


@contextmanager
def chromium() -> Iterator[Browser]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise SystemExit("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def run(db: Path, repeat: int) -> dict[str, Any]:
    with serving(db) as base_url, chromium() as browser:
        open_page(browser, base_url)[0].close()  # warm the server's and the browser's caches once
        visits = [one_visit(browser, base_url) for _ in range(repeat)]
    strays = sorted({url for visit in visits for url in visit["strays"]})
    return {"repeat": repeat, "median": medians(visits), "visits": visits, "strays": strays}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000, help="events to generate (without --db)")
    parser.add_argument("--repeat", type=int, default=3, help="fresh tabs, each measured once")
    parser.add_argument("--db", type=Path, help="an existing store to serve instead of generating one")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of the summary")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="claimline-map-bench-") as folder:
        db = options.db
        if db is None:
            db = Path(folder) / "bench.db"
            started = time.perf_counter()
            generate_store(db, options.events)
            print(f"generated {options.events:,} events in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        result = run(db, options.repeat)
    if options.json:
        sys.stdout.write(json.dumps(result) + "\n")
        return
    for key, value in result["median"].items():
        print(f"{key:>18}  {value:,}")
    print(f"{'requests elsewhere':>18}  {len(result['strays'])}")


if __name__ == "__main__":
    main()
