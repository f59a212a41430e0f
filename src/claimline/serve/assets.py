"""Where the page's browser libraries live: npm packages installed into `web/node_modules`.

They are served by `claimline serve` itself, so the page never loads anything from outside the
machine. `npm ci --prefix web` (run from the repository root) installs them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = "npm ci --prefix web   (from the claimline repository root; needs Node.js and npm)"
ASSETS_ENV = "CLAIMLINE_WEB_ASSETS"

# url prefix under /vendor → folder inside node_modules; the first file of each must exist
VENDORED: dict[str, tuple[str, str]] = {
    "maplibre-gl": ("maplibre-gl/dist", "maplibre-gl.mjs"),
    "topojson-client": ("topojson-client/dist", "topojson-client.min.js"),
    "world-atlas": ("world-atlas", "countries-50m.json"),
}


@dataclass(frozen=True, slots=True)
class WebAssets:
    """The installed node_modules folder the page's libraries come from."""

    node_modules: Path

    def folder(self, name: str) -> Path:
        return self.node_modules / VENDORED[name][0]

    def missing(self) -> list[str]:
        """Vendored files not found, as paths inside node_modules."""
        return [f"{folder}/{first}" for folder, first in VENDORED.values()
                if not (self.node_modules / folder / first).is_file()]


def _candidates() -> list[Path]:
    chosen = os.environ.get(ASSETS_ENV)
    if chosen:
        return [Path(chosen)]
    repository = Path(__file__).resolve().parents[3]  # src/claimline/serve/assets.py → the checkout
    return [repository / "web" / "node_modules", Path.cwd() / "web" / "node_modules"]


def find_assets() -> WebAssets | None:
    """The first complete node_modules folder: $CLAIMLINE_WEB_ASSETS, else web/node_modules of the
    checkout claimline runs from, else of the current folder; None when none is complete."""
    for candidate in _candidates():
        assets = WebAssets(candidate)
        if not assets.missing():
            return assets
    return None
