"""Named, derived tolerances and the tolerance report.

A :class:`Check` records one comparison: what was measured, the tolerance it was held to, the
margin in decimal digits and whether it passed.  :func:`assert_close` compares arrays with a
dtype-aware default tolerance and a failure message modelled on ``numpy.testing`` (rtol/atol,
mismatch count, worst index, max abs/rel error) plus the error in units of eps.  :func:`record`
logs a scalar measurement against a bound (a LAPACK test ratio against its threshold, say).

While a :func:`recording` context is active (the pytest plugin opens one for the whole session)
every check is appended to a :class:`ToleranceReport`; outside it nothing is kept.

Tolerance helpers derive bounds in units of the dtype's unit roundoff ``u = eps/2``:
:func:`unit_roundoff`, :func:`gamma` (Higham's γ_n = n u / (1 - n u)) and
:data:`DEFAULT_RTOL_EPS` (the default ``rtol`` of :func:`assert_close` in eps units).
"""
from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import json
import math
from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "Check",
    "ToleranceReport",
    "assert_close",
    "record",
    "recording",
    "eps_of",
    "unit_roundoff",
    "gamma",
    "default_rtol",
    "DEFAULT_RTOL_EPS",
]

#: Default ``rtol`` of :func:`assert_close`, in units of the compared dtype's machine epsilon.
#: 64 eps covers a short chain of correctly rounded operations on both sides (a few dozen
#: roundings); longer computations must pass an ``rtol`` derived from their own error bound.
DEFAULT_RTOL_EPS = 64.0


def eps_of(dtype: Any) -> float:
    """Machine epsilon of a floating dtype (bfloat16 understood through ml_dtypes), else of float64.

    Parameters
    ----------
    dtype : dtype-like
        Anything ``numpy.dtype`` accepts (``np.float32``, ``"float16"``, an array's ``.dtype``,
        ``None`` for float64), an ml_dtypes type, or the name of one (``"bfloat16"``).  Integer
        and bool dtypes and names neither library knows give float64's eps; a complex dtype gives
        the eps of its real part (complex64: float32's).

    Returns
    -------
    float
        ``finfo(dtype).eps``, the spacing of the dtype's numbers just above 1 (never raises).

    Examples
    --------
    >>> eps_of("float32") == 2.0**-23, eps_of("bfloat16") == 2.0**-7, eps_of(int) == 2.0**-52
    (True, True, True)
    >>> eps_of(np.complex64) == 2.0**-23, eps_of(np.complex128) == 2.0**-52
    (True, True)
    """
    try:
        dt = np.dtype(dtype)
    except TypeError:
        try:  # names numpy does not know, such as "bfloat16"
            import ml_dtypes

            return float(ml_dtypes.finfo(getattr(ml_dtypes, str(dtype))).eps)
        except (ImportError, AttributeError, TypeError, ValueError):
            dt = np.dtype(np.float64)
    if dt.kind == "c":  # a complex dtype's eps is that of its real part (complex64 -> float32)
        dt = np.dtype(f"f{dt.itemsize // 2}")
    if np.dtype(dt).kind != "f":
        try:  # bfloat16 and friends from ml_dtypes
            import ml_dtypes

            return float(ml_dtypes.finfo(dt).eps)
        except (ImportError, TypeError, ValueError, AttributeError):
            # not a float type ml_dtypes knows (integers, bools): the library computes those in
            # float64, so float64's eps is the one that applies
            return float(np.finfo(np.float64).eps)
    return float(np.finfo(dt).eps)


def unit_roundoff(dtype: Any = np.float64) -> float:
    """Unit roundoff u = eps/2 (round to nearest).

    Parameters
    ----------
    dtype : dtype-like, default float64
        As for :func:`eps_of`.

    Returns
    -------
    float
        ``eps_of(dtype) / 2``, the bound on the relative error of one rounding.

    Examples
    --------
    >>> unit_roundoff() == 2.0**-53
    True
    """
    return eps_of(dtype) / 2.0


def gamma(n: float, dtype: Any = np.float64) -> float:
    """Higham's γ_n = n u / (1 − n u), the bound on n accumulated relative roundings.

    Raises ValueError when n u >= 1 (the bound is then void).

    Parameters
    ----------
    n : float
        The number of roundings (operations), ``0 <= n < 1/u``; need not be an integer.
    dtype : dtype-like, default float64
        The working precision, as for :func:`eps_of`.

    Returns
    -------
    float
        ``γ_n = n u / (1 - n u)`` with ``u = unit_roundoff(dtype)``: a bound on ``|θ_n|`` where
        ``prod (1 + δ_i)^(±1) = 1 + θ_n`` over ``n`` roundings ``|δ_i| <= u``.

    Raises
    ------
    ValueError
        ``n * u >= 1``.

    References
    ----------
    .. [1] N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., SIAM (2002),
       Lemma 3.1, doi:10.1137/1.9780898718027.

    Examples
    --------
    >>> bool(gamma(500) < 500 * 2.0**-53 * 1.001)
    True
    """
    u = unit_roundoff(dtype)
    if n * u >= 1:
        raise ValueError(f"gamma: n*u = {n * u:g} >= 1, no rounding-error bound exists")
    return n * u / (1.0 - n * u)


def default_rtol(*dtypes: Any) -> float:
    """``DEFAULT_RTOL_EPS`` times the eps of the least precise of ``dtypes``.

    Parameters
    ----------
    *dtypes : dtype-like
        The dtypes being compared, each as for :func:`eps_of`; none means float64.

    Returns
    -------
    float
        ``DEFAULT_RTOL_EPS * max(eps_of(d) for d in dtypes)``: the default ``rtol`` of
        :func:`assert_close` (relative, dimensionless).

    Examples
    --------
    >>> default_rtol("float32", "float64") == 64 * 2.0**-23
    True
    """
    return DEFAULT_RTOL_EPS * max(eps_of(d) for d in dtypes) if dtypes else DEFAULT_RTOL_EPS * eps_of(np.float64)


@dataclasses.dataclass(frozen=True)
class Check:
    """One measured error held against its tolerance.

    Attributes
    ----------
    name : str
        What was checked (the pytest plugin prefixes the test id in ``where``).
    error : float
        The measured error, in the same units as ``tolerance``.
    tolerance : float
        The bound the error is held to.
    passed : bool
        ``error <= tolerance`` (and the error is not NaN).
    eps_units : float
        ``error`` in units of the dtype's eps when the error is relative, else NaN.
    kind : str
        "relative", "absolute" or "ratio" (a dimensionless score such as a LAPACK test ratio).
    where : str
        The test or context that made the check, when known.
    detail : str
        Free text (worst index, dtype, ...).
    """

    name: str
    error: float
    tolerance: float
    passed: bool
    eps_units: float = float("nan")
    kind: str = "relative"
    where: str = ""
    detail: str = ""

    @property
    def margin_digits(self) -> float:
        """log10(tolerance / error): decimal digits to spare (negative when failing; inf if exact)."""
        err = abs(self.error)  # errors are magnitudes; a signed measurement counts by its size
        if math.isnan(err) or math.isinf(err) or (self.tolerance <= 0 and err > 0):
            return float("-inf")
        if err == 0:
            return float("inf")
        if self.tolerance == 0:
            return float("-inf")
        return math.log10(self.tolerance / err)

    def to_transport(self) -> dict[str, Any]:
        """The fields as a plain dict of str/float/bool (NaN and inf kept), for pytest-xdist."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @classmethod
    def from_transport(cls, data: dict[str, Any]) -> Check:
        """Inverse of :meth:`to_transport`."""
        return cls(**{f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data})

    def to_dict(self) -> dict[str, Any]:
        from ._results import to_jsonable

        d = to_jsonable(self)
        d["margin_digits"] = to_jsonable(self.margin_digits)
        return d


class ToleranceReport:
    """An ordered collection of :class:`Check` objects with table, JSON and Markdown renderings."""

    def __init__(self) -> None:
        self.checks: list[Check] = []

    def add(self, check: Check) -> None:
        self.checks.append(check)

    def __len__(self) -> int:
        return len(self.checks)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    def _rows(self) -> list[tuple[str, ...]]:
        rows = []
        for c in self.checks:
            label = f"{c.where}::{c.name}" if c.where else c.name
            rows.append((
                label,
                f"{c.error:.3e}",
                f"{c.tolerance:.3e}",
                "" if math.isnan(c.eps_units) else f"{c.eps_units:.3g}",
                f"{c.margin_digits:+.2f}",
                "pass" if c.passed else "FAIL",
            ))
        return rows

    _HEAD = ("check", "error", "tolerance", "eps units", "margin (digits)", "result")

    def table(self, width: int = 60) -> str:
        """A fixed-width text table, one row per check, with a closing count line."""
        rows = [tuple(r[0] if len(r[0]) <= width else "..." + r[0][-(width - 3):] for _ in [0]) + r[1:]
                for r in self._rows()]
        widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(self._HEAD)]
        fmt = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
        out = [fmt.format(*self._HEAD), fmt.format(*("-" * w for w in widths))]
        out += [fmt.format(*r) for r in rows]
        n_fail = len(self.failed)
        out.append(f"{len(self.checks) - n_fail} passed, {n_fail} failed tolerance checks")
        return "\n".join(out)

    def markdown(self) -> str:
        lines = ["| " + " | ".join(self._HEAD) + " |", "|" + "---|" * len(self._HEAD)]
        lines += ["| " + " | ".join(r) + " |" for r in self._rows()]
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        return json.dumps({"checks": [c.to_dict() for c in self.checks],
                           "passed": len(self.checks) - len(self.failed),
                           "failed": len(self.failed)}, indent=2)


_ACTIVE: contextvars.ContextVar[ToleranceReport | None] = contextvars.ContextVar("linalg_lab_report", default=None)
_WHERE: contextvars.ContextVar[str] = contextvars.ContextVar("linalg_lab_where", default="")


@contextlib.contextmanager
def recording(report: ToleranceReport | None = None) -> Iterator[ToleranceReport]:
    """Collect every :class:`Check` made inside the block into ``report`` (a new one by default).

    Blocks nest: the innermost active report receives the checks, and the outer one is restored on
    exit.  The active report is a context variable, so threads and asyncio tasks started outside
    the block do not record into it.

    Parameters
    ----------
    report : ToleranceReport, optional
        The report to append to; a new empty :class:`ToleranceReport` if None.

    Yields
    ------
    ToleranceReport
        ``report`` (or the new one), which holds the checks once the block ends.

    Examples
    --------
    >>> with recording() as rep:
    ...     _ = record("residual ratio", 0.5, 50.0)
    >>> len(rep), rep.failed
    (1, [])
    """
    report = ToleranceReport() if report is None else report
    token = _ACTIVE.set(report)
    try:
        yield report
    finally:
        _ACTIVE.reset(token)


def _set_where(where: str) -> contextvars.Token:
    return _WHERE.set(where)


def _log(check: Check) -> Check:
    rep = _ACTIVE.get()
    if rep is not None:
        rep.add(check)
    return check


def record(
    name: str, error: float, tolerance: float, *, kind: str = "ratio", eps_units: float = float("nan"),
    detail: str = "",
) -> Check:
    """Record a scalar measurement held to a bound, and return the :class:`Check` (never raises).

    Use this for scores that are not an elementwise comparison: a LAPACK test ratio against its
    threshold, a residual against its a-priori bound.  ``passed`` is ``error <= tolerance``.

    Parameters
    ----------
    name : str
        What was measured (shown in the tolerance report).
    error : float
        The measurement (anything ``float`` accepts), in the units of ``tolerance``; NaN fails.
    tolerance : float
        The bound ``error`` is held to, in the same units.
    kind : str, default "ratio"
        What ``error`` is: ``"ratio"`` (a dimensionless score such as a LAPACK test ratio),
        ``"relative"`` or ``"absolute"``; stored as given (not checked).
    eps_units : float, default NaN
        ``error`` in units of the dtype's eps, when that is meaningful.
    detail : str, default ""
        Free text for the report (dtype, shape, worst index, ...).

    Returns
    -------
    Check
        The check, with ``where`` set to the current test or context; it is also appended to the
        active :func:`recording` report, if any.

    Examples
    --------
    >>> record("orthogonality ratio", 3.2, 50.0).passed
    True
    """
    error = float(error)
    tolerance = float(tolerance)
    passed = (not math.isnan(error)) and error <= tolerance
    return _log(Check(name, error, tolerance, passed, float(eps_units), kind, _WHERE.get(), detail))


def assert_close(
    actual: ArrayLike,
    desired: ArrayLike,
    *,
    rtol: float | None = None,
    atol: float = 0.0,
    name: str | None = None,
    err_msg: str = "",
    equal_nan: bool = True,
    strict: bool = False,
) -> Check:
    """Assert ``|actual - desired| <= atol + rtol * |desired|`` elementwise, and record a Check.

    Parameters
    ----------
    actual, desired : array_like
        Arrays of broadcastable shapes (real or complex).
    rtol : float, optional
        Relative tolerance.  Default: :data:`DEFAULT_RTOL_EPS` times the eps of the less precise of
        the two dtypes (64 eps: 1.4e-14 for float64, 7.6e-6 for float32).
    atol : float
        Absolute tolerance (default 0).
    name : str, optional
        Label in the tolerance report (default "assert_close").
    err_msg : str
        Printed in the failure message, after its first line (as in ``numpy.testing``).
    equal_nan : bool
        NaN in both arrays at the same place compares equal (default True, as ``numpy.testing``);
        with False every NaN is a mismatch.
    strict : bool
        Require equal shapes and equal dtypes, as ``numpy.testing.assert_allclose(strict=True)``:
        no broadcasting (not even of a scalar) and no comparison across dtypes.  By default the
        arguments broadcast against each other.

    Returns
    -------
    Check
        ``error`` is the effective relative error ``max |a - d| / (atol/rtol + |d|)``, so that
        ``error <= rtol`` exactly when the assertion holds; ``tolerance`` is ``rtol``.

    Raises
    ------
    AssertionError
        With rtol/atol, the mismatch count, the worst index, max abs/rel error and the error in eps
        units; for a shape mismatch (or, with ``strict``, a dtype mismatch) saying which.

    Examples
    --------
    >>> assert_close([1.0, 2.0], [1.0, 2.0 + 1e-15]).passed
    True
    >>> assert_close([1.0, 2.1], [1.0, 2.0], name="demo", err_msg="after 3 steps")
    Traceback (most recent call last):
    ...
    AssertionError: demo: not close (rtol=1.42e-14, atol=0)
    after 3 steps
    ...
    >>> assert_close(1.0, [1.0, 1.0], strict=True)
    Traceback (most recent call last):
    ...
    AssertionError: assert_close: shape mismatch (strict): actual () vs desired (2,)
    """
    __tracebackhide__ = True  # pytest shows the caller's line, not this function's source
    label = name or "assert_close"
    note = f"\n{err_msg}" if err_msg else ""
    a = np.asarray(actual)
    d = np.asarray(desired)
    if a.dtype.kind not in "biufc" or d.dtype.kind not in "biufc":
        raise TypeError(f"assert_close: numeric arrays required, got dtypes {a.dtype} and {d.dtype}")
    if strict and a.shape != d.shape:
        raise AssertionError(f"{label}: shape mismatch (strict): actual {a.shape} vs desired {d.shape}{note}")
    if strict and a.dtype != d.dtype:
        raise AssertionError(f"{label}: dtype mismatch (strict): actual {a.dtype} vs desired {d.dtype}{note}")
    try:
        shape = np.broadcast_shapes(a.shape, d.shape)
    except ValueError:
        raise AssertionError(f"{label}: shape mismatch: actual {a.shape} vs desired {d.shape}{note}") from None
    dtype_eps = max(eps_of(a.dtype if a.dtype.kind in "fc" else np.float64),
                    eps_of(d.dtype if d.dtype.kind in "fc" else np.float64))
    if rtol is None:
        rtol = DEFAULT_RTOL_EPS * dtype_eps
    rtol = float(rtol)
    atol = float(atol)
    if rtol < 0 or atol < 0 or (rtol == 0 and atol == 0):
        raise ValueError(f"assert_close: need rtol >= 0, atol >= 0, not both 0; got rtol={rtol}, atol={atol}")
    a64 = np.broadcast_to(a.astype(np.complex128 if a.dtype.kind == "c" else np.float64), shape)
    d64 = np.broadcast_to(d.astype(np.complex128 if d.dtype.kind == "c" else np.float64), shape)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        diff = np.abs(a64 - d64)
        same_nonfinite = (~np.isfinite(a64)) & (a64 == d64)  # equal infinities
        diff = np.where(same_nonfinite, 0.0, diff)
        # NaN == NaN only with equal_nan (the numpy.testing default)
        both_nan = np.isnan(a64) & np.isnan(d64) if equal_nan else np.zeros(shape, dtype=bool)
        diff = np.where(both_nan, 0.0, diff)
        exact = same_nonfinite | both_nan
        # an infinity or NaN on either side must be matched exactly (|d| = inf would make the
        # bound infinite and let any value pass, e.g. inf against -inf)
        unmatched = ~exact & ~(np.isfinite(a64) & np.isfinite(d64))
        diff = np.where(unmatched, np.inf, diff)
        bound = np.where(exact, 1.0, np.where(unmatched, 0.0, atol + rtol * np.abs(d64)))
        mismatch = ~exact & ~(diff <= bound)
        # effective relative error: q = diff / bound, reported as q * rtol (or q * atol if rtol == 0)
        scale = rtol if rtol > 0 else atol
        q = np.where(bound > 0, diff / np.where(bound > 0, bound, 1.0), np.where(diff > 0, np.inf, 0.0))
        q = np.where(np.isnan(diff), np.inf, q)
        rel = np.where(np.abs(d64) > 0, diff / np.abs(d64), np.where(diff > 0, np.inf, 0.0))
    qmax = float(q.max()) if q.size else 0.0
    error = qmax * scale
    n_bad = int(mismatch.sum())
    kind = "relative" if rtol > 0 else "absolute"
    eps_units = error / dtype_eps if kind == "relative" else float("nan")
    worst = tuple(int(i) for i in np.unravel_index(int(np.argmax(q)), shape)) if q.size else ()
    detail = f"worst index {worst}, max abs err {float(diff.max()) if diff.size else 0.0:.3e}"
    check = _log(Check(label, error, rtol if rtol > 0 else atol, n_bad == 0, eps_units, kind,
                       _WHERE.get(), detail))
    if n_bad:
        max_abs = float(np.nanmax(np.where(np.isnan(diff), np.inf, diff)))
        max_rel = float(np.nanmax(np.where(np.isnan(rel), np.inf, rel)))
        msg = [f"{label}: not close (rtol={rtol:.3g}, atol={atol:.3g})"]
        if err_msg:
            msg.append(err_msg)
        msg += [
            f"Mismatched elements: {n_bad} / {q.size} ({100.0 * n_bad / max(q.size, 1):.3g}%)",
            f"Worst index: {worst} (actual {a64[worst].item()!r}, desired {d64[worst].item()!r})",
            f"Max absolute difference: {max_abs:.6g}",
            f"Max relative difference: {max_rel:.6g} = {max_rel / dtype_eps:.4g} eps",
            f"Margin: {check.margin_digits:+.2f} digits",
        ]
        raise AssertionError("\n".join(msg))
    return check
