"""Compare an SVD (from an optimiser, say) with LAPACK's drivers, in LAPACK's own terms."""
from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._results import Result, Rigour, Status
from .._validation import InputTypeError, as_matrix, as_vector, check_int, check_real
from ..tolerance import Check, ToleranceReport
from ._ratios import LAPACK_THRESHOLD, LapackRatios, lapack_ratios

__all__ = ["LapackComparison", "compare_with_lapack", "singular_value_clusters", "lapack_references",
           "MPMATH_MAX_DIM"]

_ULP = float(np.finfo(np.float64).eps)
_UNFL = float(np.finfo(np.float64).tiny)
#: Default size limit of the mpmath reference: ``max(m, n) <= 30`` (about 1 s at 50 digits for a
#: 30×30 matrix here; mpmath's SVD is pure Python and O(n³), 2-3 s at 40).
MPMATH_MAX_DIM = 30


@dataclasses.dataclass(frozen=True)
class LapackComparison(Result):
    """An SVD held against LAPACK's drivers (and mpmath for small matrices).

    Attributes
    ----------
    sv_normwise : dict[str, float]
        ``max_i |s_i − s_i^ref| / s_1^ref`` against each reference ("gesdd", "gesvd", "gejsv",
        and "mpmath" when computed).
    sv_relative : dict[str, float]
        ``max_i |s_i − s_i^ref| / s_i^ref`` against the references with high relative accuracy
        (the Jacobi driver gejsv, mode 'C', and mpmath).
    sv_ratio : float
        ddrvbd's singular-value test 7: ``max_{i < min(m, n)} |s_i − s_i^gesdd| / max(min(m, n) ulp s_1,
        unfl)`` over ``i = 1..min(m, n)−1`` (ddrvbd's loop omits the last value), scaled by the
        *tested* ``s_1``.
    relative_errors : (k,) list[float]
        ``|s_i − s_i^ref| / s_i^ref`` per singular value against the relative reference (mpmath
        when computed, else gejsv mode 'C').
    relative_reference : str
        Which reference ``relative_errors`` is against ("mpmath", "gejsv" or "" when none).
    clusters : list[list[int]]
        Groups of (0-based) indices whose reference singular values are within ``cluster_rtol·s_1``.
    angles_left, angles_right : list[float]
        Largest principal angle (radians) between computed and reference singular subspaces, per
        cluster.
    angle_ratios : list[float]
        ``max(angle_left, angle_right) / (min(m, n) ulp s_1 / gap)`` per cluster (Wedin's bound in
        LAPACK units; ``gap`` is the distance from the cluster to the rest of the spectrum).
    ratios : LapackRatios
        The LAPACK test ratios of the computed factors.
    reference_errors : dict[str, dict[str, float]]
        For small matrices: each LAPACK driver's own normwise and relative error against mpmath.
    checks : list[Check]
        Every metric against its threshold (the CLI's tolerance table).
    normwise_verdict : str
        LAPACK's contract: "LAPACK-level" or "not LAPACK-level: …" with the failing metrics.
    relative_verdict : str
        Relative accuracy of each singular value (not LAPACK's contract): "relatively accurate …",
        "not relatively accurate: …" or "no relative reference".
    flags : list[str]
        Disagreements between the references: gesdd/gesvd against gejsv (and mpmath) beyond the
        normwise bound (one reference is wrong), or only relatively (LAPACK's normwise contract
        does not determine the small singular values; trust gejsv/mpmath for them).
    verdict : str
        ``normwise_verdict``, then ``relative_verdict`` and the flags, separated by "; ".
    """

    shape: tuple[int, int]
    rank: int
    sv_normwise: dict[str, float]
    sv_relative: dict[str, float]
    sv_ratio: float
    relative_errors: list[float]
    relative_reference: str
    clusters: list[list[int]]
    angles_left: list[float]
    angles_right: list[float]
    angle_ratios: list[float]
    ratios: LapackRatios
    reference_errors: dict[str, dict[str, float]]
    checks: list[Check]
    threshold: float
    normwise_verdict: str
    relative_verdict: str
    flags: list[str]
    verdict: str
    status: Status
    reason: str
    rigour: Rigour

    def tolerance_report(self) -> ToleranceReport:
        """The checks as a :class:`~linalg_lab.tolerance.ToleranceReport` (for tables)."""
        rep = ToleranceReport()
        for c in self.checks:
            rep.add(c)
        return rep

    def summary(self) -> str:
        lines = [f"compare_with_lapack: {self.shape[0]}x{self.shape[1]}, rank {self.rank}",
                 f"  normwise (LAPACK's contract): {self.normwise_verdict}",
                 f"  relative (each singular value): {self.relative_verdict}"]
        lines += [f"  FLAG: {f}" for f in self.flags]
        if self.status is not Status.OK:
            lines.append(f"  status: {self.status.value}; {self.reason}")
        lines.append("  singular values, normwise max|ds|/s1: " + ", ".join(
            f"{k} {v:.2e}" for k, v in self.sv_normwise.items()))
        if self.sv_relative:
            lines.append("  singular values, relative max|ds|/s: " + ", ".join(
                f"{k} {v:.2e}" for k, v in self.sv_relative.items()))
        if self.reference_errors:
            lines.append("  LAPACK drivers against mpmath (normwise / relative): " + ", ".join(
                f"{k} {v['normwise']:.1e}/{v['relative']:.1e}" for k, v in self.reference_errors.items()))
        nclus = sum(1 for c in self.clusters if len(c) > 1)
        lines.append(f"  {len(self.clusters)} singular subspaces compared ({nclus} clusters of size > 1)")
        lines.append(self.tolerance_report().table())
        return "\n".join(lines)


def singular_value_clusters(s: NDArray, rtol: float) -> list[list[int]]:
    """Group consecutive indices of descending ``s`` whose gaps are at most ``rtol·s[0]``.

    Parameters
    ----------
    s : (p,) ndarray
        Singular values, sorted descending (not checked).
    rtol : float
        Gap threshold relative to the largest value ``s[0]``: neighbours ``s[i-1] - s[i] <=
        rtol * s[0]`` share a cluster (chains merge, so a cluster's width is not bounded).

    Returns
    -------
    list of list of int
        The clusters as runs of consecutive indices, covering ``0..p-1`` in order (empty for
        ``p = 0``).

    Examples
    --------
    >>> import numpy as np
    >>> singular_value_clusters(np.array([1.0, 0.5, 0.5 - 1e-12, 0.1]), 1e-8)
    [[0], [1, 2], [3]]
    """
    if s.size == 0:
        return []
    tol = rtol * float(s[0])
    groups = [[0]]
    for i in range(1, s.size):
        if s[i - 1] - s[i] <= tol:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def lapack_references(A: NDArray) -> dict[str, Any]:
    """Singular values (and gesdd's full factors) from scipy's gesdd, gesvd and gejsv (mode 'C').

    Parameters
    ----------
    A : (m, n) ndarray
        A finite real float64 matrix (not validated; :func:`compare_with_lapack` validates).
        gejsv runs on ``A.T`` when ``m < n``.

    Returns
    -------
    dict
        ``"gesdd"``: ``(U, s, Vt)`` with ``U`` (m, m), ``s`` (min(m, n),) descending, ``Vt``
        (n, n); ``"gesvd"``: ``s`` (min(m, n),); ``"gejsv"``: ``s`` (min(m, n),) descending,
        present only when dgejsv succeeds (``info == 0``).

    Raises
    ------
    numpy.linalg.LinAlgError
        gesdd or gesvd did not converge.

    Examples
    --------
    >>> import numpy as np
    >>> refs = lapack_references(np.diag([3.0, 2.0, 1.0]))
    >>> sorted(refs), bool(np.all(np.abs(refs["gejsv"] - [3.0, 2.0, 1.0]) <= 4 * 2.0**-52))
    (['gejsv', 'gesdd', 'gesvd'], True)
    """
    import scipy.linalg as sla
    from scipy.linalg import lapack

    out: dict[str, Any] = {}
    U, s, Vt = sla.svd(A, full_matrices=True, lapack_driver="gesdd")
    out["gesdd"] = (U, s, Vt)
    out["gesvd"] = sla.svd(A, compute_uv=False, lapack_driver="gesvd")
    B = A if A.shape[0] >= A.shape[1] else A.T
    # joba=0 is LAPACK's mode 'C' (high relative accuracy); sva is scaled by work[0]/work[1]
    sva, _u, _v, work, _iw, info = lapack.dgejsv(B, joba=0, jobu=3, jobv=3)
    if info == 0:
        out["gejsv"] = np.sort(sva * (work[0] / work[1]))[::-1]
    return out


def _mpmath_singular_values(A: NDArray, dps: int) -> NDArray:
    import mpmath

    with mpmath.workdps(dps):
        s = mpmath.svd_r(mpmath.matrix(A.tolist()), compute_uv=False)
        vals = sorted((s[i] for i in range(s.rows)), reverse=True)
        return np.array([float(v) for v in vals])


def _factors(result: Any, func: str) -> tuple[NDArray, NDArray, NDArray]:
    if isinstance(result, (tuple, list)) and len(result) == 3:
        U, s, Vt = result
    elif all(hasattr(result, a) for a in ("U", "s", "Vt")):
        U, s, Vt = result.U, result.s, result.Vt
    else:
        raise InputTypeError(f"{func}: 'result' must be an SVDOptResult or a tuple (U, s, Vt), got "
                             f"{type(result).__name__}")
    return np.asarray(U), np.asarray(s), np.asarray(Vt)


def compare_with_lapack(A: ArrayLike, result: Any, *, threshold: float = LAPACK_THRESHOLD,
                        cluster_rtol: float = 1e-8, mpmath_max_dim: int = MPMATH_MAX_DIM,
                        dps: int = 50) -> LapackComparison:
    """Hold an SVD against LAPACK: singular values, singular subspaces, test ratios and a verdict.

    Parameters
    ----------
    A : (m, n) array_like
        The matrix (float64).
    result : SVDOptResult or tuple (U, s, Vt)
        Computed factors: ``U`` (m, k), ``s`` (k,), ``Vt`` (k, n), ``k <= min(m, n)``.
    threshold : float
        Pass threshold for every scaled ratio (LAPACK's 50).
    cluster_rtol : float
        Reference singular values closer than ``cluster_rtol·s_1`` form one cluster, whose
        singular subspace is compared as a whole (rotations and signs inside it are not errors).
    mpmath_max_dim : int
        Also compute an mpmath reference at ``dps`` digits when ``max(m, n) <= mpmath_max_dim``
        (default :data:`MPMATH_MAX_DIM` = 30: about 1 s; mpmath's SVD is pure Python, O(n³)).
    dps : int
        Decimal digits of the mpmath reference.

    Returns
    -------
    LapackComparison
        Normwise and relative singular-value errors per reference, per-cluster principal angles and
        their Wedin-scaled ratios, the LAPACK ratios, every check against the threshold, a
        normwise verdict (LAPACK's contract), a relative verdict and flags where the references
        disagree.  Status OK when the normwise verdict is "LAPACK-level", else INACCURATE; a
        ``result`` that diverged or failed (status DIVERGED/SOLVER_FAILED, or non-finite factors)
        is not an input error: it is scored as such (every ratio inf, status DIVERGED or
        SOLVER_FAILED, the method's reason quoted).

    Raises
    ------
    InputValueError
        Bad ``A`` (NaN/Inf, empty, not 2-D) or factors of the wrong shape.
    InputTypeError
        Complex input, or ``result`` of an unsupported type.

    Notes
    -----
    Singular values are compared normwise (``|Δs|/s_1``), as LAPACK's ddrvbd does: gesdd and gesvd
    guarantee only normwise accuracy, and their small singular values may differ by orders of
    magnitude on graded matrices (Reference-LAPACK issue 316).  Relative errors are reported
    against the Jacobi driver gejsv in mode 'C' (``joba=0``; scipy's default mode 'A' gives
    absolute accuracy only) and against mpmath.  The angle tolerance is Wedin's bound
    ``sin θ ≲ ‖residual‖/gap`` with a residual of ``min(m, n)·ulp·s_1``; numerically zero singular
    values (at most ``min(m, n)·ulp·s_1``) are compared against the whole left and right null
    spaces.  Cost: three LAPACK SVDs (O(mn·min(m, n))) plus the principal angles.

    References
    ----------
    .. [1] P.-Å. Wedin, "Perturbation bounds in connection with singular value decomposition",
       BIT 12 (1972) 99–111, doi:10.1007/BF01932678.
    .. [2] Z. Drmač, K. Veselić, "New fast and accurate Jacobi SVD algorithm I", SIAM J. Matrix
       Anal. Appl. 29 (2008) 1322–1342, doi:10.1137/050639193 (gejsv).
    .. [3] Reference-LAPACK TESTING/EIG/ddrvbd.f (test 7: singular values against the full SVD).

    Examples
    --------
    >>> import numpy as np
    >>> A = np.random.default_rng(0).standard_normal((6, 4))
    >>> cmp = compare_with_lapack(A, np.linalg.svd(A, full_matrices=False))
    >>> cmp.normwise_verdict
    'LAPACK-level'
    """
    return _compare(A, result, threshold=threshold, cluster_rtol=cluster_rtol,
                    mpmath_max_dim=mpmath_max_dim, dps=dps)


def _compare(A: ArrayLike, result: Any, *, threshold: float, cluster_rtol: float, mpmath_max_dim: int,
             dps: int) -> LapackComparison:
    """Validate once, then score (or report a failed/diverged method as such)."""
    A_ = as_matrix(A, "A", func="compare_with_lapack", keep_dtype=False)
    return _compare_validated(A_, result, threshold=threshold, cluster_rtol=cluster_rtol,
                              mpmath_max_dim=mpmath_max_dim, dps=dps)


def _compare_validated(A_: NDArray, result: Any, *, threshold: float, cluster_rtol: float, mpmath_max_dim: int,
                       dps: int) -> LapackComparison:
    """The body of :func:`compare_with_lapack` for an already validated float64 matrix ``A_``."""
    func = "compare_with_lapack"
    threshold = check_real(threshold, "threshold", func=func, lo=0.0, lo_open=True)
    cluster_rtol = check_real(cluster_rtol, "cluster_rtol", func=func, lo=0.0)
    mpmath_max_dim = check_int(mpmath_max_dim, "mpmath_max_dim", func=func, minimum=0)
    dps = check_int(dps, "dps", func=func, minimum=16)
    U, s, Vt = _factors(result, func)
    failed = getattr(result, "status", None) in (Status.DIVERGED, Status.SOLVER_FAILED)
    nonfinite = any(x.dtype.kind in "fc" and not np.isfinite(x).all() for x in (U, s, Vt))
    if failed or nonfinite:
        return _failed(A_, result, U, s, threshold, nonfinite)
    U = as_matrix(U, "U", func=func, keep_dtype=False)
    Vt = as_matrix(Vt, "Vt", func=func, keep_dtype=False)
    s = as_vector(s, "s", func=func, keep_dtype=False)
    ratios = lapack_ratios(A_, U, s, Vt, threshold=threshold)  # validates the shapes
    return _score(A_, U, s, Vt, ratios, threshold=threshold, cluster_rtol=cluster_rtol,
                  mpmath_max_dim=mpmath_max_dim, dps=dps)


def _failed(A: NDArray, result: Any, U: NDArray, s: NDArray, threshold: float, nonfinite: bool) -> LapackComparison:
    """The comparison of a method that diverged or failed: every ratio inf, its own reason quoted."""
    st = getattr(result, "status", None)
    status = st if st in (Status.DIVERGED, Status.SOLVER_FAILED) else Status.DIVERGED
    why = getattr(result, "reason", "") or "the factors have non-finite entries"
    bad = int(sum(np.size(x) - int(np.isfinite(x).sum()) for x in (U, s) if np.asarray(x).dtype.kind in "fc"))
    what = f"{bad} non-finite entries in U and s; " if nonfinite else ""
    reason = f"not scored: the method {status.name.lower().replace('_', ' ')} ({what}{why})"
    eps = _ULP
    ratios = LapackRatios(residual=math.inf, orth_u=math.inf, orth_vt=math.inf, order=math.inf,
                          threshold=float(threshold), eps=eps, dtype="float64", passed=False,
                          status=status, reason=reason, rigour=Rigour.NUMERICAL, residual_kind="none",
                          triplet_residual=math.inf)
    checks = [Check("method finished with finite factors", math.inf, threshold, False, kind="ratio",
                    detail=reason)]
    k = int(np.size(s))
    return LapackComparison(shape=A.shape, rank=k, sv_normwise={}, sv_relative={}, sv_ratio=math.inf,
                            relative_errors=[], relative_reference="", clusters=[], angles_left=[],
                            angles_right=[], angle_ratios=[], ratios=ratios, reference_errors={},
                            checks=checks, threshold=float(threshold),
                            normwise_verdict=f"not LAPACK-level: {reason}", relative_verdict="not scored",
                            flags=[], verdict=f"not LAPACK-level: {reason}", status=status, reason=reason,
                            rigour=Rigour.NUMERICAL)


def _relative_errors(x: NDArray, ref: NDArray) -> NDArray:
    d = np.abs(x - ref)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ref > 0, d / np.where(ref > 0, ref, 1.0), np.where(d > 0, np.inf, 0.0))


def _subspaces(U: NDArray, Vt: NDArray, Ug: NDArray, sg: NDArray, Vtg: NDArray, k: int, m: int, n: int,
               cluster_rtol: float) -> tuple[list[list[int]], list[float], list[float], list[float]]:
    """Per-cluster principal angles against gesdd's singular subspaces and their Wedin-scaled ratios."""
    from ..subspace import principal_angles

    p = min(m, n)
    s1 = float(sg[0]) if sg.size else 0.0
    zero_tol = p * _ULP * s1  # may underflow for s1 of subnormal scale: then only exact zeros count
    clusters: list[list[int]] = []
    ang_l: list[float] = []
    ang_r: list[float] = []
    ang_ratio: list[float] = []
    for c in singular_value_clusters(sg, cluster_rtol):
        mine = [i for i in c if i < k]
        if not mine:
            break
        is_zero = float(sg[c[0]]) <= zero_tol
        if is_zero:  # the whole null spaces (full factors) are the reference
            left_ref, right_ref = Ug[:, c[0]:], Vtg[c[0]:, :].T
        else:
            left_ref, right_ref = Ug[:, c], Vtg[c, :].T
        al = float(np.max(principal_angles(U[:, mine], left_ref))) if np.linalg.norm(U[:, mine]) > 0 else math.pi / 2
        ar = float(np.max(principal_angles(Vt[mine, :].T, right_ref))) if np.linalg.norm(Vt[mine, :]) > 0 else math.pi / 2
        lower, upper = float(sg[c[-1]]), float(sg[c[0]])
        above = float(sg[c[0] - 1]) - upper if c[0] > 0 else math.inf
        below = lower - (float(sg[c[-1] + 1]) if c[-1] + 1 < p else (0.0 if m != n else -lower))
        gap = above if is_zero else min(above, below)
        # Wedin: angle <~ p ulp s1 / gap (s1 / gap first: p ulp s1 underflows at subnormal scale); with
        # nothing else in the spectrum (gap = inf, e.g. A = 0) only rounding is left, p ulp
        if gap == math.inf:
            scale = p * _ULP
        elif gap > 0:
            scale = p * _ULP * (s1 / gap)
        else:
            scale = math.inf
        worst = max(al, ar)
        ratio = (worst / scale if scale > 0 else (0.0 if worst == 0 else math.inf)) if math.isfinite(scale) else 0.0
        clusters.append(mine)
        ang_l.append(al)
        ang_r.append(ar)
        ang_ratio.append(ratio)
    return clusters, ang_l, ang_r, ang_ratio


def _test7(s: NDArray, sg: NDArray, p: int) -> float:
    """ddrvbd test 7: max over i = 1..min(m,n)-1 of |s_i^ref - s_i| / max(p ulp s_1(tested), unfl)."""
    k = s.size
    top = min(k, p - 1)
    if top <= 0:
        return 0.0
    dmax = float(np.abs(sg[:top] - s[:top]).max())
    s1 = float(s[0])
    # divided in this order so that p ulp s1 does not underflow first for s1 of subnormal scale
    # (ddrvbd's max(..., unfl) guard then makes the ratio meaningless; we keep it as the floor)
    div_scaled = p * _ULP
    if s1 > 0 and s1 * div_scaled >= _UNFL:
        return dmax / s1 / div_scaled
    if s1 > 0:
        return dmax / s1 / div_scaled if dmax > 0 else 0.0
    return dmax / _UNFL if dmax > 0 else 0.0


def _score(A_: NDArray, U: NDArray, s: NDArray, Vt: NDArray, ratios: LapackRatios, *, threshold: float,
           cluster_rtol: float, mpmath_max_dim: int, dps: int) -> LapackComparison:
    m, n = A_.shape
    p = min(m, n)
    k = s.size
    U, Vt = U[:, :k], Vt[:k, :]
    refs = lapack_references(A_)
    Ug, sg, Vtg = refs["gesdd"]
    s1 = float(sg[0]) if sg.size else 0.0
    sv_norm: dict[str, float] = {}
    sv_rel: dict[str, float] = {}
    values = {"gesdd": sg, "gesvd": refs["gesvd"]}
    if "gejsv" in refs:
        values["gejsv"] = refs["gejsv"]
    for name, ref in values.items():
        d = np.abs(s - ref[:k])
        sv_norm[name] = float(d.max() / s1) if s1 > 0 else float(d.max())
        sv_rel[name] = float(_relative_errors(s, ref[:k]).max()) if k else 0.0
    ref_err: dict[str, dict[str, float]] = {}
    rel_ref, rel_vals = ("gejsv", values["gejsv"]) if "gejsv" in values else ("", None)
    if max(m, n) <= mpmath_max_dim:
        smp = _mpmath_singular_values(A_, dps)
        values["mpmath"] = smp
        rel_ref, rel_vals = "mpmath", smp
        d = np.abs(s - smp[:k])
        sv_norm["mpmath"] = float(d.max() / smp[0]) if smp[0] > 0 else float(d.max())
        sv_rel["mpmath"] = float(_relative_errors(s, smp[:k]).max()) if k else 0.0
        for name in ("gesdd", "gesvd", "gejsv"):
            if name in values:
                x = values[name]
                dd = np.abs(x[: smp.size] - smp[: x.size])
                ref_err[name] = {"normwise": float(dd.max() / smp[0]) if smp[0] > 0 else float(dd.max()),
                                 "relative": float(_relative_errors(x, smp).max())}
    sv_ratio = _test7(s, sg, p)
    clusters, ang_l, ang_r, ang_ratio = _subspaces(U, Vt, Ug, sg, Vtg, k, m, n, cluster_rtol)

    checks = [Check(f"LAPACK ratio {name}", v, threshold, v < threshold, kind="ratio",
                    detail=(ratios.residual_kind if name == "residual" else
                            ("ddrvbd test 4" if name == "order" else "dort01")))
              for name, v in ratios.as_dict().items()]
    checks.append(Check("singular values vs gesdd (ddrvbd test 7)", sv_ratio, threshold, sv_ratio <= threshold,
                        kind="ratio", detail="max_{i<min(m,n)} |ds_i| / (min(m,n) ulp s1(tested))"))
    if ang_ratio:
        worst_i = int(np.argmax(ang_ratio))
        checks.append(Check("singular subspaces (Wedin-scaled angle)", float(ang_ratio[worst_i]), threshold,
                            bool(ang_ratio[worst_i] <= threshold), kind="ratio",
                            detail=f"cluster {clusters[worst_i][0]}..{clusters[worst_i][-1]}, angle "
                                   f"{max(ang_l[worst_i], ang_r[worst_i]):.2e} rad"))
    if "mpmath" in sv_norm:
        v = sv_norm["mpmath"] / (p * _ULP)
        checks.append(Check(f"singular values vs mpmath ({dps} digits), normwise", v, threshold, v <= threshold,
                            kind="ratio", detail="max|ds| / (min(m,n) ulp s1)"))
    failing = [c for c in checks if not c.passed]
    if not failing:
        normwise = "LAPACK-level"
        status, reason = Status.OK, (f"every normwise ratio below {threshold:g}: the factors are as accurate as "
                                     "LAPACK's own drivers are required to be")
    else:
        normwise = "not LAPACK-level: " + "; ".join(f"{c.name} = {c.error:.3g}" for c in failing)
        status = Status.INACCURATE
        reason = (f"{len(failing)} of {len(checks)} checks above {threshold:g} (worst: {failing[0].name}); "
                  "run the method longer or use an accurate method (riemannian-tr, jacobi, subspace-iteration)")
    rel_errs, relative = _relative_verdict(s, rel_ref, rel_vals, threshold, p)
    flags = _reference_flags(values, threshold, p, s1)
    verdict = "; ".join([normwise, relative] + flags)
    return LapackComparison(shape=(m, n), rank=k, sv_normwise=sv_norm, sv_relative=sv_rel, sv_ratio=sv_ratio,
                            relative_errors=rel_errs, relative_reference=rel_ref,
                            clusters=clusters, angles_left=ang_l, angles_right=ang_r, angle_ratios=ang_ratio,
                            ratios=ratios, reference_errors=ref_err, checks=checks, threshold=float(threshold),
                            normwise_verdict=normwise, relative_verdict=relative, flags=flags, verdict=verdict,
                            status=status, reason=reason, rigour=Rigour.NUMERICAL)


def _relative_verdict(s: NDArray, name: str, ref: NDArray | None, threshold: float, p: int
                      ) -> tuple[list[float], str]:
    """Per-value relative errors against the relative reference and a one-line verdict.

    The level ``threshold · min(m, n) · ulp`` is the relative analogue of ddrvbd's test 7; a value
    whose relative error exceeds it is reported (this is not LAPACK's contract, so it does not set
    the status).
    """
    if ref is None or s.size == 0:
        return [], "no relative reference (gejsv failed and the matrix is above the mpmath size limit)"
    rel = _relative_errors(s, ref[: s.size])
    level = threshold * p * _ULP
    worst = int(np.argmax(rel))
    bad = int((rel > level).sum())
    if not bad:
        return rel.tolist(), (f"relatively accurate: every singular value within {rel[worst]:.2g} relative of "
                              f"{name} (level {level:.2g} = {threshold:g} min(m,n) ulp)")
    return rel.tolist(), (f"not relatively accurate: {bad} of {s.size} singular values differ from {name} by more "
                          f"than {level:.2g} relative (worst s_{worst + 1} = {s[worst]:.6g}: {rel[worst]:.2g})")


def _reference_flags(values: dict[str, NDArray], threshold: float, p: int, s1: float) -> list[str]:
    """Where the references disagree: beyond the normwise bound (a reference is wrong), or only relatively."""
    flags = []
    best = "mpmath" if "mpmath" in values else ("gejsv" if "gejsv" in values else "")
    if not best or s1 <= 0:
        return flags
    ref = values[best]
    bound = threshold * p * _ULP  # normwise: |ds| / s1 allowed by LAPACK's test 7
    for name in ("gesdd", "gesvd", "gejsv"):
        if name == best or name not in values:
            continue
        x = values[name]
        q = min(x.size, ref.size)
        normw = float(np.abs(x[:q] - ref[:q]).max()) / s1
        rel = float(_relative_errors(x[:q], ref[:q]).max())
        if normw > bound:
            flags.append(f"references disagree beyond the normwise bound: {name} vs {best} max|ds|/s1 = "
                         f"{normw:.2g} > {bound:.2g}; one of them is wrong")
        elif rel > bound:
            advice = ("trust mpmath for them" if best == "mpmath" else
                      "gejsv is relatively accurate only when the column-scaled matrix is well conditioned: "
                      "decide with an mpmath reference (mpmath_max_dim) or proofs_check's relative enclosures")
            flags.append(f"references disagree relatively: {name} vs {best} up to {rel:.2g} relative (within "
                         f"the normwise bound {bound:.2g}); LAPACK's normwise contract does not determine the "
                         f"small singular values; {advice}")
    return flags
