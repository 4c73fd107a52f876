"""Compare an SVD (from an optimiser, say) with LAPACK's drivers, in LAPACK's own terms."""
from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._results import Result, Status
from .._validation import InputTypeError, as_matrix, check_int, check_real
from ..tolerance import Check, ToleranceReport
from ._ratios import LAPACK_THRESHOLD, LapackRatios, lapack_ratios

__all__ = ["LapackComparison", "compare_with_lapack", "singular_value_clusters", "lapack_references"]

_ULP = float(np.finfo(np.float64).eps)


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
        ddrvbd's singular-value test: ``max |s − s^gesdd| / (min(m, n) ulp s_1)``.
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
    verdict : str
        "LAPACK-level" or "not LAPACK-level: …" with the failing metrics.
    """

    shape: tuple[int, int]
    rank: int
    sv_normwise: dict[str, float]
    sv_relative: dict[str, float]
    sv_ratio: float
    clusters: list[list[int]]
    angles_left: list[float]
    angles_right: list[float]
    angle_ratios: list[float]
    ratios: LapackRatios
    reference_errors: dict[str, dict[str, float]]
    checks: list[Check]
    threshold: float
    verdict: str
    status: Status
    reason: str

    def tolerance_report(self) -> ToleranceReport:
        """The checks as a :class:`~linalg_lab.tolerance.ToleranceReport` (for tables)."""
        rep = ToleranceReport()
        for c in self.checks:
            rep.add(c)
        return rep

    def summary(self) -> str:
        lines = [f"compare_with_lapack: {self.shape[0]}x{self.shape[1]}, rank {self.rank}: {self.verdict}"]
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
    """Group consecutive indices of descending ``s`` whose gaps are at most ``rtol·s[0]``."""
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
    """Singular values (and gesdd's full factors) from scipy's gesdd, gesvd and gejsv (mode 'C')."""
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
                        cluster_rtol: float = 1e-8, mpmath_max_dim: int = 12,
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
        (mpmath's SVD is pure Python: about 3 s at n = 40 and 30 digits).
    dps : int
        Decimal digits of the mpmath reference.

    Returns
    -------
    LapackComparison
        Normwise and relative singular-value errors per reference, per-cluster principal angles and
        their Wedin-scaled ratios, the LAPACK ratios, every check against the threshold and a verdict.
        Status OK when the verdict is "LAPACK-level", else INACCURATE.

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
    >>> cmp.verdict
    'LAPACK-level'
    """
    func = "compare_with_lapack"
    A_ = as_matrix(A, "A", func=func, keep_dtype=False)
    U, s, Vt = _factors(result, func)
    U = as_matrix(U, "U", func=func, keep_dtype=False)
    Vt = as_matrix(Vt, "Vt", func=func, keep_dtype=False)
    from .._validation import as_vector

    s = as_vector(s, "s", func=func, keep_dtype=False)
    threshold = check_real(threshold, "threshold", func=func, lo=0.0, lo_open=True)
    cluster_rtol = check_real(cluster_rtol, "cluster_rtol", func=func, lo=0.0)
    mpmath_max_dim = check_int(mpmath_max_dim, "mpmath_max_dim", func=func, minimum=0)
    dps = check_int(dps, "dps", func=func, minimum=16)
    ratios = lapack_ratios(A_, U, s, Vt, threshold=threshold)  # validates the shapes
    m, n = A_.shape
    p = min(m, n)
    k = s.size
    U, Vt = U[:, :k], Vt[:k, :]
    refs = lapack_references(A_)
    Ug, sg, Vtg = refs["gesdd"]
    s1 = float(sg[0]) if sg.size else 0.0
    sv_norm: dict[str, float] = {}
    sv_rel: dict[str, float] = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        for name in ("gesdd", "gesvd", "gejsv"):
            if name not in refs:
                continue
            ref = refs[name] if name != "gesdd" else sg
            d = np.abs(s - ref[:k])
            sv_norm[name] = float(d.max() / s1) if s1 > 0 else float(d.max())
            if name == "gejsv":
                sv_rel[name] = float(np.max(np.where(ref[:k] > 0, d / ref[:k], np.where(d > 0, np.inf, 0.0))))
    ref_err: dict[str, dict[str, float]] = {}
    if max(m, n) <= mpmath_max_dim:
        smp = _mpmath_singular_values(A_, dps)
        with np.errstate(divide="ignore", invalid="ignore"):
            def errs(x: NDArray) -> tuple[float, float]:
                d = np.abs(x[: smp.size] - smp[: x.size])
                rel = np.where(smp[: x.size] > 0, d / smp[: x.size], np.where(d > 0, np.inf, 0.0))
                return float(d.max() / smp[0]) if smp[0] > 0 else float(d.max()), float(rel.max())
            sv_norm["mpmath"], sv_rel["mpmath"] = errs(s)
            for name in ("gesdd", "gesvd", "gejsv"):
                if name in refs:
                    x = refs[name] if name != "gesdd" else sg
                    a, b = errs(x)
                    ref_err[name] = {"normwise": a, "relative": b}
    # max|ds| / (p ulp s1), divided in this order so that no intermediate underflows for matrices of
    # subnormal scale (ddrvbd guards p ulp s1 with the underflow threshold instead, which makes the
    # ratio meaningless below it)
    dmax = float(np.abs(s - sg[:k]).max()) if k else 0.0
    sv_ratio = (dmax / s1 / (p * _ULP) if s1 > 0 else (0.0 if dmax == 0 else math.inf)) if k else 0.0

    # singular subspaces, cluster by cluster
    from ..subspace import principal_angles

    clusters_all = singular_value_clusters(sg, cluster_rtol)
    zero_tol = p * _ULP * s1  # may underflow for s1 of subnormal scale: then only exact zeros count
    clusters: list[list[int]] = []
    ang_l: list[float] = []
    ang_r: list[float] = []
    ang_ratio: list[float] = []
    for c in clusters_all:
        mine = [i for i in c if i < k]
        if not mine:
            break
        is_zero = float(sg[c[0]]) <= zero_tol
        if is_zero:  # the whole null spaces (full factors) are the reference
            left_ref = Ug[:, c[0]:]
            right_ref = Vtg[c[0]:, :].T
        else:
            left_ref = Ug[:, c]
            right_ref = Vtg[c, :].T
        al = float(np.max(principal_angles(U[:, mine], left_ref))) if np.linalg.norm(U[:, mine]) > 0 else math.pi / 2
        ar = float(np.max(principal_angles(Vt[mine, :].T, right_ref))) if np.linalg.norm(Vt[mine, :]) > 0 else math.pi / 2
        lo = float(sg[c[-1]])
        hi = float(sg[c[0]])
        above = float(sg[c[0] - 1]) - hi if c[0] > 0 else math.inf
        below = lo - (float(sg[c[-1] + 1]) if c[-1] + 1 < p else (0.0 if m != n else -lo))
        gap = min(above, below)
        if is_zero:
            gap = above
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

    checks = [Check(f"LAPACK ratio {name}", v, threshold, v < threshold, kind="ratio",
                    detail="dbdt01" if name == "residual" else ("ddrvbd test 4" if name == "order" else "dort01"))
              for name, v in ratios.as_dict().items()]
    checks.append(Check("singular values vs gesdd (ddrvbd test 7)", sv_ratio, threshold, sv_ratio <= threshold,
                        kind="ratio", detail="max|ds| / (min(m,n) ulp s1)"))
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
        verdict = "LAPACK-level"
        status, reason = Status.OK, (f"every ratio below {threshold:g}: the factors are as accurate as LAPACK's "
                                     "own drivers are required to be")
    else:
        verdict = "not LAPACK-level: " + "; ".join(f"{c.name} = {c.error:.3g}" for c in failing)
        status = Status.INACCURATE
        reason = (f"{len(failing)} of {len(checks)} checks above {threshold:g} (worst: {failing[0].name}); "
                  "run the method longer or use an accurate method (riemannian-tr, jacobi, subspace-iteration)")
    return LapackComparison(shape=(m, n), rank=k, sv_normwise=sv_norm, sv_relative=sv_rel, sv_ratio=sv_ratio,
                            clusters=clusters, angles_left=ang_l, angles_right=ang_r, angle_ratios=ang_ratio,
                            ratios=ratios, reference_errors=ref_err, checks=checks, threshold=float(threshold),
                            verdict=verdict, status=status, reason=reason)
