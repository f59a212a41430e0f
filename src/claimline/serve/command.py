"""`claimline serve`: run the API and the map page with uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from claimline.config import Config
from claimline.errors import BackendUnavailable
from claimline.serve.assets import INSTALL_HINT, find_assets

TOKEN_ENV = "CLAIMLINE_TOKEN"


def serve(
    db: Annotated[Path | None, typer.Option("--db", help=(
        "SQLite database file made by `claimline ingest` (default: [database] path of the config, "
        "else claimline.db)"))] = None,
    host: Annotated[str | None, typer.Option(
        help="Address to listen on (default: [server] host of the config, else 127.0.0.1, which keeps the "
             "server on this machine)")] = None,
    port: Annotated[int | None, typer.Option(
        min=1, max=65535, help="Port to listen on (default: [server] port of the config, else 8000)")] = None,
    token: Annotated[str | None, typer.Option(
        envvar=TOKEN_ENV, show_envvar=True,
        help="Allow POST /api/documents to clients sending `Authorization: Bearer TOKEN` (off without it)")] = None,
    max_body: Annotated[int, typer.Option(min=1, help="Largest request body accepted, in bytes")] = 1_000_000,
    config: Annotated[Path | None, typer.Option(
        help="TOML file: [server] host and port, backends for posted documents (else $CLAIMLINE_CONFIG)")] = None,
) -> None:
    """Serve the HTTP API (OpenAPI at /api/openapi.json) and the offline map page at http://HOST:PORT/."""
    try:
        import uvicorn

        from claimline.serve.app import ServeSettings, create_app
    except ImportError as exc:
        raise BackendUnavailable("serve", install="pip install 'claimline[serve]'") from exc
    from claimline.store.sqlite import SQLiteStore

    err = Console(stderr=True)
    settings_file = Config.load(config)
    host = host if host is not None else settings_file.server.host
    port = port if port is not None else settings_file.server.port
    db = db if db is not None else settings_file.database.file
    if not db.is_file():
        raise typer.BadParameter(f"{db} does not exist; run `claimline ingest` first", param_hint="--db")
    if token is not None and not token.strip():
        raise typer.BadParameter(f"the token is empty (check --token or ${TOKEN_ENV})", param_hint="--token")
    with SQLiteStore(db) as store:  # adds the evidence search index to an older store, once
        counts = store.counts()
    assets = find_assets()
    if assets is None:
        err.print("[yellow]warning[/yellow] the map page's libraries are missing; install them with\n"
                  f"  {INSTALL_HINT}\nServing the API only.", highlight=False)
    settings = ServeSettings(db=db, token=token, max_body=max_body, assets=assets,
                             pipeline=settings_file.pipeline if settings_file.path else None)
    err.print(f"{db}: {counts.get('events', 0)} events from {counts.get('documents', 0)} documents; "
              f"map at http://{_shown(host)}:{port}/ , API at /api (adding documents "
              f"{'needs the token' if token else 'is off'})", highlight=False)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


def _shown(host: str) -> str:
    return f"[{host}]" if ":" in host else host


__all__ = ["TOKEN_ENV", "serve"]
