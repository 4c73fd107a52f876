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
