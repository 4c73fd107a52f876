"""The Newton–Schulz matrix iteration: any schedule, batches, exact rescaling, low-precision emulation.

``newton_schulz(A, schedule)`` normalises ``A`` and applies the schedule's odd polynomials to its
singular values with matrix products only, returning an approximation of the orthogonal polar
factor ``U V^T`` of ``A = U Σ V^T`` (a partial isometry when ``A`` is rank deficient).

Implementation notes
--------------------
* **Orientation.**  For ``m > n`` the iteration runs on ``A^T`` (and transposes back), so the Gram
  matrix ``G = X X^T`` is the smaller ``min(m, n)`` square.
* **Symmetry.**  ``G = X X^T`` and ``G^2 = G G^T`` are symmetric rank-k updates: NumPy's ``matmul``
  recognises the ``X @ X.T`` pattern and calls BLAS ``syrk``, which does half the flops of a
  general product (measured here: 512×1024, one thread, ``X @ X.T`` 6.0 ms vs ``X @ Y.T`` 9.0 ms;
  an explicit ``scipy.linalg.blas.dsyrk`` gave no further gain, 5.4–7.0 ms, and returns only a
  triangle), so the code writes ``X @ X.T`` and ``G @ G.T``.  A quintic step therefore costs
  ``m^2 n + m^3 + 2 m^2 n`` flops instead of ``4 m^2 n + 2 m^3``.
* **Scale.**  Each matrix is first multiplied by an exact power of two ``2^-e`` so that its largest
  entry lies in [1/2, 1) (no overflow or underflow in the norm, and no rounding), then divided by
  ``norm * (safety + eps)``.  The public implementations' additive ``eps`` (``X / (||X|| * safety
  + eps)``) is thus applied *as if the input had unit norm*: identical to theirs for
  ``||A|| = 1``, and for every other scale the output depends on ``A`` only through ``A/||A||``
  (exactly so for power-of-two rescalings, up to the rounding of ``c A`` otherwise).  Public
  implementations instead let ``eps`` dominate tiny inputs and shrink their output (NVIDIA
  Emerging-Optimizers issue #229); the shrink factor ours applies, ``safety / (safety + eps)``, is
  reported as ``eps_relative``.
* **Zero input.**  A zero matrix maps to zero (the polar factor of 0 is taken to be 0); zero
  singular values stay zero because every step is an odd polynomial.
* **Low precision.**  ``precision="bfloat16" | "float16" | "float32"`` emulates on the CPU what a
  GPU run in that dtype does, in the ``torch.addmm`` formulation of ``torch.optim.Muon`` (and of
  the fused kernels of modded-nanogpt): ``A`` is cast to the dtype first (as ``G.bfloat16()``
  does; the exact power-of-two pre-scaling comes before the cast, which changes nothing for
  bfloat16 but keeps float16 from overflowing or underflowing where a real float16 run would);
  the norm is accumulated in float32 from the cast values and returned *in the low dtype*, as
  ``X.norm()`` of a bf16 tensor is, then ``norm * safety`` and the ``+ eps`` are each rounded,
  and the quotient is rounded; every product takes low-precision operands, accumulates in float32
  and rounds its output once; the polynomial ``B = a3 G + a5 G G`` is one fused
  ``addmm(G, G, G, beta=a3, alpha=a5)`` (``G G`` is not rounded on its own) and the update
  ``X <- a1 X + B X`` one fused ``addmm(X, B, X, beta=a1)``.  A plain eager loop written as
  ``b * A + c * A @ A`` rounds more often (after ``c * A``, the product, ``b * A`` and the sum);
  the difference is a few units in the last place per step.  Not modelled: the order of the
  float32 accumulation (a rare one-ulp tie differs), and the reduced-precision split-K reductions
  cuBLAS may use for bf16/fp16 GEMMs while
  ``torch.backends.cuda.matmul.allow_bf16_reduced_precision_reduction`` (resp. ``fp16``) is on.
  Rounding to bfloat16 and float16 uses ``ml_dtypes`` (round to nearest even).
* **Torch.**  A ``torch.Tensor`` argument runs natively in torch on its device and dtype (torch is
  imported only then) with the same ``baddbmm`` formulation and rounding points as the emulation,
  so the two agree up to the order of float32 accumulation; the result's ``X`` is then a tensor.
  Every operation on the data is a differentiable torch op, so an input with ``requires_grad=True``
  keeps its autograd graph (``result.X`` can be back-propagated through); the power-of-two
  exponent of the pre-scaling is a constant, computed without gradient.

References
----------
.. [1] N. J. Higham, *Functions of Matrices*, SIAM 2008, §8.3 (Newton–Schulz iteration).
.. [2] K. Jordan et al., Muon (2024), https://kellerjordan.github.io/posts/muon/
.. [3] N. Amsel et al., The Polar Express, arXiv:2505.16932.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from .._results import Result, Rigour, Status, field_nojson
from .._validation import InputValueError, as_array, check_int, check_option
from .schedules import Schedule, Step, ns_schedule

__all__ = ["NewtonSchulzResult", "newton_schulz", "PRECISIONS"]

_FUNC = "newton_schulz"

#: Emulated precisions accepted by :func:`newton_schulz` (None means the input's own dtype).
PRECISIONS = ("bfloat16", "float16", "float32")


@dataclasses.dataclass(frozen=True)
class NewtonSchulzResult(Result):
    """Output of :func:`newton_schulz`.

    Attributes
    ----------
    X : (..., m, n) ndarray or torch.Tensor
        The orthogonalised matrix (``np.asarray(result)`` gives it too).  Under an emulated
        ``precision`` its entries are values of that dtype stored as float64.
    schedule : str
        Schedule name.
    steps : int
        Steps applied.
    products : int
        Matrix products per matrix (all steps).
    flops : float
        Floating-point operations per matrix, counting symmetric products at half cost.
    precision : str
        "float64", "float32", or the emulated "bfloat16"/"float16"/"float32 (emulated)".
    transposed : bool
        True when the iteration ran on the transpose (``m > n``).
    scale_exponent : int or ndarray of int
        Per matrix, the ``e`` of the exact pre-scaling by ``2^-e`` (per-matrix fields are arrays of
        the batch shape for stacked input, Python scalars for a single matrix).
    input_norm : float or ndarray
        Per matrix, the normalising norm of ``A`` (Frobenius or spectral upper bound), in the
        input's units.
    eps_relative : float or ndarray
        Per matrix, ``eps / safety``: the relative shrink of the normalised singular values due
        to ``eps`` (0 for zero matrices).
    zero_input : bool or ndarray of bool
        Per matrix, True when the input was exactly zero.
    rounding_model : str
        How rounding was modelled (a sentence).
    """

    X: Any = field_nojson()
    schedule: str = ""
    steps: int = 0
    products: int = 0
    flops: float = 0.0
    precision: str = "float64"
    transposed: bool = False
    scale_exponent: Any = field_nojson(default=None)
    input_norm: Any = None
    eps_relative: Any = None
    zero_input: Any = None
    shape: tuple[int, ...] = ()
    rounding_model: str = ""
    rigour: Rigour = Rigour.NUMERICAL
    status: Status = Status.OK
    reason: str = "ok"

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        x = self.X
        if not isinstance(x, np.ndarray):  # torch: keep float32/float64, widen bf16/fp16 (exact)
            x = x.detach().cpu()
            if x.element_size() < 4:
                x = x.float()
            x = x.numpy()
        return np.asarray(x, dtype=dtype)

    def summary(self) -> str:
        batch = int(np.prod(self.shape[:-2])) if len(self.shape) > 2 else 1
        lines = [
            f"Newton–Schulz ({self.schedule}): {self.steps} steps, {self.products} matrix products, "
            f"{self.flops:.3g} flops per matrix; precision {self.precision}",
            f"  shape {self.shape}{' (ran on the transpose)' if self.transposed else ''}"
            + (f", batch of {batch}" if batch > 1 else ""),
        ]
        if self.input_norm is not None and np.size(self.input_norm):
            norms = np.ravel(self.input_norm)
            lines.append(f"  normalising norm: {norms[0]:.6g}" + (f" (first of {norms.size})" if norms.size > 1 else ""))
            lines.append(f"  additive eps, relative to the norm: {float(np.max(self.eps_relative)):.3g}")
        if self.zero_input is not None and np.any(self.zero_input):
            lines.append(f"  {int(np.sum(self.zero_input))} zero input matrix/matrices mapped to zero")
        lines.append(f"  rounding: {self.rounding_model}")
        if self.status is not Status.OK:
            lines.append(f"  status: {self.status.value}: {self.reason}")
        return "\n".join(lines)


# ------------------------------------------------------------------------------------------
# float64 / float32 path
# ------------------------------------------------------------------------------------------

def _step_native(X: np.ndarray, step: Step) -> np.ndarray:
    """Apply one step to a single wide matrix ``X`` (m <= n) in its own dtype."""
    c = [X.dtype.type(v) for v in step.as_floats()]
    if len(c) == 1:
        return c[0] * X
    G = X @ X.T  # syrk
    if len(c) == 2:
        B = c[1] * G
    elif len(c) == 3:
        B = c[2] * (G @ G.T)  # G symmetric: G @ G.T is G^2 through syrk
        B += c[1] * G
    else:
        # Horner in G: B = G (a3 I + G (a5 I + ... ))
        B = c[-1] * G
        for a in reversed(c[2:-1]):
            B.flat[:: B.shape[0] + 1] += a
            B = B @ G
        B.flat[:: B.shape[0] + 1] += c[1]
        B = B @ G
    out = B @ X
    out += c[0] * X
    return out


def _flops(m: int, n: int, step: Step) -> float:
    k = len(step.coeffs) - 1
    if k == 0:
        return float(m * n)
    f = m * m * n + 2.0 * m * m * n + 2 * m * n  # syrk Gram, B X, the a1 X axpy
    if k >= 2:
        f += m**3  # G G^T by syrk
        f += (k - 2) * 2.0 * m**3  # higher Horner products
    return f


def _prescale(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per matrix exact power-of-two scaling so that max |entry| lies in [1/2, 1)."""
    amax = np.max(np.abs(A), axis=(-2, -1))
    zero = amax == 0
    _, e = np.frexp(np.where(zero, 1.0, amax))
    e = np.where(zero, 0, e).astype(np.int64)
    B = np.ldexp(A, (-e)[..., None, None].astype(np.int32))
    return B, e, zero


def _norms(B: np.ndarray, schedule: Schedule) -> np.ndarray:
    """Per matrix normalising norm of the pre-scaled stack ``B`` (shape (batch, m, n))."""
    if schedule.normalization == "frobenius":
        return np.sqrt(np.einsum("bij,bij->b", B, B, dtype=np.float64))
    from ..spectral import spectral_norm

    out = np.empty(B.shape[0])
    for i in range(B.shape[0]):
        if not np.any(B[i]):
            out[i] = 0.0
            continue
        out[i] = float(spectral_norm(np.asarray(B[i], dtype=np.float64)).upper)
    return out


# ------------------------------------------------------------------------------------------
# low-precision emulation
# ------------------------------------------------------------------------------------------

def _low_dtype(precision: str) -> np.dtype:
    if precision == "float32":
        return np.dtype(np.float32)
    import ml_dtypes

    return np.dtype(ml_dtypes.bfloat16 if precision == "bfloat16" else np.float16)


def _rnd(x: np.ndarray, low: np.dtype) -> np.ndarray:
    """Round float32/float64 values to ``low`` and return them as float32 (exact)."""
    return np.asarray(x, dtype=np.float32).astype(low).astype(np.float32)


def _step_emulated(X: np.ndarray, step: Step, low: np.dtype) -> np.ndarray:
    """One step on a float32 array holding ``low`` values, rounded as ``torch.addmm`` rounds.

    The Gram ``G = X X^T`` is a product (float32 accumulation, one rounding).  The polynomial
    ``B = a3 G + a5 G G`` is one fused ``addmm(G, G, G, beta=a3, alpha=a5)``: ``G G`` is *not*
    rounded before the combination.  The update ``X <- a1 X + B X`` is one fused
    ``addmm(X, B, X, beta=a1)``; a cubic step is ``addmm(X, G, X, beta=a1, alpha=a3)``.  Higher
    degrees round each power ``G^j`` (j >= 2) as a product and combine ``a3 G + a5 G^2 + ...``
    in float32 with one rounding.  Products of two ``low`` values are exact in float32, so a
    float32 ``matmul`` of the stored values is a low-precision GEMM with float32 accumulation.
    """
    c = [np.float32(v) for v in step.as_floats()]
    if len(c) == 1:
        return _rnd(c[0] * X, low)
    G = _rnd(X @ X.T, low)
    if len(c) == 2:
        return _rnd(c[0] * X + c[1] * (G @ X), low)
    if len(c) == 3:
        B = _rnd(c[1] * G + c[2] * (G @ G), low)
    else:
        P = G
        B32 = c[1] * G
        for a in c[2:]:
            P = _rnd(P @ G, low)
            B32 = B32 + a * P
        B = _rnd(B32, low)
    return _rnd(c[0] * X + B @ X, low)


def _denominator_low(nr: float, safety: float, eps: float, low: np.dtype) -> np.float32:
    """The normalising denominator as a low-precision run forms it.

    ``X.norm()`` of a bf16/fp16 tensor is returned in that dtype, and ``norm * safety`` and
    ``+ eps`` are each rounded to it; with the scale-invariant eps of this module the eps term is
    ``norm * eps`` (equal to the public ``eps`` at unit norm); ``eps = 0`` (the "clamp" rule, which
    never binds at unit norm) leaves ``norm * safety``.
    """
    nb = _rnd(np.float32(nr), low)
    if eps == 0:
        return np.float32(_rnd(nb * np.float32(safety), low))
    d = _rnd(_rnd(nb * np.float32(safety), low) + _rnd(nb * np.float32(eps), low), low)
    return np.float32(d)


# ------------------------------------------------------------------------------------------
# torch path
# ------------------------------------------------------------------------------------------

def _is_torch(A: Any) -> bool:
    mod = type(A).__module__
    return mod.startswith("torch") and hasattr(A, "detach") and hasattr(A, "mT")


def _check_torch(A: Any) -> None:
    """Validate a torch tensor argument (the torch counterpart of ``as_array``)."""
    import torch

    if A.ndim < 2:
        raise InputValueError(f"{_FUNC}: 'A' must be at least 2-D (..., m, n), got shape {tuple(A.shape)}")
    if A.is_complex():
        raise InputValueError(f"{_FUNC}: 'A' must be real, got torch dtype {A.dtype}")
    if A.numel() == 0:
        raise InputValueError(f"{_FUNC}: 'A' must be non-empty, got shape {tuple(A.shape)}")
    if not bool(torch.isfinite(A.detach()).all()):
        raise InputValueError(f"{_FUNC}: 'A' has non-finite entries (NaN or Inf)")


def _newton_schulz_torch(A: Any, schedule: Schedule, k: int, precision: str | None) -> NewtonSchulzResult:
    """The torch path.  Differentiable: when ``A.requires_grad`` the autograd graph is kept (every
    operation is a differentiable torch op; the power-of-two exponent and the zero test are
    constants, computed without gradient), so ``result.X`` can be back-propagated through."""
    import torch

    dt = {None: A.dtype if A.dtype.is_floating_point else torch.float32, "bfloat16": torch.bfloat16,
          "float16": torch.float16, "float32": torch.float32}[precision]
    transposed = A.shape[-2] > A.shape[-1]
    with torch.set_grad_enabled(torch.is_grad_enabled() and A.requires_grad):
        X = A.mT if transposed else A
        # exact power-of-two prescale in float32 (the low dtype keeps the exponent range of
        # float32 for bfloat16; float16 inputs are prescaled before the cast as well)
        Xf = X.float() if X.dtype != torch.float64 else X
        with torch.no_grad():
            amax = Xf.abs().amax(dim=(-2, -1), keepdim=True)
            zero = amax == 0
            _, e = torch.frexp(torch.where(zero, torch.ones_like(amax), amax))
            e = torch.where(zero, torch.zeros_like(e), e)
        Xf = Xf * torch.ldexp(torch.ones_like(amax), -e.to(Xf.dtype))
        X = Xf.to(dt)
        acc = torch.float64 if dt == torch.float64 else torch.float32  # norms accumulate in fp32 at least
        if schedule.normalization == "frobenius":
            # X.norm() of a bf16/fp16 tensor accumulates in fp32 and returns the low dtype
            nrm = torch.linalg.vector_norm(X, dim=(-2, -1), keepdim=True, dtype=acc).to(dt)
        else:
            nrm = torch.linalg.matrix_norm(X.to(acc), ord=2, keepdim=True).to(dt)
        # scale-invariant eps (see the module notes); each operation rounds to dt as in a real run
        if schedule.additive_eps:
            denom = nrm * float(schedule.safety) + nrm * schedule.additive_eps
        else:  # the "clamp" rule: max(norm, eps) is the norm at unit scale
            denom = nrm * float(schedule.safety)
        denom = torch.where(denom > 0, denom, torch.ones_like(denom))
        X = X / denom
        bshape_t = X.shape[:-2]
        X = X.reshape(-1, X.shape[-2], X.shape[-1])
        for step in schedule.steps_for(k):
            c = step.as_floats()
            if len(c) == 1:
                X = c[0] * X
                continue
            G = X @ X.mT
            if len(c) == 2:
                X = torch.baddbmm(X, G, X, beta=c[0], alpha=c[1])
                continue
            if len(c) == 3:
                B = torch.baddbmm(G, G, G, beta=c[1], alpha=c[2])
            else:
                B32 = c[1] * G.to(acc)
                P = G
                for a in c[2:]:
                    P = P @ G
                    B32 = B32 + a * P.to(acc)
                B = B32.to(dt)
            X = torch.baddbmm(X, B, X, beta=c[0])
        X = X.reshape(*bshape_t, X.shape[-2], X.shape[-1])
        if transposed:
            X = X.mT
    out_dtype = A.dtype if A.dtype.is_floating_point else dt
    X = X.to(out_dtype) if precision is None else X
    m, n = (A.shape[-1], A.shape[-2]) if transposed else (A.shape[-2], A.shape[-1])
    steps = schedule.steps_for(k)
    nr = nrm.detach().reshape(-1).double().cpu().numpy()  # as rounded to the run's dtype
    ee = e.detach().reshape(-1).cpu().numpy().astype(np.int64)
    input_norm = np.ldexp(nr, ee.astype(np.int32))
    eps_rel = np.where(nr > 0, schedule.additive_eps / float(schedule.safety), 0.0)
    bshape = tuple(A.shape[:-2])
    return NewtonSchulzResult(
        X=X, schedule=schedule.name, steps=k, products=sum(s.products for s in steps),
        flops=float(sum(_flops(m, n, s) for s in steps)),
        precision=f"torch {str(dt).replace('torch.', '')} on {A.device}", transposed=bool(transposed),
        scale_exponent=_per(ee, bshape), input_norm=_per(input_norm, bshape),
        eps_relative=_per(eps_rel, bshape), zero_input=_per(zero.reshape(-1).cpu().numpy(), bshape),
        shape=tuple(A.shape),
        rounding_model=f"native torch {str(dt).replace('torch.', '')} arithmetic on {A.device}",
    )


def _per(values: np.ndarray, bshape: tuple[int, ...]) -> Any:
    """Per-matrix metadata: an array of the batch shape, or a Python scalar for a single matrix."""
    v = np.asarray(values).reshape(bshape)
    return v.item() if v.ndim == 0 else v


# ------------------------------------------------------------------------------------------
# public entry point
# ------------------------------------------------------------------------------------------

def newton_schulz(
    A: ArrayLike,
    schedule: str | Schedule | Any = "cubic",
    *,
    steps: int | None = None,
    precision: Literal["bfloat16", "float16", "float32"] | None = None,
) -> NewtonSchulzResult:
    """Orthogonalise ``A`` with a Newton–Schulz schedule (approximate polar factor ``U V^T``).

    Parameters
    ----------
    A : (..., m, n) array_like or torch.Tensor
        Real matrix or stack of matrices.  Integer and bool inputs are converted to float64;
        float32 input stays float32.  A torch tensor runs natively in torch, differentiably (an
        input that requires grad keeps its autograd graph).
    schedule : str, Schedule or coefficients
        Anything :func:`ns_schedule` accepts (default ``"cubic"``).
    steps : int, optional
        Number of steps (default: the schedule's ``default_steps``); 0 returns the normalised input.
    precision : {"bfloat16", "float16", "float32"}, optional
        Emulate a run in that dtype (see the module notes); None computes in the input's dtype.

    Returns
    -------
    NewtonSchulzResult
        ``result.X`` has the shape of ``A``; ``np.asarray(result)`` is the same array.

    Raises
    ------
    InputValueError
        Fewer than 2 dimensions, empty, non-finite entries, a bad schedule, steps < 0, or an
        unknown precision.
    InputTypeError
        Complex or non-numeric input.

    Notes
    -----
    Cost per quintic step for ``m <= n``: ``3 m^2 n + m^3`` flops (two syrk-type products at half
    cost and one general product).  Accuracy: in exact arithmetic each singular value ``σ``
    becomes ``P_k(σ / (||A|| safety + eps))``; the distance to ``U V^T`` is the schedule's error
    on the normalised spectrum (see :func:`linalg_lab.analyze_ns_schedule`) plus rounding, which
    the converging steps damp (``p'(1) = 0`` for the cubic).

    References
    ----------
    .. [1] N. J. Higham, Functions of Matrices, SIAM 2008, §8.3.
    .. [2] J. Bernstein, L. Newhouse, arXiv:2409.20325.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> A = rng.standard_normal((4, 6))
    >>> r = newton_schulz(A, "cubic", steps=30)
    >>> r.X.shape, r.products
    ((4, 6), 60)
    >>> bool(np.allclose(r.X @ r.X.T, np.eye(4), atol=1e-12))
    True
    >>> r16 = newton_schulz(A, "muon", precision="bfloat16")
    >>> r16.precision
    'bfloat16 (emulated)'
    """
    sched = ns_schedule(schedule)
    k = check_int(sched.default_steps if steps is None else steps, "steps", func=_FUNC, minimum=0)
    if precision is not None:
        check_option(precision, "precision", PRECISIONS, func=_FUNC)
    if _is_torch(A):
        _check_torch(A)
        return _newton_schulz_torch(A, sched, k, precision)
    return _newton_schulz(as_array(A, "A", func=_FUNC, min_ndim=2), sched, k, precision)


def _newton_schulz(arr: Any, sched: Schedule, k: int, precision: str | None) -> NewtonSchulzResult:
    """Unchecked body of :func:`newton_schulz`: ``arr`` a validated (..., m, n) array or torch tensor."""
    if _is_torch(arr):
        return _newton_schulz_torch(arr, sched, k, precision)
    shape = arr.shape
    m0, n0 = shape[-2], shape[-1]
    transposed = m0 > n0
    work = np.swapaxes(arr, -1, -2) if transposed else arr
    m, n = work.shape[-2], work.shape[-1]
    stack = np.ascontiguousarray(work.reshape(-1, m, n), dtype=np.float64)
    B, e, zero = _prescale(stack)
    step_list = sched.steps_for(k)
    safety = float(sched.safety)

    if precision is None:
        dtype = arr.dtype
        nrm = _norms(B, sched)
        denom = nrm * (safety + sched.additive_eps)
        denom = np.where(zero, 1.0, denom)
        out = np.empty((stack.shape[0], m, n), dtype=dtype)
        for i in range(stack.shape[0]):
            X = (B[i] / denom[i]).astype(dtype, copy=False)
            with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported in status
                for st in step_list:
                    X = _step_native(X, st)
            out[i] = X
        prec = str(np.dtype(dtype))
        model = (f"native {prec} arithmetic (BLAS products; X X^T and G G^T by syrk); exact "
                 "power-of-two pre-scaling")
    else:
        low = _low_dtype(precision)
        out = np.empty((stack.shape[0], m, n), dtype=np.float32 if precision == "float32" else np.float64)
        nrm = np.empty(stack.shape[0])
        for i in range(stack.shape[0]):
            X = _rnd(B[i], low)  # the cast comes first, as in X = G.bfloat16()
            if sched.normalization == "frobenius":
                nr = float(np.sqrt(np.sum(X * X, dtype=np.float32)))
            else:
                nr = float(_norms(X[None].astype(np.float64), sched)[0])
            nrm[i] = nr
            d = _denominator_low(nr, safety, sched.additive_eps, low) if not zero[i] else np.float32(1.0)
            X = _rnd(X / d, low)
            with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported in status
                for st in step_list:
                    X = _step_emulated(X, st, low)
            out[i] = X
        prec = f"{precision} (emulated)"
        model = (f"emulated {precision}: input cast to {precision} before normalisation; the norm, "
                 f"norm·safety and the denominator rounded to {precision} (as torch returns them); each "
                 "product takes low-precision operands, accumulates in float32 and is rounded once; "
                 "b·G + c·G·G and a·X + B·X fused as torch.addmm, one rounding each")

    out = out.reshape(work.shape)
    if transposed:
        out = np.swapaxes(out, -1, -2)
    out = np.ascontiguousarray(out)
    bshape = shape[:-2]
    eps_rel = np.where(nrm > 0, sched.additive_eps / safety, 0.0)
    input_norm = np.ldexp(nrm, e.astype(np.int32))
    status, reason = Status.OK, "ok"
    if not np.all(np.isfinite(out)):
        status = Status.INACCURATE
        reason = ("the iteration overflowed (non-finite output); the schedule diverges on this input: "
                  "check its headroom above 1 and the normalisation")
    elif np.any(zero):
        reason = "ok; zero input matrices map to zero"
    return NewtonSchulzResult(
        X=out, schedule=sched.name, steps=k, products=sum(s.products for s in step_list),
        flops=float(sum(_flops(m, n, s) for s in step_list)), precision=prec,
        transposed=bool(transposed), scale_exponent=_per(e, bshape),
        input_norm=_per(input_norm, bshape), eps_relative=_per(eps_rel, bshape),
        zero_input=_per(zero, bshape), shape=tuple(shape), rounding_model=model,
        status=status, reason=reason,
    )
