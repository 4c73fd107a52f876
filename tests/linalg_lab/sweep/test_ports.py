"""The report's sweeps run on the sweep runner: stored points pooled give exactly the direct results."""
import json
import math

import numpy as np
import pytest

from linalg_lab import InputValueError
from linalg_lab.app.registry import ANALYSES, ReportContext, discover
from linalg_lab.experiments.alignment import NuSweepPoint, collect_nu_sweep, nu_sweep, nu_sweep_point
from linalg_lab.svd.seed004 import Seed004Batch, collect_seed004, reproduce_seed004, seed004_batch
from linalg_lab.sweep import Analysis, Store, run

discover()
NU_FIELDS = ("alignment_q", "alignment_residue", "sv_ratio", "norm_S1", "norm_spike", "norm_E", "norm_G")


def _rows_without_timing(res):
    return [{k: v for k, v in r.items() if k != "seconds_per_run"} for r in res.rows]


def _pooled(name, store):
    with Store(store) as st:
        return ANALYSES[name].collect([r.result_dict() for r in st.rows(name)])


@pytest.mark.parametrize("executor", ["serial", "local"])
def test_seed004_sweep_pools_to_the_direct_reproduction(tmp_path, executor):
    """Batches of seeds stored by the runner (split 2 + 1, in any order) pool to reproduce_seed004's table,
    curves and verdict, bit for bit (timings aside)."""
    steps = 400
    grid = [{"shape": sh, "method": m, "seed_index": i, "seed_count": c, "steps": steps}
            for sh in ("4x3", "7x4") for m in ("penalty-sgd", "penalty-adam") for i, c in ((2, 1), (0, 2))]
    r = run(ANALYSES["seed004"], grid, store=tmp_path, executor=executor, workers=2)
    assert r.ok and r.ran == len(grid)
    pooled = _pooled("seed004", tmp_path)
    direct = reproduce_seed004(seeds=3, steps=steps, shapes=[(4, 3), (7, 4)])
    assert _rows_without_timing(pooled) == _rows_without_timing(direct)
    assert pooled.verdict == direct.verdict and pooled.curves.keys() == direct.curves.keys()
    for k in direct.curves:
        assert np.array_equal(pooled.curves[k], direct.curves[k])


def test_seed004_batch_round_trips_diverged_runs_through_json():
    """Diverged runs store null (JSON has no inf) and come back as inf: the pooled rows are unchanged."""
    from linalg_lab._results import to_jsonable

    b = seed004_batch("7x4", "penalty-sgd", 40, steps=500)
    assert 0 < b.diverged < 1  # some of these 40 seeds diverge at the default step size
    back = Seed004Batch.from_dict(json.loads(json.dumps(to_jsonable(b.to_dict()))))
    assert math.isinf(max(back.error))
    assert collect_seed004([back]).rows == collect_seed004([b]).rows


def test_seed004_collect_refuses_mixed_or_repeated_batches():
    a = seed004_batch("4x3", "penalty-sgd", [0, 1], steps=50)
    with pytest.raises(InputValueError, match="a seed appears in two batches"):
        collect_seed004([a, seed004_batch("4x3", "penalty-sgd", [1], steps=50)])
    with pytest.raises(InputValueError, match="different step counts"):
        collect_seed004([a, seed004_batch("4x3", "penalty-sgd", [2], steps=60)])
    with pytest.raises(InputValueError, match="no batches"):
        collect_seed004([])


def test_nu_sweep_through_the_runner_equals_nu_sweep(tmp_path):
    nus = [0.0, 0.5, 0.75]
    grid = {"base": ["tiny-paper"], "nu": nus, "seed_index": [1, 0], "activations": [["relu", "tanh"]],
            "scalings": [["ntk", "mean-field"]]}
    r = run(ANALYSES["nu-sweep"], grid, store=tmp_path, executor="serial")
    assert r.ok and r.ran == 6
    pooled = _pooled("nu-sweep", tmp_path)
    direct = nu_sweep("tiny-paper", nus=nus, activations=("relu", "tanh"), seeds=2)
    assert pooled.nus == direct.nus and pooled.activations == direct.activations and pooled.seeds == 2
    for f in NU_FIELDS:
        np.testing.assert_array_equal(getattr(pooled, f), getattr(direct, f), err_msg=f)


def test_nu_sweep_collect_refuses_an_incomplete_grid():
    pts = [nu_sweep_point("tiny-paper", nu, sd, activations=("relu",), scalings=("ntk",))
           for nu, sd in ((0.0, 0), (0.5, 0), (0.0, 1))]
    with pytest.raises(InputValueError, match=r"missing \(nu, seed\) points \[\(0.5, 1\)\]"):
        collect_nu_sweep(pts)
    with pytest.raises(InputValueError, match="appears twice"):
        collect_nu_sweep(pts[:2] + pts[:1])
    other = nu_sweep_point("tiny-paper", 0.5, 1, activations=("tanh",), scalings=("ntk",))
    with pytest.raises(InputValueError, match="mix"):
        collect_nu_sweep(pts + [other])
    assert NuSweepPoint.from_dict(pts[0].to_dict()).values == pts[0].values


def _boom(params, seed):
    if params["x"] == 2:
        raise ValueError("x = 2 is not allowed here")
    return reproduce_seed004(seeds=1, steps=10, shapes=[(2, 2)], methods=["penalty-sgd"])


def test_report_sweep_fails_the_section_on_a_failed_point_and_reuses_stored_points(tmp_path, monkeypatch):
    monkeypatch.setitem(ANALYSES, "boom", Analysis(name="boom", run=_boom, description="test", defaults={"x": 0}))
    ctx = ReportContext(out_dir=tmp_path, fig_dir=tmp_path)
    assert len(ctx.sweep("boom", {"x": [0, 1]})) == 2
    with Store(tmp_path / "sweeps" / "boom") as st:
        assert len(st.rows()) == 2
    # the stored points are reused (no new rows); the failing one is stored and fails the call
    with pytest.raises(RuntimeError, match=r"1 of 3 point\(s\) failed.*x = 2 is not allowed"):
        ctx.sweep("boom", {"x": [0, 1, 2]})
    with Store(tmp_path / "sweeps" / "boom") as st:
        assert sorted(json.loads(r.params)["x"] for r in st.rows()) == [0, 1, 2]


def test_report_refuses_a_bad_scheduler_before_running_anything(tmp_path, capsys):
    from linalg_lab.app.cli import main

    assert main(["report", "--out", str(tmp_path / "r"), "--quick", "--section", "norms", "--scheduler", "bogus"]) == 2
    assert "unknown executor 'bogus'" in capsys.readouterr().err
    assert main(["report", "--out", str(tmp_path / "r"), "--quick", "--section", "norms", "--workers", "0"]) == 2
    assert "'workers' must be a positive int, got 0" in capsys.readouterr().err
    assert not (tmp_path / "r" / "report.md").exists()


@pytest.mark.parametrize("grid,analysis,points", [("seed004", "seed004", 80), ("nu_sweep_paper", "nu-sweep", 35),
                                                  ("two_to_q_families", "two-to-q", 15)])
def test_documented_grids_parse_and_fit_their_analysis(grid, analysis, points):
    from pathlib import Path

    from linalg_lab.app.commands.sweep import load_grid
    from linalg_lab.sweep import expand_grid

    path = Path(__file__).resolve().parents[3] / "docs" / "grids" / f"{grid}.toml"
    pts = expand_grid(load_grid(str(path)))
    assert len(pts) == points
    for p in pts:
        ANALYSES[analysis].params(p)  # unknown parameter names are refused here


def test_summary_does_not_pool_a_store_with_failed_points(tmp_path, capsys):
    from linalg_lab.app.cli import main

    grid = [{"base": "tiny-paper", "nu": 0.5, "activations": ["relu"]},
            {"base": "tiny-paper", "nu": -1.0, "activations": ["relu"]}]
    assert not run(ANALYSES["nu-sweep"], grid, store=tmp_path, executor="serial").ok
    assert main(["sweep", "summary", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "failed: InputValueError" in out and "'nu'" in out and "not pooled: 1 point(s) failed" in out


def test_point_functions_refuse_bad_input_naming_the_argument():
    with pytest.raises(InputValueError, match="'shape' must look like '5x4'"):
        seed004_batch("5by4", "penalty-sgd", 1, steps=10)
    with pytest.raises(InputValueError, match="m, n >= 1"):
        seed004_batch((0, 3), "penalty-sgd", 1, steps=10)
    with pytest.raises(InputValueError, match="method"):
        seed004_batch("4x3", "penalty-lbfgs", 1, steps=10)
    with pytest.raises(InputValueError, match="seeds"):
        seed004_batch("4x3", "penalty-sgd", [], steps=10)
    with pytest.raises(InputValueError, match="activations"):
        nu_sweep_point("tiny-paper", 0.5, 0, activations=("softplus",))
    with pytest.raises(InputValueError, match="non-empty"):
        nu_sweep_point("tiny-paper", 0.5, 0, scalings=())
    with pytest.raises(InputValueError, match="'nu'"):
        nu_sweep_point("tiny-paper", float("nan"), 0)
