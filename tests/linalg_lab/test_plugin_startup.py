"""The plugin costs nothing heavy in projects that never use it (issue 11, point 4).

pytest imports every ``pytest11`` entry point at startup, so ``linalg_lab.pytest_plugin`` is
imported in every pytest run of every environment where linalg-lab is installed.  The plugin
module imports only pytest and the standard library; numpy and :mod:`linalg_lab.tolerance` come
when ``--tolerance-report`` is given or a check is made.  Each case runs pytest in a fresh
interpreter and lists which heavy modules are loaded at the end of the session.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ["numpy", "scipy", "mpmath", "flint", "linalg_lab.tolerance", "linalg_lab.spectral",
         "linalg_lab.experiments"]

_CHILD = """
import json, sys, types
import pytest
if {stub!r}:
    # an empty stand-in for the package: measures the plugin module, not linalg_lab/__init__
    pkg = types.ModuleType("linalg_lab")
    pkg.__path__ = [{pkgdir!r}]
    sys.modules["linalg_lab"] = pkg
rc = pytest.main(["-q", "-p", "no:cacheprovider", *{args!r}])
print("\\nHEAVY=" + json.dumps({{"rc": int(rc), "plugin": "linalg_lab.pytest_plugin" in sys.modules,
      "heavy": [m for m in {heavy!r} if m in sys.modules]}}))
"""


def _run(project: Path, args: list[str], *, stub: bool) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    env.pop("PYTEST_ADDOPTS", None)
    code = _CHILD.format(stub=stub, pkgdir=str(ROOT / "linalg_lab"), args=args, heavy=HEAVY)
    proc = subprocess.run([sys.executable, "-c", code], cwd=project, env=env, capture_output=True,
                          text=True, timeout=120)
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("HEAVY=")]
    assert line, proc.stdout + proc.stderr
    return {**json.loads(line[-1][len("HEAVY="):]), "stdout": proc.stdout}


@pytest.fixture
def empty_project(pytester):
    pytester.makeini("[pytest]\n")
    pytester.makepyfile(test_empty="def test_ok():\n    pass\n")
    return pytester.path


def test_plugin_module_imports_nothing_heavy(empty_project):
    # Before: the plugin imported linalg_lab.tolerance (numpy) at module level.
    res = _run(empty_project, [], stub=True)
    assert res["rc"] == 0 and res["plugin"], res["stdout"]
    assert res["heavy"] == [], res["heavy"]


def test_plugin_with_option_still_works_when_loaded_lazily(empty_project):
    res = _run(empty_project, ["--tolerance-report"], stub=True)
    assert res["rc"] == 0 and "no tolerance checks were recorded" in res["stdout"]
    assert "linalg_lab.tolerance" in res["heavy"]  # imported because the option was given
    assert "linalg_lab.spectral" not in res["heavy"] and "linalg_lab.experiments" not in res["heavy"]


def test_installed_plugin_adds_no_heavy_imports_to_pytest_startup(empty_project):
    with_plugin = _run(empty_project, [], stub=False)
    without = _run(empty_project, ["-p", "no:linalg_lab"], stub=False)
    assert with_plugin["rc"] == 0 and without["rc"] == 0
    assert with_plugin["plugin"] and not without["plugin"]
    assert set(with_plugin["heavy"]) <= set(without["heavy"]), with_plugin["heavy"]
