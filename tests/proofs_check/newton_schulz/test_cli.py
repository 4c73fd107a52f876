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
    assert main(["ns", "--schedule", "muon", "--json", "--eps", "0.1"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["certified"] is True and d["tolerances"][0]["reached"] is False


def test_ns_custom_coeffs_and_basins(capsys):
    assert main(["ns", "--coeffs", "1.5,-0.5", "--lo", "0.1", "--basins"]) == 0
    out = capsys.readouterr().out
    assert "BasinMap" in out


def test_ns_bad_schedule(capsys):
    assert main(["ns", "--schedule", "nope"]) == 2
    assert "unknown schedule" in capsys.readouterr().err


def test_subprocess_smoke():
    r = subprocess.run([sys.executable, "-m", "proofs_check", "ns", "--schedule", "pade5", "--eps", "1e-3"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "ScheduleBand" in r.stdout
