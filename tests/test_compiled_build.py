"""The compiled build (README, "The compiled build"): the wheel built with the mypyc hook loads its
extraction modules compiled, extracts what the pure-Python install extracts, byte for byte, and passes
the fast test suite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

pytestmark = pytest.mark.slow


def _compiled_module_count() -> int:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return len(config["tool"]["hatch"]["build"]["targets"]["wheel"]["hooks"]["custom"]["modules"])


def _run(command: list[str], *, env: dict[str, str] | None = None, cwd: Path = REPO) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-8000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def compiled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding only the compiled wheel's files (its dependencies come from this venv)."""
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.skip("no C compiler: the compiled build cannot be made here")
    work = tmp_path_factory.mktemp("compiled")
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(work / "wheel"), str(REPO)],
         env={**os.environ, "HATCH_BUILD_HOOK_ENABLE_CUSTOM": "1"})
    (wheel,) = (work / "wheel").glob("claimline-*.whl")
    assert "-cp311-" in wheel.name, f"the compiled wheel should be tagged for this CPython: {wheel.name}"
    _run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(work / "site"), str(wheel)])
    return work / "site"


def _with_build(site: Path | None) -> dict[str, str]:
    """The environment that imports claimline from `site` (the compiled build), or from this install."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    if site is not None:
        env["PYTHONPATH"] = str(site)
    return env


def _extract(site: Path | None, corpus: Path, manifest: Path, out: Path) -> bytes:
    _run([sys.executable, "-c", "from claimline.cli import main; main()", "extract", str(corpus),
          "--manifest", str(manifest), "-o", str(out)], env=_with_build(site))
    return out.read_bytes()


def test_the_compiled_build_loads_its_modules_compiled(compiled_site: Path) -> None:
    build = _run([sys.executable, "-c", "import claimline.pipeline, claimline.bench as b; print(b.machine()['build'])"],
                 env=_with_build(compiled_site)).strip()
    assert build == f"compiled by mypyc ({_compiled_module_count()} modules)"
    assert _run([sys.executable, "-c", "import claimline.pipeline, claimline.bench as b; print(b.machine()['build'])"],
                env=_with_build(None)).strip() == "pure Python"


def test_the_compiled_build_extracts_what_the_pure_build_extracts(compiled_site: Path, tmp_path: Path) -> None:
    multisource = REPO / "tests" / "fixtures" / "multisource"
    corpora = [(REPO / "examples" / "corpus", REPO / "examples" / "corpus" / "manifest.csv"),
               (multisource / "articles", multisource / "manifest.csv")]
    corpora += [(folder, folder / "manifest.csv") for folder in (SHARED / "seeds", SHARED / "eval" / "dev_articles")
                if folder.is_dir()]
    for number, (corpus, manifest) in enumerate(corpora):
        pure = _extract(None, corpus, manifest, tmp_path / f"pure-{number}.jsonl")
        compiled = _extract(compiled_site, corpus, manifest, tmp_path / f"compiled-{number}.jsonl")
        assert pure.count(b"\n") > 5, corpus
        assert compiled == pure, f"the compiled build extracts otherwise from {corpus}"


def test_the_compiled_build_passes_the_fast_tests(compiled_site: Path) -> None:
    _run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-m", "not slow and not browser",
          str(REPO / "tests")], env=_with_build(compiled_site))
