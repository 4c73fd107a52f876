"""fixed_points: exact known answers (cubic, Padé quintic) and invariants for every preset step."""
from __future__ import annotations

import json
from fractions import Fraction

import mpmath
import pytest
import sympy

from linalg_lab._validation import InputTypeError, InputValueError
from linalg_lab.ns.schedules import PRESETS, Step
from proofs_check.newton_schulz import fixed_points


def test_cubic_fixed_points_exact():
    """Issue #3: the cubic (3/2, -1/2) has fixed points exactly {-1, 0, 1}, multipliers 0, 3/2, 0."""
    r = fixed_points((Fraction(3, 2), Fraction(-1, 2)))
    assert r.certified and r.ok
    assert [f.x.value for f in r.fixed_points] == [-1, 0, 1]
    assert [f.multiplier for f in r.fixed_points] == [0, Fraction(3, 2), 0]
    assert [f.stability for f in r.fixed_points] == ["super-attracting", "repelling", "super-attracting"]
    # sign flip at sqrt(3), exactly
    (z,) = r.positive_zeros
    assert sympy.simplify(z.sympy() - sympy.sqrt(3)) == 0
    # critical points +-1 with critical values +-1
    assert [(c.x.value, c.value) for c in r.critical_points] == [(-1, -1), (1, 1)]
    # the repelling 2-cycle {-sqrt5, sqrt5}: p(p(x)) - x = 0, multiplier p'(sqrt5)^2 = 36
    (orb,) = r.period2
    assert sorted(sympy.simplify(p.sympy() ** 2) for p in orb.points) == [5, 5]
    assert orb.stability == "repelling" and orb.multiplier_lower <= 36 <= orb.multiplier_upper


def test_pade5_fixed_points_exact():
    """p(x) - x = x (x^2 - 1)(3x^2 - 7)/8: fixed points 0, +-1, +-sqrt(7/3)."""
    r = fixed_points("pade5")
    xs = [f.x.sympy() for f in r.fixed_points]
    want = sorted([0, 1, -1, sympy.sqrt(sympy.Rational(7, 3)), -sympy.sqrt(sympy.Rational(7, 3))], key=float)
    assert all(sympy.simplify(a - b) == 0 for a, b in zip(xs, want))
    stab = {float(f.x): f.stability for f in r.fixed_points}
    assert stab[1.0] == "super-attracting" and stab[0.0] == "repelling"
    assert stab[min(stab)] == "repelling"  # -sqrt(7/3): p' = 10/3 there


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_step_invariants(name):
    """Each fixed point satisfies p(x) = x to 50 digits, its multiplier enclosure holds p'(x), and
    the stability label agrees with |p'(x)| computed independently in mpmath."""
    sch = PRESETS[name]
    for idx in sorted({0, len(sch.steps) - 1}):
        step = sch.steps[idx]
        r = fixed_points(sch, index=idx)
        assert r.certified
        with mpmath.workdps(60):
            cs = [mpmath.mpf(c.numerator) / c.denominator for c in step.coeffs]

            def p(x):
                return sum(c * x ** (2 * i + 1) for i, c in enumerate(cs))

            def dp(x):
                return sum((2 * i + 1) * c * x ** (2 * i) for i, c in enumerate(cs))

            for f in r.fixed_points:
                x = mpmath.findroot(lambda t: p(t) - t, mpmath.mpf(float(f.x)))
                assert f.x.lower <= x <= f.x.upper
                m = dp(x)
                assert f.multiplier_lower - 1e-12 <= m <= f.multiplier_upper + 1e-12
                want = ("super-attracting" if abs(m) < 1e-40 else "attracting" if abs(m) < 1
                        else "repelling")
                assert f.stability == want
            for z in r.positive_zeros:
                assert z.lower > 0 and abs(p(mpmath.mpf(float(z)))) < 1e-10
            for o in r.period2:
                a, b = (mpmath.mpf(float(q)) for q in o.points)
                assert abs(p(a) - b) < 1e-10 and abs(p(b) - a) < 1e-10


def test_muon_has_no_attracting_fixed_point():
    r = fixed_points("muon")
    assert len(r.fixed_points) == 5 and not r.attracting()
    pos = [f for f in r.fixed_points if float(f.x) > 0]
    assert abs(float(pos[0].x) - 0.868025797655531) < 1e-12
    assert "4063*x^4 - 9550*x^2 + 4889" in pos[0].x.minpoly


@pytest.mark.parametrize("arg", [Step(("1.5", "-0.5")), (1.5, -0.5), "1.5,-0.5", "cubic", [Fraction(3, 2), Fraction(-1, 2)]])
def test_input_forms(arg):
    r = fixed_points(arg)
    assert [f.x.value for f in r.fixed_points] == [-1, 0, 1]


def test_index_selects_a_later_step():
    r = fixed_points("polar-express-8", index=7)
    assert any(f.x.value == 1 and f.stability == "super-attracting" for f in r.fixed_points)


def test_bad_inputs():
    with pytest.raises(InputValueError, match="fixed_points: ns_schedule: unknown schedule 'nope'"):
        fixed_points("nope")
    with pytest.raises(InputValueError, match="The 'index' parameter of fixed_points must be an int >= 0"):
        fixed_points("cubic", index=-1)
    with pytest.raises(InputTypeError, match="fixed_points"):
        fixed_points(None)


def test_json_and_summary():
    r = fixed_points("muon")
    d = json.loads(json.dumps(r.to_dict()))
    assert d["certified"] is True and len(d["fixed_points"]) == 5
    assert "repelling" in r.summary()


def test_positive_zeros_below_the_float_range_are_kept():
    """Issue 10 point 8: p(x) = x - 10^800 x^3 has a positive zero at 10^-400, which the filter
    float(a) > 0 rounded to 0 and dropped while certified; positivity is now decided exactly."""
    from fractions import Fraction

    r = fixed_points(("1", "-1e800"))
    assert r.certified and len(r.positive_zeros) == 1
    assert r.positive_zeros[0].value == Fraction(1, 10**400)
    # an irrational one just as small: 1/sqrt(2e800), decided from its Arb ball
    r2 = fixed_points(("1", "-2e800"))
    assert r2.certified and len(r2.positive_zeros) == 1 and r2.positive_zeros[0].value is None
    import sympy

    exact = sympy.sqrt(2) / (2 * sympy.Integer(10) ** 400)
    assert sympy.simplify(r2.positive_zeros[0].sympy() - exact) == 0
