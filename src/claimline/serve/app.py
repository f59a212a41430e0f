"""The HTTP API and the map page: one FastAPI application over one SQLite event store.

Every request opens the store for itself (SQLite connections stay in the thread that made them, and
opening one costs well under a millisecond), so readers never wait on each other and a concurrent
`claimline ingest` shows up at the next request. Nothing is written unless a token is configured.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from claimline.config import PipelineConfig
from claimline.control import control_timelines, timelines_geojson
from claimline.errors import StoreError
from claimline.merge import ClaimCluster, Telling, cluster_claims, events_with_disputes
from claimline.model import ATTRIBUTIONS, Article, Attribution, Kind
from claimline.pipeline import Pipeline
from claimline.serve.assets import INSTALL_HINT, VENDORED, WebAssets
from claimline.serve.limits import BodyLimit
from claimline.serve.views import (
    BadParameter,
    Bucket,
    document_record,
    event_detail,
    event_feature,
    histogram,
    map_geojson,
    parse_bbox,
    source_summary,
)
from claimline.stages import EventFilters, EventStore
from claimline.store.sqlite import SQLiteStore

__all__ = ["ServeSettings", "create_app"]

STATIC = files("claimline.serve") / "static"
GEOJSON = "application/geo+json"
# Every located event lies in it: counting them in SQL spares /api/stats reading every point (85,000
# of 100,000 events: 200 ms against 30 ms).
WHOLE_EARTH = (-180.0, -90.0, 180.0, 90.0)
# The page may load only what this server serves: a stray library, font or tile request fails.
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data: blob:; worker-src 'self' blob:; child-src 'self' blob:; connect-src 'self'")


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """What one `claimline serve` process serves, and what it lets clients do."""

    db: Path
    token: str | None = None  # POST /api/documents is refused unless this is set, and then needs it
    max_body: int = 1_000_000
    assets: WebAssets | None = None
    pipeline: PipelineConfig | None = None


@dataclass
class _Derived:
    """Claim clusters and control timelines, rebuilt when the store's counts change (or after a POST)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    key: tuple[tuple[str, int], ...] | None = None
    clusters: list[ClaimCluster] = field(default_factory=list)
    control: dict[str, Any] = field(default_factory=dict)

    def current(self, store: EventStore) -> tuple[list[ClaimCluster], dict[str, Any]]:
        key = tuple(sorted(store.counts().items()))
        with self.lock:
            if key != self.key:
                published = {doc.doc_id: doc.published for doc in store.documents()}
                self.clusters = cluster_claims(Telling(e, published.get(e.doc_id)) for e in store.events())
                self.control = timelines_geojson(control_timelines(events_with_disputes(self.clusters)))
                self.key = key
            return self.clusters, self.control

    def forget(self) -> None:
        with self.lock:
            self.key = None


class DocumentIn(BaseModel):
    """One report to read and store."""

    doc_id: str = Field(min_length=1, max_length=200, pattern=r"^\S(.*\S)?$")
    text: str = Field(min_length=1)
    published: date | None = Field(None, description="Publication date, against which relative dates resolve")
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=2000)
    source: str | None = Field(None, max_length=200)


class DocumentsIn(BaseModel):
    documents: list[DocumentIn] = Field(min_length=1, max_length=100)


class Stored(BaseModel):
    doc_id: str
    stored: bool = Field(description="False when the same document was already stored unchanged")
    events: int


class StoredOut(BaseModel):
    documents: list[Stored]


class EventPage(BaseModel):
    total: int = Field(description="Events matching the filters, over all pages")
    limit: int
    offset: int
    events: list[dict[str, Any]]


class Bar(BaseModel):
    date: str
    count: int


class Histogram(BaseModel):
    bucket: Bucket
    counts: list[Bar]


class Stats(BaseModel):
    documents: int
    events: int
    located: int
    dated: int
    first_date: str | None
    last_date: str | None
    by_kind: dict[str, int]
    by_attribution: dict[str, int]


class ClaimPage(BaseModel):
    total: int
    limit: int
    offset: int
    claims: list[dict[str, Any]]


def event_filters(
    kind: Annotated[Kind | None, Query(description="Event kind")] = None,
    date_from: Annotated[date | None, Query(description="Events that end on or after this day")] = None,
    date_to: Annotated[date | None, Query(description="Events that start on or before this day")] = None,
    bbox: Annotated[str | None, Query(max_length=200, description="west,south,east,north in degrees",
                                      examples=["22,44,41,53"])] = None,
    admin1: Annotated[str | None, Query(max_length=200, description="Region name or ISO 3166-2 code")] = None,
    place: Annotated[str | None, Query(max_length=200, description="Place name (exact, any case)")] = None,
    claimant: Annotated[str | None, Query(max_length=200, description="Claimant (substring, any case)")] = None,
    attribution: Annotated[Attribution | None, Query(description="How the claim is attributed")] = None,
    doc_id: Annotated[str | None, Query(max_length=200, description="Only events of this document")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Words the evidence sentence holds")] = None,
) -> EventFilters:
    """The filters shared by every event query; blank text means no filter."""
    filters = EventFilters(kind=kind, date_from=date_from, date_to=date_to, attribution=attribution,
                           admin1=admin1 or None, place=place or None, claimant=claimant or None,
                           doc_id=doc_id or None, text=q if q and q.strip() else None)
    if bbox:
        filters["bbox"] = parse_bbox(bbox)
    return filters


Filters = Annotated[EventFilters, Depends(event_filters)]
Limit = Annotated[int, Query(ge=1, le=1000, description="Most items in the page")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000, description="Items skipped before the page")]
Bearer = Annotated[
    HTTPAuthorizationCredentials | None,
    Depends(HTTPBearer(auto_error=False, description="The token `claimline serve --token` was given")),
]
FEATURE_COLLECTION = {"type": "object", "required": ["type", "features"],
                      "properties": {"type": {"const": "FeatureCollection"}, "features": {"type": "array"}}}
BAD_REQUEST: dict[int | str, dict[str, Any]] = {400: {"description": "A parameter makes no sense"}}


def create_app(settings: ServeSettings) -> FastAPI:
    """The application serving `settings.db`: the API under /api, the map page at /."""
    app = FastAPI(
        title="claimline", version="1",
        description="Who claims what happened, where and when: the events of a claimline store.",
        openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
    )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body)
    derived = _Derived()
    pipeline = Pipeline(settings.pipeline)  # its stages load on the first document posted
    pipeline_lock = threading.Lock()

    @contextmanager
    def store() -> Iterator[SQLiteStore]:
        with SQLiteStore(settings.db) as opened:
            yield opened

    @app.exception_handler(BadParameter)
    def bad_parameter(request: Request, exc: BadParameter) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        # the input is left out: it can be large, and it may hold text JSON cannot encode (lone surrogates)
        detail = [{"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]} for error in exc.errors()]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(StoreError)
    def store_unusable(request: Request, exc: StoreError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.get("/api/events", response_model=EventPage, tags=["events"],
             responses={**BAD_REQUEST, 200: {"content": {GEOJSON: {"schema": FEATURE_COLLECTION}}}},
             summary="A page of events matching the filters (JSON, or GeoJSON with format=geojson)")
    def events(filters: Filters, limit: Limit = 100, offset: Offset = 0,
               format: Literal["json", "geojson"] = "json") -> Any:
        with store() as opened:
            total = opened.count(**filters)
            page = list(opened.events(limit=limit, offset=offset, **filters))
        if format == "geojson":
            collection = {"type": "FeatureCollection", "total": total, "limit": limit, "offset": offset,
                          "features": [event_feature(event) for event in page]}
            return JSONResponse(collection, media_type=GEOJSON)
        return EventPage(total=total, limit=limit, offset=offset, events=[e.to_record() for e in page])

    @app.get("/api/map.geojson", responses={**BAD_REQUEST, 200: {"content": {GEOJSON: {"schema": FEATURE_COLLECTION}}}},
             tags=["events"],
             summary="Every located event matching the filters, as compact GeoJSON points for a map")
    def map_points(filters: Filters) -> Response:
        with store() as opened:
            body = map_geojson(opened.points(**filters))
        return Response(body, media_type=GEOJSON)

    @app.get("/api/events/{event_id}", tags=["events"], responses={404: {"description": "No such event"}},
             summary="One event with its evidence in context and its source document")
    def one_event(event_id: str) -> dict[str, Any]:
        with store() as opened:
            found = next(opened.events(event_id=event_id, limit=1), None)
            if found is None:
                raise HTTPException(404, f"no event {event_id!r}")
            return event_detail(found, opened.document(found.doc_id))

    @app.get("/api/histogram", response_model=Histogram, responses=BAD_REQUEST, tags=["events"],
             summary="Events per day, week or month (by first day) matching the filters")
    def event_histogram(filters: Filters, bucket: Bucket = "day") -> Histogram:
        with store() as opened:
            days = opened.day_counts(**filters)
        return Histogram(bucket=bucket, counts=[Bar(**bar) for bar in histogram(days, bucket)])

    @app.get("/api/stats", response_model=Stats, tags=["store"], summary="What the store holds")
    def stats() -> Stats:
        with store() as opened:
            counts = opened.counts()
            days = opened.day_counts()
            by_attribution = {a: n for a in ATTRIBUTIONS if (n := opened.count(attribution=a))}
            located = opened.count(bbox=WHOLE_EARTH)
        return Stats(
            documents=counts.get("documents", 0), events=counts.get("events", 0), located=located,
            dated=sum(n for _, n in days), first_date=days[0][0].isoformat() if days else None,
            last_date=days[-1][0].isoformat() if days else None,
            by_kind={k.removeprefix("kind:"): n for k, n in counts.items() if k.startswith("kind:")},
            by_attribution=by_attribution,
        )

    @app.get("/api/sources", tags=["store"], summary="Outlets with their documents and the dates covered")
    def sources() -> list[dict[str, Any]]:
        with store() as opened:
            return source_summary(opened.documents())

    @app.get("/api/documents/{doc_id}", tags=["store"], responses={404: {"description": "No such document"}},
             summary="One document: its metadata and text")
    def one_document(doc_id: str) -> dict[str, Any]:
        with store() as opened:
            article = opened.document(doc_id)
        if article is None:
            raise HTTPException(404, f"no document {doc_id!r}")
        return {**document_record(article), "text": article.text}

    @app.get("/api/claims", response_model=ClaimPage, tags=["claims"],
             summary="The same claim across reports: sources, numbers and contradictions")
    def claims(kind: Annotated[Kind | None, Query(description="Only claims of this kind")] = None,
               disputed: Annotated[bool, Query(description="Only claims another contradicts")] = False,
               limit: Limit = 100, offset: Offset = 0) -> ClaimPage:
        with store() as opened:
            clusters, _ = derived.current(opened)
        chosen = [c for c in clusters if (kind is None or c.kind == kind) and (c.disputed or not disputed)]
        return ClaimPage(total=len(chosen), limit=limit, offset=offset,
                         claims=[c.to_record() for c in chosen[offset:offset + limit]])

    @app.get("/api/control", tags=["claims"], responses={200: {"content": {GEOJSON: {"schema": FEATURE_COLLECTION}}}},
             summary="Who claims to hold each settlement, and since when, as GeoJSON")
    def control() -> JSONResponse:
        with store() as opened:
            _, collection = derived.current(opened)
        return JSONResponse(collection, media_type=GEOJSON)

    def authorized(credentials: Bearer) -> None:
        _authorize(settings.token, credentials)

    # The token is a dependency, so it is checked before the body is validated: without it a
    # client gets 401/403, never the validation errors that would describe what a write takes.
    @app.post("/api/documents", response_model=StoredOut, tags=["store"], dependencies=[Depends(authorized)],
              responses={401: {"description": "Missing or wrong token"},
                         403: {"description": "Adding documents is off (no token configured)"},
                         413: {"description": "Request body too large"}},
              summary="Read reports and store them with their events (needs the configured token)")
    def add_documents(body: DocumentsIn) -> StoredOut:
        stored: list[Stored] = []
        with pipeline_lock, store() as opened:
            for doc in body.documents:
                article = Article(doc_id=doc.doc_id, text=doc.text, published=doc.published,
                                  published_reason="given to POST /api/documents" if doc.published else None,
                                  title=doc.title, url=doc.url, source=doc.source)
                found = pipeline.process(article)
                stored.append(Stored(doc_id=doc.doc_id, stored=opened.add(article, found), events=len(found)))
        derived.forget()
        return StoredOut(documents=stored)

    _add_page(app, settings.assets)
    return app


def _authorize(token: str | None, credentials: HTTPAuthorizationCredentials | None) -> None:
    if token is None:
        raise HTTPException(403, "adding documents is off: start `claimline serve` with --token "
                                 "(or CLAIMLINE_TOKEN) to allow it")
    given = credentials.credentials if credentials else ""
    if not hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8")):
        raise HTTPException(401, "missing or wrong token (send `Authorization: Bearer TOKEN`)",
                            headers={"WWW-Authenticate": "Bearer"})


def _add_page(app: FastAPI, assets: WebAssets | None) -> None:
    """The map page and the files it loads; without the npm assets, a page saying how to get them."""
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    if assets is None:
        @app.get("/", include_in_schema=False)
        def no_page() -> HTMLResponse:
            return HTMLResponse(f"<!doctype html><title>claimline</title><h1>The map's libraries are not "
                                f"installed</h1><p>Run <code>{INSTALL_HINT}</code> and restart "
                                f"<code>claimline serve</code>. The API works meanwhile: "
                                f"<a href='/api/stats'>/api/stats</a>.</p>", status_code=503)
        return
    for name in VENDORED:
        app.mount(f"/vendor/{name}", StaticFiles(directory=str(assets.folder(name))), name=f"vendor-{name}")
    page = (STATIC / "index.html").read_text(encoding="utf-8")

    @app.get("/", include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse(page, headers={"Content-Security-Policy": PAGE_POLICY})
