"""The documentation stays honest: the site builds with warnings as errors, every command of the
live app is in the CLI reference, every record field in the record reference, and the tutorial's
folder-to-map example runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from claimline.cli import app
from claimline.model import Event, Evidence, Location
from scripts import load_script

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"


def hooks() -> ModuleType:
    return load_script("cli_reference", DOCS / "hooks" / "cli_reference.py")


def command_paths() -> list[tuple[str, ...]]:
    module = hooks()
    return list(module.iter_commands(module.live_command()))


def test_the_walk_finds_commands_and_subcommands() -> None:
    paths = command_paths()
    assert {("claimline", "extract"), ("claimline", "config", "show"), ("claimline", "datasette"),
            ("claimline", "gazetteer", "import")} <= set(paths)


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_every_command_answers_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path[1:], "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.stdout


def test_cli_reference_has_a_section_and_every_option_of_every_command() -> None:
    module = hooks()
    root = module.live_command()
    text = module.cli_markdown(root)
    for path in module.iter_commands(root):
        assert re.search(rf"^#+ `{' '.join(path)}`$", text, re.MULTILINE), f"{' '.join(path)} is not documented"
        command, _ = module._find(root, path)
        for param in command.params:
            for name in getattr(param, "opts", []):
                if name.startswith("-") and name != "--help":
                    assert f"`{name}`" in text, f"{name} of {' '.join(path)} is not documented"


def test_cli_reference_page_holds_the_marker_the_hook_fills() -> None:
    assert hooks().MARKER in (DOCS / "reference" / "cli.md").read_text(encoding="utf-8")


def test_record_reference_describes_every_field() -> None:
    page = (DOCS / "reference" / "record.md").read_text(encoding="utf-8")
    place = Location(name="x", country_code=None, geo_precision="point")
    fields = set(Event(doc_id="d", kind="other", evidence=Evidence("t", 0, 1)).to_record()) | set(place.to_record())
    missing = sorted(field for field in fields if f"`{field}`" not in page)
    assert not missing, f"docs/reference/record.md does not describe {missing}"


def test_every_page_is_reachable_from_the_nav() -> None:
    module = hooks()
    config = {"nav": [{"Home": "index.md"}], "docs_dir": str(DOCS)}
    module.on_config(config)
    pages = {path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md") if "hooks" not in path.parts}
    assert set(module._nav_files(config["nav"])) == pages


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
                           str(ROOT / "mkdocs.yml"), "--site-dir", str(out)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-4000:]
    return out


@pytest.mark.slow
def test_site_builds_with_warnings_as_errors(site: Path) -> None:
    for page in ("index.html", "tutorial/index.html", "configuration/index.html", "howto/pandas/index.html",
                 "howto/qgis/index.html", "howto/datasette/index.html", "reference/record/index.html",
                 "reference/api/index.html"):
        assert (site / page).is_file(), page
    api = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    assert "Read texts, files and folders" in api and "to_geopandas" in api


@pytest.mark.slow
def test_built_cli_reference_names_every_command(site: Path) -> None:
    page = (site / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    missing = [" ".join(path) for path in command_paths() if f'id="{"-".join(path)}"' not in page]
    assert not missing, f"not in the CLI reference: {missing}"


@pytest.mark.slow
def test_folder_to_map_example_makes_a_geodataframe_and_a_map(tmp_path: Path) -> None:
    import matplotlib.image
    import pyogrio

    done = subprocess.run([sys.executable, str(DOCS / "examples" / "folder_to_map.py"),
                           str(ROOT / "examples" / "corpus"), str(tmp_path)],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-4000:]
    assert "CRS EPSG:4326" in done.stdout
    extracted = int(re.search(r"^(\d+) events from", done.stdout, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert extracted > 50
    image = matplotlib.image.imread(tmp_path / "events_map.png")
    assert image.shape[:2] == (700, 1000) and image.std() > 0.05
    assert pyogrio.read_info(tmp_path / "events.gpkg", layer="events")["features"] > 50
