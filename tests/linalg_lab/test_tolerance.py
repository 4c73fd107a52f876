"""assert_close messages and Check records."""
import math

import numpy as np
import pytest

from linalg_lab.testing import Check, ToleranceReport, assert_close, default_rtol, eps_of, gamma, record, recording


def test_failure_message_fields():
    with pytest.raises(AssertionError) as ei:
        assert_close(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.3]), name="demo")
    msg = str(ei.value)
    for piece in ["demo: not close (rtol=1.42e-14, atol=0)", "Mismatched elements: 1 / 3", "Worst index: (2,)",
                  "Max absolute difference: 0.3", "Max relative difference: 0.0909091", "eps", "Margin: -"]:
        assert piece in msg, piece


def test_dtype_aware_default():
    assert default_rtol(np.float32) == 64 * np.finfo(np.float32).eps
    assert eps_of("bfloat16") == 2.0**-7
    assert_close(np.float32(1.0) + np.float32(1e-6), 1.0)  # float32 default rtol ~ 7.6e-6
    with pytest.raises(AssertionError):
        assert_close(1.0 + 1e-6, 1.0)


def test_checks_are_recorded_with_margin():
    with recording() as rep:
        c = assert_close([1.0], [1.0 + 1e-15], rtol=1e-13, name="x")
        record("ratio", 60.0, 50.0)
    assert len(rep) == 2 and isinstance(c, Check)
    assert c.passed and math.isclose(c.margin_digits, math.log10(1e-13 / c.error))
    assert rep.failed[0].name == "ratio" and rep.failed[0].margin_digits < 0
    assert "1 passed, 1 failed" in rep.table()
    assert rep.markdown().count("\n") == 4


def test_nan_inf_shapes():
    assert_close([np.inf, np.nan], [np.inf, np.nan])
    with pytest.raises(AssertionError, match="shape mismatch"):
        assert_close(np.ones(3), np.ones(4))
    with pytest.raises(AssertionError):
        assert_close([np.nan], [1.0])
    with pytest.raises(ValueError, match="not both 0"):
        assert_close(1.0, 1.0, rtol=0.0)


def test_gamma():
    assert math.isclose(gamma(10), 10 * 2**-53 / (1 - 10 * 2**-53))
    with pytest.raises(ValueError):
        gamma(2**60)


def test_report_outside_recording_keeps_nothing():
    rep = ToleranceReport()
    assert_close(1.0, 1.0)
    assert len(rep) == 0


# --- err_msg, equal_nan, strict: the same semantics as numpy.testing.assert_allclose ----------
_NAN, _INF = float("nan"), float("inf")
# (actual, desired, options): both functions must agree on pass/fail for every row
NUMPY_CASES = [
    ([1.0, _NAN], [1.0, _NAN], {}),
    ([1.0, _NAN], [1.0, _NAN], {"equal_nan": True}),
    ([1.0, _NAN], [1.0, _NAN], {"equal_nan": False}),
    ([_NAN], [1.0], {"equal_nan": True}),
    ([_INF, -_INF], [_INF, -_INF], {"equal_nan": False}),
    ([_INF], [-_INF], {}),
    (np.ones(3), np.ones(3), {"strict": True}),
    (np.ones(3), np.ones(3, dtype=np.float32), {"strict": True}),
    (np.ones(3), np.ones(3, dtype=np.float32), {"strict": False}),
    (1.0, np.ones(3), {"strict": True}),
    (1.0, np.ones(3), {"strict": False}),
    (np.ones((2, 1)), np.ones((2, 1)), {"strict": True}),
    (np.ones((2, 1)), np.ones(2), {"strict": True}),
    ([1.0, 2.0 + 1e-10], [1.0, 2.0], {"err_msg": "context"}),
]


def _outcome(fn, a, d, kw):
    try:
        fn(a, d, rtol=1e-12, **kw)
    except AssertionError:
        return "fail"
    return "pass"


@pytest.mark.parametrize(("a", "d", "kw"), NUMPY_CASES)
def test_options_agree_with_numpy_testing(a, d, kw):
    ours = _outcome(assert_close, a, d, kw)
    theirs = _outcome(np.testing.assert_allclose, a, d, kw)
    assert ours == theirs


def test_equal_nan_false_counts_nan_as_mismatch():
    with pytest.raises(AssertionError, match=r"Mismatched elements: 1 / 2"):
        assert_close([1.0, np.nan], [1.0, np.nan], equal_nan=False)
    with recording() as rep:
        assert_close([np.nan], [np.nan])  # default equal_nan=True, as numpy.testing
        with pytest.raises(AssertionError):
            assert_close([np.nan], [np.nan], equal_nan=False, name="nan strict")
    assert [c.passed for c in rep.checks] == [True, False]
    assert rep.checks[1].error == np.inf and rep.checks[1].name == "nan strict"


def test_strict_refuses_broadcast_and_dtype_change():
    with pytest.raises(AssertionError, match=r"x: shape mismatch \(strict\): actual \(\) vs desired \(3,\)"):
        assert_close(1.0, np.ones(3), strict=True, name="x")
    with pytest.raises(AssertionError, match=r"dtype mismatch \(strict\): actual float64 vs desired float32"):
        assert_close(np.ones(2), np.ones(2, dtype=np.float32), strict=True)
    assert assert_close(1.0, np.ones(3)).passed  # without strict a scalar broadcasts


def test_err_msg_is_in_every_failure_message():
    with pytest.raises(AssertionError) as ei:
        assert_close([1.0, 2.0], [1.0, 2.5], name="demo", err_msg="after 5 Newton–Schulz steps")
    lines = str(ei.value).splitlines()
    assert lines[0].startswith("demo: not close") and lines[1] == "after 5 Newton–Schulz steps"
    with pytest.raises(AssertionError, match=r"shape mismatch.*\nseed 3"):
        assert_close(np.ones(2), np.ones(3), err_msg="seed 3")
    with pytest.raises(AssertionError, match=r"dtype mismatch.*\nseed 4"):
        assert_close(np.ones(2), np.ones(2, dtype=np.float32), strict=True, err_msg="seed 4")


def test_check_transport_round_trip_keeps_nonfinite():
    c = Check("n", float("inf"), 1.0, False, float("nan"), "relative", "t.py::t", "d")
    back = Check.from_transport(c.to_transport())
    assert back.name == c.name and back.error == np.inf and math.isnan(back.eps_units)
    assert back.to_transport().keys() == c.to_transport().keys()


@pytest.mark.parametrize(("a", "d"), [(np.inf, -np.inf), (5.0, np.inf), (np.inf, 5.0), (-np.inf, 1e308)])
def test_infinities_must_match_exactly(a, d):
    # Before: |desired| = inf made the bound infinite, so inf vs -inf and 5 vs inf "passed".
    with recording() as rep, pytest.raises(AssertionError, match="Mismatched elements: 1 / 1"):
        assert_close(a, d, rtol=1e-3)
    assert not rep.checks[0].passed and rep.checks[0].error == np.inf
