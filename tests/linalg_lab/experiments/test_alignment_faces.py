"""Faces of the alignment experiment: the `experiment alignment`/`experiment list` commands, the report
section and the figures; the registry (CONFIGS/PAIRS/SWEEPS) drives the CLI choices."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from linalg_lab.experiments import alignment as al


def test_cli_in_process(tmp_path, capsys):
    from linalg_lab.app.cli import main

    rc = main(["experiment", "alignment", "--config", "tiny-relu-vs-sigmoid", "--plots", str(tmp_path), "--json"])
    out = capsys.readouterr().out
    assert rc == 0
    data = json.loads(out)
    assert data["kind"] == "ExperimentResult" and data["experiment_kind"] == "pair" and data["ok"] is True
    assert data["rigour"] == "numerical" and data["elapsed_s"] > 0
    names = {p.name for p in tmp_path.iterdir()}
    assert {"loss.png", "norms.png", "alignment.png", "energy.png", "angles.png"} <= names
    rc = main(["experiment", "alignment", "--config", "bogus"])
    assert rc == 2
    assert "invalid choice" in capsys.readouterr().err
    rc = main(["experiment", "alignment", "--config", "tiny-relu", "--seeds", "0"])
    assert rc == 2 and "'seeds'" in capsys.readouterr().err
    rc = main(["experiment", "list"])
    assert rc == 0 and "relu-vs-sigmoid" in capsys.readouterr().out


def test_linearity_is_under_the_experiment_group():
    from linalg_lab.app.cli import build_parser

    args = build_parser("linalg-lab").parse_args(["experiment", "linearity", "--widths", "16,32"])
    assert args._command.path == ("experiment", "linearity")


def test_registry_drives_the_cli_choices(monkeypatch, capsys):
    from linalg_lab.app.cli import build_parser, main

    dummy = al.CONFIGS["tiny-relu"].replace(name="zz-dummy", epochs=2, description="a dummy entry")
    monkeypatch.setitem(al.CONFIGS, "zz-dummy", dummy)
    monkeypatch.setitem(al.PAIRS, "zz-dummy-pair", ("zz-dummy", "tiny-sigmoid"))
    p = build_parser("linalg-lab")
    args = p.parse_args(["experiment", "alignment", "--config", "zz-dummy"])
    assert args.config == "zz-dummy"
    assert main(["experiment", "list"]) == 0
    out = capsys.readouterr().out
    assert "zz-dummy" in out and "a dummy entry" in out and "zz-dummy-pair" in out
    assert al.train("zz-dummy").config.name == "zz-dummy"


def test_cli_subprocess_smoke(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "linalg_lab", "experiment", "alignment", "--config",
                           "tiny-nu-sweep", "--plots", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "nu-sweep at initialisation" in proc.stdout
    assert (tmp_path / "nu_sweep.png").exists()


def test_report_section_quick(tmp_path):
    from linalg_lab.app.report import build_report

    rep = build_report(tmp_path, sections=["alignment"], quick=True)
    assert rep.ok, rep
    md = (tmp_path / "report.md").read_text()
    assert "figures/alignment_nu_sweep.png" in md and "NTK vs mean field" in md
    data = json.loads((tmp_path / "report.json").read_text())
    text = json.dumps(data)
    assert "noise floor" in text and "nu-sweep" in text
