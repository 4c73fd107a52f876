"""The layers faces: `linalg-lab layers conv|sn`, `proofs-check conv`, and the report section."""
import json
import subprocess
import sys

import numpy as np
import pytest

from linalg_lab.app.cli import main, proofs_check_main
from linalg_lab.app.commands.layers import parse_input_shape


@pytest.fixture
def kernel_file(tmp_path, rng):
    p = tmp_path / "k.npy"
    np.save(p, rng.standard_normal((4, 3, 3, 3)))
    return str(p)


def test_conv_command_json(kernel_file, capsys):
    assert main(["layers", "conv", kernel_file, "--input-shape", "8x8", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["kind"] == "ConvSingularValues" and d["ok"] and d["count"] == 8 * 8 * 3
    from linalg_lab.layers import conv_singular_values

    assert d["sigma_max"] == conv_singular_values(np.load(kernel_file), 8).sigma_max
    assert main(["layers", "conv", kernel_file, "--input-shape", "9", "--padding", "zeros", "--stride", "2",
                 "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["kind"] == "ConvNormResult" and d["lower"] <= d["upper"] and d["stride"] == 2


def test_sn_command(kernel_file, capsys):
    assert main(["layers", "sn", kernel_file, "--input-shape", "8x8"]) == 0
    out = capsys.readouterr().out
    assert "SNGapResult" in out and "theorem_upper: True" in out


def test_proofs_check_conv(kernel_file, capsys):
    assert proofs_check_main(["conv", kernel_file, "--input-shape", "6x6", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["certified"] is True and d["verdict"] == "proved" and d["relative_width"] <= 1e-12


def test_bad_inputs(kernel_file, tmp_path, capsys):
    assert main(["layers", "conv", kernel_file, "--input-shape", "8by8"]) == 2
    assert "--input-shape must look like 32x32" in capsys.readouterr().err
    assert main(["layers", "conv", str(tmp_path / "missing.npy"), "--input-shape", "8"]) == 2
    np.save(tmp_path / "m.npy", np.ones((3, 3)))
    assert main(["layers", "conv", str(tmp_path / "m.npy"), "--input-shape", "8"]) == 2
    assert "must be a 4-D array" in capsys.readouterr().err
    assert proofs_check_main(["conv", kernel_file, "--input-shape", "2"]) == 2
    assert parse_input_shape("5x7") == (5, 7) and parse_input_shape("4") == (4, 4)


def test_cli_subprocess_smoke(kernel_file):
    r = subprocess.run([sys.executable, "-m", "linalg_lab", "layers", "conv", kernel_file, "--input-shape", "4x4",
                        "--json"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["ok"] is True


def test_section_quick(tmp_path):
    from linalg_lab.app.report import build_report

    res = build_report(tmp_path, sections=["layers"], quick=True)
    assert res.ok, res.reason
    data = json.loads((tmp_path / "report.json").read_text())
    sec = data["sections"]["layers"]
    assert sec["ok"] and len(sec["figures"]) == 3
    for fig in sec["figures"]:
        assert (tmp_path / fig).is_file()
    md = (tmp_path / "report.md").read_text()
    assert "Spectral normalisation underestimates" in md and "Certified layer norms" in md
