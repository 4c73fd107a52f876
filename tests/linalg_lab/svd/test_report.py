"""The SVD report section in quick mode, and the METHODS registry driving CLI choices and report."""
import numpy as np

from linalg_lab.app.report import build_report


def test_quick_section(tmp_path):
    rep = build_report(tmp_path, sections=["svd"], quick=True)
    assert rep.ok, rep
    md = (tmp_path / "report.md").read_text()
    assert (tmp_path / "figures" / "svd_seed004_losses.png").exists()
    assert "figures/svd_seed004_losses.png" in md
    assert "| random | 24x16 | jacobi | LAPACK-level |" in md
    assert "Verdict" in md and "Certified singular-value enclosures" in md and "Relative enclosures" in md


def test_dummy_method_appears_in_cli_choices_and_report(tmp_path, monkeypatch):
    from linalg_lab.app.cli import build_parser
    from linalg_lab.svd import METHODS, SVDMethod
    from linalg_lab.svd import _methods

    def run(A, k, steps, seed, callback):
        U, s, Vt = np.linalg.svd(A, full_matrices=False)
        return dict(U=U[:, :k], s=s[:k], Vt=Vt[:k], history=np.zeros(1), iterations=1, inner=1,
                    status=_methods.Status.OK, reason="dense SVD")

    monkeypatch.setitem(METHODS, "dummy-dense", SVDMethod("dummy-dense", run, 1, True, "numpy svd", "none"))
    parser = build_parser("linalg-lab")
    args = parser.parse_args(["svd", "check", "x.npy", "--method", "dummy-dense"])
    assert args.method == "dummy-dense"
    rep = build_report(tmp_path, sections=["svd"], quick=True, certify=False)
    assert rep.ok
    assert "| random | 24x16 | dummy-dense | LAPACK-level |" in (tmp_path / "report.md").read_text()
