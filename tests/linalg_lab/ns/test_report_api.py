"""The report section (quick) and the family's public API."""
import importlib
import inspect

import linalg_lab
from linalg_lab.ns._report import build
from linalg_lab.report import ReportContext

# not `import linalg_lab.ns as ns`: once linalg_lab exports the function newton_schulz,
# that attribute shadows the subpackage; the module object lives in sys.modules
ns = importlib.import_module("linalg_lab.ns")


def test_report_section_quick(tmp_path):
    fig = tmp_path / "figures"
    fig.mkdir()
    sec = build(ReportContext(out_dir=tmp_path, fig_dir=fig, quick=True, certify=False))
    assert sec.ok, sec.problems
    md = sec.markdown
    for name in ns.PRESETS:
        assert f"| {name} |" in md
    assert "Seed 000" in md and "figures/ns_seed000_histogram.png" in md and "[numerical]" in md
    assert sec.data["seed000"]["polar_error_fro"] < sec.data["seed000"]["tolerance"]
    assert sec.data["steps_needed"]["cubic"]["1e-07@0.001"] == 21
    for f in sec.figures:
        assert f.exists() and f.stat().st_size > 1000
    # every table row has as many cells as its header (no stray '|' inside cells)
    for block in md.split("\n\n"):
        lines = [ln for ln in block.splitlines() if ln.startswith("|")]
        if lines:
            assert len({ln.count("|") for ln in lines}) == 1, block[:200]


def test_public_api_documented():
    assert sorted(ns.__all__) == sorted(set(ns.__all__))
    for name in ns.__all__:
        obj = getattr(ns, name)
        if inspect.isfunction(obj):
            doc = inspect.getdoc(obj) or ""
            assert "Examples" in doc or ">>>" in doc, name
            assert "Parameters" in doc or name in ("image_interval", "ns_band_curve"), name
    # the names the integrator exports from linalg_lab (when present) are the same objects
    for name in ("ns_schedule", "newton_schulz"):
        if callable(getattr(linalg_lab, name, None)):
            assert getattr(linalg_lab, name) is getattr(ns, name)
