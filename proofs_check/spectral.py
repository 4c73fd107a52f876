"""Rigorous enclosure of the spectral norm of a float64 matrix.

The enclosure ``[lo, hi] ∋ ||A||_2`` combines

* a **lower bound** from a floating-point singular vector ``v``: ``||A v|| / ||v||`` where the
  product ``y = fl(A v)`` is bounded by ``|y - A v| <= gamma_n |A||v| + n eta`` and ``|A||v|`` by its
  computed value ``z = fl(|A||v|) >= (1 - gamma_n)|A||v|`` (Higham, *Accuracy and Stability of
  Numerical Algorithms*, 2nd ed., eq. (3.13)); the norms of the float vectors ``y``, ``z``, ``v`` are
  evaluated in Arb; and
* an **upper bound** from the Cholesky certificate of ``linalg_lab.spectral.gram_cholesky_certificate``
  (``tau I - A^T A`` positive definite with a margin covering the Gram matrix's rounding, the diagonal
  shift and the Cholesky backward error ``gamma_{n+1} ||R||_F^2``, Higham Thm 10.3; Rump, BIT 46
  (2006), doi:10.1007/s10543-006-0056-1), whose final inequality is re-checked here in Arb from the
  raw floats.

Both bounds assume IEEE-754 binary64 arithmetic with round-to-nearest and BLAS/LAPACK kernels that
satisfy the standard model of floating-point arithmetic (true of every conforming implementation,
with or without FMA, in any summation order).  All other arithmetic is exact or in Arb balls, and
endpoints are rounded outward.  The matrix is first scaled by a power of two; entries that this
rounds (only those pushed below the normal range) are accounted for by Weyl's inequality.
"""
from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
from flint import arb, arb_mat
from numpy.typing import ArrayLike

from linalg_lab.internal import InputValueError, as_matrix
from linalg_lab.spectral import (
    ScaledOperator,
    gram_cholesky_certificate,
    gram_matrix,
    required_margin,
    spectral_norm,
)

from ._arb import ETA64, U64, gamma_arb, lower_float, upper_float, working_prec
from ._certificate import Certificate, Rigour, Status, Verdict

__all__ = ["spectral_norm_enclosure", "SpectralNormEnclosure"]

_U = U64
_ETA = ETA64


def _norm2_arb(x: np.ndarray) -> arb:
    """Rigorous Euclidean norm of a float vector (exact inputs, Arb arithmetic)."""
    x = np.ascontiguousarray(x, dtype=np.float64).ravel()
    col = arb_mat(len(x), 1, [float(t) for t in x])
    return (col.transpose() * col)[0, 0].sqrt()


@dataclasses.dataclass(frozen=True)
class SpectralNormEnclosure(Certificate):
    """A rigorous interval ``[lower, upper]`` containing ``||A||_2``.

    ``lower`` and ``upper`` are float64 endpoints rounded outward; ``relative_width`` is
    ``upper/lower - 1``; ``method`` says how each side was obtained and what it assumes.
    """

    lower: float
    upper: float
    relative_width: float
    certified: bool
    verdict: Verdict
    rigour: Rigour
    method: str
    assumptions: str
    elapsed_s: float
    status: Status
    reason: str

    def summary(self) -> str:
        mark = "certified" if self.certified else "NOT certified"
        return "\n".join([
            f"||A||_2 enclosure ({mark}): [{self.lower!r}, {self.upper!r}]",
            f"  relative width : {self.relative_width:.3e}",
            f"  method         : {self.method}",
            f"  assumes        : {self.assumptions}",
            f"  time           : {self.elapsed_s:.3f} s",
        ] + ([f"  reason         : {self.reason}"] if not self.certified else []))


def spectral_norm_enclosure(A: ArrayLike, *, seed: int = 0) -> SpectralNormEnclosure:
    """Rigorous enclosure of ``||A||_2`` for a real float64 matrix.

    Parameters
    ----------
    A : (m, n) array_like
        Real, finite, non-empty (float32 and integer input are converted exactly to float64).
    seed : int
        Seed of the Lanczos start used to find the singular vector (the enclosure is rigorous for
        any seed; only its width could depend on it).

    Returns
    -------
    SpectralNormEnclosure
        ``certified=True`` with verdict "proved" when both bounds were established rigorously;
        otherwise ``certified=False`` with the reason (the interval is then not trustworthy).

    Notes
    -----
    Cost: one Lanczos run, one Gram matrix (``m N^2`` flops), one Cholesky factorisation
    (``N^3/3``), and O(m n) work in float plus O(m + n) Arb operations.  The relative width is
    about ``(N + 1) u tr(tau I - A^T A)/||A||^2 + m u ||A||_F^2/||A||^2``, at most ``~ N^2 u``.

    Examples
    --------
    >>> import numpy as np
    >>> e = spectral_norm_enclosure(np.array([[3.0, 0.0], [0.0, -4.0]]))
    >>> e.certified, e.lower <= 4.0 <= e.upper, e.relative_width < 1e-13
    (True, True, True)
    """
    t0 = time.perf_counter()
    a0 = as_matrix(A, "A", func="spectral_norm_enclosure", keep_dtype=False)
    a_in = np.asarray(A) if not hasattr(A, "dtype") else A
    if getattr(a_in, "dtype", np.dtype(float)).kind == "f" and a_in.dtype.itemsize > 8 \
            and not np.array_equal(a0.astype(a_in.dtype), a_in):
        # the certificate is about the float64 matrix; a rounded longdouble input is another one
        raise InputValueError(f"spectral_norm_enclosure: 'A' of dtype {a_in.dtype} has entries that float64 "
                              "cannot represent exactly; round it to float64 yourself")
    assumptions = ("IEEE-754 binary64 round-to-nearest; BLAS/LAPACK satisfy the standard model "
                   "(any summation order, FMA allowed)")
    if not np.any(a0):
        return SpectralNormEnclosure(0.0, 0.0, 0.0, True, Verdict.PROVED, Rigour.CERTIFIED,
                                     "A is exactly zero", "none", time.perf_counter() - t0,
                                     Status.OK, "ok")
    op = ScaledOperator("dense", a0)
    a = np.ascontiguousarray(op.a)
    # Scaling by a power of two is exact unless an entry lands below the normal range; then each
    # rounded entry moves by at most eta/2, so ||A/s - a||_2 <= ||.||_F <= sqrt(k) eta / 2 (Weyl).
    n_rounded = int(np.count_nonzero(np.ldexp(a, op.scale_exp) != (a0.T if op.transposed else a0)))
    scaling_err = arb(n_rounded).sqrt() * _ETA / 2
    m, n = a.shape
    # Ask for an estimate about as accurate as the certificate can resolve (~ n^2 u).
    rtol_inner = min(1e-6, max(1e-13, 8.0 * n * n * 2.0**-53))
    est = spectral_norm(a, rtol=rtol_inner, seed=seed, bound="deterministic")
    v = est.v  # right singular vector of the oriented, scaled matrix
    if v is None or not np.all(np.isfinite(v)):
        return _fail(t0, assumptions, "no singular vector estimate")
    with working_prec(128):
        # ---- lower bound: ||A v|| / ||v|| with the product's rounding bounded -------------------
        y = a @ v
        z = np.abs(a) @ np.abs(v)
        g_n = gamma_arb(n)
        err = g_n / (1 - g_n) * _norm2_arb(z) + arb(m).sqrt() * arb(n) * _ETA
        lower_s = (_norm2_arb(y) - err) / _norm2_arb(v)
        if not lower_s > 0:
            lower_s = arb(0)
        # ---- upper bound: Cholesky certificate, final inequality re-checked in Arb --------------
        sigma = max(float(est.estimate), float(upper_float(lower_s)))
        gram = gram_matrix(a)
        tau0 = sigma * sigma
        rho = max(2 * required_margin(a, tau0, gram) / tau0, 1e-15)
        proved_upper = None
        for _ in range(6):
            tau = tau0 * (1 + rho)
            cert = gram_cholesky_certificate(a, tau, gram=gram)
            if cert.proved and _verify_arb(cert):
                proved_upper = arb(tau).sqrt()
                break
            rho *= 8
    if proved_upper is None:
        return _fail(t0, assumptions, f"the Cholesky certificate failed at every margin ({cert.reason})")
    scale = arb(2) ** op.scale_exp  # exact
    lower_s = lower_s - scaling_err
    if not lower_s > 0:
        lower_s = arb(0)
    lo = lower_float(lower_s * scale)
    hi = upper_float((proved_upper + scaling_err) * scale)
    width = hi / lo - 1 if lo > 0 else math.inf
    return SpectralNormEnclosure(
        lower=lo, upper=hi, relative_width=width, certified=True, verdict=Verdict.PROVED,
        rigour=Rigour.CERTIFIED,
        method=("lower: ||A v||/||v|| for a Lanczos singular vector with an a-priori bound on fl(A v); "
                "upper: Cholesky of tau I - fl(A^T A) with a rounding-error margin checked in Arb"),
        assumptions=assumptions, elapsed_s=time.perf_counter() - t0, status=Status.OK, reason="ok",
    )


def _verify_arb(c) -> bool:
    """Re-check the certificate's inequality ``tau - shift > bound`` with Arb arithmetic."""
    if not (math.isfinite(c.factor_frobenius_sq_raw) and math.isfinite(c.shift)):
        return False
    n, m = c.n, c.m
    f_sq = arb(c.factor_frobenius_sq_raw) / (1 - gamma_arb(n * n + 1))
    fro_sq = arb(c.frobenius_sq_raw) / (1 - gamma_arb(m * n + 1))
    tau, shift = arb(c.tau), arb(c.shift)
    e_gram = gamma_arb(m) * fro_sq + arb(m) * arb(n) * _ETA
    e_diag = _U * (abs(shift) + arb(c.max_diag))
    e_chol = gamma_arb(n + 1) * f_sq
    margin = tau - shift
    return bool(margin > e_gram + e_diag + e_chol + arb(n) * _ETA)


def _fail(t0: float, assumptions: str, why: str) -> SpectralNormEnclosure:
    return SpectralNormEnclosure(
        lower=0.0, upper=math.inf, relative_width=math.inf, certified=False, verdict=Verdict.UNDECIDED,
        rigour=Rigour.NUMERICAL, method="none", assumptions=assumptions,
        elapsed_s=time.perf_counter() - t0, status=Status.UNDECIDED, reason=why,
    )
