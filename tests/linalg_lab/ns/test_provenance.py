"""Issue 10 point 12: the presets' names and sources, and the normalisation each source uses."""
import warnings
from fractions import Fraction

import numpy as np
import pytest

from linalg_lab.ns import DEPRECATED_ALIASES, PRESETS, newton_schulz, ns_schedule
from linalg_lab.tolerance import gamma

# Jiacheng You's six steps (a, b, c) * 1024, as published (modula-systems/modula, modula/atom.py;
# twitter.com/YouJiacheng/status/1893704552689303901).
YOU6 = [(3955, -8306, 5008), (3735, -6681, 3463), (3799, -6499, 3211),
        (4019, -6385, 2906), (2677, -3029, 1162), (2172, -1833, 682)]


def test_cesista5_is_the_five_step_set_with_its_real_author():
    s = PRESETS["cesista5"]
    assert [st.coeffs[0] for st in s.steps] == [Fraction(x) for x in ("4.0848", "3.9505", "3.7418", "2.8769", "2.8366")]
    assert "Cesista" in s.provenance and "PR #81" in s.provenance and "leloykun" in s.provenance
    assert "you5" not in PRESETS  # no preset under the wrong name


def test_you5_is_a_deprecated_alias_that_says_so():
    assert DEPRECATED_ALIASES["you5"][0] == "cesista5"
    with pytest.warns(FutureWarning, match=r"'you5' is deprecated; use 'cesista5'.*Cesista"):
        s = ns_schedule("you5")
    assert s is PRESETS["cesista5"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ns_schedule("cesista5")  # the current name does not warn


def test_you6_is_jiacheng_you_six_step_schedule():
    s = PRESETS["you6"]
    assert [st.coeffs for st in s.steps] == [tuple(Fraction(c, 1024) for c in row) for row in YOU6]
    assert s.default_steps == 6 and s.eps == 0.0 and s.normalization == "frobenius"
    assert "You" in s.provenance and "1893704552689303901" in s.provenance and "modula" in s.provenance
    assert "2505.16932" in s.provenance  # 'muon-You' in the Polar Express paper
    # every coefficient is a dyadic rational: its float64 value is exact
    assert all(Fraction(float(c)) == c for st in s.steps for c in st.coeffs)


def test_you6_matches_the_source_formulation():
    """modula's orthogonalize: X0 = X/||X||_F, then M <- M (a I + b A + c A^2) with A = M^T M (tall side)."""
    rng = np.random.default_rng(3)
    M = rng.standard_normal((12, 7))
    X = M / np.linalg.norm(M)
    for a, b, c in YOU6:
        A = X.T @ X
        X = X @ (a / 1024 * np.eye(7) + b / 1024 * A + c / 1024 * A @ A)
    ours = newton_schulz(M, "you6").X
    # both are 6 quintic steps of O(n) rounding each on values O(1); gamma(7) per product, a few
    # products per step, amplified by |p'| <= ~4 per step: 4^6 * 3 * 6 * gamma(7) ~ 3.6e-11
    assert np.max(np.abs(ours - X)) <= 4**6 * 3 * 6 * gamma(7)


def test_cans5_normalises_by_a_clamp_not_an_addition():
    s = PRESETS["cans-5"]
    assert s.eps_mode == "clamp" and "normalize" in s.provenance and "max(" in s.provenance
    rng = np.random.default_rng(4)
    A = rng.standard_normal((6, 9))
    r = newton_schulz(A, "cans-5", steps=0)  # the normalised input itself
    # F.normalize: A / max(||A||_F, 1e-7) = A/||A||_F for ||A||_F >= 1e-7 (no eps shrink)
    assert float(np.max(r.eps_relative)) == 0.0
    assert np.max(np.abs(r.X - A / np.linalg.norm(A))) <= 2 * gamma(54)
    # the additive rule shrinks by eps at unit scale: the two differ by about 1e-7 relatively
    add = newton_schulz(A, ns_schedule("cans-5", eps_mode="add"), steps=0)
    assert float(np.max(add.eps_relative)) == 1e-7
    assert 0.5e-7 < np.max(np.abs(add.X - r.X)) / np.max(np.abs(r.X)) < 2e-7
    assert "max(frobenius norm * 1, 1e-07)" in s.describe()


def test_eps_mode_is_validated():
    from linalg_lab import InputValueError

    with pytest.raises(InputValueError, match="'eps_mode' must be one of"):
        ns_schedule("muon", eps_mode="sub")
