"""`claimline serve` against a hostile client: writes need the token, compared in constant time;
injection through every filter and id finds only what the filter allows and leaves the store as it
was; no file outside the static roots is served; bodies and pages are capped; the server listens on
127.0.0.1 unless told otherwise."""

from __future__ import annotations

import asyncio
import hmac
import http.client
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from claimline.cli import app as cli_app
from claimline.model import Event
from claimline.serve.app import STATIC, ServeSettings, create_app
from claimline.serve.assets import VENDORED, WebAssets, find_assets
from claimline.serve.benchmark import generate_store, serving
from claimline.store import SQLiteStore

TOKEN = "s3cret-token-for-tests"
REPOSITORY = Path(__file__).parents[1]

# What an attacker sends as a value: SQL and FTS5 syntax, quotes, comments, NUL bytes, odd unicode.
PAYLOADS = [
    "'", '"', "`", "\\", "' OR 1=1 --", "' OR '1'='1", '" OR ""="', "1 OR 1=1", "1) OR (1=1", "';--", "/*", "*/",
    "'; DROP TABLE events; --", "1; DROP TABLE events", "x' UNION SELECT record FROM events --",
    "' UNION SELECT name, sql FROM sqlite_master --", "' || (SELECT count(*) FROM events) || '",
    "%", "_", "%%'", "*", '"', '"drone', "drone*", "NEAR(drone strike)", "NEAR(", "AND OR NOT", "drone OR 1",
    "evidence: strike", "place : x", "^strike", "-strike", "+strike", "(((", "())", "{strike}", "[strike]",
    "\x00", "strike\x00' OR 1=1", "Łódka Київ 🚀", "\u202eekirts", "ＳＴＲＩＫＥ", "x" * 5000,
    "bench-1' OR '1'='1", "Place 1' OR '1'='1", "UA-10' OR '1'='1", "Staff' OR '1'='1",
]
# Already percent-encoded: bytes that are not UTF-8, a lone surrogate, an overlong quote.
RAW_PAYLOADS = ["%FF", "%ED%A0%80", "%C0%A7", "%27%00%27", "%25%27"]
TEXT_FILTERS = ["admin1", "place", "claimant", "doc_id", "q"]
TYPED_PARAMS = [("/api/events", "kind"), ("/api/events", "attribution"), ("/api/events", "date_from"),
                ("/api/events", "date_to"), ("/api/events", "bbox"), ("/api/events", "limit"),
                ("/api/events", "offset"), ("/api/events", "format"), ("/api/histogram", "bucket"),
                ("/api/map.geojson", "kind"), ("/api/histogram", "date_from"), ("/api/claims", "kind"),
                ("/api/claims", "disputed"), ("/api/claims", "limit"), ("/api/claims", "offset")]
# Text that must never come back from a static route: this file's neighbours and the system's.
SECRETS = ["def create_app", "[project]", "root:x:0:0", "s3cret", '"name": "maplibre-gl"']


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("security") / "store.db"
    generate_store(path, 400)
    return path


@pytest.fixture(scope="module")
def stored(db: Path) -> list[Event]:
    with SQLiteStore(db) as store:
        return list(store.events())


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServeSettings(db=db, token=TOKEN, assets=find_assets()))) as made:
        yield made


@pytest.fixture
def writable(tmp_path: Path, db: Path) -> Iterator[tuple[TestClient, Path]]:
    """A client with the token over its own copy of the store, bodies up to 10 kB."""
    path = tmp_path / "copy.db"
    with closing(sqlite3.connect(db)) as source, closing(sqlite3.connect(path)) as target:
        source.backup(target)
    with TestClient(create_app(ServeSettings(db=path, token=TOKEN, max_body=10_000))) as made:
        yield made, path


def fingerprint(path: Path) -> tuple[Any, ...]:
    """Row counts, the schema, and SQLite's own integrity verdict."""
    with closing(sqlite3.connect(path)) as connection:
        return (connection.execute("SELECT count(*) FROM events").fetchone(),
                connection.execute("SELECT count(*) FROM documents").fetchone(),
                connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall(),
                connection.execute("PRAGMA integrity_check").fetchall())


def query(param: str, payload: str, *, raw: bool = False) -> str:
    return f"{param}={payload}" if raw else urlencode({param: payload}, quote_via=quote)


def folded_words(text: str) -> list[str]:
    """Words as the full-text index keeps them: letters and digits, case and accents folded."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return re.findall(r"[^\W_]+", "".join(c for c in decomposed if not unicodedata.combining(c)))


def allowed(param: str, value: str) -> Callable[[Event], bool]:
    """What the filter `param=value` lets through, written independently of the store's SQL."""
    key = value.casefold()
    if param == "admin1":
        return lambda e: e.location is not None and (
            e.location.admin1_iso == value.upper() or (e.location.admin1 or "").casefold() == key)
    if param == "place":
        return lambda e: e.location is not None and e.location.name.casefold() == key
    if param == "claimant":
        return lambda e: e.claimant is not None and key in e.claimant.casefold()
    if param == "doc_id":
        return lambda e: e.doc_id == value
    wanted = folded_words(value)

    def holds(e: Event) -> bool:
        have = folded_words(e.evidence.text)
        return bool(wanted) and all(any(word.startswith(w) for word in have) for w in wanted)
    return holds


# ---- writes need the token ---------------------------------------------------------------------

DOCUMENT = {"documents": [{"doc_id": "posted", "published": "2025-03-10",
                           "text": "Russian drones struck the port of Odesa overnight, the governor said."}]}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_writes_are_refused_when_no_token_is_configured(db: Path) -> None:
    before = fingerprint(db)
    with TestClient(create_app(ServeSettings(db=db))) as bare:
        for headers in ({}, bearer(""), bearer(TOKEN), bearer("None")):
            response = bare.post("/api/documents", json=DOCUMENT, headers=headers)
            assert response.status_code == 403, headers
    assert fingerprint(db) == before


@pytest.mark.parametrize("headers", [
    {}, bearer("wrong"), bearer(TOKEN[:-1]), bearer(TOKEN + "x"), bearer(TOKEN.upper()), bearer(" " + TOKEN + " x"),
    {"Authorization": f"Basic {TOKEN}"}, {"Authorization": TOKEN}, {"Authorization": "Bearer"},
    {"X-Token": TOKEN}, {"Cookie": f"token={TOKEN}"},
], ids=lambda headers: repr(headers)[:40])
def test_a_write_without_the_right_token_gets_401_and_stores_nothing(
        writable: tuple[TestClient, Path], headers: dict[str, str]) -> None:
    client, path = writable
    before = fingerprint(path)
    response = client.post("/api/documents", json=DOCUMENT, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert fingerprint(path) == before


def test_the_token_is_checked_before_the_body_is_validated(writable: tuple[TestClient, Path]) -> None:
    client, _ = writable
    assert client.post("/api/documents", json={"documents": []}).status_code == 401
    assert client.post("/api/documents", json={"nothing": 1}, headers=bearer("wrong")).status_code == 401
    assert client.post("/api/documents", json={"documents": []}, headers=bearer(TOKEN)).status_code == 422


def test_a_write_with_the_right_token_is_stored(writable: tuple[TestClient, Path]) -> None:
    client, path = writable
    before = fingerprint(path)[1][0]
    response = client.post("/api/documents", json=DOCUMENT, headers=bearer(TOKEN))
    assert response.status_code == 200
    assert response.json()["documents"][0]["stored"] is True
    assert fingerprint(path)[1][0] == before + 1


def test_the_token_is_compared_in_constant_time(writable: tuple[TestClient, Path],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Every decision goes through hmac.compare_digest: made to say no, even the right token fails."""
    client, _ = writable
    compared: list[tuple[bytes, bytes]] = []

    def refuse(given: bytes, expected: bytes) -> bool:
        compared.append((given, expected))
        return False

    monkeypatch.setattr(hmac, "compare_digest", refuse)
    assert client.post("/api/documents", json=DOCUMENT, headers=bearer(TOKEN)).status_code == 401
    assert compared == [(TOKEN.encode(), TOKEN.encode())]


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_no_other_method_writes(writable: tuple[TestClient, Path], method: str) -> None:
    client, path = writable
    before = fingerprint(path)
    event = client.get("/api/events", params={"limit": 1}).json()["events"][0]["event_id"]
    for url in ("/api/documents", "/api/documents/bench-1", f"/api/events/{event}", "/api/events"):
        response = client.request(method, url, json=DOCUMENT, headers=bearer(TOKEN))
        assert response.status_code == 405, (method, url)
    assert fingerprint(path) == before


# ---- injection through every filter and id ------------------------------------------------------

def test_a_quote_in_a_real_value_is_matched_literally(client: TestClient, stored: list[Event]) -> None:
    expected = sum(1 for e in stored if e.claimant and "ukraine's" in e.claimant.casefold())
    assert expected > 0
    assert client.get("/api/events", params={"claimant": "Ukraine's"}).json()["total"] == expected
    assert client.get("/api/events", params={"claimant": "Ukraine''s"}).json()["total"] == 0


@pytest.mark.parametrize("param", TEXT_FILTERS)
def test_text_filters_find_only_what_they_allow_whatever_the_payload(
        client: TestClient, db: Path, stored: list[Event], param: str) -> None:
    before = fingerprint(db)
    for payload, raw in [*((p, False) for p in PAYLOADS), *((p, True) for p in RAW_PAYLOADS)]:
        value = unquote(payload, errors="replace") if raw else payload
        expected = [e for e in stored if allowed(param, value)(e)]
        located = [e for e in expected if e.location is not None]
        q = query(param, payload, raw=raw)
        page = client.get(f"/api/events?limit=1000&{q}")
        assert page.status_code in (200, 422), (param, payload, page.status_code, page.text[:200])
        if page.status_code == 422:  # only what the length cap refuses
            assert len(value) > 200, (param, payload)
            continue
        found = page.json()["events"]
        assert page.json()["total"] == len(found), (param, payload)
        if param == "q":  # the oracle cannot tokenize every script as FTS5 does: check no event slips in
            assert all(allowed(param, value)(Event.from_record(e)) for e in found), (param, payload)
            assert len(found) <= len(expected) or not value.isascii(), (param, payload)
            if value.isascii():
                assert len(found) == len(expected), (param, payload)
        else:
            assert len(found) == len(expected), (param, payload)
        geo = client.get(f"/api/map.geojson?{q}")
        assert geo.status_code == 200, (param, payload)
        bars = client.get(f"/api/histogram?{q}")
        assert bars.status_code == 200, (param, payload)
        if param != "q" or value.isascii():
            assert len(geo.json()["features"]) == len(located), (param, payload)
            assert sum(bar["count"] for bar in bars.json()["counts"]) == sum(1 for e in expected if e.when.start), (
                param, payload)
    assert fingerprint(db) == before


@pytest.mark.parametrize(("path", "param"), TYPED_PARAMS, ids=["".join(pair) for pair in TYPED_PARAMS])
def test_typed_parameters_refuse_every_payload_with_a_4xx(client: TestClient, db: Path, path: str,
                                                          param: str) -> None:
    before = fingerprint(db)
    for payload, raw in [*((p, False) for p in PAYLOADS), *((p, True) for p in RAW_PAYLOADS)]:
        response = client.get(f"{path}?{query(param, payload, raw=raw)}")
        assert response.status_code in (400, 422), (path, param, payload, response.status_code, response.text[:200])
        assert param in response.text
    assert fingerprint(db) == before


@pytest.mark.parametrize("prefix", ["/api/events/", "/api/documents/"])
def test_ids_in_paths_find_nothing_but_themselves(client: TestClient, db: Path, stored: list[Event],
                                                  prefix: str) -> None:
    before = fingerprint(db)
    real = stored[0].event_id if prefix == "/api/events/" else stored[0].doc_id
    assert client.get(prefix + quote(real, safe="")).status_code == 200
    for payload in [*PAYLOADS, real + "' OR '1'='1", real + "%", "%", "*"]:
        response = client.get(prefix + quote(payload, safe=""))
        assert response.status_code == 404, (prefix, payload, response.status_code)
    for raw in RAW_PAYLOADS:
        assert client.get(prefix + raw).status_code == 404, raw
    assert fingerprint(db) == before


# ---- no file outside the static roots ----------------------------------------------------------

TRAVERSALS = [
    "/static/../app.py", "/static/../../../../pyproject.toml", "/static/..%2fapp.py", "/static/..%2F..%2Fapp.py",
    "/static/%2e%2e/app.py", "/static/%2e%2e%2fapp.py", "/static/.%2e/.%2e/.%2e/.%2e/pyproject.toml",
    "/static/%252e%252e%252fapp.py", "/static/..%5capp.py", "/static/..\\app.py", "/static/....//app.py",
    "/static/..;/app.py", "/static/app.js/../../app.py", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
    "/static/%2Fetc/passwd", "/static/../../../../../../etc/passwd", "/static/%c0%ae%c0%ae/app.py",
    "/static/app.js%00/../../app.py", "/static/..%00/app.py", "/vendor/maplibre-gl/../package.json",
    "/vendor/maplibre-gl/..%2fpackage.json", "/vendor/maplibre-gl/%2e%2e/package.json",
    "/vendor/maplibre-gl//etc/passwd", "/vendor/world-atlas/../../../pyproject.toml", "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd", "/static/" + str(REPOSITORY / "pyproject.toml"),
]


def asgi_get(app: FastAPI, raw_path: str) -> tuple[int, bytes]:
    """Send GET raw_path to the app as a server would decode it, with no client normalizing it first."""
    messages: list[dict[str, Any]] = []
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": unquote(raw_path, errors="surrogateescape"), "raw_path": raw_path.encode(),
             "query_string": b"", "root_path": "", "headers": [(b"host", b"127.0.0.1")],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    status = next(m["status"] for m in messages if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")


def assert_refused(status: int, body: bytes, path: str) -> None:
    assert status in (400, 404), (path, status, body[:200])
    text = body.decode("utf-8", "replace")
    assert not any(secret in text for secret in SECRETS), (path, text[:200])


def test_static_routes_serve_their_own_files(client: TestClient) -> None:
    assert client.get("/static/app.js").status_code == 200
    assert (STATIC / "app.js").is_file()


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_escapes_the_static_roots(client: TestClient, path: str) -> None:
    assert_refused(*asgi_get(client.app, path), path)  # type: ignore[arg-type]


def test_symlinks_out_of_an_asset_folder_are_not_followed(tmp_path: Path, db: Path) -> None:
    modules = tmp_path / "node_modules"
    for folder, first in VENDORED.values():
        (modules / folder).mkdir(parents=True, exist_ok=True)
        (modules / folder / first).write_text("ok", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("s3cret", encoding="utf-8")
    dist = modules / VENDORED["maplibre-gl"][0]
    (dist / "leak.txt").symlink_to(outside / "secret.txt")
    (dist / "up").symlink_to(outside, target_is_directory=True)
    assets = WebAssets(modules)
    assert not assets.missing()
    with TestClient(create_app(ServeSettings(db=db, assets=assets))) as made:
        assert made.get("/vendor/maplibre-gl/maplibre-gl.mjs").text == "ok"
        for path in ("/vendor/maplibre-gl/leak.txt", "/vendor/maplibre-gl/up/secret.txt"):
            response = made.get(path)
            assert_refused(response.status_code, response.content, path)


# ---- body and page limits ----------------------------------------------------------------------

def test_a_body_over_the_limit_gets_413_before_the_token_is_read(writable: tuple[TestClient, Path]) -> None:
    client, path = writable
    before = fingerprint(path)
    padding = '{"documents": [{"doc_id": "big", "text": "%s"}]}'
    at_limit = (padding % ("x" * (10_000 - len(padding) + 2))).encode()
    assert len(at_limit) == 10_000
    json_headers = {"content-type": "application/json"}
    assert client.post("/api/documents", content=at_limit, headers=json_headers).status_code == 401
    for headers in (json_headers, {**json_headers, **bearer(TOKEN)}):
        response = client.post("/api/documents", content=at_limit + b" ", headers=headers)
        assert response.status_code == 413
    huge = {**json_headers, "content-length": str(10**12)}
    assert client.post("/api/documents", content=b"{}", headers=huge).status_code == 413
    assert fingerprint(path) == before


@pytest.mark.parametrize("path", ["/api/events", "/api/claims"])
def test_page_size_above_the_maximum_is_refused_not_clamped(client: TestClient, path: str) -> None:
    assert client.get(path, params={"limit": 1000}).status_code == 200
    response = client.get(path, params={"limit": 1001})
    assert response.status_code == 422
    assert "less than or equal to 1000" in response.text


def test_text_filters_are_capped_at_200_characters(client: TestClient) -> None:
    for param in TEXT_FILTERS:
        assert client.get("/api/events", params={param: "x" * 200}).status_code == 200
        assert client.get("/api/events", params={param: "x" * 201}).status_code == 422


# ---- the server stays on this machine unless told otherwise ------------------------------------

def test_serve_listens_on_localhost_unless_told_otherwise(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    monkeypatch.delenv("CLAIMLINE_TOKEN", raising=False)
    runner = CliRunner()
    assert runner.invoke(cli_app, ["serve", "--db", str(db)]).exit_code == 0
    assert runner.invoke(cli_app, ["serve", "--db", str(db), "--host", "0.0.0.0", "--port", "9"]).exit_code == 0
    assert [(c["host"], c["port"]) for c in calls] == [("127.0.0.1", 8000), ("0.0.0.0", 9)]


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket listening on `port`, from /proc/net/tcp and tcp6 (Linux)."""
    found: set[str] = set()
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            local, _, state = line.split()[1:4]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


@pytest.mark.slow
def test_the_real_server_binds_loopback_and_keeps_to_its_roots(db: Path) -> None:
    """`claimline serve` in its own process: uvicorn decodes the raw path itself, so send it raw."""
    with serving(db) as base_url:
        address = urlsplit(base_url)
        assert address.hostname == "127.0.0.1" and address.port
        if Path("/proc/net/tcp").exists():
            assert listening_addresses(address.port) == {"0100007F"}  # 127.0.0.1, nothing else
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        try:
            for path in [p for p in TRAVERSALS if "\\" not in p and "%00" not in p]:
                connection.putrequest("GET", path, skip_host=False, skip_accept_encoding=True)
                connection.endheaders()
                response = connection.getresponse()
                assert_refused(response.status, response.read(), path)
            connection.request("GET", "/static/app.js")
            assert connection.getresponse().read()
        finally:
            connection.close()


def test_serve_takes_host_and_port_from_the_config_and_its_environment(
        db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    monkeypatch.delenv("CLAIMLINE_TOKEN", raising=False)
    settings = tmp_path / "claimline.toml"
    settings.write_text("[server]\nport = 8765\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli_app, ["serve", "--db", str(db), "--config", str(settings)]).exit_code == 0
    monkeypatch.setenv("CLAIMLINE_SERVER_PORT", "8766")
    assert runner.invoke(cli_app, ["serve", "--db", str(db)]).exit_code == 0
    assert [(c["host"], c["port"]) for c in calls] == [("127.0.0.1", 8765), ("127.0.0.1", 8766)]
