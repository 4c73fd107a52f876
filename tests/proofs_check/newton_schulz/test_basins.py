"""basins: the cubic's certified basin map of [0, 3] against a 60-digit orbit simulation."""
from __future__ import annotations

import json

import mpmath
import numpy as np
import pytest

from linalg_lab._validation import InputValueError
from proofs_check.newton_schulz import basins


def _mp_fate(x: float, coeffs, *, dps: int = 60, n: int = 400) -> str:
    with mpmath.workdps(dps):
        cs = [mpmath.mpf(c) for c in coeffs]
        y = mpmath.mpf(x)
        for _ in range(n):
            y2 = y * y
            acc = cs[-1]
            for c in reversed(cs[:-1]):
                acc = acc * y2 + c
            y = acc * y
            if abs(y - 1) < mpmath.mpf(10) ** -40:
                return "+1"
            if abs(y + 1) < mpmath.mpf(10) ** -40:
                return "-1"
            if abs(y) > 1e6:
                return "diverges"
            if y == 0:
                return "0"
        return "unknown"


@pytest.fixture(scope="module")
def cubic_map():
    return basins((1.5, -0.5), 0, 3, resolution=36)


def test_cubic_basins_certified_and_fine(cubic_map):
    """Issue #3: certified with undecided width below 1e-6."""
    m = cubic_map
    assert m.certified and m.undecided_width < 1e-6
    # a partition: consecutive, covering [0, 3]
    ivs = m.intervals
    assert ivs[0].lower == 0 and ivs[-1].upper == 3
    assert all(a.upper == b.lower for a, b in zip(ivs, ivs[1:]))
    assert json.loads(json.dumps(m.to_dict()))["certified"] is True


def test_cubic_basins_match_60_digit_orbits(cubic_map, tolerance_report):
    """Issue #3: the fates match a 60-digit mpmath orbit simulation at thousands of points,
    including the intricate region beyond sqrt(3) (alternating basins accumulating at sqrt(5))."""
    rng = np.random.default_rng(20261125)
    xs = np.concatenate([rng.uniform(0, 3, 2000), rng.uniform(1.7, 2.24, 1000)])
    mism = decided = 0
    for x in xs:
        f = cubic_map.fate_of(float(x))
        if f == "undecided":
            continue
        decided += 1
        mism += f != _mp_fate(float(x), (1.5, -0.5))
    assert decided >= 2990 and mism == 0
    tolerance_report.record("cubic basin mismatches", float(mism), 0.0)


def test_cubic_basin_structure(cubic_map):
    m = cubic_map
    assert m.fate_of(0.0) == "0"
    assert m.fate_of(1e-6) == "+1" and m.fate_of(1.7) == "+1" and m.fate_of(1.75) == "-1"
    assert m.fate_of(2.2) == "+1" and m.fate_of(2.5) == "diverges"
    # the sign flip at sqrt(3) and the 2-cycle at sqrt(5) are basin boundaries
    assert m.fate_of(3 ** 0.5) == "undecided" or m.fate_of(3 ** 0.5) in ("+1", "-1")
    assert 5 ** 0.5 <= m.escape_radius < 2.25


def test_undecided_width_shrinks_with_resolution():
    ws = [basins((1.5, -0.5), 0, 3, resolution=r).undecided_width for r in (12, 20, 28)]
    assert ws[0] > ws[1] > ws[2] > 0


def test_muon_basin_of_its_attracting_four_cycle():
    """Muon's quintic has no attracting fixed point: almost all of (0, 1.2637) is proved to converge
    to its attracting 4-cycle (certified by Krawczyk), beyond the fixed point 1.2637 orbits diverge."""
    m = basins("muon", 0, 2, resolution=20)
    assert m.fate_of(0.5) == "absorbed" and m.fate_of(1.5) == "diverges"
    (cyc,) = [t for t in m.traps if t.name.startswith("4-cycle {0.68")]
    assert cyc.contraction < 1 and 0.68 < cyc.lower < cyc.upper < 1.14
    absorbed = sum(iv.upper - iv.lower for iv in m.intervals if iv.target == cyc.name)
    assert absorbed > 1.26 - 2e-3 and m.undecided_width < 2e-3
    rng = np.random.default_rng(7)
    coeffs = ("3.4445", "-4.7750", "2.0315")
    for x in rng.uniform(0.01, 1.25, 60):
        if m.fate_of(float(x)) == "absorbed":
            assert _mp_fate_cycle(float(x), coeffs, cyc.lower, cyc.upper)


def _mp_fate_cycle(x, coeffs, lo, hi, n=600):
    """60-digit orbit: after n steps it sits on the 4-cycle (|p^4(y) - y| tiny and y near it)."""
    with mpmath.workdps(60):
        cs = [mpmath.mpf(c) for c in coeffs]
        p = lambda y: cs[0] * y + cs[1] * y ** 3 + cs[2] * y ** 5  # noqa: E731
        y = mpmath.mpf(x)
        for _ in range(n):
            y = p(y)
        return lo - 1e-6 <= y <= hi + 1e-6 and abs(p(p(p(p(y)))) - y) < 1e-30


def test_attracting_two_cycle_trap():
    """-p for the cubic: p(x) = -1.5x + 0.5x^3 swaps -1 and 1 (a super-attracting 2-cycle)."""
    m = basins((-1.5, 0.5), 0, 2, resolution=20)
    assert m.fate_of(0.5) == "absorbed" and m.fate_of(1.9) == "absorbed"
    assert [t.name for t in m.traps] == ["2-cycle {-1, 1}"]


def test_chaotic_step_hits_the_work_budget():
    """3x - x^3 is conjugate to the tripling map on [-2, 2]: nothing to decide, bounded work."""
    m = basins((3, -1), -2, 2, resolution=30, max_intervals=2000)
    assert "work budget" in m.reason and m.undecided_width == 4.0


def test_basins_bad_inputs():
    with pytest.raises(InputValueError, match="basins: 'lo' must be < 'hi'"):
        basins("cubic", 1, 1)
    with pytest.raises(InputValueError, match="The 'resolution' parameter of basins must be <= 60"):
        basins("cubic", 0, 1, resolution=99)


@pytest.mark.parametrize("lo,hi,match", [(float("nan"), 1.0, "The 'lo' parameter of basins must be finite"),
                                         (0.0, float("inf"), "The 'hi' parameter of basins must be finite"),
                                         ("x", 1.0, "basins: 'lo' 'x' is not a number")])
def test_basins_non_finite_and_bad_bounds(lo, hi, match):
    with pytest.raises(InputValueError, match=match):
        basins("cubic", lo, hi)


def test_basins_progress_callback_and_exact_decimal_bounds():
    calls = []
    m = basins("cubic", "0", "2.5", resolution=40, progress=lambda done, pending: calls.append(done))
    assert m.hi == 2.5 and m.fate_of(2.4) == "diverges"
    assert all(isinstance(c, int) for c in calls)
