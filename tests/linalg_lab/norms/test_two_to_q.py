"""two_to_q: certified verdicts on every known family, random brackets, the gap instance, CLI."""
import json
import math
import subprocess
import sys

import numpy as np
import pytest

from linalg_lab import InputValueError, Status
from linalg_lab.app.cli import main
from linalg_lab.norms import FAMILIES, gap_instance, make_instance, two_to_q
from linalg_lab.norms.families import gaussian_instance

KNOWN = [f for f in FAMILIES if f not in ("gaussian", "gap")]


@pytest.mark.parametrize("family", KNOWN)
def test_family_certified_verdict(family, tolerance_report):
    inst = make_instance(family)
    r = two_to_q(inst.X)
    assert r.ok and r.certified, r.reason
    slack = inst.truth_rtol  # 0 for exact rows; a few eps where the rows are rounded (Q, polygon)
    assert r.certified_lower <= inst.truth * (1 + slack)
    assert inst.truth * (1 - slack) <= r.certified_upper
    assert r.lower <= r.certified_upper and r.spectral >= r.certified_lower
    assert r.verdict == "exact (certified)"
    tolerance_report.record(f"two_to_q bracket width ({family})", r.rel_gap, 1e-6)


@pytest.mark.parametrize("d", [2, 3, 5, 8, 10])
def test_random_instances_bracketed_to_1e6(d, tolerance_report):
    X = gaussian_instance(d, seed=11).X
    r = two_to_q(X)
    assert r.certified and r.verdict == "exact (certified)"
    assert r.certified_lower <= r.lower * (1 + 1e-15) and r.lower <= r.certified_upper
    tolerance_report.record(f"random d={d}: certified relative bracket", r.rel_gap, 1e-6)
    assert r.hilbert_exact == (d <= 3)


def test_gap_instance_reports_gap():
    inst = gap_instance()
    r = two_to_q(inst.X)
    cert = r.details["certificate"]
    assert r.verdict == "gap" and r.certified
    # both sides certified: the true norm (exactly 288^(1/4)) is at the certified lower bound, and
    # the SoS value is certified strictly above it
    assert r.certified_lower <= inst.truth <= r.certified_lower * (1 + 1e-14)
    assert cert.sos_lower > inst.truth * 1.004
    assert cert.sos_lower <= r.certified_upper


def test_other_q_and_no_sos():
    X = gaussian_instance(4, seed=2).X
    r3 = two_to_q(X, q=3)
    assert r3.ok and math.isnan(r3.sos) and "q = 4 only" in r3.reason
    assert r3.lower <= r3.spectral
    r4 = two_to_q(X, sos=False)
    assert "SoS not requested" in r4.reason and r4.lower <= r4.spectral
    json.dumps(r4.to_dict())


def test_ill_posed():
    with pytest.raises(InputValueError, match=r"two_to_q: 'q' must be > 2 \(the hypercontractive range\), got 2.0"):
        two_to_q(np.eye(3), q=2)
    with pytest.raises(InputValueError, match="non-finite"):
        two_to_q([[np.nan, 1.0]])
    z = two_to_q(np.zeros((3, 3)))
    assert z.ok and z.certified_upper == 0.0 and z.verdict == "exact (certified)"
    one = two_to_q(np.array([[1.0], [2.0]]))
    assert one.ok and one.verdict == "exact (certified)"
    assert one.certified_lower <= 17 ** 0.25 <= one.certified_upper


def test_solver_failure_status(monkeypatch):
    from linalg_lab.norms import SOS_SOLVERS

    monkeypatch.setitem(SOS_SOLVERS, "CLARABEL", ("CLARABEL", lambda eps: {"bogus": 1}))
    r = two_to_q(np.eye(3) + 0.2)
    assert r.status is Status.SOLVER_FAILED and not r.certified
    assert "try solver='SCS'" in r.reason and r.certified_lower > 0


def test_cli_norm(tmp_path, capsys):
    f = tmp_path / "x.npy"
    np.save(f, gap_instance().X)
    assert main(["norm", str(f), "--certify", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "gap" and out["certified"] is True
    assert main(["norm", str(f)]) == 0
    assert "spectral relaxation" in capsys.readouterr().out
    assert main(["norm", str(f), "--q", "2"]) == 2
    assert "'q' must be > 2" in capsys.readouterr().err


def test_cli_subprocess_smoke(tmp_path):
    f = tmp_path / "h.npy"
    np.save(f, make_instance("hadamard", 4).X)
    p = subprocess.run([sys.executable, "-m", "linalg_lab", "norm", str(f), "--sos", "--certify"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "exact (certified)" in p.stdout


@pytest.mark.slow
def test_scs_path_d20_certified():
    """SCS at moderate accuracy on a 800 x 20 Gaussian: certified bracket of width <= 1e-5."""
    X = gaussian_instance(20, seed=0).X
    r = two_to_q(X)
    assert r.certified and r.details["sos"].solver == "SCS"
    assert r.rel_gap <= 1e-5 and r.certified_lower <= r.lower <= r.certified_upper
