"""``proofs-check ns``: in-process runs plus one subprocess smoke test."""
from __future__ import annotations

import json
import subprocess
import sys

from linalg_lab.app.cli import proofs_check_main as main


def test_ns_cubic_certified(capsys):
    assert main(["ns", "--schedule", "cubic"]) == 0
    out = capsys.readouterr().out
    assert "CERTIFIED" in out and "certified minimal" in out


def test_ns_json_muon(capsys):
    assert main(["ns", "--preset", "muon", "--json", "--tolerances", "0.1"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["certified"] is True and d["verdict"] == "proved" and d["rigour"] == "certified"
    assert d["tolerances"][0]["reached"] is False and d["basins"] is None
    assert main(["ns", "--preset", "muon", "--json", "--eps", "0.1"]) == 0  # the old name of --tolerances
    assert json.loads(capsys.readouterr().out)["tolerances"][0]["eps"] == 0.1


def test_ns_custom_coeffs_and_basins(capsys):
    assert main(["ns", "--coeffs", "1.5,-0.5", "--steps", "10", "--lo", "0.1", "--basins"]) == 0
    out = capsys.readouterr().out
    assert "BasinMap" in out
    assert main(["--json", "ns", "--coeffs", "1.5,-0.5", "--steps", "10", "--lo", "0.1", "--basins"]) == 0
    assert json.loads(capsys.readouterr().out)["basins"]["verdict"] == "proved"


def test_ns_single_step_coeffs_needs_steps(capsys):
    assert main(["ns", "--coeffs", "1.5,-0.5"]) == 2
    assert "--steps N" in capsys.readouterr().err


def test_ns_bad_tolerances(capsys):
    assert main(["ns", "--tolerances", "0.1,abc"]) == 2
    assert "tolerance 'abc'" in capsys.readouterr().err


def test_ns_bad_schedule(capsys):
    assert main(["ns", "--schedule", "nope"]) == 2
    assert "unknown schedule" in capsys.readouterr().err


def test_subprocess_smoke():
    r = subprocess.run([sys.executable, "-m", "proofs_check", "ns", "--schedule", "pade5", "--eps", "1e-3"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "ScheduleBand" in r.stdout
