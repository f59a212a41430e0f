"""Name → implementation, for every swappable stage.

Built-in backends register themselves under versioned names ("rules.geocoder.v1"); outside
packages add theirs through the entry point group ``claimline.backends``. The configuration, not
code, picks which one runs.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any

from claimline.errors import BackendUnavailable, ConfigError

ENTRY_POINT_GROUP = "claimline.backends"

# name → "module:attribute"; imported lazily so that no backend loads data at import time
_BUILTINS: dict[str, str] = {
    "rules.segmenter.v1": "claimline.segment:RuleSegmenter",
    "rules.geocoder.v1": "claimline.geocode:GazetteerGeocoder",
    "rules.dates.v1": "claimline.when:RuleDateResolver",
    "rules.events.v1": "claimline.events:RuleEventExtractor",
    "sqlite.store.v1": "claimline.store.sqlite:SQLiteStore",
    "memory.store.v1": "claimline.store.memory:MemoryStore",
}


def names() -> list[str]:
    """Every registered backend name, built-in and from entry points."""
    found = set(_BUILTINS)
    found.update(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))
    return sorted(found)


def resolve(name: str) -> Callable[..., Any]:
    """The factory registered under `name`."""
    target = _BUILTINS.get(name)
    if target is None:
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if ep.name == name:
                try:
                    return ep.load()  # type: ignore[no-any-return]
                except ImportError as exc:
                    raise BackendUnavailable(name, install=f"pip install {ep.dist.name if ep.dist else name}") from exc
        raise ConfigError(f"unknown backend {name!r}; known: {', '.join(names())}", key="backend")
    module_name, _, attribute = target.partition(":")
    try:
        module = import_module(module_name)
    except ImportError as exc:
        raise BackendUnavailable(name) from exc
    return getattr(module, attribute)  # type: ignore[no-any-return]


def create(name: str, **options: Any) -> Any:
    """Instantiate the backend registered under `name` with keyword options."""
    return resolve(name)(**options)
