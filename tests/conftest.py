"""Shared fixtures: seeds (sweepable through LINALG_LAB_SEEDS) and global-state hygiene."""
from __future__ import annotations

import os

import mpmath
import numpy as np
import pytest

_SEEDS = [int(s) for s in os.environ.get("LINALG_LAB_SEEDS", "0").split(",") if s.strip()]


@pytest.fixture(params=_SEEDS, ids=lambda s: f"seed{s}")
def seed(request: pytest.FixtureRequest) -> int:
    """A seed; set LINALG_LAB_SEEDS=0,1,2,... to sweep tests over many seeds."""
    return request.param


@pytest.fixture
def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


@pytest.fixture(autouse=True)
def _reset_global_precision():
    """Library code must scope its precision; restore mpmath's and Arb's defaults regardless."""
    from flint import ctx

    dps, prec = mpmath.mp.dps, ctx.prec
    yield
    assert mpmath.mp.dps == dps, "a test or library call changed mpmath's global precision"
    assert ctx.prec == prec, "a test or library call changed Arb's global precision"
    mpmath.mp.dps, ctx.prec = dps, prec
