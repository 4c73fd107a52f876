"""Shared check for the 2->q certificate tests: tampered SoS solutions never certify below the truth."""
import dataclasses
import math
from fractions import Fraction

import numpy as np
import pytest

from proofs_check.norms import two_to_q_certificate


def _tampered_never_below_truth(X, s, truth_q, seed):
    """Scaled, indefinite, zero, noisy and NaN Gram matrices and lowered/negative/NaN ``lam``: the
    certified lower bound never exceeds the truth, and the upper bound is either rigorous and above it
    or infinite and uncertified."""
    __tracebackhide__ = True
    rng = np.random.default_rng(seed)
    variants = {"scaled": dict(gram=s.gram * 1e12), "indefinite": dict(gram=s.gram - 10 * np.eye(s.D)),
                "zero": dict(gram=np.zeros_like(s.gram)),
                "noisy": dict(gram=s.gram + 1e-4 * rng.standard_normal(s.gram.shape)),
                "lam low": dict(lam=s.lam * 0.9), "lam negative": dict(lam=-1.0),
                "nan": dict(gram=np.full_like(s.gram, np.nan)), "lam nan": dict(lam=math.nan)}
    for name, kw in variants.items():
        c = two_to_q_certificate(X, dataclasses.replace(s, **kw))
        assert Fraction(c.lower_q) <= truth_q, name
        if c.upper_rigorous:
            assert truth_q <= Fraction(c.upper_q), name
        else:
            assert c.upper == math.inf and not c.certified, name


@pytest.fixture
def tampered_never_below_truth():
    return _tampered_never_below_truth
