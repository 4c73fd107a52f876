"""The sweep runner: same rows on every executor, resumable after SIGKILL, failures stored."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from linalg_lab import InputValueError
from linalg_lab.app.registry import ANALYSES, discover
from linalg_lab.sweep import Store, expand_grid, point_seeds, run

discover()
SPEC = ANALYSES["spectral-norm"]
GRID48 = {"m": [6, 9, 12, 15], "n": [3, 5, 7, 9], "family": ["gaussian", "uniform", "graded"]}


def _comparable(store):
    """Rows without what legitimately differs between runs (timing, worker, wall clock)."""
    return sorted((r.key, r.attempt, r.point_index, r.params, r.seed, r.status, r.ok, r.failed, r.reason, r.result)
                  for r in Store(store).rows())


def test_dask_local_cluster_gives_the_rows_of_local_processes(tmp_path):
    pytest.importorskip("dask.distributed", reason="dask[distributed] is not installed (it is in the [test] extra): pip install -e '.[test]'")
    a = run(SPEC, GRID48, store=tmp_path / "local", workers=2, root_seed=7)
    b = run(SPEC, GRID48, store=tmp_path / "dask", executor="dask-local", workers=2, root_seed=7)
    assert a.ok and b.ok and a.n_points == b.n_points == 48 and a.ran == b.ran == 48
    assert "LocalCluster" in b.executor
    ra, rb = _comparable(tmp_path / "local"), _comparable(tmp_path / "dask")
    assert ra == rb and len(ra) == 48
    assert {r.worker for r in Store(tmp_path / "dask").rows()} != {"x"}


def test_seeds_come_from_the_root_and_the_index():
    s = point_seeds(3, 10)
    assert s == point_seeds(3, 10) and s[:4] == point_seeds(3, 4) and len(set(s)) == 10
    assert s != point_seeds(4, 10)


def test_failed_point_is_stored_with_its_reason_and_the_sweep_goes_on(tmp_path):
    grid = [{"m": 10, "n": 5}, {"m": 0, "n": 5}, {"m": 12, "n": 6}]
    r = run(SPEC, grid, store=tmp_path, executor="serial")
    assert not r.ok and r.ran == 3 and r.failed == 1
    rows = {json.loads(x.params)["m"]: x for x in Store(tmp_path).rows()}
    assert rows[0].failed and rows[0].status == "failed" and "'m'" in rows[0].reason
    assert rows[10].ok and rows[12].ok and json.loads(rows[10].result)["kind"] == "SpectralNormResult"
    # resume skips everything; retry-failed re-runs only the failed point, as a new attempt
    r2 = run(SPEC, grid, store=tmp_path, executor="serial", resume=True)
    assert r2.ran == 0 and r2.skipped == 3
    r3 = run(SPEC, grid, store=tmp_path, executor="serial", retry_failed=True)
    assert r3.ran == 1 and len(Store(tmp_path).rows()) == 4
    assert sorted(x.attempt for x in Store(tmp_path).rows() if json.loads(x.params)["m"] == 0) == [1, 2]


def test_refusals(tmp_path):
    with pytest.raises(InputValueError, match="unknown parameter"):
        run(SPEC, {"bogus": [1]}, store=tmp_path, executor="serial")
    run(SPEC, {"m": [8], "n": [4]}, store=tmp_path, executor="serial")
    with pytest.raises(InputValueError, match="--resume"):
        run(SPEC, {"m": [8], "n": [4]}, store=tmp_path, executor="serial")
    with pytest.raises(InputValueError, match="empty list"):
        expand_grid({"m": []})


def test_sigkill_midway_then_resume(tmp_path):
    """Kill the sweep process group mid-run; resume: each point once, finished rows unchanged."""
    grid = tmp_path / "g.toml"
    grid.write_text('m = [700, 701, 702, 703, 704, 705, 706, 707]\nn = [700]\n')
    store = tmp_path / "st"
    cmd = [sys.executable, "-m", "linalg_lab", "sweep", "spectral-norm", "--grid", str(grid), "--store", str(store),
           "--workers", "1"]
    env = {**os.environ, "LINALG_LAB_PROGRESS": "0", "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    t0 = time.time()
    n = 0
    while time.time() - t0 < 120:
        time.sleep(0.2)
        if (store / "sweep.sqlite").is_file():
            n = len(Store(store).rows())
            if n >= 2:
                break
        assert proc.poll() is None, "the sweep finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = {r.key: r for r in Store(store).rows()}
    assert 2 <= len(before) < 8
    done = subprocess.run(cmd + ["--resume"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    after = Store(store).rows()
    keys = [r.key for r in after]
    assert len(keys) == len(set(keys)) == 8  # every point exactly once
    for r in after:
        if r.key in before:
            assert r == before[r.key]  # finished rows byte-identical
