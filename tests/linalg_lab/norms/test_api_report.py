"""Public API of linalg_lab.norms and proofs_check.norms, and the report section (quick)."""
import inspect
import json

import linalg_lab.norms as norms
import proofs_check.norms as pnorms


def test_all_names_exist():
    for mod in (norms, pnorms):
        for name in mod.__all__:
            assert hasattr(mod, name), name


def test_contract_signatures():
    sig = inspect.signature
    p = sig(norms.two_to_q_lower).parameters
    assert list(p)[:4] == ["X", "q", "starts", "seed"] and p["q"].default == 4 and p["seed"].default is None
    assert p["starts"].kind is inspect.Parameter.KEYWORD_ONLY
    assert list(sig(norms.two_to_q_spectral).parameters) == ["X", "q"]
    s = sig(norms.two_to_q_sos).parameters
    assert list(s)[:3] == ["X", "q", "solver"] and s["solver"].kind is inspect.Parameter.KEYWORD_ONLY
    t = sig(norms.two_to_q).parameters
    assert list(t)[:2] == ["X", "q"] and t["q"].default == 4 and "certify" not in t
    assert t["sos"].default is None and "solver_eps" in t
    c = sig(pnorms.two_to_q_certificate).parameters
    assert list(c)[:2] == ["X", "sos_result"] and c["sos_result"].default is None


def test_registries():
    assert set(norms.BOUNDS) >= {"power", "two-norm", "interpolation", "spectral", "sos", "sos-rounding"}
    assert {b.side for b in norms.BOUNDS.values()} == {"lower", "upper"}
    assert all(b.factor for b in norms.BOUNDS.values())
    assert {"hadamard", "signs", "gap", "gaussian", "e8-roots", "repeated-identity"} <= set(norms.FAMILIES)
    assert set(norms.SOS_SOLVERS) == {"CLARABEL", "SCS", "EIGOPT"}


def test_report_section_quick(tmp_path):
    from linalg_lab.app.report import build_report

    rep = build_report(tmp_path, sections=["norms"], quick=True)
    assert rep.ok
    md = (tmp_path / "report.md").read_text()
    assert "figures/norms_ratios_q4.png" in md and (tmp_path / "figures" / "norms_ratios_q4.png").exists()
    assert "| gap |" in md and "exact (certified)" in md and "| gap | 111x4 | 4 |" in md
    json.loads((tmp_path / "report.json").read_text())
