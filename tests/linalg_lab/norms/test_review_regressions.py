"""Regressions from the soundness review of linalg_lab.norms: scale invariance of the power
method at huge/tiny scales, family constructors that would return a wrong 'truth', units."""
import json
import math

import numpy as np
import pytest

from linalg_lab import InputValueError
from linalg_lab.norms import make_instance, two_to_q, two_to_q_lower


@pytest.mark.parametrize("scale", [2.0 ** 1000, 2.0 ** -1000, 1e300, 1e-300])
def test_power_method_is_scale_invariant(scale, tolerance_report):
    """The iteration normalised with np.linalg.norm, which overflows (1e300: the step vector became
    0 and the method never moved) or underflows (1e-300: every step skipped, tiny rows dropped as
    starts); with 4 random starts the lower bound was then 1.2% below the one at scale 1."""
    X = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.25]])
    truth = 3.1625511228610982966  # mpmath: critical point of sum_i (x_i . v)^4 on the circle
    base = two_to_q_lower(X, seed=0, starts=4)
    big = two_to_q_lower(X * scale, seed=0, starts=4)
    rel = abs(big.lower / scale - base.lower) / base.lower
    # exact power-of-two scalings give identical iterations; 1e+-300 adds a rounding per entry
    tolerance_report.record(f"power method scale invariance ({scale:g})", rel, 1e-14)
    assert rel <= 1e-14
    assert big.lower / scale >= truth * (1 - 1e-14)


def test_tiny_rows_are_still_used_as_starts():
    X = np.diag([1.0, 2.0, 3.0]) * 1e-300  # maximiser e_3 is a row; no random starts
    r = two_to_q_lower(X, starts=0)
    assert r.starts >= 3 and math.isclose(r.lower, 3e-300, rel_tol=1e-15)


@pytest.mark.parametrize("m", [1, 2])
def test_polygon_needs_three_lines(m):
    """m = 1, 2 lines are not a 4-design: the old 'truth' 3m/8 was below the true value 1."""
    with pytest.raises(InputValueError, match=r"must be >= 3 for the 4-design value 3m/8, got"):
        make_instance("polygon", m)


@pytest.mark.parametrize("family, size", [("d4-roots", 5), ("e8-roots", 4), ("gap", 5), ("motzkin-gap", 4)])
def test_root_systems_reject_other_sizes(family, size):
    """The size argument was silently ignored (a 12 x 4 matrix for 'd4-roots' of size 5)."""
    with pytest.raises(InputValueError, match="lives in d = "):
        make_instance(family, size, q=6 if family == "motzkin-gap" else 4)
    right = {"d4-roots": 4, "e8-roots": 8, "gap": 4, "motzkin-gap": 3}[family]
    assert make_instance(family, right, q=6 if family == "motzkin-gap" else 4).d == right


def test_units_are_norms_in_result_and_json():
    """lower/upper are NORMS and the *_q fields their q-th powers, in the result and its JSON."""
    from proofs_check import certify_two_to_q

    inst = make_instance("hadamard", 4)  # norm 2, 4th power 16
    r = two_to_q(inst.X)
    out = json.loads(json.dumps(r.to_dict()))
    for k in ("lower", "upper"):
        assert abs(out[k] - 2.0) <= 2e-6, k  # norm 2, not its 4th power 16
    assert abs(out["bounds"]["sos"]["value"] - 2.0) <= 2e-6
    cert = certify_two_to_q(r).to_dict()
    assert cert["lower"] <= 2.0 <= cert["upper"] and cert["lower_q"] <= 16.0 <= cert["upper_q"]
    assert math.isclose(cert["upper_q"], cert["upper"] ** 4, rel_tol=1e-12)
