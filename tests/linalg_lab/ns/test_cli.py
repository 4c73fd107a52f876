"""`linalg-lab ns ...`: in process, plus one subprocess smoke test."""
import json
import subprocess
import sys

import numpy as np
import pytest

from linalg_lab.app.cli import main
from linalg_lab.ns import PRESETS


@pytest.fixture
def matrix_file(tmp_path):
    p = tmp_path / "A.npy"
    np.save(p, np.random.default_rng(0).standard_normal((20, 50)) / np.sqrt(50))
    return p


def test_ns_run(matrix_file, tmp_path, capsys):
    out = tmp_path / "X.npy"
    rc = main(["ns", "run", str(matrix_file), "--schedule", "cubic", "--steps", "30", "--save", str(out),
               "--plots", str(tmp_path / "figs")])
    text = capsys.readouterr().out
    assert rc == 0 and "||X - UV^T||_F / ||UV^T||_F" in text and "scipy.linalg.polar" in text
    X = np.load(out)
    assert np.linalg.norm(X @ X.T - np.eye(20), 2) < 1e-13
    assert (tmp_path / "figs" / "ns_singular_values.png").stat().st_size > 1000


def test_ns_run_bf16_json(matrix_file, capsys):
    rc = main(["--json", "ns", "run", str(matrix_file), "--schedule", "muon", "--precision", "bfloat16"])
    d = json.loads(capsys.readouterr().out)
    assert rc == 0 and d["precision"] == "bfloat16 (emulated)" and d["precision_difference"] > 1e-3
    assert len(d["sv_after"]) == 20


def test_ns_run_coeffs_override(matrix_file, capsys):
    rc = main(["ns", "run", str(matrix_file), "--coeffs", "1.875,-1.25,0.375", "--steps", "12"])
    assert rc == 0 and "(custom, 12 steps" in capsys.readouterr().out


def test_ns_analyze_with_plots(tmp_path, capsys):
    rc = main(["ns", "analyze", "--schedule", "polar-express-5", "--lo", "1e-3", "--plots", str(tmp_path)])
    text = capsys.readouterr().out
    assert rc == 0 and "hazard:" in text and "step 4: p(x)" in text and "[numerical]" in text
    for f in ("ns_map.png", "ns_cobweb.png", "ns_error.png", "ns_band.png"):
        assert (tmp_path / f).stat().st_size > 1000


def test_ns_schedules_listing(capsys):
    assert main(["--json", "ns", "schedules"]) == 0
    d = json.loads(capsys.readouterr().out)
    s = d["schedules"]
    assert d["kind"] == "PresetListing" and set(s) == set(PRESETS)
    assert s["muon"]["steps"] == [["3.4445", "-4.775", "2.0315"]] and s["polar-express-5"]["safety"] == "1.02"
    assert s["cans-5"]["eps_mode"] == "clamp" and d["deprecated_aliases"] == {"you5": "cesista5"}


@pytest.mark.parametrize("argv, match", [
    (["ns", "analyze", "--schedule", "nope"], "unknown schedule 'nope'; presets are"),
    (["ns", "analyze", "--preset", "nope"], "invalid choice: 'nope'"),
    (["ns", "analyze", "--coeffs", "1.5,abc", "--steps", "3"], "'abc' is not a number"),
    (["ns", "analyze", "--coeffs", "abc", "--steps", "3"], "malformed coefficients 'abc'"),
    (["ns", "analyze", "--preset", "muon", "--coeffs", "1.5,-0.5"], "not allowed with argument"),
    (["ns", "analyze", "--basins-resolution", "30"], "--basins-resolution applies only with --plots"),
    (["ns", "analyze", "--lo", "0"], "The 'lo' parameter of analyze_ns_schedule must lie in"),
    (["ns", "run", "missing.npy"], "missing.npy"),
])
def test_ns_bad_input_exit_2(argv, match, capsys):
    assert main(argv) == 2
    assert match in capsys.readouterr().err


def test_ns_bad_precision_is_usage_error(matrix_file, capsys):
    assert main(["ns", "run", str(matrix_file), "--precision", "bf8"]) == 2


def test_subprocess_exit_codes(matrix_file):
    """Issue 11 point 6, as a user runs it: a single --coeffs step without --steps is exit 2 with a reason."""
    r = subprocess.run([sys.executable, "-m", "linalg_lab", "ns", "run", str(matrix_file), "--coeffs",
                        "3.4445,-4.775,2.0315"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "--coeffs gives a single step" in r.stderr


def test_subprocess_smoke(tmp_path):
    r = subprocess.run([sys.executable, "-m", "linalg_lab", "ns", "analyze", "--schedule", "muon", "--steps", "3"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "schedule 'muon' on [0.001, 1], 3 steps, 9 products" in r.stdout


def test_single_step_coeffs_needs_steps(matrix_file, capsys):
    """Issue 11 point 6: one --coeffs step used to run once silently (error 0.54); now exit 2 asking for --steps."""
    assert main(["ns", "run", str(matrix_file), "--coeffs", "3.4445,-4.775,2.0315"]) == 2
    err = capsys.readouterr().err
    assert "--coeffs gives a single step" in err and "--steps N" in err
    assert main(["ns", "run", str(matrix_file), "--coeffs", "3.4445,-4.775,2.0315", "--steps", "5"]) == 0
    assert "(custom, 5 steps" in capsys.readouterr().out


def test_coeffs_malformed_is_not_an_unknown_schedule(matrix_file, capsys):
    """Issue 11 point 11: --coeffs abc said 'unknown schedule'; it must say the coefficients are malformed."""
    assert main(["--json", "ns", "run", str(matrix_file), "--coeffs", "abc", "--steps", "2"]) == 2
    out, err = capsys.readouterr()
    d = json.loads(out)
    assert d["kind"] == "error" and "malformed coefficients 'abc'" in d["reason"]
    assert "unknown schedule" not in err


def test_deprecated_preset_name_warns_and_works(matrix_file, capsys):
    with pytest.warns(FutureWarning, match="'you5' is deprecated; use 'cesista5'"):
        assert main(["ns", "run", str(matrix_file), "--schedule", "you5"]) == 0
    assert "(cesista5, 5 steps" in capsys.readouterr().out
