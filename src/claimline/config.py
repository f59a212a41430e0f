"""TOML → Config: which backend runs each stage and its options (PipelineConfig), the gazetteer,
the database and the server; `CLAIMLINE_<SECTION>_<KEY>` environment variables override the file.

    [stages]
    segmenter = "rules.segmenter.v1"
    geocoder = "rules.geocoder.v1"

    [options.geocoder]
    include_demonyms = true

    [gazetteer]
    cache_dir = "/var/cache/claimline"

    [database]
    path = "claimline.db"

    [server]
    host = "127.0.0.1"
    port = 8000
"""

from __future__ import annotations

import json
import os
import re
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


# ---------------------------------------------------------------------------------------------
# The whole configuration file: the pipeline above plus the gazetteer, database and server.

CONFIG_ENV = "CLAIMLINE_CONFIG"
ENV_PREFIX = "CLAIMLINE_"
SECTIONS = ("stages", "options", "gazetteer", "database", "server")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class GazetteerConfig:
    """Where the gazetteer lives; None leaves it to `$CLAIMLINE_CACHE_DIR`, else `~/.cache/claimline`."""

    cache_dir: str | None = None


@dataclass(frozen=True, slots=True)
class DatabaseConfig:
    """The SQLite event store."""

    path: str = "claimline.db"

    @property
    def file(self) -> Path:
        """The database file, a leading `~` read as the home folder."""
        return Path(self.path).expanduser()


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """Where `claimline serve` listens."""

    host: str = "127.0.0.1"
    port: int = 8000


# key → expected type, per plain section; the dataclass defaults above are the defaults
_PLAIN_KEYS: Mapping[str, Mapping[str, type]] = {
    "gazetteer": {"cache_dir": str},
    "database": {"path": str},
    "server": {"host": str, "port": int},
}


@dataclass(frozen=True, slots=True)
class Config:
    """Everything one claimline TOML file configures, after environment overrides.

        [stages]            backend per stage           CLAIMLINE_STAGES_GEOCODER=…
        [options.<stage>]   keyword options per backend CLAIMLINE_OPTIONS_GEOCODER_INCLUDE_DEMONYMS=true
        [gazetteer]         cache_dir                   CLAIMLINE_GAZETTEER_CACHE_DIR=…
        [database]          path                        CLAIMLINE_DATABASE_PATH=…
        [server]            host, port                  CLAIMLINE_SERVER_PORT=8080
    """

    pipeline: PipelineConfig = field(default_factory=PipelineConfig)
    gazetteer: GazetteerConfig = field(default_factory=GazetteerConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    server: ServerConfig = field(default_factory=ServerConfig)
    path: str | None = None
    overrides: tuple[str, ...] = ()  # the environment variables that changed a value

    @classmethod
    def load(cls, path: str | Path | None = None, *, environ: Mapping[str, str] | None = None) -> Config:
        """Read `path` (else the file `$CLAIMLINE_CONFIG` names, else the defaults), then apply
        `CLAIMLINE_<SECTION>_<KEY>` variables from `environ` (default: the process environment)."""
        environ = os.environ if environ is None else environ
        if path is None and environ.get(CONFIG_ENV):
            path = environ[CONFIG_ENV]
        data = _read_toml(path) if path is not None else {}
        where = str(path) if path is not None else None
        overrides = _environment_overrides(environ)
        merged = _merge(data, overrides)
        origins = {dotted: f"${variable}" for variable, (_, dotted) in overrides.items()}
        try:
            return _build(merged, path=where, overrides=tuple(sorted(overrides)))
        except ConfigError as exc:
            raise _located(exc, where, origins) from None

    def to_mapping(self) -> dict[str, Any]:
        """The effective configuration as TOML tables (None values left out)."""
        tables: dict[str, Any] = {"stages": dict(self.pipeline.backends)}
        if self.pipeline.options:
            tables["options"] = {stage: dict(values) for stage, values in self.pipeline.options.items()}
        for section in _PLAIN_KEYS:
            values = {key: getattr(getattr(self, section), key) for key in _PLAIN_KEYS[section]}
            tables[section] = {key: value for key, value in values.items() if value is not None}
        return tables

    def to_toml(self) -> str:
        """The effective configuration as a TOML document that `Config.load` reads back."""
        return _dump_toml(self.to_mapping())


def _read_toml(path: str | Path) -> dict[str, Any]:
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc


def _environment_overrides(environ: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """`CLAIMLINE_SERVER_PORT=8080` → {"CLAIMLINE_SERVER_PORT": ("8080", "server.port")}.

    Only variables naming a section count: `CLAIMLINE_CACHE_DIR` and `CLAIMLINE_CONFIG` are read
    elsewhere. Stage names hold no underscore, so `OPTIONS_GEOCODER_CACHE_DIR` splits one way.
    """
    found: dict[str, tuple[str, str]] = {}
    for variable, value in environ.items():
        if not variable.startswith(ENV_PREFIX):
            continue
        section, _, rest = variable[len(ENV_PREFIX):].lower().partition("_")
        if section not in SECTIONS or not rest:
            continue
        if section == "options":
            stage, _, key = rest.partition("_")
            if not key:
                raise ConfigError(f"name a stage and a key, as in {ENV_PREFIX}OPTIONS_GEOCODER_CACHE_DIR",
                                  key=f"${variable}")
            rest = f"{stage}.{key}"
        found[variable] = (value, f"{section}.{rest}")
    return found


def _merge(data: Mapping[str, Any], overrides: Mapping[str, tuple[str, str]]) -> dict[str, Any]:
    merged: dict[str, Any] = {key: dict(value) if isinstance(value, Mapping) else value for key, value in data.items()}
    for value, dotted in overrides.values():
        section, *middle, key = dotted.split(".")
        table = merged.setdefault(section, {})
        if not isinstance(table, dict):
            continue  # the file's own error about this section is reported by _build
        for name in middle:
            inner = table.get(name)
            table[name] = dict(inner) if isinstance(inner, Mapping) else {}
            table = table[name]
        typed = section == "options" or _PLAIN_KEYS.get(section, {}).get(key) is int
        table[key] = _env_value(value) if typed else value
    return merged


def _env_value(text: str) -> Any:
    """An option's value written as TOML (`true`, `3`, `"x"`), else the text itself."""
    try:
        return tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError:
        return text


def _build(data: Mapping[str, Any], *, path: str | None, overrides: tuple[str, ...]) -> Config:
    for section in data:
        if section not in SECTIONS:
            raise ConfigError(f"unknown section; known: {', '.join(SECTIONS)}", key=section)
    pipeline = PipelineConfig.from_mapping(data)
    gazetteer = GazetteerConfig(**_plain_section(data, "gazetteer"))
    if gazetteer.cache_dir and "cache_dir" not in pipeline.options.get("geocoder", {}):
        options = {stage: dict(values) for stage, values in pipeline.options.items()}
        options.setdefault("geocoder", {})["cache_dir"] = gazetteer.cache_dir
        pipeline = PipelineConfig(backends=pipeline.backends, options=options)
    return Config(
        pipeline=pipeline, gazetteer=gazetteer,
        database=DatabaseConfig(**_plain_section(data, "database")),
        server=ServerConfig(**_plain_section(data, "server")),
        path=path, overrides=overrides,
    )


def _plain_section(data: Mapping[str, Any], section: str) -> dict[str, Any]:
    table = data.get(section, {})
    if not isinstance(table, Mapping):
        raise ConfigError("must be a table", key=section)
    expected = _PLAIN_KEYS[section]
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in expected:
            raise ConfigError(f"unknown key; known: {', '.join(expected)}", key=f"{section}.{key}")
        values[key] = _typed(value, expected[key], f"{section}.{key}")
    return values


def _typed(value: Any, kind: type, key: str) -> Any:
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ConfigError(f"must be {'an integer' if kind is int else 'a string'}, not {value!r}", key=key)
    return value


def _located(error: ConfigError, path: str | None, origins: Mapping[str, str]) -> ConfigError:
    """The same error, saying whether the offending key came from the file or the environment."""
    message = str(error)[len(f"{error.key}: "):] if error.key else str(error)
    origin = origins.get(error.key or "") or path
    return ConfigError(f"{message} (in {origin})" if origin else message, key=error.key)


def _dump_toml(tables: Mapping[str, Mapping[str, Any]]) -> str:
    """Tables of scalars (and tables of such tables, as [options.geocoder]) as TOML."""
    blocks: list[str] = []
    for name, table in tables.items():
        scalars = {key: value for key, value in table.items() if not isinstance(value, Mapping)}
        nested = {key: value for key, value in table.items() if isinstance(value, Mapping)}
        if scalars or not nested:
            blocks.append(_toml_table(name, scalars))
        blocks += [_toml_table(f"{name}.{_toml_key(inner)}", values) for inner, values in nested.items()]
    return "\n\n".join(blocks) + "\n"


def _toml_table(name: str, values: Mapping[str, Any]) -> str:
    return "\n".join([f"[{name}]", *(f"{_toml_key(key)} = {_toml_value(value)}" for key, value in values.items())])


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # JSON's string escapes are valid TOML
