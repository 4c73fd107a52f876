"""Benchmark: what the linalg-lab pytest plugin costs a pytest run that never uses it (issue 11).

Runs ``pytest`` on an empty throw-away project (one trivial test, its own ``pytest.ini``) with the
plugin loaded (the default, through the ``pytest11`` entry point) and with ``-p no:linalg_lab``,
alternating the two so that machine load hits both alike, and prints both wall times (minimum and
median over the repeats) and their difference.  It then splits the import cost: the plugin
module on its own (``linalg_lab`` replaced by an empty package stub, so the package
``__init__`` does not run) against ``import linalg_lab.pytest_plugin`` as pytest does it, and
lists which heavy modules each brings in.  Last, the cost of ``--tolerance-report`` itself.

    python benchmarks/bench_plugin.py [--quick] [--repeat N]

Each timing is a fresh interpreter (``subprocess``), as a user's pytest run is.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import table, write_json  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("numpy", "scipy", "mpmath", "flint", "linalg_lab.spectral", "linalg_lab.experiments",
         "linalg_lab.tolerance")

# A child that imports the plugin the way pytest does, optionally with the package stubbed, and
# reports its own wall time and which heavy modules it loaded.
_IMPORT_CHILD = """
import json, sys, time, types
import pytest
t0 = time.perf_counter()
if {stub!r}:
    pkg = types.ModuleType("linalg_lab")
    pkg.__path__ = [{pkgdir!r}]
    sys.modules["linalg_lab"] = pkg
import linalg_lab.pytest_plugin
dt = time.perf_counter() - t0
heavy = [m for m in {heavy!r} if m in sys.modules]
print(json.dumps({{"seconds": dt, "heavy": heavy}}))
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("PYTEST_ADDOPTS", None)
    return env


def _cpu_children() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _time_pytest(project: Path, extra: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one pytest run in a fresh interpreter.

    CPU time is the steadier of the two on a loaded machine (it does not count waiting for a core).
    """
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra]
    c0, t0 = _cpu_children(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=project, env=_env(), capture_output=True, text=True)
    dt, dc = time.perf_counter() - t0, _cpu_children() - c0
    if proc.returncode != 0:
        raise SystemExit(f"pytest failed ({' '.join(extra)}):\n{proc.stdout}\n{proc.stderr}")
    return dt, dc


def _import_child(stub: bool) -> dict:
    code = _IMPORT_CHILD.format(stub=stub, pkgdir=str(ROOT / "linalg_lab"), heavy=HEAVY)
    proc = subprocess.run([sys.executable, "-c", code], env=_env(), capture_output=True, text=True,
                          check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="3 repeats instead of --repeat")
    ap.add_argument("--repeat", type=int, default=9, help="pytest runs per variant (default 9)")
    args = ap.parse_args(argv)
    n = 3 if args.quick else args.repeat
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "pytest.ini").write_text("[pytest]\n")
        (project / "test_empty.py").write_text("def test_ok():\n    pass\n")
        extras = {"plugin loaded (default)": [], "-p no:linalg_lab": ["-p", "no:linalg_lab"],
                  "--tolerance-report": ["--tolerance-report"]}
        walls: dict[str, list[float]] = {k: [] for k in extras}
        cpus: dict[str, list[float]] = {k: [] for k in extras}
        _time_pytest(project, [])  # warm the file cache and the bytecode caches
        for _ in range(n):
            for name, extra in extras.items():  # interleaved: load drifts hit every variant alike
                w, c = _time_pytest(project, extra)
                walls[name].append(w)
                cpus[name].append(c)
    base = "-p no:linalg_lab"
    rows, data = [], {}
    for name in extras:
        ts, cs = walls[name], cpus[name]
        d_min = min(ts) - min(walls[base])
        d_med = statistics.median(ts) - statistics.median(walls[base])
        d_cpu = statistics.median(cs) - statistics.median(cpus[base])
        rows.append([name, min(ts), statistics.median(ts), d_min, d_med, statistics.median(cs), d_cpu])
        data[name] = {"wall_s": ts, "cpu_s": cs, "overhead_wall_min_s": d_min,
                      "overhead_wall_median_s": d_med, "overhead_cpu_median_s": d_cpu}
    print(f"pytest on an empty project, {n} runs each (python {sys.version.split()[0]})")
    print(table(["variant", "wall min s", "wall median s", "+wall (min)", "+wall (median)",
                 "cpu median s", "+cpu (median)"], rows))

    imports = []
    for label, stub in (("plugin module alone (package stubbed)", True),
                        ("import linalg_lab.pytest_plugin (as pytest does)", False)):
        res = [_import_child(stub) for _ in range(n)]
        t = min(r["seconds"] for r in res)
        imports.append([label, t, ", ".join(res[-1]["heavy"]) or "none"])
        data[label] = {"min_s": t, "heavy_modules": res[-1]["heavy"]}
    print()
    print(table(["import (after pytest)", "min s", "heavy modules loaded"], imports))
    over = data["plugin loaded (default)"]
    print(f"\noverhead of the plugin on an unrelated project: {over['overhead_wall_min_s']:+.3f} s wall"
          f" (min), {over['overhead_cpu_median_s']:+.3f} s CPU (median); the plugin module itself"
          f" imports in {imports[0][1]:.4f} s, the rest is the linalg_lab package __init__")
    print(f"results: {write_json('plugin', data)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
