"""The linalg-lab and proofs-check commands: in-process, plus one subprocess smoke test each."""
import json
import subprocess
import sys

import numpy as np
import pytest

from linalg_lab import __version__
from linalg_lab.app.cli import main
from linalg_lab.app.cli import proofs_check_main as pmain


@pytest.fixture
def mat(tmp_path, rng):
    p = tmp_path / "a.npy"
    np.save(p, rng.standard_normal((30, 20)))
    return p


def test_spectral_norm_json_is_to_dict(mat, capsys):
    assert main(["spectral-norm", str(mat), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    A = np.load(mat)
    assert d["kind"] == "SpectralNormResult" and d["lower"] <= np.linalg.norm(A, 2) <= d["upper"]
    assert main(["--json", "spectral-norm", str(mat)]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_text_output_and_exit_1(mat, tmp_path, capsys):
    assert main(["spectral-norm", str(mat)]) == 0
    assert "deterministic" in capsys.readouterr().out
    import scipy.sparse as sp

    big = tmp_path / "big.npz"
    sp.save_npz(big, sp.csr_matrix(sp.random_array((5000, 4500), density=1e-3, rng=1)))
    assert main(["spectral-norm", str(big), "--bound", "probabilistic", "--maxiter", "20"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("linalg-lab: failed:") and err.count("\n") == 1


def test_usage_and_input_errors_exit_2(tmp_path, capsys):
    assert main([]) == 2
    assert "a command is required" in capsys.readouterr().err
    assert main(["spectral-norm"]) == 2
    assert main(["spectral-norm", str(tmp_path / "missing.npy")]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("linalg-lab: error: load_matrix: file not found")
    np.save(tmp_path / "v.npy", np.ones(3))
    assert main(["spectral-norm", str(tmp_path / "v.npy")]) == 2
    assert "must be a 2-D array" in capsys.readouterr().err


def test_angles_and_version(tmp_path, capsys):
    np.save(tmp_path / "a.npy", np.eye(4)[:, :2])
    np.save(tmp_path / "b.npy", np.eye(4)[:, 1:3])
    assert main(["angles", str(tmp_path / "a.npy"), str(tmp_path / "b.npy"), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["angles"] == [0.0, pytest.approx(np.pi / 2, abs=1e-15)]
    assert main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out


def test_proofs_check_spectral_norm(mat, capsys):
    assert pmain(["spectral-norm", str(mat), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["certified"] is True and d["verdict"] == "proved"
    assert d["lower"] <= np.linalg.norm(np.load(mat), 2) <= d["upper"]


def test_subprocess_smoke(mat):
    for mod in ("linalg_lab", "proofs_check"):
        out = subprocess.run([sys.executable, "-m", mod, "spectral-norm", str(mat), "--json"],
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["ok"] is True
