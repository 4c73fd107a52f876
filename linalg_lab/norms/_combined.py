"""``two_to_q``: every bound on ||X||_{2->q} at once, with a certified verdict for q = 4.

Units: NORM values everywhere; the 4th powers are in the ``*4`` fields.
"""
from __future__ import annotations

import dataclasses
import math
import time
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._results import Result, Rigour, Status, field_nojson
from .._validation import InputValueError, check_real
from ._bounds import _prepare, fpow, two_to_q_lower, two_to_q_spectral
from ._sos import two_to_q_sos

__all__ = ["TwoToQResult", "two_to_q", "VERDICTS"]

#: The verdict forms: exact to rtol, a bracket of the stated relative width, or a certified gap.
VERDICTS = ("exact (certified)", "bracketed within <x>", "gap")


@dataclasses.dataclass(frozen=True)
class TwoToQResult(Result):
    """All bounds on ||X||_{2->q} (NORM units) and the verdict.

    ``lower`` (power method, at ``maximiser``), ``spectral`` (the q = 4 spectral relaxation, else
    ||X||_2), ``sos`` (degree-4 SoS, q = 4 only), ``certified_lower``/``certified_upper``
    (rigorous, from ``proofs_check.two_to_q_certificate``; NaN when not certified), ``rel_gap``
    = (upper - lower) / upper of the best available bracket, and ``verdict``: "exact (certified)",
    "bracketed within <x>" or "gap" (the SoS value is certified to exceed the best lower bound).
    The ``*4`` fields are 4th powers.  ``rigour`` is the rigour of the bracket
    [``certified_lower``, ``certified_upper``] and of the verdict; ``lower``, ``spectral`` and
    ``sos`` are always numerical (``lower`` may exceed ``certified_lower`` by rounding).
    """

    q: float
    d: int
    n: int
    lower: float
    spectral: float
    sos: float
    certified_lower: float
    certified_upper: float
    rel_gap: float
    verdict: str
    certified: bool
    maximiser: NDArray[np.float64]
    lower4: float
    spectral4: float
    sos4: float
    certified_upper4: float
    sos_flat: bool
    hilbert_exact: bool
    times_s: dict[str, float]
    status: Status
    reason: str
    rigour: Rigour = Rigour.NUMERICAL
    details: dict[str, Any] = field_nojson(default_factory=dict)

    def summary(self) -> str:
        f = lambda x: "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.12g}"  # noqa: E731
        lines = [f"||X||_(2->{self.q:g}) for X of shape ({self.n}, {self.d}): {self.verdict}",
                 f"  lower (power method)   {f(self.lower)}",
                 f"  spectral relaxation    {f(self.spectral)}",
                 f"  degree-4 SoS           {f(self.sos)}" + ("  (flat: exact)" if self.sos_flat else ""),
                 f"  certified bracket      [{f(self.certified_lower)}, {f(self.certified_upper)}]",
                 f"  relative gap           {self.rel_gap:.3e}  ({self.rigour.value})",
                 "  times: " + ", ".join(f"{k} {v:.2f} s" for k, v in self.times_s.items())]
        if self.hilbert_exact:
            lines.append("  d <= 3: the degree-4 relaxation is exact (Hilbert 1888)")
        lines.append(f"  {self.reason}")
        return "\n".join(lines)


def two_to_q(X: ArrayLike, q: float = 4, *, sos: bool = True, certify: bool = True,
             solver: str | None = None,
             eps: float | None = None, rtol: float = 1e-6, seed: int | None = 0) -> TwoToQResult:
    """Lower, spectral, SoS and certified bounds on ||X||_{2->q} with an honest verdict.

    Parameters
    ----------
    X : (n, d) array_like
        Real finite matrix.
    q : float, default 4
        q > 2.  The SoS relaxation and certificate exist for q = 4; other q get the power-method
        lower bound and the generic bounds.
    sos : bool, default True
        Solve the degree-4 SoS relaxation (q = 4); False gives only the cheap bounds.
    certify : bool, default True
        With ``sos``, run ``proofs_check.two_to_q_certificate`` (rigorous upper and lower bounds).
    solver, eps : optional
        Passed to :func:`two_to_q_sos`.
    rtol : float, default 1e-6
        Relative bracket width (norm units) for the verdict "exact (certified)".
    seed : int, optional
        Seed of the random power-method starts.

    Returns
    -------
    TwoToQResult

    Raises
    ------
    InputValueError
        Non-finite or empty X; q <= 2 (for q = 2 the norm is the spectral norm).

    Notes
    -----
    Cost is that of the SoS solve (see :func:`two_to_q_sos`) plus the certificate (at most
    comparable).  The power method starts from the spectral and SoS roundings, the longest rows
    and 64 random vectors.

    References
    ----------
    S. B. Hopkins, S. Tiegel, "Algorithms with polynomially-improved approximation factors for
    the 2 -> q norm"; B. Barak et al., STOC 2012, arXiv:1205.4484.

    Examples
    --------
    >>> import numpy as np
    >>> r = two_to_q(np.eye(3))
    >>> r.verdict, round(r.certified_upper, 6)
    ('exact (certified)', 1.0)
    """
    func = "two_to_q"
    X = _prepare(X, func)
    q = check_real(q, "q", func=func)
    if q <= 2:
        raise InputValueError(
            f"{func}: 'q' must be > 2 (the hypercontractive range), got {q!r}; for q = 2 the norm "
            "is the spectral norm (use linalg_lab.spectral_norm), and for q < 2 these bounds do not apply")
    rtol = check_real(rtol, "rtol", func=func, lo=0.0, hi=1.0, lo_open=True)
    n, d = X.shape
    times: dict[str, float] = {}
    t = time.perf_counter()
    spec = two_to_q_spectral(X, q)
    times["spectral"] = time.perf_counter() - t
    details: dict[str, Any] = {"spectral": spec}
    nan = math.nan
    rng = np.random.default_rng(seed)
    if q != 4 or not sos:
        t = time.perf_counter()
        low = two_to_q_lower(X, q, starts=np.vstack([spec.maximiser, rng.standard_normal((64, d))]),
                             seed=seed)
        times["lower"] = time.perf_counter() - t
        details["lower"] = low
        up = spec.upper
        rel = (up - low.value) / up if up > 0 else 0.0
        why = (f"q = {q:g}: no SoS relaxation here (q = 4 only); the upper bound is the generic "
               "||X||_2 (numerical)" if q != 4 else
               "SoS not requested: the upper bound is the spectral relaxation (numerical)")
        return TwoToQResult(
            q=q, d=d, n=n, lower=low.value, spectral=spec.upper, sos=nan, certified_lower=nan,
            certified_upper=nan, rel_gap=rel, verdict=f"bracketed within {rel:.2e}", certified=False,
            maximiser=low.maximiser, lower4=fpow(low.value, 4), spectral4=fpow(spec.upper, 4), sos4=nan,
            certified_upper4=nan, sos_flat=False, hilbert_exact=False, times_s=times,
            status=Status.OK, reason=why, details=details)
    t = time.perf_counter()
    sres = two_to_q_sos(X, solver=solver, eps=eps)
    times["sos"] = time.perf_counter() - t
    details["sos"] = sres
    sos = sres
    starts = [spec.maximiser[None, :], rng.standard_normal((64, d))]
    if sos.candidates is not None and len(sos.candidates):
        starts.insert(0, sos.candidates)
    t = time.perf_counter()
    low = two_to_q_lower(X, 4, starts=np.vstack(starts), seed=seed)
    times["lower"] = time.perf_counter() - t
    details["lower"] = low
    status, reason = sos.status, sos.reason
    cl = cu = cu4 = nan
    certified = False
    rigour = Rigour.NUMERICAL
    if certify:
        from proofs_check.norms import two_to_q_certificate  # top layer: lazy, optional

        t = time.perf_counter()
        cert = two_to_q_certificate(X, sos, lower=low.maximiser, rtol=rtol)
        times["certify"] = time.perf_counter() - t
        details["certificate"] = cert
        cl, cu, cu4, certified = cert.lower, cert.upper, cert.upper4, cert.certified
        verdict, rel = cert.verdict, cert.rel_gap
        if certified:
            rigour = Rigour.CERTIFIED
            reason = cert.reason
            if status is Status.INACCURATE:
                status = Status.OK  # the certificate accounts for the solver's inaccuracy
        else:
            reason = f"{sos.reason}; {cert.reason}"
    else:
        if sos.status is Status.SOLVER_FAILED:
            up = spec.upper
        else:
            up = sos.value
        rel = max(up - low.value, 0.0) / up if up > 0 else 0.0
        verdict = "exact (numerical)" if rel <= rtol else f"bracketed within {rel:.2e}"
        reason = f"{reason}; not certified (certify=False)"
    return TwoToQResult(
        q=q, d=d, n=n, lower=low.value, spectral=spec.upper, sos=sos.value, certified_lower=cl,
        certified_upper=cu, rel_gap=rel, verdict=verdict, certified=certified,
        maximiser=low.maximiser, lower4=low.value4, spectral4=spec.upper4, sos4=sos.value4,
        certified_upper4=cu4, sos_flat=sos.flat, hilbert_exact=d <= 3, times_s=times,
        status=status, reason=reason, rigour=rigour, details=details)
