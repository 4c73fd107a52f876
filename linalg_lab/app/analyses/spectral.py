"""Sweepable: spectral-norm brackets of random matrices."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..._results import Result
from ..._validation import check_int, check_option, check_real
from ...spectral import spectral_norm
from ...sweep import Analysis
from ..registry import register_analysis

_FAMILIES = ("gaussian", "uniform", "graded")


def run_spectral(params: dict[str, Any], seed: int) -> Result:
    """A random ``m x n`` matrix of the given family from ``seed``; its spectral-norm bracket."""
    func = "sweep spectral-norm"
    m = check_int(params["m"], "m", func=func, minimum=1)
    n = check_int(params["n"], "n", func=func, minimum=1)
    fam = check_option(params["family"], "family", _FAMILIES, func=func)
    rtol = check_real(params["rtol"], "rtol", func=func, lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    rng = np.random.default_rng(seed)
    if fam == "gaussian":
        A = rng.standard_normal((m, n))
    elif fam == "uniform":
        A = rng.uniform(size=(m, n))
    else:
        A = rng.standard_normal((m, n)) * np.logspace(0, -12, n)
    return spectral_norm(A, rtol=rtol, seed=seed)


register_analysis(Analysis(
    name="spectral-norm", run=run_spectral,
    description="spectral-norm bracket of a random m x n matrix (family gaussian/uniform/graded)",
    defaults={"m": 200, "n": 100, "family": "gaussian", "rtol": 1e-8},
    summary_fields=("lower", "upper", "relative_gap", "upper_kind", "iterations"),
    example={"m": 20, "n": 10}))
