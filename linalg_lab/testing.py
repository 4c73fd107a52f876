"""Public testing helpers: tolerance-aware assertions that feed the tolerance report.

>>> from linalg_lab.testing import assert_close
>>> assert_close(0.1 + 0.2, 0.3).passed
True
"""
from .tolerance import (
    DEFAULT_RTOL_EPS,
    Check,
    ToleranceReport,
    assert_close,
    default_rtol,
    eps_of,
    gamma,
    record,
    recording,
    unit_roundoff,
)

__all__ = [
    "assert_close",
    "record",
    "recording",
    "Check",
    "ToleranceReport",
    "default_rtol",
    "eps_of",
    "unit_roundoff",
    "gamma",
    "DEFAULT_RTOL_EPS",
]
