"""linalg-lab svd check / seed004 (in-process) and one subprocess smoke test."""
import json
import subprocess
import sys

import numpy as np

from linalg_lab.app.cli import main


def test_check_accurate_method_exit_0(tmp_path, capsys):
    f = tmp_path / "a.npy"
    np.save(f, np.random.default_rng(0).standard_normal((12, 8)))
    rc = main(["svd", "check", str(f), "--method", "jacobi", "--plots", str(tmp_path / "plots")])
    out = capsys.readouterr().out
    assert rc == 0
    assert "LAPACK ratio residual" in out and "passed, 0 failed tolerance checks" in out
    assert (tmp_path / "plots" / "svd_convergence_jacobi.png").exists()
    assert (tmp_path / "plots" / "svd_errors_jacobi.png").exists()


def test_check_penalty_json_exit_1(tmp_path, capsys):
    f = tmp_path / "a.npy"
    np.save(f, np.random.default_rng(314).random((5, 4)))
    rc = main(["svd", "check", str(f), "--method", "penalty-adam", "--steps", "500", "--json"])
    cap = capsys.readouterr()
    d = json.loads(cap.out)
    assert rc == 1 and d["ok"] is False and d["comparison"]["verdict"].startswith("not LAPACK-level")
    assert d["optimization"]["method"] == "penalty-adam" and "failed" in cap.err


def test_bad_file_and_method(tmp_path, capsys):
    assert main(["svd", "check", str(tmp_path / "missing.npy"), "--method", "jacobi"]) == 2
    assert "file not found" in capsys.readouterr().err
    f = tmp_path / "a.npy"
    np.save(f, np.ones(3))
    assert main(["svd", "check", str(f), "--method", "jacobi"]) == 2
    assert main(["svd", "check", str(f), "--method", "nope"]) == 2


def test_seed004_command(capsys):
    rc = main(["svd", "seed004", "--seeds", "2", "--steps", "100"])
    assert rc == 0 and "verdict:" in capsys.readouterr().out


def test_subprocess_smoke(tmp_path):
    f = tmp_path / "a.txt"
    np.savetxt(f, np.random.default_rng(0).standard_normal((6, 4)))
    p = subprocess.run([sys.executable, "-m", "linalg_lab", "svd", "check", str(f), "--method",
                        "subspace-iteration", "--json"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["comparison"]["verdict"] == "LAPACK-level"
