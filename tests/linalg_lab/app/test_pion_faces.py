"""Faces of issue 13: `linalg-lab pion drift|step`, `proofs-check pion step`, the linearity command."""
import json

from linalg_lab.app.cli import main, proofs_check_main
from linalg_lab.app.registry import COMMANDS, discover


def _linearity_path():
    discover()
    paths = [p for (tool, p) in COMMANDS if tool == "linalg-lab" and p[-1] == "linearity"]
    assert len(paths) == 1
    return list(paths[0])


def test_pion_drift_json(capsys):
    rc = main(["pion", "drift", "--shape", "8x12", "--steps", "20", "--json"])
    d = json.loads(capsys.readouterr().out)
    assert rc == 0 and d["kind"] == "PionDriftResult" and d["ok"]
    assert set(d["traces"]) == {"expm", "cayley", "e2"} and d["final_units"]["expm"] < 100


def test_pion_drift_table(capsys):
    rc = main(["pion", "drift", "--shape", "6x9", "--steps", "10", "--retractions", "expm,e2"])
    out = capsys.readouterr().out
    assert rc == 0 and "worst per-step/bound" in out and "e2" in out and "cayley" not in out


def test_pion_step_and_certificate(capsys, tmp_path):
    import numpy as np

    rng = np.random.default_rng(0)
    np.save(tmp_path / "W.npy", rng.standard_normal((5, 7)))
    np.save(tmp_path / "G.npy", rng.standard_normal((5, 7)))
    rc = main(["pion", "step", "--weights", str(tmp_path / "W.npy"), "--gradient", str(tmp_path / "G.npy"), "--json"])
    d = json.loads(capsys.readouterr().out)
    assert rc == 0 and d["kind"] == "PionStepResult" and d["identity_relative_error"] < 1e-12
    rc = proofs_check_main(["pion", "step", "--shape", "5x7", "--retraction", "cayley", "--json"])
    d = json.loads(capsys.readouterr().out)
    assert rc == 0 and d["certified"] is True and d["contains_measured"] is True


def test_bad_retraction_is_usage_error(capsys):
    rc = main(["pion", "drift", "--shape", "4x5", "--steps", "2", "--retractions", "exp", "--json"])
    d = json.loads(capsys.readouterr().out)
    assert rc == 2 and d["kind"] == "error" and "retractions" in d["reason"]


def test_linearity_command(capsys):
    rc = main(_linearity_path() + ["--widths", "16,32,64", "--seeds", "0,1", "--input-dim", "3"])
    out = capsys.readouterr().out
    assert rc == 0 and "fitted exponent" in out and "width" in out
    rc = main(_linearity_path() + ["--widths", "16,32,64", "--seeds", "0", "--input-dim", "3", "--json"])
    d = json.loads(capsys.readouterr().out)
    assert rc == 0 and d["kind"] == "LinearitySweepResult" and len(d["hessian_lower"]) == 3
