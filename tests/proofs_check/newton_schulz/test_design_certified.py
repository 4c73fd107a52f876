"""Certified errors of designed NS schedules (issue 15): rounding keeps the guarantee; designs beat presets."""
from __future__ import annotations

import pytest

from linalg_lab._results import Verdict
from linalg_lab.ns import PRESETS
from linalg_lab.ns.design import apply_safety, certified_error_bounds, design_schedule, ns_design
from linalg_lab.ns.design_budget import design_budget
from proofs_check.newton_schulz import schedule_band

QUINTIC_PRESETS = [n for n, s in PRESETS.items() if all(st.degree == 5 for st in s.steps)]


def _cert(schedule, lo, hi, steps):
    """Certified (lower, upper) bounds on max |1 - P| over [lo, hi]."""
    band = schedule_band(schedule, lo, hi, steps=steps)
    assert band.certified, band.reason
    return certified_error_bounds(band)


@pytest.mark.parametrize("kw", [
    dict(lo=1e-3, steps=5),
    dict(lo=1e-3, steps=8, cushion=0.02407327424182761),
    dict(lo=1e-4, steps=6, degree=[3, 5, 7, 7, 5, 5]),
    dict(lo=1e-3, steps=5, safety=1.02, cushion=0.02),
    dict(lo=1e-3, steps=6, objective="robust", headroom=1.2),
    dict(lo=1e-3, steps=5, digits=6),
])
def test_rounding_keeps_the_design_guarantee(kw):
    d = design_schedule(**kw)
    band = schedule_band(d.schedule, d.lo, d.hi, steps=len(d.degrees))
    chk = d.check_certified(band)
    assert chk.verdict is Verdict.PROVED and chk.certified, chk.reason
    assert chk.certified_upper <= chk.guarantee
    if kw.get("objective") != "robust":  # the robust margin makes the prediction pessimistic on purpose
        # and the prediction is tight: the certified lower bound is within the allowance too
        assert chk.certified_lower >= d.error - 2 * d.rounding_allowance - 2.0 ** -50


def test_too_few_digits_is_refuted_not_hidden():
    d = design_schedule(lo=1e-3, steps=5, digits=4)
    band = schedule_band(d.schedule, d.lo, d.hi, steps=5)
    chk = d.check_certified(band)
    # 4 digits perturb the first coefficients by ~5e-4; the first-order allowance covers that exactly,
    # so the verdict must be a proof or an honest refutation, never undecided
    assert chk.verdict in (Verdict.PROVED, Verdict.REFUTED)
    assert (chk.verdict is Verdict.PROVED) == (chk.certified_upper <= chk.guarantee)


def test_done_when_designed_5_quintics_beat_every_5_step_quintic_preset():
    """Issue 15 'done when': l = 1e-3, 5 quintic steps, certified worst error on [l, 1]."""
    s = ns_design(lo=1e-3, steps=5, degree=5)
    _, ours = _cert(s, 1e-3, 1, 5)
    assert len(QUINTIC_PRESETS) >= 6
    for name in QUINTIC_PRESETS:
        theirs, _ = _cert(PRESETS[name], 1e-3, 1, 5)
        assert ours < theirs, (name, ours, theirs)


def test_published_polar_express_8_and_our_design_side_by_side():
    ours = apply_safety(ns_design(lo=1e-3, steps=8, cushion=0.02407327424182761), "1.01")
    for k in (5, 8):
        a = _cert(ours, 1e-3, 1, k)
        b = _cert(PRESETS["polar-express-8"], 1e-3, 1, k)
        # the same design up to the generator's rounding: equal worst errors to ~1e-9 relative
        assert abs(a[1] - b[1]) <= 1e-9 * b[1] + 1e-15


@pytest.mark.parametrize("lo,budget", [(1e-2, 12), (1e-3, 15)])
def test_budget_design_beats_presets_at_the_same_budget(lo, budget):
    r = design_budget(lo=lo, budget=budget, degrees=(3, 5, 7))
    _, ours = _cert(r.design.schedule, lo, 1, len(r.degrees))
    for name, sch in PRESETS.items():
        per = max(st.products for st in sch.steps)
        k = budget // per
        theirs, _ = _cert(sch, lo, 1, k)
        assert ours <= theirs, (name, k, ours, theirs)


def test_robust_design_has_the_certified_headroom_it_was_designed_for():
    from proofs_check.newton_schulz import headroom

    plain = design_schedule(lo=1e-3, steps=6)
    robust = design_schedule(lo=1e-3, steps=6, objective="robust", headroom=1.2)
    h_plain = headroom(plain.schedule, lo=1e-3, steps=6)
    h_rob = headroom(robust.schedule, lo=1e-3, steps=6)
    assert h_plain.certified and h_rob.certified
    assert h_plain.upper < 1.001 < 1.2 <= h_rob.lower
