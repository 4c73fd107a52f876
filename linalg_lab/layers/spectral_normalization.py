"""Spectral normalisation as PyTorch does it: a persistent power-iteration state per weight."""
from __future__ import annotations

import dataclasses
import time
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._results import Result, Rigour, Status, field_nojson
from .._validation import InputValueError, as_array, as_vector, check_int, check_real

__all__ = ["spectral_normalize", "SpectralNormalizeResult", "reshape_weight", "WARMUP_ITERATIONS"]

#: Power iterations PyTorch runs when spectral normalisation is registered on a weight.
WARMUP_ITERATIONS = 15


@dataclasses.dataclass(frozen=True)
class SpectralNormalizeResult(Result):
    """The normalised weight ``W / sigma`` and the power-iteration state to pass to the next call.

    Attributes
    ----------
    sigma : float
        ``u^T W_mat v`` (PyTorch's estimate of ``sigma_max(W_mat)``; ``||W||`` for 1-D weights).
    iterations : int
        Power iterations run in this call (warm-up included).
    matrix_shape : (int, int)
        Shape of ``W_mat``, the weight with ``dim`` moved first and the rest flattened.
    weight, u, v : ndarray
        The normalised weight (same shape as W) and the new state vectors (``None`` for 1-D weights).
    """

    sigma: float
    iterations: int
    matrix_shape: tuple[int, int]
    dim: int
    rigour: Rigour
    status: Status
    reason: str
    elapsed_s: float
    weight: NDArray[np.float64] = field_nojson(repr=False)
    u: NDArray[np.float64] | None = field_nojson(default=None, repr=False)
    v: NDArray[np.float64] | None = field_nojson(default=None, repr=False)


def reshape_weight(W: NDArray, dim: int) -> NDArray:
    """``W_mat``: move axis ``dim`` first and flatten the rest (PyTorch's ``_reshape_weight_to_matrix``)."""
    if dim != 0:
        W = np.moveaxis(W, dim, 0)
    return W.reshape(W.shape[0], -1)


def _normalize(x: NDArray, eps: float) -> NDArray:
    # torch.nn.functional.normalize: x / max(||x||_2, eps)
    return x / max(float(np.linalg.norm(x)), eps)


def spectral_normalize(
    W: ArrayLike,
    *,
    u: ArrayLike | None = None,
    v: ArrayLike | None = None,
    n_power_iterations: int = 1,
    eps: float = 1e-12,
    dim: int = 0,
    seed: int | np.random.Generator | None = None,
) -> SpectralNormalizeResult:
    """One training-mode forward of PyTorch's spectral normalisation: power-iterate, then ``W / sigma``.

    Parameters
    ----------
    W : (d0, d1, ...) array_like
        The weight (a matrix, a conv kernel ``(c_out, c_in, kh, kw)`` or a 1-D vector).
    u : (W_mat.shape[0],) array_like, optional
        Persistent left vector from the previous call.  When ``u`` and ``v`` are both omitted the
        state is initialised as at registration: normal random vectors, normalised, then
        :data:`WARMUP_ITERATIONS` (15) power iterations, before this call's own iterations.
    v : (W_mat.shape[1],) array_like, optional
        Persistent right vector; if ``u`` is given without ``v``, ``v = normalize(W_mat^T u)``.
    n_power_iterations : int
        Iterations per call (>= 0; PyTorch's default 1).
    eps : float
        ``normalize(x) = x / max(||x||, eps)`` (PyTorch's default 1e-12).
    dim : int
        The output dimension (0, or 1 for transposed convolutions).
    seed : int or Generator, optional
        Random initial state (only when ``u`` and ``v`` are omitted).

    Returns
    -------
    SpectralNormalizeResult
        ``weight = W / sigma`` with ``sigma = u^T W_mat v`` after the iterations, and the new ``u``, ``v``.
        For a 1-D weight: ``W / max(||W||, eps)`` (PyTorch normalises vectors directly).

    Notes
    -----
    Each iteration is ``u <- normalize(W_mat v)``, ``v <- normalize(W_mat^T u)``, as in
    ``torch.nn.utils.parametrizations.spectral_norm`` (Miyato et al., ICLR 2018).  ``sigma`` is a
    lower estimate of ``sigma_max(W_mat)`` (exactly, in exact arithmetic, ``sigma <= sigma_max``), so
    the normalised weight may have spectral norm above 1.  For a conv kernel, ``sigma_max(W_mat)`` is
    not the layer's operator norm: see :func:`linalg_lab.layers.sn_gap`.  Cost: two products with
    ``W_mat`` per iteration.

    References
    ----------
    .. [1] T. Miyato, T. Kataoka, M. Koyama, Y. Yoshida, "Spectral normalization for generative
       adversarial networks", ICLR 2018, arXiv:1802.05957.

    Examples
    --------
    >>> import numpy as np
    >>> W = np.diag([3.0, 1.0])
    >>> r = spectral_normalize(W, seed=0)
    >>> round(r.sigma, 12), r.iterations
    (3.0, 16)
    >>> r2 = spectral_normalize(W, u=r.u, v=r.v)
    >>> bool(np.allclose(r2.weight, W / 3.0))
    True
    """
    func = "spectral_normalize"
    t0 = time.perf_counter()
    w = as_array(W, "W", func=func, min_ndim=1, keep_dtype=False)
    n_it = check_int(n_power_iterations, "n_power_iterations", func=func, minimum=0)
    eps = check_real(eps, "eps", func=func, lo=0.0, lo_open=True)
    dim = check_int(dim, "dim", func=func, minimum=-w.ndim, maximum=w.ndim - 1)
    if w.ndim == 1:
        nrm = float(np.linalg.norm(w))
        return SpectralNormalizeResult(
            sigma=nrm, iterations=0, matrix_shape=(1, w.size), dim=dim, rigour=Rigour.NUMERICAL, status=Status.OK,
            reason="ok: a 1-D weight is divided by its norm", elapsed_s=time.perf_counter() - t0,
            weight=w / max(nrm, eps))
    wm = reshape_weight(w, dim % w.ndim)
    m, n = wm.shape
    total = n_it
    if u is None and v is None:
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        uu = _normalize(rng.standard_normal(m), eps)
        vv = _normalize(rng.standard_normal(n), eps)
        total += WARMUP_ITERATIONS
    elif u is None:
        raise InputValueError(f"{func}: 'v' was given without 'u'; pass both (the state of the previous call)")
    else:
        uu = _state(u, "u", m, func)
        vv = _normalize(wm.T @ uu, eps) if v is None else _state(v, "v", n, func)
    for _ in range(total):
        uu = _normalize(wm @ vv, eps)
        vv = _normalize(wm.T @ uu, eps)
    sigma = float(uu @ (wm @ vv))
    status, reason = Status.OK, "ok"
    if sigma == 0.0:
        status, reason = Status.INACCURATE, "sigma is 0 (zero weight or a state orthogonal to W): the weight is not normalised"
    return SpectralNormalizeResult(
        sigma=sigma, iterations=total, matrix_shape=(m, n), dim=dim, rigour=Rigour.NUMERICAL, status=status,
        reason=reason, elapsed_s=time.perf_counter() - t0, weight=w / sigma if sigma else w.copy(), u=uu, v=vv)


def _state(x: Any, name: str, size: int, func: str) -> NDArray:
    x = as_vector(x, name, func=func, keep_dtype=False)
    if x.size != size:
        raise InputValueError(f"{func}: '{name}' must have {size} entries (W_mat has that many "
                              f"{'rows' if name == 'u' else 'columns'}), got {x.size}")
    return x
