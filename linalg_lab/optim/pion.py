"""Pion: spectrum-preserving updates by left and right orthogonal factors.

One Pion step (Shi et al., 2026; the public code is Sphere-AI-Lab/pion) updates a weight matrix
``W`` of shape (m, n) with the gradient ``G`` through two skew-symmetric generators,

``A_in = W^T G - G^T W`` (n x n) and ``A_out = G W^T - W G^T`` (m x m),

and the ideal update ``W <- exp(-alpha A_out) W exp(-alpha A_in)``, which keeps every singular value
of ``W``.  Its first-order change is ``dW = -alpha (A_out W + W A_in)`` (the "base" direction), a
descent direction because ``<G, A_out W + W A_in> = 1/2 ||A_out||_F^2 + 1/2 ||A_in||_F^2``
(:func:`pion_descent_identity`).  The scale ``alpha = lr rms sqrt(m n) / ||base||_F`` makes the
root-mean-square of ``dW`` equal to ``lr * rms`` to first order.

Retractions (:data:`RETRACTIONS`, a registry: add one entry to add a retraction):

* ``"expm"``: ``scipy.linalg.expm`` (orthogonal to rounding);
* ``"cayley"``: ``(I - X/2)^{-1} (I + X/2)`` (exactly orthogonal for skew ``X``; orthogonal to
  rounding in floating point);
* ``"e2"``: the truncation ``E2(X) = I + X + X^2/2`` that the public implementation ships; for skew
  ``X``, ``E2(X)^T E2(X) = I + X^4/4`` exactly, so singular values grow by a factor in
  ``[1, sqrt(1 + ||X||_2^4 / 4)]`` per factor and step (see :func:`linalg_lab.optim.pion_drift`).

Sides: ``"both"`` (both factors), ``"in"`` (right factor only, ``base = W A_in``), ``"out"`` (left
factor only, ``base = A_out W``) and ``"alternate"`` ("in" on odd steps, "out" on even steps,
counting steps from 1 through the state).

Momentum geometries (FACTS "Pion"): ``"lie_lie"`` keeps an exponential moving average of each
generator (optionally divided elementwise by the root of an EMA of its square, Adam style, without
bias correction; the quotient of a skew and a symmetric matrix stays skew);
``"transported_ambient_ambient"`` keeps an EMA ``M`` of ``G`` and an EMA ``V`` of ``M o M``, builds
the generators from ``M / (sqrt(V) + eps)``, and transports ``M`` by the step's own factors
(``M <- Q_out M Q_in``); ``V`` is elementwise and is not transported.

Deviation from the shipped code: it divides by ``||base||_F + 1e-12``, which breaks scale invariance
for tiny gradients; here ``alpha = 0`` (no update) when ``base`` is exactly zero, and otherwise the
exact ratio.  Both generators are built from the ``W`` at the start of the step.

References
----------
.. [1] K. Shi, H. Li, Z. Qiu, Y. Wen, S. Buchholz, W. Liu, "Pion: A Spectrum-Preserving Optimizer
   via Orthogonal Equivalence Transformation" (2026); code github.com/Sphere-AI-Lab/pion.
.. [2] N. J. Higham, "The scaling and squaring method for the matrix exponential revisited",
   SIAM J. Matrix Anal. Appl. 26 (2005) 1179–1193, doi:10.1137/04061101X.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Literal

import numpy as np
import scipy.linalg
from numpy.typing import ArrayLike, NDArray

from .._results import Result, Rigour, Status, field_nojson
from .._validation import InputValueError, as_matrix, check_option, check_real

__all__ = [
    "RETRACTIONS",
    "Retraction",
    "PionState",
    "PionStepResult",
    "DescentIdentityResult",
    "pion_step",
    "pion_generators",
    "pion_descent_identity",
]

SIDES = ("both", "in", "out", "alternate")
MOMENTA = (None, "lie_lie", "transported_ambient_ambient")
#: Added to the root of the second moment before dividing (Adam's epsilon).
ADAM_EPS = 1e-8


def _expm(X: NDArray) -> NDArray:
    return scipy.linalg.expm(X)


def _cayley(X: NDArray) -> NDArray:
    n = X.shape[0]
    half = 0.5 * X
    eye = np.eye(n)
    return scipy.linalg.solve(eye - half, eye + half, check_finite=False)


def _e2(X: NDArray) -> NDArray:
    Q = X + 0.5 * (X @ X)
    Q[np.diag_indices_from(Q)] += 1.0
    return Q


@dataclasses.dataclass(frozen=True)
class Retraction:
    """A map from skew-symmetric generators to (near-)orthogonal factors.

    Attributes
    ----------
    name : str
        Registry key.
    apply : callable
        ``apply(X) -> Q`` for a square skew-symmetric float64 ``X``.
    orthogonal : bool
        True when ``Q`` is orthogonal in exact arithmetic for every skew ``X``.
    description : str
        One line for tables and help texts.
    """

    name: str
    apply: Callable[[NDArray], NDArray]
    orthogonal: bool
    description: str


#: The retractions by name (the CLI's choices, the tests and the report iterate over this).
RETRACTIONS: dict[str, Retraction] = {
    r.name: r
    for r in (
        Retraction("expm", _expm, True, "matrix exponential (scipy.linalg.expm, Pade scaling and squaring)"),
        Retraction("cayley", _cayley, True, "Cayley transform (I - X/2)^-1 (I + X/2)"),
        Retraction("e2", _e2, False, "second-order truncation I + X + X^2/2 (as shipped); E2^T E2 = I + X^4/4"),
    )
}


@dataclasses.dataclass(frozen=True)
class PionState:
    """Optimiser state carried between :func:`pion_step` calls.

    Attributes
    ----------
    step : int
        Steps taken so far (the next step is ``step + 1``; "alternate" uses its parity).
    m_in, m_out, v_in, v_out : ndarray or None
        ``lie_lie`` moving averages of the generators and of their squares.
    m_ambient, v_ambient : ndarray or None
        ``transported_ambient_ambient`` moving averages of ``G`` and of ``M o M`` (shape of ``W``).
    """

    step: int = 0
    m_in: NDArray | None = None
    m_out: NDArray | None = None
    v_in: NDArray | None = None
    v_out: NDArray | None = None
    m_ambient: NDArray | None = None
    v_ambient: NDArray | None = None


@dataclasses.dataclass(frozen=True)
class PionStepResult(Result):
    """One Pion step: the new weights, the new state and the step's diagnostics.

    Attributes
    ----------
    W : (m, n) ndarray
        The updated weights (not in ``to_dict()``).
    state : PionState
        State to pass to the next call (not in ``to_dict()``).
    Q_in, Q_out : ndarray or None
        The applied factors, ``None`` for a side not applied (not in ``to_dict()``).
    X_in, X_out : ndarray or None
        The skew generators the retraction was applied to (``-alpha`` times the direction;
        not in ``to_dict()``).
    side_applied : str
        "both", "in" or "out" (resolves "alternate").
    alpha : float
        The scale ``lr rms sqrt(mn) / ||base||_F`` in the raw units of ``W`` and ``G`` (0 when
        ``base`` is zero; it may under- or overflow for extreme scales, the step itself does not).
    rms_dW : float
        ``||W_new - W||_F / sqrt(mn)``; equals ``lr * rms`` to first order.
    rms_ratio : float
        ``rms_dW / lr`` (compare with ``rms``).
    inner_G_dW : float
        ``<G, W_new - W>``, the measured first-order change of a loss with gradient ``G``.
    first_order_change : float
        ``<G, -alpha base>``, the predicted first-order change (negative: descent).
    identity_rhs : float
        ``-alpha (1/2 ||A_out||_F^2 + 1/2 ||A_in||_F^2)`` over the applied sides; NaN with momentum
        (the generators are then not those of ``G``).
    identity_relative_error : float
        ``|first_order_change - identity_rhs| / |identity_rhs|`` (NaN with momentum or a zero step).
    orth_defect_in, orth_defect_out : float
        ``||Q^T Q - I||_F`` of each factor (0 for a side not applied; NaN if not computed).
    """

    W: NDArray = field_nojson(repr=False)
    state: PionState = field_nojson(repr=False)
    Q_in: NDArray | None = field_nojson(repr=False)
    Q_out: NDArray | None = field_nojson(repr=False)
    X_in: NDArray | None = field_nojson(repr=False)
    X_out: NDArray | None = field_nojson(repr=False)
    retraction: str
    side: str
    side_applied: str
    momentum: str | None
    lr: float
    rms: float
    alpha: float
    rms_dW: float
    rms_ratio: float
    inner_G_dW: float
    first_order_change: float
    identity_rhs: float
    identity_relative_error: float
    orth_defect_in: float
    orth_defect_out: float
    rigour: Rigour
    status: Status
    reason: str


@dataclasses.dataclass(frozen=True)
class DescentIdentityResult(Result):
    """``<G, A_out W + W A_in>`` against ``1/2 ||A_out||_F^2 + 1/2 ||A_in||_F^2``.

    ``relative_error`` is ``|lhs - rhs| / rhs`` and ``tolerance`` the rounding bound it is held to
    (see :func:`pion_descent_identity`); ``status`` is INACCURATE when it exceeds the bound.
    """

    lhs: float
    rhs: float
    relative_error: float
    tolerance: float
    norm_in: float
    norm_out: float
    rigour: Rigour
    status: Status
    reason: str


def pion_generators(W: NDArray, G: NDArray) -> tuple[NDArray, NDArray]:
    """The generators ``(A_in, A_out) = (W^T G - G^T W, G W^T - W G^T)`` of a Pion step.

    Unchecked helper (used by the drift analysis and :mod:`proofs_check.pion`): ``W`` and ``G``
    are float64 matrices of the same shape.  Both results are exactly skew-symmetric: each is
    formed as ``P - P^T`` from one computed product ``P``.

    Parameters
    ----------
    W : (m, n) ndarray
        The weight matrix, float64 (not validated).
    G : (m, n) ndarray
        Its gradient (or update direction), float64, the shape of ``W`` (not checked).

    Returns
    -------
    A_in : (n, n) ndarray
        ``W^T G - G^T W``, exactly skew-symmetric, acting on the input side (right of ``W``).
    A_out : (m, m) ndarray
        ``G W^T - W G^T``, exactly skew-symmetric, acting on the output side (left of ``W``).
        Both are in the units of ``W`` times ``G``.

    Examples
    --------
    >>> import numpy as np
    >>> A_in, A_out = pion_generators(np.eye(2, 3), np.ones((2, 3)))
    >>> A_in.shape, A_out.shape, bool(np.all(A_in == -A_in.T))
    ((3, 3), (2, 2), True)
    """
    P_in = W.T @ G
    P_out = G @ W.T
    return P_in - P_in.T, P_out - P_out.T


def _check_pair(W: ArrayLike, G: ArrayLike, func: str) -> tuple[NDArray, NDArray]:
    W = as_matrix(W, "W", func=func, keep_dtype=False)
    G = as_matrix(G, "G", func=func, keep_dtype=False)
    if W.shape != G.shape:
        raise InputValueError(f"{func}: 'G' must have the shape of 'W' {W.shape}, got shape {G.shape}")
    return W, G


def pion_descent_identity(W: ArrayLike, G: ArrayLike) -> DescentIdentityResult:
    """Check ``<G, A_out W + W A_in> = 1/2 ||A_out||_F^2 + 1/2 ||A_in||_F^2`` to rounding.

    Parameters
    ----------
    W, G : (m, n) array_like
        Weights and gradient (finite, real, same shape).

    Returns
    -------
    DescentIdentityResult
        ``status`` OK when the relative error is within the rounding bound.

    Notes
    -----
    Proof: ``<G, W A_in> = tr(G^T W A_in) = <W^T G, A_in>``, and only the skew part
    ``A_in / 2`` of ``W^T G`` pairs with the skew ``A_in``; likewise ``<G, A_out W> = <G W^T, A_out>
    = 1/2 ||A_out||_F^2``.

    Tolerance (derived, worst case): every computed matrix product of inner dimension at most
    ``q = max(m, n)`` has entrywise error ``gamma_q |X||Y|`` (Higham, *Accuracy and Stability of
    Numerical Algorithms*, 2nd ed., eq. (3.13)); chaining the generators, ``base`` and the final
    inner products (at most ``4q + 8`` roundings along any path) and bounding every magnitude sum by
    ``S = ||W||_F ||G||_F (||A_in||_F + ||A_out||_F)`` gives
    ``|lhs - rhs| <= gamma_{4q+8} (2 S + rhs)``, i.e. ``tolerance = gamma_{4q+8} (2 S / rhs + 1)``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> r = pion_descent_identity(rng.standard_normal((4, 6)), rng.standard_normal((4, 6)))
    >>> r.ok, r.relative_error < 1e-13
    (True, True)
    """
    func = "pion_descent_identity"
    W, G = _check_pair(W, G, func)
    return _descent_identity(W, G)


def _descent_identity(W: NDArray, G: NDArray) -> DescentIdentityResult:
    from ..tolerance import gamma

    m, n = W.shape
    A_in, A_out = pion_generators(W, G)
    base = W @ A_in + A_out @ W
    lhs = float(np.vdot(G, base))
    f_in = float(np.linalg.norm(A_in))
    f_out = float(np.linalg.norm(A_out))
    rhs = 0.5 * f_in**2 + 0.5 * f_out**2
    S = float(np.linalg.norm(W) * np.linalg.norm(G) * (f_in + f_out))
    q = max(m, n)
    if rhs > 0:
        rel = abs(lhs - rhs) / rhs
        tol = gamma(4 * q + 8) * (2 * S / rhs + 1)
    else:
        rel = abs(lhs)
        tol = gamma(4 * q + 8) * 2 * S
    ok = rel <= tol
    return DescentIdentityResult(
        lhs=lhs, rhs=rhs, relative_error=float(rel), tolerance=float(tol), norm_in=f_in, norm_out=f_out,
        rigour=Rigour.NUMERICAL, status=Status.OK if ok else Status.INACCURATE,
        reason="ok" if ok else (f"relative error {rel:.3e} exceeds the rounding bound {tol:.3e}; "
                                "check that W and G are the arrays the generators were built from"),
    )


def _check_betas(betas: object, func: str) -> tuple[float, float]:
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise InputValueError(f"The 'betas' parameter of {func} must be a pair (beta1, beta2). Got {betas!r} instead.")
    b1 = check_real(betas[0], "betas[0]", func=func, lo=0.0, hi=1.0, hi_open=True)
    b2 = check_real(betas[1], "betas[1]", func=func, lo=0.0, hi=1.0, hi_open=True)
    return b1, b2


def pion_step(
    W: ArrayLike,
    G: ArrayLike,
    *,
    lr: float,
    retraction: Literal["expm", "cayley", "e2"] = "expm",
    rms: float = 0.2,
    side: Literal["both", "in", "out", "alternate"] = "both",
    state: PionState | None = None,
    momentum: Literal["lie_lie", "transported_ambient_ambient"] | None = None,
    betas: tuple[float, float] = (0.9, 0.999),
    adam_scaling: bool = False,
    diagnostics: bool = True,
) -> PionStepResult:
    """One Pion update ``W <- R(-alpha A_out) W R(-alpha A_in)``.

    Parameters
    ----------
    W, G : (m, n) array_like
        Weights and gradient (finite, real, same shape; computed in float64).
    lr : float
        Learning rate (> 0); the update's RMS is ``lr * rms`` to first order.
    retraction : {"expm", "cayley", "e2"}
        Map from generators to factors (:data:`RETRACTIONS`).
    rms : float
        Target RMS per unit learning rate (> 0; default 0.2 as shipped).
    side : {"both", "in", "out", "alternate"}
        Which factors to apply ("alternate": "in" on odd steps, "out" on even steps).
    state : PionState, optional
        State from the previous step (default: a fresh state).
    momentum : {None, "lie_lie", "transported_ambient_ambient"}
        Momentum geometry (module docstring); None uses the generators of ``G``.
    betas : (float, float)
        EMA factors of the first and second moments, each in [0, 1).
    adam_scaling : bool
        With ``"lie_lie"``: divide the generator EMA elementwise by ``sqrt(v) + 1e-8``.
    diagnostics : bool
        Compute the orthogonality defects ``||Q^T Q - I||_F`` (O(m^3 + n^3) flops); NaN otherwise.

    Returns
    -------
    PionStepResult
        New ``W``, new ``state`` and the step's diagnostics.

    Raises
    ------
    InputValueError, InputTypeError
        Malformed ``W``/``G`` (NaN/Inf, empty, 1-D, complex, shape mismatch) or options.

    Notes
    -----
    Cost: the generators take ``2 m n (m + n)`` flops, a retraction of a k x k generator about
    ``10 k^3`` (expm), ``8/3 k^3`` (Cayley: one LU and solve) or ``2 k^3`` (E2), and applying the
    factors ``2 m n (m + n)``.  Accuracy: expm and Cayley factors are orthogonal to a few ``k u``
    (measured by ``orth_defect_*``), so singular values change by rounding only; E2 changes them
    by a factor up to ``sqrt(1 + ||X||_2^4/4)`` per factor.

    References
    ----------
    .. [1] K. Shi et al., "Pion: A Spectrum-Preserving Optimizer via Orthogonal Equivalence
       Transformation" (2026); code github.com/Sphere-AI-Lab/pion.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> W, G = rng.standard_normal((8, 16)), rng.standard_normal((8, 16))
    >>> r = pion_step(W, G, lr=1e-4)
    >>> s0, s1 = np.linalg.svd(W, compute_uv=False), np.linalg.svd(r.W, compute_uv=False)
    >>> bool(np.max(np.abs(s1 - s0)) < 1e-13 * s0[0]), round(r.rms_ratio, 3), r.first_order_change < 0
    (True, 0.2, True)
    """
    func = "pion_step"
    W, G = _check_pair(W, G, func)
    lr = check_real(lr, "lr", func=func, lo=0.0, lo_open=True)
    rms = check_real(rms, "rms", func=func, lo=0.0, lo_open=True)
    check_option(retraction, "retraction", tuple(RETRACTIONS), func=func)
    check_option(side, "side", SIDES, func=func)
    check_option(momentum, "momentum", MOMENTA, func=func)
    b1, b2 = _check_betas(betas, func)
    if state is None:
        state = PionState()
    elif not isinstance(state, PionState):
        raise InputValueError(f"{func}: 'state' must be a PionState from a previous step or None, "
                              f"got {type(state).__name__}")
    return _pion_step(W, G, lr=lr, retraction=retraction, rms=rms, side=side, state=state,
                      momentum=momentum, b1=b1, b2=b2, adam=bool(adam_scaling), diagnostics=diagnostics)


def _ema(old: NDArray | None, new: NDArray, beta: float) -> NDArray:
    return (1 - beta) * new if old is None else beta * old + (1 - beta) * new


def _orth_defect(Q: NDArray) -> float:
    E = Q.T @ Q
    E[np.diag_indices_from(E)] -= 1.0
    return float(np.linalg.norm(E))


def _pow2_exponent(A: NDArray) -> int:
    """``e`` with ``max |A| / 2^e`` in [0.5, 1) (0 for a zero array): an exact rescaling exponent."""
    amax = float(np.max(np.abs(A))) if A.size else 0.0
    return math.frexp(amax)[1] if amax > 0 else 0


def _xmax(*Xs: NDArray | None) -> float:
    return max(float(np.max(np.abs(X))) for X in Xs if X is not None)


def _generators(Wg: NDArray, Gg: NDArray, use_in: bool, use_out: bool) -> tuple[NDArray | None, NDArray | None]:
    A_in = A_out = None
    if use_in:
        P = Wg.T @ Gg
        A_in = P - P.T
    if use_out:
        P = Gg @ Wg.T
        A_out = P - P.T
    return A_in, A_out


def _pion_step(W: NDArray, G: NDArray, *, lr: float, retraction: str, rms: float, side: str,
               state: PionState, momentum: str | None, b1: float, b2: float, adam: bool,
               diagnostics: bool) -> PionStepResult:
    """Unchecked body of :func:`pion_step` (valid float64 inputs).

    Scaling: ``X = -alpha D`` is invariant under ``D -> lambda D`` (``lambda > 0``), and with
    ``W = 2^kw Ws`` it equals ``-2^-kw c D / ||Ws D_in + D_out Ws||_F`` (``c = lr rms sqrt(mn)``).  The
    generators are therefore formed from the exactly rescaled ``Ws = 2^-kw W`` and
    ``Gs = 2^-kg G_eff`` (max entries in [0.5, 1)), so no product over- or underflows for any
    float scale of ``W`` or ``G``.  The ``lie_lie`` buffers are moving averages in the raw units of
    ``W`` and ``G`` (their scale must be comparable across steps), so that geometry forms its
    generators unscaled.
    """
    m, n = W.shape
    t = state.step + 1
    applied = side if side != "alternate" else ("in" if t % 2 == 1 else "out")
    use_in, use_out = applied in ("both", "in"), applied in ("both", "out")
    new: dict = dict(step=t)
    G_eff = G
    if momentum == "transported_ambient_ambient":
        M = _ema(state.m_ambient, G, b1)
        V = _ema(state.v_ambient, M * M, b2)
        G_eff = M / (np.sqrt(V) + ADAM_EPS)
        new.update(v_ambient=V)
    kw = _pow2_exponent(W)
    Ws = np.ldexp(W, -kw)
    kg = 0
    if momentum == "lie_lie":
        A_in, A_out = _generators(W, G, use_in, use_out)
    else:
        kg = _pow2_exponent(G_eff)
        A_in, A_out = _generators(Ws, np.ldexp(G_eff, -kg), use_in, use_out)
    D_in, D_out = A_in, A_out
    if momentum == "lie_lie":
        # Both EMAs advance on every step in which their side is applied; a side not applied this
        # step keeps its previous buffers.
        for key, A in (("in", A_in), ("out", A_out)):
            if A is None:
                new[f"m_{key}"], new[f"v_{key}"] = getattr(state, f"m_{key}"), getattr(state, f"v_{key}")
                continue
            Mk = _ema(getattr(state, f"m_{key}"), A, b1)
            new[f"m_{key}"] = Mk
            D = Mk
            if adam:
                Vk = _ema(getattr(state, f"v_{key}"), A * A, b2)
                new[f"v_{key}"] = Vk
                D = Mk / (np.sqrt(Vk) + ADAM_EPS)
            if key == "in":
                D_in = D
            else:
                D_out = D
    base = np.zeros_like(W)
    if use_in:
        base += Ws @ D_in
    if use_out:
        base += D_out @ Ws
    smax = float(np.max(np.abs(base)))
    c = lr * rms * math.sqrt(m * n)
    X_in = X_out = None
    if smax > 0 and np.isfinite(smax):
        nb = float(np.linalg.norm(base / smax))
        if use_in:
            X_in = np.ldexp(-(c / nb) * (D_in / smax), -kw)
        if use_out:
            X_out = np.ldexp(-(c / nb) * (D_out / smax), -kw)
        # alpha in raw units: X = -alpha A with A = 2^(kw + kg) D (D unscaled for lie_lie)
        ratio = float(np.max(np.abs(X_in if use_in else X_out)) / np.max(np.abs(D_in if use_in else D_out)))
        alpha = math.ldexp(ratio, -(kg + (0 if momentum == "lie_lie" else kw)))
        moved = True
    else:
        alpha, moved = 0.0, False
        X_in = np.zeros((n, n)) if use_in else None
        X_out = np.zeros((m, m)) if use_out else None
    R = RETRACTIONS[retraction].apply
    Q_in = R(X_in) if use_in else None
    Q_out = R(X_out) if use_out else None
    W_new = W
    if use_in:
        W_new = W_new @ Q_in
    if use_out:
        W_new = Q_out @ W_new
    if momentum == "transported_ambient_ambient":
        Mt = M
        if use_in:
            Mt = Mt @ Q_in
        if use_out:
            Mt = Q_out @ Mt
        new["m_ambient"] = Mt
    dW = W_new - W
    rms_dW = float(np.linalg.norm(np.ldexp(dW, -kw))) * 2.0**kw / math.sqrt(m * n) if dW.any() else 0.0
    dW1 = np.zeros_like(W)  # first-order change X_out W + W X_in
    if use_in:
        dW1 += W @ X_in
    if use_out:
        dW1 += X_out @ W
    Gs = np.ldexp(G, -_pow2_exponent(G))
    kG = _pow2_exponent(G)
    first = math.ldexp(float(np.vdot(Gs, dW1)), kG)
    if momentum is None:
        # -alpha/2 ||A||^2 = <A, X>/2 with A = 2^(kw+kg) A_hat: computed in scaled units, then rescaled
        half = 0.5 * ((float(np.vdot(A_in, X_in)) if use_in else 0.0) + (float(np.vdot(A_out, X_out)) if use_out else 0.0))
        rhs = math.ldexp(half, kw + kg)
        id_err = abs(first - rhs) / abs(rhs) if rhs != 0 else math.nan
    else:
        rhs, id_err = math.nan, math.nan
    d_in = (_orth_defect(Q_in) if use_in else 0.0) if diagnostics else math.nan
    d_out = (_orth_defect(Q_out) if use_out else 0.0) if diagnostics else math.nan
    status, reason = Status.OK, "ok"
    if not moved:
        reason = "zero update: the base direction A_out W + W A_in is zero (G is normal to the orbit of W)"
    elif not np.all(np.isfinite(W_new)):
        status = Status.SOLVER_FAILED
        reason = (f"the {retraction} retraction produced non-finite factors (generator entries up to "
                  f"{_xmax(X_in, X_out):.3g}); reduce lr or rescale W")
    elif c > 2 * math.ldexp(float(np.linalg.norm(Ws)), kw):
        # ||R W Q - W||_F <= 2 ||W||_F for orthogonal factors: the RMS target cannot be reached.
        status = Status.INACCURATE
        reason = (f"the RMS target lr*rms = {lr * rms:.3g} exceeds what rotating W can reach "
                  f"(2 RMS(W) = {2 * math.ldexp(float(np.linalg.norm(Ws)), kw) / math.sqrt(m * n):.3g}); "
                  "the first-order scaling does not hold: reduce lr or rms")
    return PionStepResult(
        W=W_new, state=dataclasses.replace(state, **new), Q_in=Q_in, Q_out=Q_out, X_in=X_in, X_out=X_out,
        retraction=retraction, side=side, side_applied=applied, momentum=momentum, lr=lr, rms=rms, alpha=alpha,
        rms_dW=rms_dW, rms_ratio=rms_dW / lr, inner_G_dW=math.ldexp(float(np.vdot(Gs, dW)), kG),
        first_order_change=first, identity_rhs=rhs, identity_relative_error=id_err, orth_defect_in=d_in,
        orth_defect_out=d_out, rigour=Rigour.NUMERICAL, status=status, reason=reason,
    )
