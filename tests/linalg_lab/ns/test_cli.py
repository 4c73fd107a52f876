"""`linalg-lab ns ...`: in process, plus one subprocess smoke test."""
import json
import subprocess
import sys

import numpy as np
import pytest

from linalg_lab.app.cli import main


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
    assert d["muon"]["steps"] == [["3.4445", "-4.775", "2.0315"]] and d["polar-express-5"]["safety"] == "1.02"


@pytest.mark.parametrize("argv, match", [
    (["ns", "analyze", "--schedule", "nope"], "unknown schedule 'nope'; presets are"),
    (["ns", "analyze", "--coeffs", "1.5,abc"], "'abc' is not a number"),
    (["ns", "analyze", "--lo", "0"], "The 'lo' parameter of analyze_ns_schedule must lie in"),
    (["ns", "run", "missing.npy"], "missing.npy"),
])
def test_ns_bad_input_exit_2(argv, match, capsys):
    assert main(argv) == 2
    assert match in capsys.readouterr().err


def test_ns_bad_precision_is_usage_error(matrix_file, capsys):
    assert main(["ns", "run", str(matrix_file), "--precision", "bf8"]) == 2


def test_subprocess_smoke(tmp_path):
    r = subprocess.run([sys.executable, "-m", "linalg_lab", "ns", "analyze", "--schedule", "muon", "--steps", "3"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "schedule 'muon' on [0.001, 1], 3 steps, 9 products" in r.stdout
