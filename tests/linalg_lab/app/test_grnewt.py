"""Faces of grnewt: CLI commands (in-process and one subprocess smoke test) and the report section."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from linalg_lab.app.cli import main, proofs_check_main
from linalg_lab.app.report import build_report


def _save(tmp: Path, H, g, d):
    for n, a in (("H", H), ("g", g), ("d", d)):
        np.save(tmp / f"{n}.npy", np.asarray(a, dtype=float))
    return [str(tmp / "H.npy"), str(tmp / "g.npy"), str(tmp / "d.npy")]


def test_solve_json_and_unbounded_exit_code(tmp_path, capsys):
    files = _save(tmp_path, np.diag([2.0, -1.0]), [1.0, 1.0], [1.0, 1.0])
    assert main(["grnewt", "solve", *files, "--damping-int", "2", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["case"].startswith("D positive definite") and d["ok"]
    files = _save(tmp_path, np.diag([-1.0, 2.0]), [1.0, 1.0], [0.0, 1.0])
    assert main(["grnewt", "solve", *files, "--damping-int", "1", "--json"]) == 1
    d = json.loads(capsys.readouterr().out)
    assert d["case"].startswith("unbounded") and d["alternative"]


def test_solve_bad_input_exit_2(tmp_path, capsys):
    files = _save(tmp_path, np.eye(2), [1.0, 1.0], [1.0, -1.0])
    assert main(["grnewt", "solve", *files, "--damping-int", "1"]) == 2
    assert "nonnegative" in capsys.readouterr().err
    assert main(["grnewt", "solve", *files[:2], str(tmp_path / "missing.npy"), "--damping-int", "1"]) == 2


def test_proofs_check_root(tmp_path, capsys):
    files = _save(tmp_path, np.diag([2.0, -1.0, 1.0]), [1.0, 1.0, 0.5], [1.0, 0.5, 0.0])
    assert proofs_check_main(["grnewt", "root", *files, "--damping-int", "1", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["certified"] and d["lower"] <= d["r_float"] <= d["upper"]


def test_train_writes_plots(tmp_path, capsys):
    assert main(["grnewt", "train", "--steps", "4", "--plots", str(tmp_path)]) == 0
    assert (tmp_path / "grnewt_loss.png").is_file() and (tmp_path / "grnewt_lrs.png").is_file()
    assert "final_losses" in capsys.readouterr().out


def test_subprocess_smoke(tmp_path):
    files = _save(tmp_path, np.eye(3), [1.0, 2.0, 3.0], [1.0, 1.0, 1.0])
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run([sys.executable, "-m", "linalg_lab", "grnewt", "solve", *files,
                          "--damping-int", "1", "--json"], capture_output=True, text=True, cwd=root,
                         env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["case"] == "H positive definite"


def test_report_section_quick(tmp_path):
    res = build_report(tmp_path, sections=["grnewt"], quick=True)
    assert res.ok, res.reason
    md = (tmp_path / "report.md").read_text()
    assert "ours correct" in md and "figures/grnewt_loss.png" in md
    assert (tmp_path / "figures" / "grnewt_lrs.png").is_file()
