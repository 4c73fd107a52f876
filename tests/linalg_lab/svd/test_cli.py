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
    assert "normwise (LAPACK's contract): LAPACK-level" in out and "relatively accurate" in out
    assert (tmp_path / "plots" / "svd_convergence_jacobi.png").exists()
    assert (tmp_path / "plots" / "svd_errors_jacobi.png").exists()


def test_check_penalty_json_exit_1(tmp_path, capsys):
    f = tmp_path / "a.npy"
    np.save(f, np.random.default_rng(314).random((5, 4)))
    rc = main(["svd", "check", str(f), "--method", "penalty-adam", "--steps", "500", "--json"])
    cap = capsys.readouterr()
    d = json.loads(cap.out)
    assert rc == 1 and d["ok"] is False and d["comparison"]["normwise_verdict"].startswith("not LAPACK-level")
    assert d["optimization"]["method"] == "penalty-adam" and "failed" in cap.err
    assert d["rigour"] == "numerical" and d["optimization"]["rigour"] == "numerical"


def test_diverged_method_is_a_result_exit_1_not_an_input_error(tmp_path, capsys):
    # issue 11 point 5: lr 0.9 diverged and the command said "'U' has 1200 non-finite entries", exit 2
    f = tmp_path / "g.npy"
    np.save(f, np.random.default_rng(0).standard_normal((40, 30)))
    rc = main(["svd", "check", str(f), "--method", "penalty-sgd", "--lr", "0.9", "--steps", "300", "--json"])
    cap = capsys.readouterr()
    d = json.loads(cap.out)
    assert rc == 1 and d["status"].startswith("diverged")
    assert "diverged at step" in d["optimization"]["reason"] and "non-finite entries" not in cap.err
    assert d["comparison"]["status"].startswith("diverged")


def test_default_penalty_sgd_does_not_diverge_on_gaussian_40x30(tmp_path, capsys):
    f = tmp_path / "g.npy"
    np.save(f, np.random.default_rng(0).standard_normal((40, 30)))
    rc = main(["svd", "check", str(f), "--method", "penalty-sgd", "--steps", "2000", "--json",
               "--mpmath-max-dim", "0"])
    d = json.loads(capsys.readouterr().out)
    assert rc == 1 and d["optimization"]["status"] == "ok"  # finished, not LAPACK-level
    assert "halved after each divergence" in d["optimization"]["reason"] and "fixed budget" in d["optimization"]["reason"]
    assert d["comparison"]["ratios"]["residual"] is not None


def test_options_that_do_not_apply_are_refused(tmp_path, capsys):
    f = tmp_path / "a.npy"
    np.save(f, np.random.default_rng(0).standard_normal((6, 4)))
    assert main(["svd", "check", str(f), "--method", "jacobi", "--lr", "0.1"]) == 2
    assert "'lr' applies to the penalty methods only" in capsys.readouterr().err
    assert main(["svd", "check", str(f), "--method", "penalty-sgd", "--lr", "fast"]) == 2


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
    assert json.loads(p.stdout)["comparison"]["normwise_verdict"] == "LAPACK-level"
