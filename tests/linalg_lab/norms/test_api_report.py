"""Public API of linalg_lab.norms (contract of issue #4) and the report section."""
import inspect
import json

import linalg_lab.norms as norms
import proofs_check.norms as pnorms
from linalg_lab.report import ReportContext


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
    assert list(s)[:2] == ["X", "solver"] and s["solver"].kind is inspect.Parameter.KEYWORD_ONLY
    t = sig(norms.two_to_q).parameters
    assert list(t)[:2] == ["X", "q"] and t["q"].default == 4
    c = sig(pnorms.two_to_q_certificate).parameters
    assert list(c)[:2] == ["X", "sos_result"]


def test_registries():
    assert set(norms.BOUNDS) == {"lower", "spectral", "sos"}
    assert {"hadamard", "signs", "gap", "gaussian", "e8-roots"} <= set(norms.FAMILIES)
    assert set(norms.SOS_SOLVERS) == {"CLARABEL", "SCS"}


def test_report_section_quick(tmp_path):
    from linalg_lab.norms._report import build

    (tmp_path / "figures").mkdir()
    sec = build(ReportContext(out_dir=tmp_path, fig_dir=tmp_path / "figures", quick=True))
    assert sec.ok, sec.problems
    assert "figures/norms_ratios.png" in sec.markdown and (tmp_path / "figures" / "norms_ratios.png").exists()
    assert "| gap |" in sec.markdown and "exact (certified)" in sec.markdown
    json.dumps(sec.data)
