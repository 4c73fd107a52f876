"""The report section (quick), the preset registry driving CLI choices and report, and the public API."""
import dataclasses
import importlib
import inspect
import json

import pytest

import linalg_lab
from linalg_lab.app.cli import build_parser
from linalg_lab.app.report import build_report

# not `import linalg_lab.ns as ns`: linalg_lab exports the function newton_schulz, and the
# subpackage is reached through sys.modules
ns = importlib.import_module("linalg_lab.ns")

DUMMY = "zz-dummy"


@pytest.fixture(scope="module")
def report_with_dummy(tmp_path_factory):
    """One quick report of the NS section, with a dummy preset registered in linalg_lab.ns.PRESETS."""
    out = tmp_path_factory.mktemp("nsrep")
    dummy = dataclasses.replace(ns.PRESETS["cubic"], name=DUMMY, provenance="a test's dummy preset")
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(ns.PRESETS, DUMMY, dummy)
        res = build_report(out, sections=["newton-schulz"], quick=True)
        parser = build_parser("linalg-lab")
    return out, res, parser


def test_report_section_quick_is_ok(report_with_dummy):
    out, res, _ = report_with_dummy
    assert res.ok, res.reason
    data = json.loads((out / "report.json").read_text())["sections"]["newton-schulz"]
    assert data["ok"] and data["rigour"] == "certified", data["error"]
    md = (out / "report.md").read_text()
    for name in ns.PRESETS:
        assert f"| {name} |" in md
    assert "Seed 000" in md and "figures/ns_seed000_histogram.png" in md and "[certified]" in md
    assert data["results"]["steps needed cubic eps=1e-07 ℓ=0.001"]["steps"] == 21
    assert data["results"]["seed 000"]["polar_error_fro"] < ns.SEED000_TOLERANCE
    assert data["results"]["certified band muon"]["verdict"] == "proved"
    names = [c["name"] for c in data["checks"]]
    assert "ns seed 000: relative Frobenius distance to the polar factor" in names and all(c["passed"] for c in data["checks"])
    assert data["conclusion"].startswith("Muon users:") and "'polar-express-5'" in data["conclusion"]
    for fig in data["figures"]:
        assert (out / fig).stat().st_size > 1000
    # every table row has as many cells as its header (no stray '|' inside cells)
    for block in md.split("\n\n"):
        lines = [ln for ln in block.splitlines() if ln.startswith("|")]
        if lines:
            assert len({ln.count("|") for ln in lines}) == 1, block[:200]


def test_dummy_preset_reaches_cli_choices_and_report(report_with_dummy):
    """Adding a preset touches one dict: the CLI's --preset choices and the report's tables follow."""
    out, _, parser = report_with_dummy
    md = (out / "report.md").read_text()
    assert f"| {DUMMY} |" in md and "a test's dummy preset" in md
    for cmd in (["ns", "run", "A.npy"], ["ns", "analyze"]):
        args = parser.parse_args(cmd + ["--preset", DUMMY])
        assert args.preset == DUMMY
    assert DUMMY not in ns.PRESETS  # the monkeypatch is gone, and so is the choice
    from linalg_lab.app.cli import UsageError

    with pytest.raises(UsageError, match="invalid choice"):
        build_parser("linalg-lab").parse_args(["ns", "analyze", "--preset", DUMMY])


def test_public_api_documented():
    assert sorted(ns.__all__) == sorted(set(ns.__all__))
    for name in ns.__all__:
        obj = getattr(ns, name)
        if inspect.isfunction(obj):
            doc = inspect.getdoc(obj) or ""
            assert "Examples" in doc or ">>>" in doc, name
            assert "Parameters" in doc, name
    for name in ("ns_schedule", "newton_schulz"):
        assert getattr(linalg_lab, name) is getattr(ns, name)
