"""TOML → PipelineConfig: which backend runs each stage, and its options.

    [stages]
    segmenter = "rules.segmenter.v1"
    geocoder = "rules.geocoder.v1"

    [options.geocoder]
    cache_dir = "~/.cache/claimline"
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimline.errors import ConfigError

STAGES = ("segmenter", "geocoder", "dates", "events")
DEFAULT_BACKENDS: Mapping[str, str] = {
    "segmenter": "rules.segmenter.v1",
    "geocoder": "rules.geocoder.v1",
    "dates": "rules.dates.v1",
    "events": "rules.events.v1",
}


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    backends: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_BACKENDS))
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_toml(cls, path: str | Path) -> PipelineConfig:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
        return cls.from_mapping(data)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> PipelineConfig:
        stages = data.get("stages", {})
        if not isinstance(stages, Mapping):
            raise ConfigError("must be a table", key="stages")
        backends = dict(DEFAULT_BACKENDS)
        for stage, name in stages.items():
            if stage not in STAGES:
                raise ConfigError(f"unknown stage; known: {', '.join(STAGES)}", key=f"stages.{stage}")
            if not isinstance(name, str):
                raise ConfigError("must be a backend name", key=f"stages.{stage}")
            backends[stage] = name
        options = data.get("options", {})
        if not isinstance(options, Mapping) or not all(isinstance(v, Mapping) for v in options.values()):
            raise ConfigError("must be a table of tables", key="options")
        return cls(backends=backends, options={k: dict(v) for k, v in options.items()})
