"""Faces of NS design (issue 15): the `ns design` command (text, --json, bad input) and the budget plot."""
from __future__ import annotations

import json

from linalg_lab.app.cli import main
from linalg_lab.app.commands.ns_design import PATH
from linalg_lab.app.plots.ns_design import plot_budget_errors


def test_ns_design_command_prints_coefficients_band_and_presets(capsys):
    rc = main([*PATH, "--lo", "1e-3", "--steps", "5", "--degree", "5"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "8.470328803848069" in out  # exact decimal of the first coefficient
    assert "certified band" in out and "kept the guarantee (proved)" in out
    assert out.count("designed is better (proved)") >= 6  # every 5-step quintic preset


def test_ns_design_command_json_is_the_result(capsys):
    rc = main([*PATH, "--lo", "1e-3", "--steps", "4", "--cushion", "0.02407327424182761", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert rc == 0 and data["kind"] == "CertifiedDesign" and data["ok"]
    assert data["check"]["verdict"] == "proved" and data["check"]["certified"]
    assert data["design"]["degrees"] == [5, 5, 5, 5]
    assert data["check"]["certified_upper"] <= data["check"]["guarantee"]


def test_ns_design_command_degree_mix_and_bad_input(capsys):
    assert main([*PATH, "--lo", "1e-3", "--steps", "3", "--degree", "3,5,7", "--no-compare"]) == 0
    assert "degrees [3, 5, 7]" in capsys.readouterr().out
    assert main([*PATH, "--lo", "0", "--steps", "3"]) == 2
    assert "'lo' parameter of ns_design" in capsys.readouterr().err
    assert main([*PATH, "--lo", "1e-3", "--steps", "2", "--degree", "five"]) == 2


def test_budget_plot_writes_png(tmp_path):
    rows = [{"lo": lo, "budget": b, "designed_error": 10.0 ** -b, "presets": {"muon": 0.5, "cans-5": 0.1}}
            for lo in (1e-2, 1e-3) for b in (12, 15)]
    p = plot_budget_errors(rows, tmp_path / "f.png")
    assert p.is_file() and p.stat().st_size > 1000
