"""The compiled build: the extraction modules compiled to C with mypyc, for a wheel built with
`HATCH_BUILD_HOOK_ENABLE_CUSTOM=1` (see README, "The compiled build").

The modules are compiled in a temporary folder, never beside the sources: a compiled module left in
src/ would be imported in place of its edited source by an editable install. Editable installs stay
pure Python for that reason too.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

_SETUP_SCRIPT = """\
import sys
from setuptools import setup
from mypyc.build import mypycify

config_file, *paths = sys.argv[1:]
sys.argv[1:] = ["build_ext", "--build-lib", "lib", "--build-temp", "tmp"]
# one C file, so that the C compiler can inline across modules (multi_file=True built in 2.4
# rather than 3.2 minutes here, and ran no faster)
setup(name="claimline-compiled", ext_modules=mypycify(["--config-file", config_file, *paths], opt_level="3",
                                                      debug_level="0", target_dir="c", group_name="claimline"))
"""


class CompiledModulesHook(BuildHookInterface):  # type: ignore[misc]  # hatchling is a build-time package
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        sources = [str(root / "src" / module) for module in self.config["modules"]]
        self._work = Path(tempfile.mkdtemp(prefix="claimline-mypyc-"))
        (self._work / "setup.py").write_text(_SETUP_SCRIPT, encoding="utf-8")
        self.app.display_info(f"compiling {len(sources)} modules with mypyc (a few minutes)")
        done = subprocess.run([sys.executable, "setup.py", str(root / "pyproject.toml"), *sources],
                              cwd=self._work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if done.returncode:
            raise RuntimeError(f"mypyc could not compile claimline:\n{done.stdout[-6000:]}")
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        for built in (self._work / "lib").rglob(f"*{suffix}"):
            build_data["force_include"][str(built)] = str(built.relative_to(self._work / "lib"))
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
