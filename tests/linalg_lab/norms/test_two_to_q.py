"""two_to_q + certify_two_to_q: certified verdicts on every known family, random brackets, the gap
instance, other q, the registry, the CLI (issue 11 point 8)."""
import json
import math
import subprocess
import sys

import numpy as np
import pytest

from linalg_lab import InputValueError, Status
from linalg_lab.app.cli import main, proofs_check_main
from linalg_lab.norms import BOUNDS, FAMILIES, gap_instance, make_instance, two_to_q
from linalg_lab.norms.families import gaussian_instance
from proofs_check import certify_two_to_q, two_to_q_certificate

KNOWN = [f for f in FAMILIES if f not in ("gaussian", "gap", "motzkin-gap")]  # tight at q = 4


@pytest.mark.parametrize("family", KNOWN)
def test_family_certified_verdict(family, tolerance_report):
    inst = make_instance(family)
    r = two_to_q(inst.X)
    c = certify_two_to_q(r)
    assert r.ok and c.ok and c.certified, c.reason
    slack = inst.truth_rtol  # 0 for exact rows; a few eps where the rows are rounded (Q, polygon)
    assert c.lower <= inst.truth * (1 + slack)
    assert inst.truth * (1 - slack) <= c.upper
    assert r.lower <= c.upper and r.bounds["spectral"].value >= c.lower
    assert c.outcome == "exact (certified)" and c.analysis is r
    tolerance_report.record(f"two_to_q bracket width ({family})", c.rel_gap, 1e-6)


@pytest.mark.parametrize("d", [2, 3, 5, 8, 10])
def test_random_instances_bracketed_to_1e6(d, tolerance_report):
    X = gaussian_instance(d, seed=11).X
    r = two_to_q(X)
    c = certify_two_to_q(r)
    assert c.certified and c.outcome == "exact (certified)"
    assert c.lower <= r.lower * (1 + 1e-15) and r.lower <= c.upper
    tolerance_report.record(f"random d={d}: certified relative bracket", c.rel_gap, 1e-6)
    assert r.hilbert_exact == (d <= 3)


def test_gap_instance_reports_gap():
    inst = gap_instance()
    c = certify_two_to_q(two_to_q(inst.X))
    assert c.outcome == "gap" and c.certified
    # both sides certified: the true norm (exactly 288^(1/4)) is at the certified lower bound, and
    # the SoS value is certified strictly above it
    assert c.lower <= inst.truth <= c.lower * (1 + 1e-14)
    assert c.sos_lower > inst.truth * 1.004
    assert c.sos_lower <= c.upper


def test_other_q_and_no_sos():
    X = gaussian_instance(4, seed=2).X
    r3 = two_to_q(X, q=3)
    assert r3.ok and "sos" not in r3.bounds and "spectral" not in r3.bounds
    assert "no SoS relaxation for q = 3" in r3.reason
    assert r3.lower <= r3.upper == r3.bounds["interpolation"].value <= r3.bounds["two-norm"].value
    with pytest.raises(InputValueError, match="certify_two_to_q: the result has no SoS solution"):
        certify_two_to_q(r3)
    r4 = two_to_q(X, sos=False)
    assert "sos" not in r4.bounds and r4.lower <= r4.upper
    json.dumps(r4.to_dict())
    with pytest.raises(InputValueError, match="sos=True does not apply: the degree-q SoS relaxation needs an even"):
        two_to_q(X, q=3, sos=True)
    with pytest.raises(InputValueError, match="bound 'spectral' does not apply"):
        two_to_q(X, q=5, bounds=["spectral"])


def test_ill_posed():
    with pytest.raises(InputValueError, match=r"two_to_q: 'q' must be > 2 \(the hypercontractive range\), got 2.0"):
        two_to_q(np.eye(3), q=2)
    with pytest.raises(InputValueError, match="non-finite"):
        two_to_q([[np.nan, 1.0]])
    with pytest.raises(InputValueError, match="'bounds' parameter of two_to_q must be one of"):
        two_to_q(np.eye(3), bounds=["nope"])
    z = certify_two_to_q(two_to_q(np.zeros((3, 3))))
    assert z.ok and z.upper == 0.0 and z.outcome == "exact (certified)"
    one = certify_two_to_q(two_to_q(np.array([[1.0], [2.0]])))
    assert one.ok and one.outcome == "exact (certified)"
    assert one.lower <= 17 ** 0.25 <= one.upper


def test_solver_failure_status(monkeypatch):
    from linalg_lab.norms import SOS_SOLVERS

    monkeypatch.setitem(SOS_SOLVERS, "CLARABEL", ("CLARABEL", lambda eps: {"bogus": 1}))
    r = two_to_q(np.eye(3) + 0.2)
    assert r.status is Status.SOLVER_FAILED and math.isnan(r.bounds["sos"].value)
    assert "try solver='SCS'" in r.reason and r.upper_by != "sos"
    c = certify_two_to_q(r)
    assert not c.certified and not c.upper_rigorous and c.lower > 0


def test_certificate_second_argument_optional():
    """Issue 11.8: two_to_q_certificate(X) works alone, like spectral_norm_enclosure(A)."""
    X = make_instance("hadamard", 4).X
    a = two_to_q_certificate(X)
    b = certify_two_to_q(two_to_q(X))
    assert a.certified and (a.lower, a.upper) == (b.lower, b.upper)
    with pytest.raises(InputValueError, match="'solver'/'solver_eps' apply only without 'sos_result'"):
        two_to_q_certificate(X, a.analysis.sos_result, solver="SCS")
    with pytest.raises(InputValueError, match="q = 6 but sos_result was solved for q = 4"):
        two_to_q_certificate(X, a.analysis.sos_result, q=6)
    with pytest.raises(InputValueError, match="'lower' applies only with an explicit 'sos_result'"):
        two_to_q_certificate(X, lower=np.ones(4))
    from linalg_lab import InputTypeError

    with pytest.raises(InputTypeError, match="'result' must be a TwoToQResult from linalg_lab.two_to_q, got dict"):
        certify_two_to_q({"lower": 1.0})


def test_registry_drives_two_to_q_cli_and_report(monkeypatch, tmp_path):
    """A dummy bound added to BOUNDS appears in two_to_q's result, the CLI choices and the report."""
    from linalg_lab.app.cli import build_parser
    from linalg_lab.norms.bounds import Bound, BoundEstimate, any_q
    from linalg_lab.internal import Rigour

    def compute(inp):
        return BoundEstimate(name="dummy", side="upper", value=123.0, label="dummy bound", factor="none",
                             elapsed_s=0.0, status=Status.OK, reason="test", rigour=Rigour.NUMERICAL)

    monkeypatch.setitem(BOUNDS, "dummy", Bound("dummy", "upper", "dummy bound", "none", any_q, compute))
    r = two_to_q(np.eye(3), sos=False)
    assert r.bounds["dummy"].value == 123.0 and r.upper_by != "dummy"
    assert two_to_q(np.eye(3), bounds=["dummy"]).upper == 123.0
    p = build_parser("linalg-lab")
    sub = next(a for a in p._subparsers._group_actions[0].choices["norm"]._actions if a.dest == "bound")
    assert "dummy" in sub.choices
    from linalg_lab.app.report.sections import norms as sec

    monkeypatch.setattr(sec, "KNOWN_CASES", (("hadamard", 4, 4),))
    monkeypatch.setattr(sec, "RATIO_D_QUICK", {"hadamard": (2,)})
    from linalg_lab.app.report import build_report

    rep = build_report(tmp_path, sections=["norms"], quick=True)
    md = (tmp_path / "report.md").read_text()
    assert rep.ok and "| dummy |" in md and "dummy" in md.split("### Families")[1].splitlines()[2]


def _run(capsys, fn, argv):
    code = fn(argv)
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def test_cli_norm(tmp_path, capsys):
    f = tmp_path / "x.npy"
    np.save(f, gap_instance().X)
    code, out, _ = _run(capsys, main, ["norm", str(f), "--certify", "--json"])
    assert code == 0
    out = json.loads(out)
    assert out["outcome"] == "gap" and out["certified"] is True and out["verdict"] == "proved"
    code, out, _ = _run(capsys, main, ["norm", str(f)])
    assert code == 0 and "spectral relaxation" in out and "sos" in out
    code, _, err = _run(capsys, main, ["norm", str(f), "--q", "2"])
    assert code == 2 and "'q' must be > 2" in err


def test_cli_api_defaults_agree(tmp_path, capsys):
    """Issue 11.8: `linalg-lab norm X` computes what `two_to_q(X)` computes (SoS included)."""
    X = make_instance("signs", 4).X
    f = tmp_path / "s.npy"
    np.save(f, X)
    code, out, _ = _run(capsys, main, ["norm", str(f), "--json"])
    assert code == 0
    cli = json.loads(out)
    api = two_to_q(X).to_dict()
    assert set(cli["bounds"]) == set(api["bounds"]) and "sos" in cli["bounds"]
    assert cli["upper"] == pytest.approx(api["upper"], rel=1e-9) and cli["lower"] == api["lower"]


def test_cli_refuses_options_that_do_not_apply(tmp_path, capsys):
    """Issue 11.8: `--q 3 --sos` used to ignore --sos and label ||X||_2 'spectral relaxation'."""
    f = tmp_path / "g.npy"
    np.save(f, gaussian_instance(3, seed=1).X)
    for argv, msg in [(["--q", "3", "--sos"], "--sos does not apply"),
                      (["--q", "3", "--certify"], "--certify does not apply"),
                      (["--no-sos", "--certify"], "--certify needs the SoS relaxation"),
                      (["--rtol", "1e-3"], "--rtol applies only with --certify"),
                      (["--q", "3", "--solver", "SCS"], "--solver/--solver-eps apply only"),
                      (["--eps", "1e-6"], "--eps was renamed --solver-eps"),
                      (["--q", "5", "--bound", "spectral"], "bound 'spectral' does not apply")]:
        code, _, err = _run(capsys, main, ["norm", str(f), *argv])
        assert code == 2 and msg in err, (argv, err)
    code, out, _ = _run(capsys, main, ["norm", str(f), "--q", "3"])
    assert code == 0 and "spectral relaxation" not in out and "interpolation" in out
    code, out, _ = _run(capsys, main, ["norm", str(f), "--solver-eps", "1e-6", "--json"])
    assert code == 0 and json.loads(out)["bounds"]["sos"]["status"] == "ok"


def test_cli_and_proofs_check_agree(tmp_path, capsys):
    """`linalg-lab norm --certify` and `proofs-check norm` run the same pipeline: identical brackets."""
    f = tmp_path / "g.npy"
    np.save(f, gaussian_instance(4, seed=5).X)
    _, a, _ = _run(capsys, main, ["norm", str(f), "--certify", "--json", "--seed", "3"])
    _, b, _ = _run(capsys, proofs_check_main, ["norm", str(f), "--json", "--seed", "3"])
    a, b = json.loads(a), json.loads(b)
    for k in ("lower", "upper", "outcome", "verdict", "lower_q", "upper_q"):
        assert a[k] == b[k], k


def test_cli_q6_sos_certify(tmp_path, capsys):
    """Issue 18: `linalg-lab norm X.npy --q 6 --sos --certify` on sign vectors (Khintchine value)."""
    inst = make_instance("signs", 4, q=6)
    f = tmp_path / "s6.npy"
    np.save(f, inst.X)
    code, out, _ = _run(capsys, main, ["norm", str(f), "--q", "6", "--sos", "--certify", "--json"])
    assert code == 0
    out = json.loads(out)
    assert out["q"] == 6 and out["outcome"] == "exact (certified)"
    assert out["lower"] <= inst.truth <= out["upper"]
    assert set(out["analysis"]["bounds"]) >= {"sos", "spectral", "interpolation", "power", "sos-rounding"}


def test_cli_subprocess_smoke(tmp_path):
    f = tmp_path / "h.npy"
    np.save(f, make_instance("hadamard", 4).X)
    p = subprocess.run([sys.executable, "-m", "linalg_lab", "norm", str(f), "--sos", "--certify"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "exact (certified)" in p.stdout


@pytest.mark.slow
def test_scs_path_d20_certified():
    """SCS at moderate accuracy on a 800 x 20 Gaussian (EIGOPT is the default there now, so SCS is
    asked for): certified bracket of width <= 1e-5, and the default (EIGOPT) agrees within both gaps."""
    X = gaussian_instance(20, seed=0).X
    r = two_to_q(X, solver="SCS")
    c = certify_two_to_q(r)
    assert c.certified and r.sos_result.solver == "SCS"
    assert c.rel_gap <= 1e-5 and c.lower <= r.lower <= c.upper
    d = certify_two_to_q(two_to_q(X))
    assert d.certified and d.analysis.sos_result.solver == "EIGOPT"
    assert max(c.lower, d.lower) <= min(c.upper, d.upper)  # two certified brackets of one norm overlap
