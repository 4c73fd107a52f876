"""Deterministic upper bounds on ``||A||_2`` for large sparse ``A`` by a sparse Cholesky (inertia) certificate.

The certificate
---------------
For a real ``m x n`` matrix ``A`` let ``H = [[0, A], [A^T, 0]]``; its eigenvalues are ``+-sigma_i``
(and zeros), so the augmented matrix ``K(tau) = tau I + H = [[tau I, A], [A^T, tau I]]`` has
eigenvalues ``tau +- sigma_i``.  Sylvester's law of inertia: ``K(tau)`` has no non-positive
eigenvalue (inertia ``(m+n, 0, 0)``) exactly when ``tau > ||A||_2``; a Cholesky factorisation
without pivoting (or an ``LDL^T`` one with all ``d_i > 0``) exists exactly then.  For symmetric ``A``,
``K(tau)`` is orthogonally similar to ``diag(tau I + A, tau I - A)``, so two factorisations of the
``n x n`` matrices ``tau I -+ A`` (half the size, a quarter of the fill) say the same.

We factor the augmented form rather than ``tau^2 I - A^T A``: no Gram matrix is formed (no rounding
error in forming it, and no fill from dense rows of ``A``), the matrix handed to the solver is exactly
``K(tau)`` (``tau`` a float on a zero diagonal), and the margin is relative to ``tau``, not ``tau^2``.

Rounding.  If a Cholesky (``L L^T``) or ``LDL^T`` factorisation without pivoting of the float matrix
``M`` runs to completion with positive pivots, then ``L D L^T = M + dM`` with
``|dM| <= gamma_{r+1} |L| D |L|^T`` where ``r`` bounds the number of terms in any inner product, i.e.
the largest number of non-zeros in a row of ``L`` (Higham, *Accuracy and Stability of Numerical
Algorithms*, 2nd ed., SIAM 2002, Thm 10.3 and §10.4, doi:10.1137/1.9780898718027; for any summation
order, so for supernodal/multifrontal codes whose dense kernels obey the standard model).  As
``L D L^T`` is positive semidefinite,

    ``tau - ||A||_2 = lambda_min(M) >= -||dM||_2 >= -gamma_{r+1} rho(|L| D |L|^T)``,

and the spectral radius of the non-negative matrix ``|L| D |L|^T`` is bounded above by the
Collatz–Wielandt ratio ``max_i (|L| D |L|^T x)_i / x_i`` for any positive ``x`` (computed with
non-negative sums, whose rounding is a relative ``gamma_k``; a few power steps sharpen ``x``).  Hence
``||A||_2 <= tau + B`` with ``B`` computed and rounded upwards.  ``B / tau`` is about
``r u rho / tau``: far below the Frobenius-type bound ``gamma_{r+1} ||L||_F^2 ~ (m+n) r u tau`` that
would limit 10^6-unknown problems to relative widths near 1e-6.

For symmetric ``A``, ``||A||_2 = max(lambda_max(A), -lambda_min(A))``, and each of the two is also
bounded by Gershgorin's theorem, e.g. ``-lambda_min(A) <= max_i (sum_{j != i} |a_ij| - a_ii)``,
evaluated with its rounding covered (the 2-D Laplacian gives 0): a side whose Gershgorin bound is
already at most the final ``tau`` is not factorised (for the Laplacian, ``tau I + A`` never is).

Assumptions: IEEE-754 binary64 with round-to-nearest; the solver's factorisation is a Cholesky or
``LDL^T`` without pivoting (CHOLMOD's supernodal ``L L^T``, QDLDL's up-looking ``LDL^T``, LAPACK's
band ``L L^T`` ``dpbtrf``) whose floating-point operations, including the BLAS kernels CHOLMOD and
LAPACK call, obey the standard model (no Strassen-type products); gradual underflow is covered by
an absolute term.  For the band factorisation ``r`` is the half-bandwidth plus one (every inner
product in the band has at most that many terms, zeros included).

Only the factorisation at the final ``tau`` needs the margin: the search for ``tau`` also factorises
at trial shifts whose factors serve only as solvers (shift-invert Lanczos for the lower bound and for
placing the next ``tau``); those prove nothing and no claim rests on them.  The first trial shift
sits just above a plain-Lanczos estimate of ``sigma_1`` (products with ``A`` only, no
reorthogonalisation), close enough that the shift-invert solves converge and one more factorisation,
the final one, closes the bracket: two in all, the fewest the method allows.

Why not an LU-based count (scipy's SuperLU): its partial pivoting is not symmetric, so the signs of
``diag(U)`` do not give the inertia of ``K`` (Sylvester's law needs a congruence ``P K P^T = L D L^T``),
and its threshold pivoting offers no a-priori bound that would make a count rigorous.
``scipy.linalg.ldl`` is dense only.

Backends: CHOLMOD through scikit-sparse (``sksparse.cholmod``: supernodal, AMD/METIS orderings,
BLAS-3) when it is installed, else QDLDL (``qdldl``: simplicial ``LDL^T`` with AMD); and, for a
matrix whose band (after the interleaving permutation for the augmented form) holds at most twice
its envelope, LAPACK's band Cholesky through scipy (``backend="band"``, always available).
"""
from __future__ import annotations

import dataclasses
import math
import time
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from ._results import Certificate, Rigour, Status, Verdict
from ._sparse_ldlt import (
    AUTO_MAX_BANDWIDTH_FRACTION, SPARSE_BACKENDS, BandFactorizer, Factorizer, csc_from_triplets, diag_positions, gamma_or_inf, ldlt_margin,
    one_blas_thread, rcm_bandwidth_fraction, sparse_backend,
)
from ._sparse_estimates import krylov_estimate, shift_invert_lower
from ._sparse_ldlt import ETA as _ETA
from ._sparse_ldlt import U as _U

__all__ = [
    "SparseNormCertificate",
    "sparse_norm_certificate",
    "sparse_backend",
    "SPARSE_BACKENDS",
    "DEFAULT_MAX_FACTOR_NNZ",
    "certified_sparse_bracket",
    "is_exactly_symmetric",
    "rcm_bandwidth_fraction",
    "AUTO_MAX_BANDWIDTH_FRACTION",
]

#: Default fill budget: the largest number of non-zeros of the factor (8 bytes each, plus indices)
#: before the certificate gives up and ``spectral_norm`` falls back to the probabilistic bound.
DEFAULT_MAX_FACTOR_NNZ = 150_000_000



class _Problem:
    """The matrices ``tau I + H`` (augmented) or ``tau I -+ a`` (symmetric) for a scaled sparse ``a``."""

    def __init__(self, a: sp.spmatrix, *, form: str, backend: str, ordering: str) -> None:
        a = sp.csc_matrix(a, dtype=np.float64)
        m, n = a.shape
        self.a = a
        self.form = form
        self.m, self.n = m, n
        ac = a.tocoo()
        if form == "symmetric":
            # tau I - a (side 0) and tau I + a (side 1), every diagonal entry stored
            self.adiag = np.asarray(a.diagonal(), dtype=np.float64)
            self.size = n
            key = np.arange(n, dtype=np.float64)
            signs = (-1.0, 1.0)
            # store the diagonal explicitly only where a has none (no duplicates to sum)
            has = np.zeros(n, dtype=bool)
            has[ac.row[ac.row == ac.col]] = True
            extra = np.flatnonzero(~has)
        else:
            self.size = m + n
            # interleave the two blocks (row i of A next to column ~i*n/m): a banded A stays banded
            key = np.concatenate([(np.arange(m) + 0.5) / m, (np.arange(n) + 0.5) / n])
            signs = (1.0,)
            extra = np.arange(self.size)  # the augmented diagonal blocks are empty
        size = self.size
        n_entries = (ac.nnz if form == "symmetric" else 2 * ac.nnz) + extra.size  # stored in the template

        def triplets() -> tuple[NDArray, NDArray, NDArray]:
            """All stored entries of the template (both triangles), unpermuted."""
            if form == "symmetric":
                rows, cols, vals = ac.row, ac.col, ac.data
            else:
                rows = np.concatenate([ac.row, ac.col + m])
                cols = np.concatenate([ac.col + m, ac.row])
                vals = np.concatenate([ac.data, ac.data])
            return (np.concatenate([rows, extra]), np.concatenate([cols, extra]),
                    np.concatenate([vals, np.zeros(extra.size)]))

        self.perm: NDArray[np.intp] | None = None
        self.ordering = ordering
        self.envelope = -1
        template = None  # the CSC pattern with values a (side 1 / augmented); side 0 negates them
        self.backend: str | None = None
        self.fz: list[Any] = []
        if ordering == "auto" or backend == "band":
            # A band/profile ordering when its envelope -- which contains the factor's fill, so this
            # is a fill bound measured before factorising -- is at most 8 times the matrix's
            # non-zeros (a banded matrix has ratio ~1, a 2-D grid ~sqrt(n)); otherwise AMD.
            perm = np.argsort(key, kind="stable")
            # 32-bit indices where they fit: these passes over nnz(a) entries are memory-bound
            inv = np.empty(size, dtype=np.int32 if size < 2**31 else np.intp)
            inv[perm] = np.arange(size)
            # the strictly lower entries of the ordered matrix, each once (the diagonal is implicit)
            if form == "symmetric":
                off = np.flatnonzero(ac.row != ac.col)
                pr, pc, lv = inv[ac.row[off]], inv[ac.col[off]], ac.data[off]
                low = np.flatnonzero(pr > pc)
                lr, lc, lv = pr[low], pc[low], lv[low]
            else:
                pr, pc = inv[ac.row], inv[ac.col + m]
                lr, lc, lv = np.maximum(pr, pc), np.minimum(pr, pc), ac.data
            first = np.arange(size, dtype=inv.dtype)  # first non-zero row of each column = first column of each row
            np.minimum.at(first, lr, lc)
            self.envelope = int(np.sum(np.arange(size) - first + 1))
            if self.envelope <= 8 * n_entries or backend == "band":
                self.perm = perm
                self.ordering = "natural (interleaved band)" if form == "augmented" else "natural (band)"
                dist = lr - lc
                kd = int(np.max(dist, initial=0))
                # LAPACK's band Cholesky when asked for, or (auto) when the band holds at most twice
                # the envelope: BLAS-3 blocks in a dense band beat a sparse code on a dense band
                if backend == "band" or (backend == "auto" and size * (kd + 1) <= 2 * self.envelope):
                    self.backend = "band"
                    self.fz = [BandFactorizer(dist, lc, sg * lv, size, kd) for sg in signs]
                else:
                    rows, cols, vals = triplets()
                    template = csc_from_triplets(inv[rows], inv[cols], vals, size)
            else:
                self.ordering = "amd"
        if self.backend is None and template is None:
            template = csc_from_triplets(*triplets(), size)
        if form == "symmetric" and self.perm is not None:
            self.adiag = self.adiag[self.perm]
        self.template = template
        self.signs = signs
        if template is not None:
            self.diag_pos = diag_positions(template)
            self.backend = sparse_backend(backend)
            solver_ordering = "natural" if self.perm is not None else self.ordering
            # both sides share the pattern (the symbolic analysis is made on a side's first factorisation)
            self.fz = [Factorizer(self.backend, template, solver_ordering) for _ in signs] if self.backend else []
        sides = len(signs)
        self.proved = [math.inf] * sides  # proved upper bound on lambda_max(a), -lambda_min(a) (or ||a||)
        self.ready = [False] * sides  # side holds a successful factorisation (usable by solve)
        self.shift = [math.nan] * sides  # the tau of that factorisation
        self.failed_side = -1  # the side of the last failed factorisation
        self.last_side = -1  # the side factorised last (its factoriser's timings describe it)
        self.factorizations = 0

    def matrix(self, side: int, tau: float) -> tuple[Any, float]:
        """The float matrix for ``side`` at ``tau`` (CSC, or LAPACK band storage for the band
        backend) and the bound on its diagonal's formation error."""
        if self.form == "symmetric":
            # the template holds -a (side 0) or +a (side 1) with explicit (possibly zero) diagonal
            sgn_a = -1.0 if side == 0 else 1.0
            diag = tau + sgn_a * self.adiag
            # fl(tau -+ a_ii) has relative error <= u: |err| <= u (tau + max|a_ii|)
            err = _U * (tau + float(np.max(np.abs(self.adiag)))) * (1 + 2 * _U) if self.adiag.any() else 0.0
        else:
            diag, err = np.full(self.size, tau), 0.0  # exact: the augmented diagonal is zero but for tau
        if self.template is None:
            ab = self.fz[side].template.copy()
            ab[0] = diag
            return ab, err
        t = self.template.copy()
        if self.signs[side] < 0:
            np.negative(t.data, out=t.data)  # exact
        t.data[self.diag_pos] = diag
        return t, err

    def certify(self, tau: float, good_enough: float = 0.0, sides: tuple[int, ...] | None = None,
                bound: bool = True) -> tuple[bool, float, str]:
        """Try to prove ``||a|| <= tau + B``; returns (ok, proved upper of ||a||, reason).

        A side whose proved bound is already ``<= max(tau, good_enough)`` is not factorised again.
        ``bound=False`` factorises the given sides for their solves only: no margin, nothing proved.
        """
        reasons = []
        for side, fz in enumerate(self.fz):
            if sides is not None and side not in sides:
                continue
            if bound and self.proved[side] <= max(tau, good_enough):
                continue  # (a trial factorisation is wanted for its solves, so it is always made)
            M, derr = self.matrix(side, tau)
            self.factorizations += 1
            self.last_side = side
            ok, why, rho = fz.factor(M, bound=bound)
            self.ready[side] = ok
            if not ok:
                self.failed_side = side
                reasons.append(why)
                return False, max(self.proved), "; ".join(reasons)
            self.shift[side] = tau
            if not bound:
                continue
            B = ldlt_margin(rho, fz.max_row, self.size, derr)
            self.proved[side] = min(self.proved[side], (tau + B) * (1 + 2 * _U))
        return True, max(self.proved), "ok"

    def solve(self, side: int, x: NDArray) -> NDArray:
        """``M^{-1} x`` with the last (successful) factorisation of ``side``, in the caller's ordering."""
        if self.perm is None:
            return self.fz[side].solve(x)
        out = np.empty_like(x)
        out[self.perm] = self.fz[side].solve(x[self.perm])
        return out


def is_exactly_symmetric(a: sp.spmatrix) -> bool:
    """True when the sparse square ``a`` equals its transpose entry by entry.

    Parameters
    ----------
    a : (m, n) scipy.sparse matrix or array
        Any matrix scipy.sparse.csr_matrix accepts (a dense array works too).  Stored zeros
        count as absent entries.

    Returns
    -------
    bool
        False for a non-square ``a``; otherwise whether ``a[i, j] == a[j, i]`` exactly (float
        comparison: no tolerance, and a NaN entry is never equal to its mirror image).

    Notes
    -----
    O(nnz): an exact check of up to 256 sampled entries against their mirror images rejects most
    non-symmetric matrices early, then ``a - a.T`` is formed and its non-zeros counted.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> is_exactly_symmetric(sp.diags([1.0, 2.0, 1.0], [-1, 0, 1], shape=(3, 3)))
    True
    >>> is_exactly_symmetric(sp.csr_matrix([[1.0, 2.0], [0.0, 1.0]]))
    False
    """
    if a.shape[0] != a.shape[1]:
        return False
    a = sp.csr_matrix(a)
    if a.nnz:
        # quick rejection (exact): a sample of entries compared with their mirror images
        idx = np.linspace(0, a.nnz - 1, num=min(a.nnz, 256)).astype(np.intp)
        r = np.searchsorted(a.indptr, idx, side="right") - 1
        c = a.indices[idx]
        if np.any(np.asarray(a[c, r]).ravel() != a.data[idx]):
            return False
    d = (a - sp.csr_matrix(a.T))
    d.eliminate_zeros()
    return d.nnz == 0


def _gershgorin_neg_lambda_min(a: sp.spmatrix) -> float:
    """A float ``>= -lambda_min(a)`` for symmetric ``a``: ``max_i (sum_{j != i} |a_ij| - a_ii)`` rounded up.

    Gershgorin's theorem.  The computed row sums ``S_i`` of ``|a_ij|`` (``k`` non-negative terms)
    satisfy ``S_i <= fl(S_i) / (1 - gamma_k)``, covered by the factor ``1 + 2 gamma_k``; the
    subtraction and the product round by at most ``u`` each, covered by the absolute slack.
    """
    a = sp.csr_matrix(a)
    if a.nnz == 0:
        return 0.0
    k = int(np.diff(a.indptr).max())
    S = np.asarray(abs(a).sum(axis=1), dtype=np.float64).ravel()
    d = np.asarray(a.diagonal(), dtype=np.float64)
    t = S * (1 + 2 * gamma_or_inf(k)) - (np.abs(d) + d)  # |a_ii| + a_ii = 2 max(a_ii, 0): exact
    return float(np.max(t)) + 4 * _U * float(np.max(S)) * (1 + 2 * gamma_or_inf(k)) + 4 * _ETA


@dataclasses.dataclass(frozen=True)
class SparseNormCertificate(Certificate):
    """Outcome of :func:`sparse_norm_certificate`: is ``||A||_2 <= tau`` proved?

    Attributes
    ----------
    tau : float
        The bound to prove.
    upper : float
        The proved bound ``||A||_2 <= upper`` (inf when no factorisation succeeded); ``upper <= tau``
        when the verdict is PROVED.
    margin : float
        The rounding-error allowance ``B`` of the last successful factorisation (A's units).
    form : str
        "augmented" (``[[tau I, A], [A^T, tau I]]``) or "symmetric" (``tau I - A`` and ``tau I + A``).
    backend : str
        "cholmod" or "qdldl" (or "none").
    factor_nnz, max_row_count : int
        Non-zeros of the (last) factor and the largest row count ``r`` in ``gamma_{r+1}``.
    """

    tau: float
    upper: float
    margin: float
    form: str
    backend: str
    factor_nnz: int
    max_row_count: int
    factorizations: int
    elapsed_s: float
    theorem: str
    verdict: Verdict
    rigour: Rigour
    status: Status
    reason: str


THEOREM = ("Sylvester inertia of [[tau I, A], [A^T, tau I]] (or of tau I -+ A for symmetric A) by a sparse "
           "or band Cholesky/LDL^T without pivoting with positive pivots, margin gamma_{r+1} rho(|L|D|L|^T) "
           "(Higham 2002, Thm 10.3; Collatz–Wielandt bound on rho; Gershgorin for a settled side)")


def sparse_norm_certificate(A: Any, tau: float, *, backend: Literal["auto", "cholmod", "qdldl", "band"] = "auto",
                            form: Literal["auto", "augmented", "symmetric"] = "auto",
                            ordering: str = "auto") -> SparseNormCertificate:
    """Prove ``||A||_2 <= tau`` for a scipy.sparse ``A`` by a sparse Cholesky with a rounding margin.

    Parameters
    ----------
    A : (m, n) scipy.sparse matrix or array
        Real, finite, non-empty.
    tau : float
        Positive bound to prove.
    backend : {"auto", "cholmod", "qdldl", "band"}
        Factorisation (``auto``: LAPACK's band Cholesky when the band ordering is chosen and its
        band is at most twice the envelope, else CHOLMOD via scikit-sparse when installed, else QDLDL).
    form : {"auto", "augmented", "symmetric"}
        ``auto``: "symmetric" (two ``n x n`` factorisations of ``tau I -+ A``) when A equals its
        transpose exactly, else the augmented ``(m+n) x (m+n)`` matrix.
    ordering : str
        "auto": an interleaved band ordering when its envelope (a fill bound known before
        factorising) is at most 8 nnz(K), else AMD; or a CHOLMOD ordering ("amd", "metis",
        "nesdis", ...).  QDLDL always applies AMD (on top of the band permutation, if chosen).

    Returns
    -------
    SparseNormCertificate
        verdict PROVED when a factorisation at ``tau' < tau`` succeeded with ``tau' + B <= tau``;
        UNDECIDED otherwise (a failed factorisation is no proof of ``||A|| > tau``).

    Raises
    ------
    InputValueError, InputTypeError
        For a dense or malformed A, a non-positive tau, or an unknown option.

    Notes
    -----
    Cost: one or two sparse factorisations (fill depends on the ordering).  Accuracy: the margin
    ``B/tau`` is about ``r u rho(|L|D|L|^T)/tau`` with ``r`` the largest row count of the factor.
    The module docstring gives the proof and its assumptions.

    References
    ----------
    .. [1] N. J. Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., SIAM, 2002,
       doi:10.1137/1.9780898718027 (Thm 10.3).
    .. [2] S. M. Rump, "Verification of positive definiteness", BIT 46 (2006) 433–452,
       doi:10.1007/s10543-006-0056-1.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> A = sp.diags([3.0, -2.0, 1.0]).tocsr()
    >>> sparse_norm_certificate(A, 3.001).certified, sparse_norm_certificate(A, 2.999).certified
    (True, False)
    """
    from ._validation import InputTypeError, check_option, check_real
    from .spectral import ScaledOperator

    func = "sparse_norm_certificate"
    if not sp.issparse(A):
        raise InputTypeError(f"{func}: A must be a scipy.sparse matrix or array, got {type(A).__name__}")
    check_option(backend, "backend", ("auto", "cholmod", "qdldl", "band"), func=func)
    check_option(form, "form", ("auto", "augmented", "symmetric"), func=func)
    tau = check_real(tau, "tau", func=func, lo=0.0, lo_open=True)
    from ._validation import as_operator

    kind, a = as_operator(A, "A", func=func)
    op = ScaledOperator(kind, a)
    return _certificate_body(op, tau, backend=backend, form=form, ordering=ordering)


def _certificate_body(op: Any, tau: float, *, backend: str, form: str, ordering: str) -> SparseNormCertificate:
    t0 = time.perf_counter()
    e = op.scale_exp
    if form == "auto":
        form = "symmetric" if is_exactly_symmetric(op.a) else "augmented"
    prob = _Problem(op.a, form=form, backend=backend, ordering=ordering)
    be = prob.backend
    if be is None:
        return SparseNormCertificate(tau, math.inf, math.nan, form, "none", 0, 0, 0, 0.0, THEOREM,
                                     Verdict.UNDECIDED, Rigour.NUMERICAL, Status.SOLVER_FAILED,
                                     f"no sparse factorisation backend installed for backend={backend!r}: "
                                     "pip install qdldl (or scikit-sparse with libsuitesparse-dev)")
    # Subnormal-range scaling of a: widen by the Weyl bound sqrt(mn) eta/2 (as spectral_norm does).
    scaling_err = math.sqrt(op.m * op.n) * _ETA / 2 * (1 + 4 * _U) if e != 0 else 0.0
    tau_s = float(np.ldexp(tau, -e)) * (1 - 2 * _U) - scaling_err  # a float below tau / 2^e
    # First try with a small a-priori margin, then with the margin measured by the first try.
    tries = [tau_s * (1 - 2.0**-40)]
    upper_s, reason, proved, nfac = math.inf, "", False, 0
    margin = math.nan
    for k in range(2):
        tp = tries[-1]
        if not tp > 0:
            reason = "tau too small for any margin"
            break
        prob.proved = [math.inf] * len(prob.fz)
        ok, up, why = prob.certify(tp)
        nfac += 1
        if not ok:
            reason = f"factorisation at tau'={tp:.17g} (scaled) failed: {why}; tau is not above ||A||_2 + margin"
            break
        upper_s, margin = up, up - tp
        if up <= tau_s:
            proved = True
            break
        tries.append(tau_s - 2.0 * margin)
        reason = "margin larger than tau - tau'"
    upper = float(np.ldexp((upper_s + scaling_err) * (1 + 2 * _U), e)) if math.isfinite(upper_s) else math.inf
    return SparseNormCertificate(
        tau=tau, upper=min(upper, tau) if proved else upper, margin=float(np.ldexp(margin, e)) if math.isfinite(margin) else math.nan,
        form=form, backend=be, factor_nnz=max(f.nnz_factor for f in prob.fz),
        max_row_count=max(f.max_row for f in prob.fz), factorizations=nfac,
        elapsed_s=time.perf_counter() - t0, theorem=THEOREM,
        verdict=Verdict.PROVED if proved else Verdict.UNDECIDED,
        rigour=Rigour.CERTIFIED if proved else Rigour.NUMERICAL,
        status=Status.OK if proved else Status.UNDECIDED, reason="ok" if proved else reason)


def certified_sparse_bracket(op: Any, *, lower: float, sigma: float, v: NDArray, rtol: float,
                             attained_lower: Any, backend: str = "auto", form: str = "auto",
                             ordering: str = "auto", max_factor_nnz: int = DEFAULT_MAX_FACTOR_NNZ,
                             max_factorizations: int = 40, max_solves: int = 30) -> dict[str, Any]:
    """Shifts ``tau`` with :class:`_Problem` certificates; lower bounds by shift-invert Lanczos.

    ``op`` is a sparse :class:`linalg_lab.spectral.ScaledOperator` (scaled units throughout);
    ``lower`` a proved lower bound attained by ``v`` (``attained_lower(v) -> (lower, av)``), ``sigma``
    the (rough) Lanczos estimate.  Each successful factorisation at ``tau`` proves ``||a|| <= tau + B``
    and is then used for Lanczos on the inverse of the factorised matrix (shift-invert, at most
    ``max_solves`` solves), whose Ritz vector raises the attained lower bound and whose Ritz value
    estimates ``sigma_1`` from below; the next ``tau`` sits just above that estimate (by ``rtol/2``
    and its estimated error), so that once the estimate is good one factorisation closes the bracket.
    A failed factorisation moves ``tau`` up (the step grows eightfold) or, once an upper bound is proved,
    bisects geometrically between the last failure and the last success.  For the symmetric form
    the trial shifts factorise only the side that sets ``||a||`` (the larger end of the plain-Lanczos
    estimate); the other one is settled by Gershgorin's theorem or by one factorisation at a tight
    ``tau``.
    Returns a dict with ``ok`` (an upper bound was proved), ``upper``, ``lower``, ``v``,
    ``factorizations``, ``solves``, ``factor_nnz``, ``backend``, ``form``, ``ordering``, ``reason``.

    Parameters
    ----------
    op : linalg_lab.spectral.ScaledOperator
        Of kind "sparse": ``op.a`` is the oriented (m, n), n <= m, scipy.sparse matrix scaled by
        ``2**-op.scale_exp``; every bound below is in these scaled units.
    lower : float
        A proved lower bound on ``||a||_2`` attained by ``v`` (scaled units), > 0.
    sigma : float
        The (rough) Lanczos estimate of ``||a||_2`` (scaled units); a plain-Lanczos estimate
        (:func:`linalg_lab._sparse_estimates.krylov_estimate`) sharpens it, and the first trial
        shift sits just above the larger of the two by twice the estimate's extrapolated error.
    v : (n,) ndarray of float64
        Unit vector attaining ``lower`` (the Lanczos vector).
    rtol : float
        Target relative width of the bracket: the search stops once ``upper / lower - 1 <= rtol``.
    attained_lower : callable
        ``attained_lower(x) -> (lower_x, ax)``: a proved lower bound on ``||a x|| / ||x||``
        (scaled units) for an (n,) vector ``x``, and ``fl(a x)`` (only ``lower_x`` is used).  It
        scores the Ritz vectors of the shift-invert Lanczos runs.
    backend : {"auto", "cholmod", "qdldl", "band"}, default "auto"
        Factorisation backend, as for :func:`sparse_norm_certificate`.
    form : {"auto", "augmented", "symmetric"}, default "auto"
        As for :func:`sparse_norm_certificate` ("auto": "symmetric" when ``op.a`` equals its
        transpose exactly).
    ordering : str, default "auto"
        Fill-reducing ordering, as for :func:`sparse_norm_certificate`.
    max_factor_nnz : int, default DEFAULT_MAX_FACTOR_NNZ (150_000_000)
        Fill budget (number of non-zeros of a factor): the search gives up (``ok`` False) when
        the matrix alone or a factor exceeds it.
    max_factorizations : int, default 40
        Most factorisations at trial shifts (one more may follow to prove the last success).
    max_solves : int, default 30
        Most solves with a factor per shift-invert Lanczos run (one run per successful trial
        factorisation).

    Returns
    -------
    dict
        ``ok`` (bool: an upper bound was proved), ``upper`` (the proved ``||a||_2 <= upper``, inf
        when none), ``lower`` (the best proved lower bound, >= the given ``lower``) with its
        vector ``v``, ``factorizations``, ``solves``, ``factor_nnz`` (largest factor),
        ``backend`` ("cholmod", "qdldl", "band" or "none"), ``form`` (the resolved form),
        ``ordering`` (the ordering used; absent when the matrix alone exceeds the fill budget)
        and ``reason`` ("ok", or why no bound was proved).

    Notes
    -----
    The arguments are not validated: :func:`linalg_lab.spectral_norm` (its sparse-inertia route,
    for a large sparse A with ``method="lanczos"``) checks its input and builds ``op``, ``lower``,
    ``sigma`` and ``v`` before calling this.  Runs with one BLAS
    thread.  Cost: a few sparse factorisations (fill depending on the ordering) and at most
    ``max_solves`` triangular solve pairs per successful one.
    """
    # One BLAS thread throughout: the BLAS work here is level-2 (solves, reorthogonalisation) or narrow
    # band blocks, and on a busy machine OpenBLAS's threads cost more than they give (measured under
    # load 3.9 on 2 cores: the banded 1e5 case in 3.2-4.5 s with one thread, 6.3-6.7 s with two).
    with one_blas_thread():
        return _bracket(op, lower=lower, sigma=sigma, v=v, rtol=rtol, attained_lower=attained_lower,
                        backend=backend, form=form, ordering=ordering, max_factor_nnz=max_factor_nnz,
                        max_factorizations=max_factorizations, max_solves=max_solves)


def _bracket(op: Any, *, lower: float, sigma: float, v: NDArray, rtol: float, attained_lower: Any, backend: str,
             form: str, ordering: str, max_factor_nnz: int, max_factorizations: int, max_solves: int) -> dict[str, Any]:
    out: dict[str, Any] = {"ok": False, "upper": math.inf, "lower": lower, "v": v, "factorizations": 0,
                           "solves": 0, "factor_nnz": 0, "backend": "none", "form": form, "reason": ""}
    a = op.a
    if form == "auto":
        form = "symmetric" if is_exactly_symmetric(a) else "augmented"
    out["form"] = form
    # Fill budget, measured before factorising: the factor holds at least the matrix's own lower triangle.
    n_k = a.shape[0] if form == "symmetric" else sum(a.shape)
    if a.nnz + n_k > max_factor_nnz:
        out["reason"] = f"the matrix alone ({a.nnz + n_k} non-zeros) exceeds the fill budget max_factor_nnz={max_factor_nnz}"
        return out
    prob = _Problem(a, form=form, backend=backend, ordering=ordering)
    out.update(backend=prob.backend or "none", ordering=prob.ordering)
    if prob.backend is None:
        out["reason"] = (f"no sparse factorisation backend ({backend!r}) is installed: pip install qdldl, or "
                         "scikit-sparse (CHOLMOD; needs libsuitesparse-dev)")
        return out
    if prob.backend == "band" and prob.fz[0].nnz_factor > max_factor_nnz:
        out["reason"] = (f"factor has {prob.fz[0].nnz_factor} non-zeros (band storage) > fill budget "
                         f"max_factor_nnz={max_factor_nnz}")
        return out
    # The Lanczos residual: if sigma^2 is the top eigenvalue of a^T a (not guaranteed),
    # sigma_1 <= sigma (1 + r / (2 sigma^2)).
    av = np.asarray(a @ v).ravel()
    res = float(np.linalg.norm(np.asarray(a.T @ av).ravel() - sigma * sigma * v))
    # A sharper estimate before the first factorisation: shift-invert converges at a rate set by
    # (tau - sigma_1) / (tau - sigma_2), so the first shift should be as close above sigma_1 as
    # products with a can cheaply place it (see krylov_estimate)
    # (from a fixed random start, not from v: the error extrapolation assumes an unconverged start;
    # from the 30-step Gram Ritz vector it underestimated the error threefold on the 2-D Laplacian)
    v_rand = np.random.default_rng(0).standard_normal(a.shape[1])
    top, bottom, err = krylov_estimate(a, v_rand, symmetric=form == "symmetric")
    bind = 0  # the side whose factor the shift-invert solves use: the one that sets ||a||
    if form == "symmetric":
        # the larger of lambda_max (side 0) and -lambda_min (side 1) is ||a||; each side's extreme is
        # bounded by Gershgorin (no factorisation), and the other side, if that does not settle it,
        # is factorised once at a tight tau: if it holds there it never binds
        bind = 0 if top >= -bottom else 1
        sigma = max(sigma, top if bind == 0 else -bottom)
    else:
        sigma = max(sigma, top)
    base = max(lower, sigma)
    # just above the estimate by twice its estimated error (or the residual bound, if smaller); a
    # miss costs one failed factorisation and the step grows eightfold
    step = min(max(min(2 * err, res / max(sigma * sigma, 1e-300)), rtol / 4), 0.5)
    if form == "symmetric":
        prob.proved = [_gershgorin_neg_lambda_min(-a), _gershgorin_neg_lambda_min(a)]
        if prob.proved[1 - bind] > lower * (1 + rtol / 8):
            prob.certify(lower * (1 + rtol / 8), sides=(1 - bind,))
    tau = base * (1 + step)
    lo_fail, last_ok, upper, est = 0.0, math.inf, math.inf, base
    why = ""
    while prob.factorizations < max_factorizations:
        # the margin (rho bound; CHOLMOD's factor copied out) only where the bound could close the
        # bracket; trial shifts factorise only the binding side
        final = tau <= max(lower, est) * (1 + rtol)
        ok, up, why = prob.certify(tau, good_enough=lower * (1 + rtol / 2), sides=None if final else (bind,),
                                   bound=final)
        if not ok and prob.failed_side != bind:
            bind = prob.failed_side  # the other side sets ||a|| after all
        out["factor_nnz"] = max(f.nnz_factor for f in prob.fz)
        if out["factor_nnz"] > max_factor_nnz:
            why = f"factor has {out['factor_nnz']} non-zeros > fill budget max_factor_nnz={max_factor_nnz}"
            if not ok:
                break
        if not ok:
            lo_fail = max(lo_fail, tau)
            if math.isinf(last_ok):  # no success yet: step up, at most to just above a bound >= ||a||
                triv = op.trivial_upper() * (1 + 2.0**-20)
                if tau >= triv:
                    break
                step *= 8
                tau = min(base * (1 + step), triv)
            else:
                # sigma_1 is (numerically) above lo_fail: step up by a few times the miss, at most
                # to the geometric mean with the last success
                miss = lo_fail / max(est, lower) - 1
                tau = min(math.sqrt(lo_fail * last_ok), lo_fail * (1 + 8 * max(miss, rtol)))
            continue
        upper, last_ok = min(upper, up), tau
        if upper / lower - 1 <= rtol or out["factor_nnz"] > max_factor_nnz:
            break
        # the first run starts from a random vector: the caller's few-step Lanczos vector can be
        # nearly orthogonal to the top eigenvector while rich in the next ones (on the 10^6 grid it
        # latched onto lambda_2 first: 26 solves against 20-21 from random starts); later runs start
        # from the previous run's Ritz vector
        lower, v, est, err, converged, ns = shift_invert_lower(prob, bind, v, lower, rtol, attained_lower,
                                                                max_solves, estimate=max(est, lower),
                                                                random_start=out["solves"] == 0)
        out["solves"] += ns
        if upper / lower - 1 <= rtol:
            break
        # next: just above the estimate (a lower estimate of sigma_1 in exact arithmetic) -- by rtol/2
        # when Lanczos met its accuracy target (estimated error rtol/8), else by twice the residual
        # bound -- if that is below the last success; else bisect geometrically
        nxt = max(est, lower) * (1 + rtol / 2) + (0.0 if converged else 2 * err)
        tau = nxt if max(lo_fail, lower) < nxt < tau else math.sqrt(max(lo_fail, lower) * tau)
    if math.isinf(upper) and math.isfinite(last_ok) and prob.factorizations < max_factorizations + 2:
        # only factorisations without a margin succeeded: prove the last success
        ok, up, why = prob.certify(last_ok, bound=True)
        upper = up if ok else upper
    nf = prob.factorizations
    out.update(ok=math.isfinite(upper), upper=upper, lower=lower, v=v, factorizations=nf,
               reason="ok" if math.isfinite(upper) else f"no factorisation succeeded ({nf} tried): {why}")
    return out
