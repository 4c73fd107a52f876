"""Subspaces: principal angles, projection ratios, alignment of vectors.

Principal angles use the combination of Björck and Golub (cosines from the SVD of ``Qa^T Qb``) and
Knyazev and Argentati (sines from the SVD of ``Qb - Qa Qa^T Qb``): the arccos of a cosine loses every
digit of an angle below ~1e-8 (cos θ = 1 - θ²/2 rounds to 1), while the arcsin of the sine keeps
relative accuracy down to angles of about ``u / θ`` relative error.
"""
from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import scipy.linalg
from numpy.typing import ArrayLike, NDArray

from ._results import Result, Rigour, Status, field_nojson
from ._validation import InputValueError, as_array, as_matrix, as_vector

__all__ = ["principal_angles", "projection_ratio", "alignment", "orthonormal_basis", "PrincipalAnglesResult"]


@dataclasses.dataclass(frozen=True)
class PrincipalAnglesResult(Result):
    """Principal angles between range(A) and range(B), ascending, in radians."""

    angles: NDArray[np.float64]
    rank_a: int
    rank_b: int
    method: str
    rigour: Rigour
    status: Status
    reason: str
    basis_a: NDArray[np.float64] | None = field_nojson(default=None, repr=False)
    basis_b: NDArray[np.float64] | None = field_nojson(default=None, repr=False)

    def summary(self) -> str:
        degs = np.degrees(self.angles)
        lines = [f"principal angles (rank A = {self.rank_a}, rank B = {self.rank_b}), ascending:"]
        lines += [f"  {i + 1:3d}: {a:.17g} rad = {d:.10g} deg" for i, (a, d) in enumerate(zip(self.angles, degs))]
        return "\n".join(lines)


def orthonormal_basis(A: ArrayLike, *, rcond: float | None = None, name: str = "A",
                      func: str = "orthonormal_basis") -> NDArray[np.float64]:
    """Orthonormal basis of range(A) from the SVD, dropping singular values below
    ``rcond * s_max`` (default ``max(m, n) * eps``, as numpy's matrix_rank).

    Parameters
    ----------
    A : (m, n) array_like
        A real or complex matrix (computed in float64/complex128); rank-deficient, zero and empty
        matrices are allowed.  Sparse input is densified.
    rcond : float, optional
        Relative threshold for the numerical rank: left singular vectors whose singular value is
        not above ``rcond * s_max`` are dropped.  Default ``max(m, n) * eps`` with float64's
        ``eps``.
    name : str
        The argument's name in error messages (default ``"A"``).
    func : str
        The calling function's name in error messages (default ``"orthonormal_basis"``); callers
        that validate through this function pass their own.

    Returns
    -------
    (m, r) ndarray
        Orthonormal columns spanning the numerical range, ``r`` the numerical rank (0 for a zero
        or empty matrix); float64, or complex128 for complex ``A``.

    Raises
    ------
    InputValueError
        ``A`` is not 2-D or has NaN/Inf entries.
    InputTypeError
        ``A`` is not numeric (None, strings, object arrays).

    Examples
    --------
    >>> import numpy as np
    >>> Q = orthonormal_basis([[1.0, 2.0], [2.0, 4.0], [0.0, 0.0]])  # rank 1
    >>> Q.shape, bool(np.allclose(Q.T @ Q, np.eye(1), rtol=0, atol=1e-15))
    ((3, 1), True)
    """
    a = as_matrix(A, name, func=func, keep_dtype=False, allow_complex=True, allow_empty=True)
    return _basis(a, rcond)


def _basis(a: NDArray, rcond: float | None) -> NDArray:
    """Unchecked body of :func:`orthonormal_basis` (real or complex ``a``, possibly empty)."""
    if a.size == 0 or not np.any(a):
        return np.zeros((a.shape[0], 0), dtype=a.dtype)
    u, s, _ = scipy.linalg.svd(a, full_matrices=False)
    if rcond is None:
        rcond = max(a.shape) * np.finfo(np.float64).eps
    r = int(np.sum(s > rcond * s[0]))
    return u[:, :r]


def principal_angles(A: ArrayLike, B: ArrayLike, *, rcond: float | None = None,
                     full_result: bool = False) -> NDArray[np.float64] | PrincipalAnglesResult:
    """Principal angles between the column spaces of A and B, ascending, in radians.

    Parameters
    ----------
    A : (..., n, p) array_like
    B : (..., n, q) array_like
        Real or complex matrices with the same number of rows; rank-deficient and zero columns are
        allowed (the numerical rank uses ``rcond``, see :func:`orthonormal_basis`; a subspace of
        dimension 0 gives no angles).  Leading dimensions are a batch (broadcast together); the
        ranks must then agree across the batch.
    rcond : float, optional
        Relative threshold for the numerical rank.
    full_result : bool
        Return a :class:`PrincipalAnglesResult` (with the ranks and bases) instead of the array.

    Returns
    -------
    (..., min(rank A, rank B)) ndarray
        Angles in [0, pi/2], ascending (``scipy.linalg.subspace_angles`` returns them descending).

    Raises
    ------
    InputValueError
        Different row counts, NaN/Inf, or 1-D input (reshape a vector to a column).

    Notes
    -----
    Cost O(n (p + q)^2).  Angles with ``cos^2 >= 1/2`` come from the sines (Knyazev and Argentati),
    the others from the cosines, each accurate to about ``u`` absolute in its function, so the small
    angles keep relative accuracy ``~ u / theta``.

    References
    ----------
    .. [1] Å. Björck and G. H. Golub, "Numerical methods for computing angles between linear
       subspaces", Math. Comp. 27 (1973) 579–594, doi:10.1090/S0025-5718-1973-0348991-3.
    .. [2] A. V. Knyazev and M. E. Argentati, "Principal angles between subspaces in an A-based
       scalar product", SIAM J. Sci. Comput. 23 (2002) 2008–2040, doi:10.1137/S1064827500377332.

    Examples
    --------
    >>> import numpy as np
    >>> t = 1e-10
    >>> A = np.array([[1.0], [0.0]]); B = np.array([[np.cos(t)], [np.sin(t)]])
    >>> bool(abs(principal_angles(A, B)[0] - t) < 1e-15)
    True
    """
    func = "principal_angles"
    opts = dict(func=func, keep_dtype=False, min_ndim=2, allow_complex=True, allow_empty=True)
    a = as_array(A, "A", **opts)
    b = as_array(B, "B", **opts)
    if a.shape[-2] != b.shape[-2]:
        raise InputValueError(
            f"{func}: 'A' and 'B' must have the same number of rows (the ambient dimension), "
            f"got shapes {a.shape} and {b.shape}"
        )
    if a.ndim > 2 or b.ndim > 2:
        return _batched_angles(a, b, rcond, full_result, func)
    return _angles_2d(a, b, rcond, full_result)


def _angles_2d(a: NDArray, b: NDArray, rcond: float | None, full_result: bool) -> Any:
    """Unchecked body of :func:`principal_angles` for one pair of (real or complex) matrices."""
    qa0 = qa = _basis(a, rcond)
    qb0 = qb = _basis(b, rcond)
    rank_a, rank_b = int(qa.shape[1]), int(qb.shape[1])
    k = min(rank_a, rank_b)
    if k == 0:
        angles = np.zeros(0)
    else:
        if qa.shape[1] < qb.shape[1]:
            qa, qb = qb, qa  # project the smaller basis: sines of the k angles
        c = qa.conj().T @ qb
        cos = np.clip(scipy.linalg.svdvals(c), 0.0, 1.0)[:k]  # descending cosines: ascending angles
        resid = qb - qa @ c
        sin = np.clip(scipy.linalg.svdvals(resid), 0.0, 1.0)  # descending sines
        sin = np.sort(sin)[:k]  # ascending sines <-> ascending angles
        ang_cos = np.arccos(cos)
        ang_sin = np.arcsin(sin)
        angles = np.sort(np.where(cos**2 >= 0.5, ang_sin, ang_cos))
    if not full_result:
        return angles
    return PrincipalAnglesResult(angles=angles, rank_a=rank_a, rank_b=rank_b,
                                 method="Björck–Golub cosines / Knyazev–Argentati sines",
                                 rigour=Rigour.NUMERICAL, status=Status.OK, reason="ok",
                                 basis_a=qa0, basis_b=qb0)


def _batched_angles(a: NDArray, b: NDArray, rcond: float | None, full_result: bool, func: str) -> Any:
    """Angles for stacks ``(..., n, p)`` and ``(..., n, q)`` (leading dimensions broadcast)."""
    try:
        lead = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        raise InputValueError(f"{func}: the leading (batch) dimensions of 'A' {a.shape[:-2]} and 'B' "
                              f"{b.shape[:-2]} do not broadcast") from None
    a = np.broadcast_to(a, lead + a.shape[-2:])
    b = np.broadcast_to(b, lead + b.shape[-2:])
    out = [_angles_2d(a[i], b[i], rcond, False) for i in np.ndindex(*lead)]
    sizes = {len(x) for x in out}
    if len(sizes) > 1:
        raise InputValueError(f"{func}: the batch has subspaces of different ranks (angle counts {sorted(sizes)}); "
                              "call principal_angles per matrix for rank-deficient stacks")
    k = sizes.pop() if sizes else 0
    angles = np.array(out).reshape(lead + (k,))
    if not full_result:
        return angles
    return PrincipalAnglesResult(angles=angles, rank_a=-1, rank_b=-1,
                                 method="Björck–Golub cosines / Knyazev–Argentati sines (batched)",
                                 rigour=Rigour.NUMERICAL, status=Status.OK, reason="ok")


def _as_columns(vectors: Any, d: int, func: str) -> NDArray[np.float64]:
    if isinstance(vectors, (list, tuple)) and vectors and all(np.ndim(v) == 1 for v in vectors):
        vecs = np.column_stack([as_vector(v, "vectors", func=func, keep_dtype=False) for v in vectors])
    else:
        vecs = as_array(vectors, "vectors", func=func, min_ndim=1, max_ndim=2, keep_dtype=False)
        if vecs.ndim == 1:
            vecs = vecs[:, None]
    if vecs.shape[0] != d:
        raise InputValueError(
            f"{func}: 'vectors' must have {d} rows (the number of columns of W), got shape {vecs.shape}; "
            "pass the spanning vectors as columns"
        )
    return vecs


def projection_ratio(W: ArrayLike, vectors: ArrayLike | list[ArrayLike], *,
                     rcond: float | None = None) -> float:
    """``||W P||_F / ||W||_F`` for the orthogonal projector P onto span(vectors).

    Parameters
    ----------
    W : (m, d) array_like
        A non-zero real matrix.
    vectors : (d,) or (d, k) array_like, or a list of (d,) vectors
        Spanning vectors (as columns); rank-deficient sets are reduced to a basis of their span
        (numerical rank with ``rcond``).  The zero span gives 0.
    rcond : float, optional
        Relative threshold for the numerical rank of ``vectors`` (see :func:`orthonormal_basis`;
        default ``max(d, k) * eps``).

    Returns
    -------
    float in [0, 1]
        The fraction of W's Frobenius "energy" in the subspace (its square root).

    Raises
    ------
    InputValueError
        ``W`` is not 2-D or is the zero matrix, ``vectors`` do not have ``d`` rows, or either has
        NaN/Inf entries.
    InputTypeError
        Complex or non-numeric input.

    Examples
    --------
    >>> import numpy as np
    >>> W = np.array([[3.0, 4.0]])
    >>> projection_ratio(W, [np.array([1.0, 0.0]), np.array([2.0, 0.0])])  # rank-1 span
    0.6
    """
    func = "projection_ratio"
    w = as_matrix(W, "W", func=func, keep_dtype=False)
    vecs = _as_columns(vectors, w.shape[1], func)
    wn = float(np.linalg.norm(w))
    if wn == 0.0:
        raise InputValueError(f"{func}: 'W' is the zero matrix; the ratio ||W P||_F/||W||_F is undefined")
    q = orthonormal_basis(vecs, rcond=rcond, name="vectors", func=func)
    if q.shape[1] == 0:
        return 0.0
    return float(min(1.0, np.linalg.norm(w @ q) / wn))


def alignment(u: ArrayLike, v: ArrayLike) -> float:
    """``|cos angle(u, v)| = |u.v| / (||u|| ||v||)`` in [0, 1].

    Raises InputValueError for zero vectors or different lengths.

    Parameters
    ----------
    u, v : (n,) array_like
        Real, finite, non-zero vectors of the same length (computed in float64).  The sign and
        scale of each are irrelevant.

    Returns
    -------
    float
        ``|cos|`` of the angle between the lines spanned by ``u`` and ``v``, in [0, 1] (1:
        parallel or antiparallel, 0: orthogonal).

    Raises
    ------
    InputValueError
        ``u`` or ``v`` is not 1-D, is empty, has NaN/Inf entries or is zero, or their lengths
        differ.
    InputTypeError
        Complex or non-numeric input.

    Examples
    --------
    >>> alignment([1.0, 0.0], [-2.0, 0.0])
    1.0
    """
    func = "alignment"
    a = as_vector(u, "u", func=func, keep_dtype=False)
    b = as_vector(v, "v", func=func, keep_dtype=False)
    if a.shape != b.shape:
        raise InputValueError(f"{func}: 'u' and 'v' must have the same length, got shapes {a.shape} and {b.shape}")
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if na == 0.0 or nb == 0.0:
        raise InputValueError(f"{func}: alignment with a zero vector is undefined ('{'u' if na == 0 else 'v'}' is zero)")
    return float(min(1.0, abs(float(np.dot(a / na, b / nb)))))
