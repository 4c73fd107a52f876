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
    assert d["certified"] is True and d["route"] == "float" and len(d["upper"]) == 5


def test_svd_command_bad_input(tmp_path, capsys):
    f = tmp_path / "a.npy"
    np.save(f, np.array([1.0, 2.0]))
    assert main(["svd", str(f)]) == 2
    assert "2-D" in capsys.readouterr().err
