"""lapack_ratios held to the ratios computed by LAPACK's own compiled DBDT01/DBDT05/DORT01.

The data (tests/data/lapack_svd_ratios.npz, produced as tests/data/lapack_svd_ratios.README.md
says) are 32 matrices with factors (thin, full, partial, perturbed) and LAPACK's three ratios.
"""
from pathlib import Path

import numpy as np
import pytest

from linalg_lab.svd import lapack_ratios
from linalg_lab.tolerance import record

DATA = Path(__file__).resolve().parents[2] / "data" / "lapack_svd_ratios.npz"
_D = np.load(DATA)
_NAMES = [str(x) for x in _D["names"]]


@pytest.mark.parametrize("i", range(len(_NAMES)), ids=_NAMES)
def test_ratios_match_lapack(i):
    A, U, s, Vt = (_D[f"{x}_{i}"] for x in ("A", "U", "s", "Vt"))
    ref = _D["ratios"][i]
    r = lapack_ratios(A, U, s, Vt)
    assert r.residual_kind == ("dbdt01" if s.size == min(A.shape) else "dbdt05")
    ours = np.array([r.residual, r.orth_u, r.orth_vt])
    for name, a, b in zip(("residual", "orth_u", "orth_vt"), ours, ref):
        # Same formulas, different summation order: the residual/orthogonality matrices are computed
        # with absolute rounding errors of about (k + 2) u |U||S||Vt| (or u |Q||Q|), i.e. about one unit
        # of LAPACK's scaling n eps ||A|| (m eps): ratios of order 1 may differ by O(1) absolutely, and
        # large ratios (a perturbation dominates) agree relatively to the perturbation's rounding.
        tol = 2.0 + 1e-6 * abs(b)
        rec = record(f"LAPACK {name} ratio: {_NAMES[i]}", abs(a - b), tol, kind="absolute")
        assert rec.passed, (name, a, b)


def test_issue10_point9_full_factor_perturbation_is_seen():
    i = next(j for j, n in enumerate(_NAMES) if "point 9" in n)
    A, U, s, Vt = (_D[f"{x}_{i}"] for x in ("A", "U", "s", "Vt"))
    r = lapack_ratios(A, U, s, Vt)
    assert _D["ratios"][i][1] > 1e9 and r.orth_u > 1e9 and not r.passed  # was 1.06 (pass) before
