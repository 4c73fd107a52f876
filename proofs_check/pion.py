"""Certified one-step bound on how much a computed Pion step changes singular values.

For one float64 Pion step ``W' = fl(Q_out W Q_in)`` (:func:`linalg_lab.optim.pion_step`) this module
proves, in Arb ball arithmetic from the exact float entries,

1. ``delta = ||Q^T Q - I||_F`` upper bounds for each computed factor (an upper bound on
   ``||Q^T Q - I||_2``), so ``sqrt(1 - delta) <= sigma_min(Q) <= ||Q||_2 <= sqrt(1 + delta)``
   (``Q^T Q`` has eigenvalues in ``[1 - delta, 1 + delta]``);
2. ``e >= ||W' - Q_out W Q_in||_F`` with the exact product of the float matrices, which bounds the
   rounding of the two computed products;
3. ``||W||_2 <= s`` from :func:`proofs_check.spectral_norm_enclosure`;

and hence, for every ``i``,

``|sigma_i(W') - sigma_i(W)| <= s * rho + e``,
``rho = max(sqrt((1 + delta_out)(1 + delta_in)) - 1, 1 - sqrt((1 - delta_out)(1 - delta_in)))``,

because ``sigma_min(Q_out) sigma_i(W) sigma_min(Q_in) <= sigma_i(Q_out W Q_in) <= ||Q_out||_2
sigma_i(W) ||Q_in||_2`` (Horn & Johnson, *Topics in Matrix Analysis*, Thm 3.3.16) and Weyl's
inequality ``|sigma_i(A + E) - sigma_i(A)| <= ||E||_2``.  Nothing is assumed about how the factors
were computed: the bound holds for expm, Cayley and the E2 truncation alike (for E2 it is
dominated by ``delta ~ ||X||_2^4 / 4``).  The only floating-point assumption is the one of
:func:`proofs_check.spectral_norm_enclosure` (IEEE binary64 with a standard-model BLAS) for ``s``.
"""
from __future__ import annotations

import dataclasses
import math
import time
from typing import Literal

import numpy as np
from flint import arb, arb_mat
from numpy.typing import ArrayLike

from linalg_lab.internal import Certificate, Rigour, Status, Verdict
from linalg_lab.optim import pion_step

from ._arb import arb_matrix, lower_float, upper_float, working_prec
from .spectral import spectral_norm_enclosure

__all__ = ["PionStepCertificate", "pion_step_certificate"]

#: Arb working precision (bits) for the products; inputs are exact, so 128 bits keeps the balls
#: far narrower than the quantities bounded (about 1e-16 relative).
PREC = 128


@dataclasses.dataclass(frozen=True)
class PionStepCertificate(Certificate):
    """A proved bound on ``max_i |sigma_i(W') - sigma_i(W)|`` for one computed Pion step.

    Attributes
    ----------
    upper : float
        Proved ``max_i |sigma_i(W') - sigma_i(W)| <= upper`` (absolute, outward rounded).
    relative_upper : float
        ``upper / lower(||W||_2)``: the proved bound relative to ``sigma_1(W)``.
    delta_in, delta_out : float
        Proved ``||Q^T Q - I||_F`` upper bounds of each factor (0 for a side not applied).
    product_error : float
        Proved ``||W' - Q_out W Q_in||_F`` upper bound.
    sigma1_lower, sigma1_upper : float
        Rigorous enclosure of ``||W||_2``.
    measured_change : float
        ``max_i |sigma_i(W') - sigma_i(W)|`` from two LAPACK SVDs (numerical, not part of the proof).
    contains_measured : bool
        ``measured_change <= upper``.
    """

    retraction: str
    side: str
    lr: float
    rms: float
    upper: float
    relative_upper: float
    delta_in: float
    delta_out: float
    product_error: float
    sigma1_lower: float
    sigma1_upper: float
    measured_change: float
    contains_measured: bool
    verdict: Verdict
    rigour: Rigour
    elapsed_s: float
    status: Status
    reason: str


def _fro_upper(E: arb_mat) -> arb:
    """A ball containing ``||E||_F`` (sum of squared entries in Arb, then the square root)."""
    total = arb(0)
    for i in range(E.nrows()):
        for j in range(E.ncols()):
            x = E[i, j]
            total += x * x
    return total.sqrt()


def _orth_defect(Q: np.ndarray | None) -> arb:
    if Q is None:
        return arb(0)
    A = arb_matrix(Q)
    E = A.transpose() * A
    for i in range(E.nrows()):
        E[i, i] -= 1
    return _fro_upper(E)


def pion_step_certificate(
    W: ArrayLike,
    G: ArrayLike,
    *,
    lr: float,
    retraction: Literal["expm", "cayley", "e2"] = "expm",
    rms: float = 0.2,
    side: Literal["both", "in", "out"] = "both",
) -> PionStepCertificate:
    """Prove a bound on the singular-value change of one computed Pion step (no momentum).

    Parameters
    ----------
    W, G : (m, n) array_like
        Weights and gradient (validated by :func:`linalg_lab.optim.pion_step`).
    lr, retraction, rms, side
        As in :func:`linalg_lab.optim.pion_step` (``side`` "alternate" is resolved per step there;
        certify a given side here).

    Returns
    -------
    PionStepCertificate
        verdict PROVED with ``upper`` when every factor's defect is below 1; UNDECIDED otherwise
        (the step's factors are too far from orthogonal for this bound).

    Raises
    ------
    InputValueError, InputTypeError
        As :func:`linalg_lab.optim.pion_step`.

    Notes
    -----
    Cost: Arb products of the factors (``O(m^3 + n^3)`` ball operations) and of ``Q_out W Q_in``
    (``O(m n (m + n))``), plus a rigorous spectral-norm enclosure of ``W``; about a second at
    64 x 128.  Derivation in the module docstring.

    References
    ----------
    .. [1] R. A. Horn and C. R. Johnson, *Topics in Matrix Analysis*, Cambridge University Press
       (1991), doi:10.1017/CBO9780511840371, Thm 3.3.16.
    .. [2] F. Johansson, "Arb: efficient arbitrary-precision midpoint-radius interval arithmetic",
       IEEE Trans. Comput. 66(8) (2017) 1281–1292, doi:10.1109/TC.2017.2690633.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> c = pion_step_certificate(rng.standard_normal((4, 6)), rng.standard_normal((4, 6)), lr=0.05)
    >>> c.certified, c.contains_measured, c.relative_upper < 1e-13
    (True, True, True)
    """
    t0 = time.perf_counter()
    step = pion_step(W, G, lr=lr, retraction=retraction, rms=rms, side=side, diagnostics=False)
    W = np.asarray(W, dtype=np.float64)
    W_new = step.W
    with working_prec(PREC):
        d_in = _orth_defect(step.Q_in)
        d_out = _orth_defect(step.Q_out)
        P = arb_matrix(W)
        if step.Q_out is not None:
            P = arb_matrix(step.Q_out) * P
        if step.Q_in is not None:
            P = P * arb_matrix(step.Q_in)
        e = _fro_upper(arb_matrix(W_new) - P)
        enc = spectral_norm_enclosure(W)
        s_up = arb(enc.upper)
        one = arb(1)
        up_factor = ((one + d_out) * (one + d_in)).sqrt() - one
        decidable = bool(d_in < 1 and d_out < 1) and enc.certified
        if decidable:
            down_factor = one - ((one - d_out) * (one - d_in)).sqrt()
            rho = up_factor.max(down_factor)
            bound = s_up * rho + e
            upper = upper_float(bound)
            rel = upper_float(bound / arb(enc.lower)) if enc.lower > 0 else math.inf
        else:
            upper, rel = math.inf, math.inf
        vals = dict(delta_in=upper_float(d_in), delta_out=upper_float(d_out), product_error=upper_float(e))
    s0 = np.linalg.svd(W, compute_uv=False)
    s1 = np.linalg.svd(W_new, compute_uv=False)
    measured = float(np.max(np.abs(s1 - s0)))
    if decidable:
        verdict, status, reason = Verdict.PROVED, Status.OK, "ok"
    else:
        verdict, status = Verdict.UNDECIDED, Status.UNDECIDED
        reason = ("a factor's orthogonality defect bound is >= 1 (reduce lr)" if enc.certified else
                  f"the spectral-norm enclosure of W was not certified: {enc.reason}")
    return PionStepCertificate(
        retraction=retraction, side=side, lr=float(lr), rms=float(rms), upper=upper, relative_upper=rel,
        sigma1_lower=enc.lower, sigma1_upper=enc.upper, measured_change=measured,
        contains_measured=measured <= upper, verdict=verdict,
        rigour=Rigour.CERTIFIED if decidable else Rigour.NUMERICAL, elapsed_s=time.perf_counter() - t0,
        status=status, reason=reason, **vals,
    )
