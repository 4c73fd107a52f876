"""Width sweep of ``||H||_2 / ||grad f||`` at initialisation and the fitted scaling exponent.

For each width ``m`` and seed, the Hessian's spectral norm is bracketed by
:func:`linalg_lab.spectral_norm` applied to the exact Hessian-vector-product operator (Lanczos on
``H^T H = H^2``; for an operator the upper end of the bracket is probabilistic, failing with
probability at most ``failure_probability`` over the random start, Kuczyński–Woźniakowski); networks
with at most :data:`DENSE_MAX` parameters are assembled densely from ``N`` Hessian-vector products
and get the deterministic bracket instead.  The gradient norm is computed directly.  The exponent of ``||H||_2 / ||grad f|| ~ C m^p`` is fitted by
ordinary least squares on ``log ratio`` against ``log m`` over all (width, seed) points, with a
Student-t 95% confidence interval; the theory (Liu, Zhu, Belkin 2020) predicts ``p = -1/2``.
"""
from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from ..._results import Result, Rigour, Status
from ..._validation import InputValueError, check_int, check_option, check_probability, check_real
from ._network import NETWORKS, OUTER, init_network

__all__ = ["DEFAULT_WIDTHS", "SlopeFit", "LinearitySweepResult", "linearity_sweep", "fit_slope"]

#: Up to this many parameters the Hessian is assembled densely from HVPs (deterministic bracket).
DENSE_MAX = 1024
#: Widths 2^6 ... 2^14 (the issue's range) for the two-layer network.
DEFAULT_WIDTHS = tuple(2**k for k in range(6, 15))
#: The skip network has an m x m middle layer: widths up to 2^9 keep its parameter count near 2.7e5
#: (and the sweep within seconds).
SKIP_WIDTHS = tuple(2**k for k in range(6, 10))


@dataclasses.dataclass(frozen=True)
class SlopeFit:
    """Least-squares fit ``log y = intercept + slope log m`` with a confidence interval.

    ``lower``/``upper`` bound the slope at ``confidence``; ``contains(p)`` tests a value.
    """

    slope: float
    intercept: float
    lower: float
    upper: float
    standard_error: float
    confidence: float
    points: int
    r_squared: float

    def contains(self, value: float) -> bool:
        """True when ``value`` lies in the confidence interval."""
        return self.lower <= value <= self.upper


def fit_slope(widths: NDArray, values: NDArray, *, confidence: float = 0.95) -> SlopeFit:
    """Fit ``log values`` against ``log widths`` (OLS) with a Student-t interval for the slope.

    Parameters
    ----------
    widths : array_like
        The widths ``m > 0`` (any shape, flattened).
    values : array_like
        The measured values ``y > 0`` at those widths, as many as ``widths``.
    confidence : float, default 0.95
        Keyword-only: the two-sided confidence level of the slope interval, in (0, 1) (not
        validated).

    Returns
    -------
    SlopeFit
        ``slope``, ``intercept`` (of ``log y = intercept + slope log m``), ``lower``/``upper``
        (the ``confidence`` interval for the slope, ``n - 2`` degrees of freedom),
        ``standard_error``, ``points`` and ``r_squared``.

    Raises
    ------
    InputValueError
        Fewer than 3 points.

    Examples
    --------
    >>> w = np.array([64.0, 128, 256, 512])
    >>> f = fit_slope(w, 3 * w**-0.5)
    >>> round(f.slope, 12), f.contains(-0.5)
    (-0.5, True)
    """
    from scipy import stats

    x = np.log(np.asarray(widths, dtype=float).ravel())
    y = np.log(np.asarray(values, dtype=float).ravel())
    n = x.size
    if n < 3:
        raise InputValueError(f"fit_slope: need at least 3 points for a confidence interval, got {n}")
    xm, ym = x.mean(), y.mean()
    sxx = float(np.sum((x - xm) ** 2))
    slope = float(np.sum((x - xm) * (y - ym)) / sxx)
    intercept = float(ym - slope * xm)
    resid = y - intercept - slope * x
    s2 = float(np.sum(resid**2)) / (n - 2)
    se = math.sqrt(s2 / sxx)
    tq = float(stats.t.ppf(0.5 + confidence / 2, n - 2))
    sst = float(np.sum((y - ym) ** 2))
    r2 = 1.0 - float(np.sum(resid**2)) / sst if sst > 0 else 1.0
    return SlopeFit(slope=slope, intercept=intercept, lower=slope - tq * se, upper=slope + tq * se,
                    standard_error=se, confidence=confidence, points=n, r_squared=r2)


@dataclasses.dataclass(frozen=True)
class LinearitySweepResult(Result):
    """``||H||_2``, ``||grad f||`` and their ratio against the width (:func:`linearity_sweep`).

    Arrays have shape ``(len(widths), len(seeds))``.

    Attributes
    ----------
    hessian_lower, hessian_upper, hessian_estimate : ndarray
        The bracket of ``||H||_2`` from :func:`linalg_lab.spectral_norm` and its estimate.
    upper_kind : str
        Kind of the upper ends ("probabilistic" for an operator; see ``failure_probability``).
    gradient_norm, ratio : ndarray
        ``||grad f||_2`` and ``hessian_estimate / gradient_norm``.
    fit : SlopeFit
        Exponent of the ratio (estimates); ``fit_hessian`` fits ``||H||`` alone;
        ``fit_ratio_lower``/``fit_ratio_upper`` fit the bracket's ends (robustness of the slope).
    contains_expected : bool
        Whether ``fit``'s interval contains ``expected_slope`` (-1/2).
    parameters : list of int
        Parameter count per width.
    """

    network: str
    outer: str
    widths: list[int]
    seeds: list[int]
    input_dim: int
    parameters: list[int]
    hessian_lower: NDArray[np.float64]
    hessian_upper: NDArray[np.float64]
    hessian_estimate: NDArray[np.float64]
    upper_kind: str
    failure_probability: float
    bracket_rtol: float
    max_relative_gap: float
    gradient_norm: NDArray[np.float64]
    ratio: NDArray[np.float64]
    fit: SlopeFit
    fit_hessian: SlopeFit
    fit_ratio_lower: SlopeFit
    fit_ratio_upper: SlopeFit
    expected_slope: float
    contains_expected: bool
    elapsed_s: float
    rigour: Rigour
    status: Status
    reason: str


def linearity_sweep(
    network: str = "two-layer",
    *,
    outer: str = "rademacher",
    widths: Sequence[int] | None = None,
    seeds: Sequence[int] = (0, 1, 2),
    input_dim: int = 16,
    rtol: float = 1e-2,
    failure_probability: float = 1e-6,
    confidence: float = 0.95,
    progress: Callable[[str], None] | None = None,
) -> LinearitySweepResult:
    """Measure the transition to linearity: ``||H||_2 / ||grad f||`` at initialisation against width.

    Parameters
    ----------
    network : {"two-layer", "skip"}
        Architecture (see :mod:`linalg_lab.experiments.linearity`).
    outer : {"rademacher", "gaussian"}
        Law of the output weights; Gaussian ones add a ``sqrt(log m)`` factor to ``||H||_2``
        (module docstring of ``_network``), which biases a finite-range fit upwards.
    widths : sequence of int, optional
        Widths m (default 2^6..2^14 for "two-layer", 2^6..2^9 for "skip"); at least 2 distinct.
    seeds : sequence of int
        Initialisations per width (every point enters the fit).
    input_dim : int
        Input dimension d.
    rtol : float
        Requested relative width of each Hessian-norm bracket.
    failure_probability : float
        Failure probability of each probabilistic upper end.
    confidence : float
        Level of the slope's confidence interval.
    progress : callable, optional
        Called with a short text after each width (the face layer shows it; no printing here).

    Returns
    -------
    LinearitySweepResult
        ``status`` OK when every bracket met ``rtol``; else the status of the first bracket that did
        not (the brackets are still valid).  The slope's interval is a finding, reported in
        ``contains_expected``, not a status.

    Raises
    ------
    InputValueError, InputTypeError
        Unknown network, bad widths/seeds or options.

    Notes
    -----
    Cost per (width, seed): ``k`` Lanczos steps of two Hessian-vector products each (``O(m d)`` for
    the two-layer network, ``O(m^2)`` for "skip") plus full reorthogonalisation ``O(k^2 N)`` with
    ``N`` parameters; ``k`` is about 60–100 for ``rtol = 1e-2`` (the gap-free Kuczyński–Woźniakowski
    bound).  The default two-layer sweep (9 widths, 3 seeds) runs in well under a minute.

    References
    ----------
    .. [1] C. Liu, L. Zhu, M. Belkin, "On the linearity of large non-linear models: when and why the
       tangent kernel is constant", NeurIPS 2020, arXiv:2010.01092.
    .. [2] L. Zhu, C. Liu, M. Belkin, "Transition to linearity of general neural networks with
       directed acyclic graph architecture", NeurIPS 2022, arXiv:2205.11786.

    Examples
    --------
    >>> r = linearity_sweep(widths=(64, 128, 256, 512), seeds=(0,), input_dim=4)
    >>> r.ok, bool(np.all(r.hessian_lower <= r.hessian_upper)), -0.8 < r.fit.slope < -0.2
    (True, True, True)
    """
    func = "linearity_sweep"
    check_option(network, "network", NETWORKS, func=func)
    check_option(outer, "outer", OUTER, func=func)
    if widths is None:
        widths = DEFAULT_WIDTHS if network == "two-layer" else SKIP_WIDTHS
    widths = [check_int(w, "widths", func=func, minimum=2) for w in widths]
    seeds = [check_int(s, "seeds", func=func, minimum=0) for s in seeds]
    if len(set(widths)) < 2 or not seeds or len(widths) * len(seeds) < 3:
        raise InputValueError(f"{func}: need at least 2 distinct widths and 3 points in all, got widths={widths}, "
                              f"seeds={seeds}")
    input_dim = check_int(input_dim, "input_dim", func=func, minimum=1)
    rtol = check_real(rtol, "rtol", func=func, lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    delta = check_probability(failure_probability, "failure_probability", func=func)
    conf = check_probability(confidence, "confidence", func=func)
    return _sweep(network, outer, widths, seeds, input_dim, rtol, delta, conf, progress)


def _sweep(network: str, outer: str, widths: list[int], seeds: list[int], d: int, rtol: float, delta: float,
           conf: float, progress: Callable[[str], None] | None) -> LinearitySweepResult:
    from ...spectral import spectral_norm

    t0 = time.perf_counter()
    shape = (len(widths), len(seeds))
    lo, up, est, gn = (np.empty(shape) for _ in range(4))
    kinds, gaps, params = set(), [], []
    first_bad = None
    for i, m in enumerate(widths):
        for j, s in enumerate(seeds):
            net = init_network(network, m, input_dim=d, seed=s, outer=outer)
            if net.size <= DENSE_MAX:
                # Small: assemble H from N exact HVPs (columns H e_i) and take the deterministic
                # bracket of that matrix; the gap-free probabilistic bound is weak at small N.
                H = np.column_stack([net.hvp(e) for e in np.eye(net.size)])
                r = spectral_norm(H, rtol=rtol, seed=s)
            else:
                r = spectral_norm(net.hessian_operator(), rtol=rtol, seed=s, failure_probability=delta)
            lo[i, j], up[i, j], est[i, j] = r.lower, r.upper, r.estimate
            kinds.add(r.upper_kind)
            gaps.append(r.relative_gap)
            if not r.ok and first_bad is None:
                first_bad = (m, s, r)
            gn[i, j] = float(np.linalg.norm(net.gradient()))
        params.append(net.size)
        if progress is not None:
            progress(f"{network} m={m}: ||H|| in [{lo[i].min():.4g}, {up[i].max():.4g}], "
                     f"||grad|| ~ {gn[i].mean():.4g}")
    W = np.repeat(np.asarray(widths, dtype=float)[:, None], len(seeds), axis=1)
    ratio = est / gn
    fit = fit_slope(W, ratio, confidence=conf)
    if first_bad is None:
        status, reason = Status.OK, "ok"
    else:
        m, s, r = first_bad
        status, reason = r.status, f"width {m}, seed {s}: {r.reason}"
    return LinearitySweepResult(
        network=network, outer=outer, widths=widths, seeds=seeds, input_dim=d, parameters=params, hessian_lower=lo,
        hessian_upper=up, hessian_estimate=est, upper_kind="/".join(sorted(kinds)), failure_probability=delta,
        bracket_rtol=rtol, max_relative_gap=float(max(gaps)), gradient_norm=gn, ratio=ratio, fit=fit,
        fit_hessian=fit_slope(W, est, confidence=conf), fit_ratio_lower=fit_slope(W, lo / gn, confidence=conf),
        fit_ratio_upper=fit_slope(W, up / gn, confidence=conf), expected_slope=-0.5,
        contains_expected=fit.contains(-0.5), elapsed_s=time.perf_counter() - t0,
        rigour=Rigour.PROBABILISTIC if "probabilistic" in kinds else Rigour.NUMERICAL,
        status=status, reason=reason,
    )
