"""One TOML file for stages, gazetteer, database and server; CLAIMLINE_* overrides; errors name the key."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimline.cli import app
from claimline.config import Config, PipelineConfig
from claimline.errors import ConfigError

FULL = """
[stages]
segmenter = "rules.segmenter.v1"

[options.geocoder]
include_demonyms = true

[gazetteer]
cache_dir = "/srv/claimline/gazetteer"

[database]
path = "/srv/claimline/events.db"

[server]
host = "0.0.0.0"
port = 9000
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "claimline.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_one_file_configures_stages_gazetteer_database_and_server(tmp_path: Path) -> None:
    config = Config.load(write(tmp_path, FULL), environ={})
    assert config.pipeline.backends["segmenter"] == "rules.segmenter.v1"
    assert config.pipeline.backends["events"] == "rules.events.v1"
    assert config.gazetteer.cache_dir == "/srv/claimline/gazetteer"
    assert config.database.path == "/srv/claimline/events.db"
    assert (config.server.host, config.server.port) == ("0.0.0.0", 9000)


def test_defaults_without_a_file() -> None:
    config = Config.load(environ={})
    assert config.pipeline == PipelineConfig()
    assert (config.database.path, config.server.port, config.gazetteer.cache_dir) == ("claimline.db", 8000, None)
    assert config.path is None and config.overrides == ()


def test_gazetteer_folder_reaches_the_geocoder_unless_its_options_name_one(tmp_path: Path) -> None:
    config = Config.load(write(tmp_path, FULL), environ={})
    assert config.pipeline.options["geocoder"] == {"include_demonyms": True, "cache_dir": "/srv/claimline/gazetteer"}
    own = Config.load(write(tmp_path, FULL + '[options.dates]\n\n[options.segmenter]\n'), environ={})
    assert own.pipeline.options["geocoder"]["cache_dir"] == "/srv/claimline/gazetteer"
    explicit = write(tmp_path, '[gazetteer]\ncache_dir = "/a"\n[options.geocoder]\ncache_dir = "/b"\n')
    assert Config.load(explicit, environ={}).pipeline.options["geocoder"]["cache_dir"] == "/b"


def test_environment_variables_override_the_file(tmp_path: Path) -> None:
    environ = {"CLAIMLINE_SERVER_PORT": "8081", "CLAIMLINE_DATABASE_PATH": "other.db",
               "CLAIMLINE_STAGES_GEOCODER": "rules.geocoder.v1",
               "CLAIMLINE_OPTIONS_GEOCODER_INCLUDE_DEMONYMS": "false"}
    config = Config.load(write(tmp_path, FULL), environ=environ)
    assert config.server.port == 8081 and config.server.host == "0.0.0.0"
    assert config.database.path == "other.db"
    assert config.pipeline.options["geocoder"]["include_demonyms"] is False
    assert config.overrides == tuple(sorted(environ))


def test_variables_that_name_no_section_are_left_alone() -> None:
    config = Config.load(environ={"CLAIMLINE_CACHE_DIR": "/tmp/x", "CLAIMLINE_WORKERS": "3"})
    assert config == Config.load(environ={})


def test_claimline_config_names_the_file_when_none_is_given(tmp_path: Path) -> None:
    path = write(tmp_path, FULL)
    config = Config.load(environ={"CLAIMLINE_CONFIG": str(path)})
    assert config.path == str(path) and config.server.port == 9000


@pytest.mark.parametrize(("text", "key", "says"), [
    ("[server]\nport = \"high\"\n", "server.port", "must be an integer"),
    ("[server]\nprot = 80\n", "server.prot", "unknown key"),
    ("[databse]\npath = \"x.db\"\n", "databse", "unknown section"),
    ("[stages]\ngeocoder = 3\n", "stages.geocoder", "must be a backend name"),
    ("[stages]\nparser = \"x\"\n", "stages.parser", "unknown stage"),
    ("database = \"x.db\"\n", "database", "must be a table"),
    ("[gazetteer]\ncache_dir = 1\n", "gazetteer.cache_dir", "must be a string"),
])
def test_an_error_in_the_file_names_the_key_and_the_file(tmp_path: Path, text: str, key: str, says: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        Config.load(path, environ={})
    assert caught.value.key == key
    assert str(caught.value).startswith(f"{key}: {says}") and str(path) in str(caught.value)


def test_an_error_from_the_environment_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^server\.port: must be an integer.*\$CLAIMLINE_SERVER_PORT"):
        Config.load(write(tmp_path, FULL), environ={"CLAIMLINE_SERVER_PORT": "eighty"})
    with pytest.raises(ConfigError, match=r"^stages\.parser: unknown stage.*\$CLAIMLINE_STAGES_PARSER"):
        Config.load(environ={"CLAIMLINE_STAGES_PARSER": "x"})
    with pytest.raises(ConfigError, match=r"CLAIMLINE_OPTIONS_GEOCODER: name a stage and a key"):
        Config.load(environ={"CLAIMLINE_OPTIONS_GEOCODER": "x"})


def test_invalid_toml_and_a_missing_file_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        Config.load(write(tmp_path, "[server\n"), environ={})
    with pytest.raises(ConfigError, match="cannot read"):
        Config.load(tmp_path / "none.toml", environ={})


def test_the_effective_configuration_reads_back_as_the_same(tmp_path: Path) -> None:
    config = Config.load(write(tmp_path, FULL + '\n[options."odd key"]\n"a b" = [1, "two"]\n'),
                         environ={"CLAIMLINE_SERVER_PORT": "1234"})
    shown = config.to_toml()
    assert tomllib.loads(shown) == config.to_mapping()
    again = Config.load(write(tmp_path, shown), environ={})
    assert (again.pipeline, again.gazetteer, again.database, again.server) == (
        config.pipeline, config.gazetteer, config.database, config.server)


def test_pipeline_config_still_reads_the_stage_tables_of_the_same_file(tmp_path: Path) -> None:
    pipeline = PipelineConfig.from_toml(write(tmp_path, FULL))
    assert pipeline.options["geocoder"] == {"include_demonyms": True}


def test_config_show_prints_the_file_with_the_environment_applied(tmp_path: Path) -> None:
    path = write(tmp_path, FULL)
    result = CliRunner().invoke(app, ["config", "show", "--config", str(path)],
                                env={"CLAIMLINE_SERVER_PORT": "7000"})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"# from {path}, overridden by $CLAIMLINE_SERVER_PORT")
    shown = tomllib.loads(result.stdout)
    assert shown["server"] == {"host": "0.0.0.0", "port": 7000}
    assert shown["database"] == {"path": "/srv/claimline/events.db"}


def test_config_show_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["config", "show", "--json", "--config", str(write(tmp_path, FULL))])
    assert result.exit_code == 0, result.output
    assert '"port": 9000' in result.stdout


def test_config_show_reports_a_bad_key_without_a_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "[server]\nport = \"x\"\n")
    script = Path(sys.executable).parent / "claimline"
    done = subprocess.run([str(script), "config", "show", "--config", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "server.port" in done.stderr and str(path) in done.stderr.replace("\n", "")
    assert "Traceback" not in done.stderr


def test_the_database_of_the_configuration_is_the_commands_default(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.txt").write_text("Russian drones struck Odesa on Monday, the governor said.\n", encoding="utf-8")
    configured, given = tmp_path / "configured.db", tmp_path / "given.db"
    config = write(tmp_path, f'[database]\npath = "{configured}"\n')
    env = {"CLAIMLINE_DATABASE_PATH": None, "CLAIMLINE_CONFIG": None}
    ingested = CliRunner().invoke(app, ["ingest", str(corpus), "--config", str(config)], env=env)
    assert ingested.exit_code == 0, ingested.output
    assert configured.is_file() and not (tmp_path / "claimline.db").exists()
    # commands without --config read the file $CLAIMLINE_CONFIG names
    queried = CliRunner().invoke(app, ["query", "--json"], env={**env, "CLAIMLINE_CONFIG": str(config)})
    assert queried.exit_code == 0, queried.output
    assert "Odesa" in queried.stdout
    # --db wins over the file
    CliRunner().invoke(app, ["ingest", str(corpus), "--config", str(config), "--db", str(given)], env=env)
    assert given.is_file()


def test_the_database_file_reads_a_leading_tilde_as_the_home_folder() -> None:
    assert Config.load(environ={"CLAIMLINE_DATABASE_PATH": "~/claimline/events.db"}).database.file == (
        Path.home() / "claimline" / "events.db")
    assert Config.load(environ={}).database.file == Path("claimline.db")


@pytest.mark.parametrize("command", ["ingest", "watch"])
def test_ingest_and_watch_read_the_configuration_once(tmp_path: Path, command: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The database and the pipeline come from one reading of the file, never from two that could differ."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.txt").write_text("Russian drones struck Odesa on Monday, the governor said.\n", encoding="utf-8")
    config = write(tmp_path, f'[database]\npath = "{tmp_path / "configured.db"}"\n')
    readings: list[Path | None] = []
    load = Config.load

    def counted(path: Path | None = None, **kwargs: object) -> Config:
        readings.append(path)
        return load(path, **kwargs)

    monkeypatch.setattr(Config, "load", staticmethod(counted))
    arguments = [command, str(corpus), "--config", str(config)] + (["--once"] if command == "watch" else [])
    done = CliRunner().invoke(app, arguments, env={"CLAIMLINE_DATABASE_PATH": None, "CLAIMLINE_CONFIG": None})
    assert done.exit_code == 0, done.output
    assert readings == [config]
    assert (tmp_path / "configured.db").is_file()
