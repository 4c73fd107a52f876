"""proofs-check svd FILE."""
import json

import numpy as np

from linalg_lab.app.cli import proofs_check_main as main


def test_svd_command(tmp_path, capsys):
    f = tmp_path / "a.npy"
    np.save(f, np.random.default_rng(0).standard_normal((7, 5)))
    assert main(["svd", str(f)]) == 0
    out = capsys.readouterr().out
    assert "CERTIFIED" in out and "width" in out
    assert main(["svd", str(f), "--route", "float", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["certified"] is True and d["verdict"] == "proved" and d["route"] == "float" and len(d["upper"]) == 5


def test_svd_command_relative(tmp_path, capsys):
    f = tmp_path / "g.npy"
    np.save(f, np.random.default_rng(0).standard_normal((8, 8)) * np.logspace(0, -20, 8))
    assert main(["svd", str(f), "--relative", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["relative"]["not_tightened"] == [] and d["relative"]["max_relative_width"] <= 1e-10
    assert main(["svd", str(f), "--rtol", "1e-5"]) == 2
    assert "only with --relative" in capsys.readouterr().err


def test_svd_command_bad_input(tmp_path, capsys):
    f = tmp_path / "a.npy"
    np.save(f, np.array([1.0, 2.0]))
    assert main(["svd", str(f)]) == 2
    assert "2-D" in capsys.readouterr().err
