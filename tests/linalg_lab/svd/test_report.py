"""The SVD report section in quick mode."""
from linalg_lab.report import ReportContext
from linalg_lab.svd._report import build


def test_quick_section(tmp_path):
    fig = tmp_path / "figures"
    fig.mkdir()
    sec = build(ReportContext(out_dir=tmp_path, fig_dir=fig, quick=True, certify=True))
    assert sec.ok, sec.problems
    assert (fig / "svd_seed004_losses.png").exists()
    assert "figures/svd_seed004_losses.png" in sec.markdown
    assert "| random | 24x16 | jacobi | LAPACK-level |" in sec.markdown
    assert "Verdict" in sec.markdown and "Certified singular-value enclosures" in sec.markdown
    assert all(v["certified"] for v in sec.data["enclosures"].values())
