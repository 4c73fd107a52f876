"""Certified operator norm of a circular, stride-1 2-D convolution layer.

:func:`conv_spectral_norm_enclosure` returns a rigorous interval ``[lower, upper]`` containing
``||layer||_2 = max_{u,v} sigma_max(T[u, v])``, where (Sedghi, Gupta, Long, ICLR 2019,
arXiv:1805.10408) ``T[u, v] = sum_{a,b} K[:, :, a, b] exp(-2 pi i (u a/h + v b/w))`` are the
per-frequency ``c_out x c_in`` matrices of the layer (see ``linalg_lab.layers._kernel``).

The proof, step by step (every number that enters an inequality is an exact float, an exact
rational or an Arb ball; endpoints are rounded outward):

1. **Scaling.** The kernel is multiplied by a power of two (checked to be exact) so that its
   largest entry lies in [1/2, 1); the bounds are scaled back exactly at the end.
2. **Conjugate pairs.** For a real kernel ``T[-u, -v] = conj(T[u, v])`` exactly, so the two have the
   same singular values; only one frequency of each pair is examined, and only one of frequencies
   whose taps have identical phases (identical exact matrices, e.g. every frequency of a 1x1 kernel).
3. **Twiddles in Arb.** ``exp(-2 pi i m / N)`` (``N = lcm(h, w)``) is enclosed in Arb at 128 bits;
   each is rounded to a float pair and ``delta`` bounds the rounding error of every twiddle (Arb).
4. **Float DFT with an a-priori error bound.** ``T_f = fl(K2 @ Re Phi) + i fl(K2 @ Im Phi)``, with
   ``K2`` the ``(c_out c_in, kh kw)`` reshaped kernel and ``Phi`` the float twiddles; by the standard
   model of floating-point arithmetic (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd
   ed., eq. (3.13), valid for any summation order) every entry satisfies
   ``|T_f - T| <= sqrt(2) [(gamma_{kk}(1 + delta) + delta) S + kk eta]`` with ``S = sum_ab |K_ab|``,
   ``kk = kh kw`` and ``eta`` the underflow unit; hence for every frequency
   ``||T_f - T||_2 <= e_T := sqrt(2) [(gamma_kk (1 + delta) + delta) sqrt(kk) ||K||_F + kk eta sqrt(c_out c_in)]``
   (Cauchy–Schwarz: ``||S||_F <= sqrt(kk) ||K||_F``; ``||K||_F`` in Arb).
5. **The top frequency in Arb.** At the frequency ``w*`` with the largest float singular value the
   DFT matrix ``T[w*]`` is formed in Arb complex balls (exact kernel, Arb twiddles).  Lower bound,
   attained: ``||T[w*] v|| / ||v||`` for the float top right singular vector ``v`` (Arb).  Upper
   bound: the largest eigenvalue enclosure of the Gram matrix (``T^H T`` or ``T T^H``, the smaller)
   from Arb's rigorous eigenvalue routine (``acb_mat.eig``; Rump's method when the eigenvalues are
   not isolated), square-rooted.  Call the upper bound ``U``.
6. **Every other frequency in floats.** ``sigma_max(T[w]) <= sigma_max(T_f[w]) + e_T`` (Weyl), and
   ``sigma_max(T_f[w])^2 < tau := (U - e_T)^2`` is proved by the Gram/Cholesky certificate
   :func:`linalg_lab.spectral.gram_cholesky_certificate` on the real embedding
   ``[[Re T_f, -Im T_f], [Im T_f, Re T_f]]`` (same singular values, each twice), whose margin covers
   every rounding error of the Gram matrix and of the Cholesky factorisation (Higham Thm 10.3; Rump,
   BIT 46 (2006), doi:10.1007/s10543-006-0056-1).  Frequencies where it fails (near-ties with
   ``w*``) are done in Arb as in step 5 and ``U`` becomes the largest of their upper bounds.

Assumptions: IEEE-754 binary64 with round-to-nearest, and BLAS/LAPACK kernels (matrix products,
Cholesky) satisfying the standard model of floating-point arithmetic (true of conforming
implementations with or without FMA, in any summation order).  Everything else is Arb.
"""
from __future__ import annotations

import contextlib
import dataclasses
import math
import time
from typing import Literal

import numpy as np
from flint import acb, acb_mat, arb, arb_mat, fmpq
from numpy.typing import ArrayLike

from linalg_lab.internal import Certificate, InputValueError, Rigour, Status, Verdict
from linalg_lab.layers import as_conv_kernel, check_input_shape
from linalg_lab.spectral import gram_cholesky_certificate

from ._arb import ETA64, gamma_arb, lower_float, upper_float, working_prec

__all__ = ["conv_spectral_norm_enclosure", "ConvSpectralNormEnclosure"]

#: Working precision (bits) of the Arb parts.
_PREC = 128
#: Frequencies certified in Arb (step 5) before the remaining near-ties are bounded by a wider float
#: certificate instead: at least 8, more for small channel counts (``_ARB_BUDGET / c^3``; about 0.4 s
#: per frequency at c = 64).
_MAX_ARB_FREQUENCIES = 8
_ARB_BUDGET = 2_000_000

ASSUMPTIONS = ("IEEE-754 binary64, round-to-nearest; BLAS/LAPACK matrix products and Cholesky obeying the "
               "standard model of floating-point arithmetic; everything else in Arb balls")


@dataclasses.dataclass(frozen=True)
class ConvSpectralNormEnclosure(Certificate):
    """A rigorous interval ``[lower, upper]`` containing the operator norm of a circular conv layer.

    Attributes
    ----------
    lower, upper : float
        Outward-rounded endpoints (``lower`` is attained: ``||T[w*] v|| / ||v||`` for an explicit v).
    relative_width : float
        ``upper / lower - 1``.
    argmax_frequency : (int, int)
        The frequency ``w*`` whose matrix attains ``lower``.
    frequencies : int
        Frequencies examined (one per conjugate pair and per distinct exact matrix).
    arb_frequencies : int
        Frequencies whose norm was enclosed in Arb (step 5 of the module docstring).
    dft_error : float
        ``e_T / upper``: the a-priori relative error bound of the float DFT (step 4).
    """

    lower: float
    upper: float
    relative_width: float
    argmax_frequency: tuple[int, int]
    frequencies: int
    arb_frequencies: int
    dft_error: float
    kernel_shape: tuple[int, int, int, int]
    input_shape: tuple[int, int]
    verdict: Verdict
    rigour: Rigour
    method: str
    assumptions: str
    elapsed_s: float
    status: Status
    reason: str


def _half_frequencies(h: int, w: int) -> np.ndarray:
    """Flat indices ``u*w + v`` of one frequency from each conjugate pair ``{(u, v), (-u, -v)}``."""
    u, v = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    idx = (u * w + v).ravel()
    partner = (((-u) % h) * w + ((-v) % w)).ravel()
    return idx[idx <= partner]


def _twiddles(N: int) -> tuple[list[acb], np.ndarray, arb]:
    """Arb twiddles ``exp(-2 pi i m/N)``, their float roundings and a bound on every rounding error."""
    balls = [acb(arb(fmpq(-2 * m, N))).exp_pi_i() for m in range(N)]
    fl = np.array([complex(float(z.real.mid()), float(z.imag.mid())) for z in balls])
    delta = 0.0
    for z, f in zip(balls, fl):
        dr, di = abs(arb(f.real) - z.real), abs(arb(f.imag) - z.imag)
        delta = max(delta, upper_float((dr * dr + di * di).sqrt()))  # rounded up: rigorous
    return balls, fl, arb(delta)


class _Undecided(Exception):
    """An Arb step could not enclose an eigenvalue; becomes an UNDECIDED result with this reason."""


def _arb_sigma(k: np.ndarray, u: int, v: int, h: int, w: int, N: int, balls: list[acb],
               vec: np.ndarray) -> tuple[arb, arb]:
    """Rigorous ``[lower, upper]`` of ``sigma_max(T[u, v])`` with the DFT in Arb (step 5)."""
    c_out, c_in, kh, kw = k.shape
    t = acb_mat(c_out, c_in)
    for a in range(kh):
        for b in range(kw):
            ph = balls[(u * a * (N // h) + v * b * (N // w)) % N]
            t += acb_mat(arb_mat(c_out, c_in, [float(x) for x in k[:, :, a, b].ravel()])) * ph
    x = acb_mat(c_in, 1, [acb(float(z.real), float(z.imag)) for z in vec])
    y = t * x
    num = sum(((abs(y[i, 0])) ** 2 for i in range(c_out)), arb(0))
    den = sum(((abs(x[i, 0])) ** 2 for i in range(c_in)), arb(0))
    lower = (num / den).sqrt()
    th = t.conjugate().transpose()
    g = th * t if c_in <= c_out else t * th
    try:
        eigs = g.eig()
    except ValueError:  # eigenvalues not isolated: Rump's method for clusters
        try:
            eigs = g.eig(multiple=True, algorithm="rump")
        except ValueError as exc:
            raise _Undecided(f"Arb could not enclose the eigenvalues at frequency {(u, v)}: {exc}") from None
    if not all(e.real.is_finite() for e in eigs):
        raise _Undecided(f"Arb returned a non-finite eigenvalue enclosure at frequency {(u, v)}")
    lam = max((e.real.upper() for e in eigs), key=lambda z: z)
    upper = arb(lam).sqrt()
    return lower, upper


def conv_spectral_norm_enclosure(
    kernel: ArrayLike, input_shape: tuple[int, int] | int, *, layout: Literal["torch", "tf"] = "torch",
) -> ConvSpectralNormEnclosure:
    """Certified interval for the operator norm of a circular, stride-1 2-D convolution layer.

    Parameters
    ----------
    kernel : (c_out, c_in, kh, kw) or (kh, kw, c_in, c_out) array_like
        Real finite kernel, no larger than the input.
    input_shape : (h, w) or int
    layout : {"torch", "tf"}

    Returns
    -------
    ConvSpectralNormEnclosure
        Verdict "proved" with ``lower <= ||layer||_2 <= upper``; status BRACKET_TOO_WIDE when the
        proved interval is wider than 1e-12 relative; UNDECIDED (with the reason) when the exact
        power-of-two scaling or a certificate is impossible.

    Raises
    ------
    InputValueError, InputTypeError
        For a malformed kernel or input shape, or a kernel larger than the input (aliased taps).

    Notes
    -----
    The proof and its assumptions are in the module docstring.  Cost: one real GEMM of
    ``(c_out c_in) x (kh kw) x (h w)`` for the float DFT, ``h w / 2`` SVDs and Gram/Cholesky
    certificates of ``2c x 2c`` real matrices, and one ``c x c`` Arb eigenvalue enclosure at 128
    bits (about 0.4 s at ``c = 64``).  The width is set by the Arb step, usually ~1e-15 relative.

    References
    ----------
    .. [1] H. Sedghi, V. Gupta, P. M. Long, "The singular values of convolutional layers", ICLR 2019,
       arXiv:1805.10408.
    .. [2] S. M. Rump, "Verification of positive definiteness", BIT 46 (2006) 433–452,
       doi:10.1007/s10543-006-0056-1.
    .. [3] F. Johansson, "Arb: efficient arbitrary-precision midpoint-radius interval arithmetic",
       IEEE Trans. Comput. 66 (2017) 1281–1292, doi:10.1109/TC.2017.2690633.

    Examples
    --------
    >>> import numpy as np
    >>> from linalg_lab.layers import conv_singular_values
    >>> K = np.random.default_rng(0).standard_normal((3, 2, 3, 3))
    >>> c = conv_spectral_norm_enclosure(K, (6, 6))
    >>> s = conv_singular_values(K, (6, 6)).sigma_max
    >>> c.certified, c.lower <= s * (1 + 1e-14) and s <= c.upper * (1 + 1e-14), c.relative_width < 1e-12
    (True, True, True)
    """
    func = "conv_spectral_norm_enclosure"
    t0 = time.perf_counter()
    k = as_conv_kernel(kernel, layout=layout, func=func)
    h, w = check_input_shape(input_shape, func=func)
    c_out, c_in, kh, kw = k.shape
    if kh > h or kw > w:
        raise InputValueError(
            f"{func}: the kernel {(kh, kw)} is larger than the input {(h, w)}; its taps alias (wrap "
            "around), which this certificate does not model; use a larger input_shape")
    with working_prec(_PREC), _one_blas_thread():
        try:
            return _enclose(k, (h, w), t0)
        except _Undecided as exc:  # a failing status with its one-line reason
            return _result(k, (h, w), t0, reason=f"undecided: {exc}")


def _result(k: np.ndarray, shape: tuple[int, int], t0: float, **kw) -> ConvSpectralNormEnclosure:
    defaults = dict(lower=0.0, upper=math.inf, relative_width=math.inf, argmax_frequency=(0, 0), frequencies=0,
                    arb_frequencies=0, dft_error=math.nan, verdict=Verdict.UNDECIDED, rigour=Rigour.NUMERICAL,
                    method="float DFT with a-priori bound + Gram/Cholesky per frequency + Arb DFT and "
                           "eigenvalue enclosure at the top frequency",
                    status=Status.UNDECIDED, reason="")
    defaults.update(kw)
    return ConvSpectralNormEnclosure(kernel_shape=tuple(int(x) for x in k.shape), input_shape=shape,
                                     assumptions=ASSUMPTIONS, elapsed_s=time.perf_counter() - t0, **defaults)


def _enclose(k: np.ndarray, shape: tuple[int, int], t0: float) -> ConvSpectralNormEnclosure:
    h, w = shape
    c_out, c_in, kh, kw = k.shape
    kmax = float(np.max(np.abs(k)))
    if kmax == 0.0:
        return _result(k, shape, t0, lower=0.0, upper=0.0, relative_width=0.0, verdict=Verdict.PROVED,
                       rigour=Rigour.CERTIFIED, status=Status.OK, reason="ok: the zero kernel")
    # Step 1: exact power-of-two scaling (max entry in [1/2, 1)).
    e = math.frexp(kmax)[1]
    ks = np.ldexp(k, -e)
    if not np.array_equal(np.ldexp(ks, e), k):
        return _result(k, shape, t0, reason="undecided: scaling the kernel by a power of two would round "
                                            "entries (a range of more than ~2^1000); rescale it first")
    # Step 2-4: float DFT on one frequency per conjugate pair, with its a-priori error bound.
    N = math.lcm(h, w)
    balls, tw, delta = _twiddles(N)
    half = _half_frequencies(h, w)
    uu, vv = half // w, half % w
    a_idx, b_idx = np.meshgrid(np.arange(kh), np.arange(kw), indexing="ij")
    m = ((uu[None, :] * a_idx.ravel()[:, None] * (N // h) + vv[None, :] * b_idx.ravel()[:, None] * (N // w)) % N)
    # Frequencies whose taps all have the same phases have the same exact matrix (every frequency for
    # a 1x1 kernel): keep one of each.
    _, first = np.unique(m, axis=1, return_index=True)
    first = np.sort(first)
    half, uu, vv, m = half[first], uu[first], vv[first], m[:, first]
    phi = tw[m]  # (kh kw, F) float twiddles
    k2 = ks.reshape(c_out * c_in, kh * kw)
    tf = np.empty((c_out * c_in, phi.shape[1]), dtype=np.complex128)
    tf.real = k2 @ np.ascontiguousarray(phi.real)  # assignments are exact: only the GEMMs round
    tf.imag = k2 @ np.ascontiguousarray(phi.imag)
    tf = np.ascontiguousarray(tf.T.reshape(-1, c_out, c_in))  # (F, c_out, c_in)
    kk = kh * kw
    kfro = arb_mat(1, ks.size, [float(x) for x in ks.ravel()])
    kfro = (kfro * kfro.transpose())[0, 0].sqrt()
    g = gamma_arb(kk)
    e_t = arb(2).sqrt() * ((g * (1 + delta) + delta) * arb(kk).sqrt() * kfro
                           + kk * ETA64 * arb(c_out * c_in).sqrt())
    e_t = arb(e_t.upper())
    # Float singular values and vectors (only to choose frequencies and test vectors).
    top = np.linalg.svd(tf, compute_uv=False)[:, 0]
    order = np.argsort(-top)
    i_star = int(order[0])
    lower, upper = _arb_sigma(ks, int(uu[i_star]), int(vv[i_star]), h, w, N, balls, _top_vector(tf[i_star]))
    # Step 6: every other frequency against tau = (U - e_T)^2 by the Gram/Cholesky certificate.
    failed = []
    for i in order[1:]:
        i = int(i)
        target = upper - e_t
        if not target > 0 or not _float_certified(tf[i], target):
            failed.append(i)
    extra_upper = arb(0)
    n_arb = 1
    for j, i in enumerate(failed):
        if j < max(_MAX_ARB_FREQUENCIES, _ARB_BUDGET // min(c_out, c_in) ** 3):
            lo_i, up_i = _arb_sigma(ks, int(uu[i]), int(vv[i]), h, w, N, balls, _top_vector(tf[i]))
            n_arb += 1
            if lo_i > lower:
                lower, i_star = lo_i, i
            upper = max(upper, up_i, key=lambda z: z.upper())
        else:  # a wider float bound for the remaining near-ties: sigma_f (1 + r) + e_T
            for r in (2.0**-40, 2.0**-30, 2.0**-20):
                tgt = arb(float(top[i])) * (1 + arb(r))
                if _float_certified(tf[i], tgt):
                    break
            else:
                return _result(k, shape, t0, reason=f"undecided: could not certify frequency "
                                                    f"{(int(uu[i]), int(vv[i]))}")
            extra_upper = max(extra_upper, tgt + e_t, key=lambda z: z.upper())
    upper = max(upper, extra_upper, key=lambda z: z.upper())
    scale = arb(2) ** e
    lo_f, up_f = lower_float(lower * scale), upper_float(upper * scale)
    width = up_f / lo_f - 1 if lo_f > 0 else math.inf
    ok = width <= 1e-12
    return _result(
        k, shape, t0, lower=lo_f, upper=up_f, relative_width=width,
        argmax_frequency=(int(uu[i_star]), int(vv[i_star])), frequencies=int(half.size), arb_frequencies=n_arb,
        dft_error=float((e_t / upper).upper()), verdict=Verdict.PROVED, rigour=Rigour.CERTIFIED,
        status=Status.OK if ok else Status.BRACKET_TOO_WIDE,
        reason="ok" if ok else f"proved, but the interval's relative width {width:.2e} exceeds 1e-12")


def _one_blas_thread() -> contextlib.AbstractContextManager:
    """Limit BLAS to one thread (if ``threadpoolctl`` is installed) during the certificate.

    The per-frequency certificates make thousands of small LAPACK calls; on a loaded machine
    multi-threaded OpenBLAS spends most of their time waking threads (measured here: 53 s against
    2.7 s single-threaded at n = 32, c = 64).  Without threadpoolctl this is a no-op.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _top_vector(t: np.ndarray) -> np.ndarray:
    """A float top right singular vector of ``t`` (any vector gives a valid lower bound)."""
    return np.linalg.svd(t)[2][0].conj()


def _float_certified(t: np.ndarray, target: arb) -> bool:
    """Prove ``sigma_max(t) < target`` for an exact complex float matrix (real embedding + Cholesky)."""
    r = np.block([[t.real, -t.imag], [t.imag, t.real]])
    rmax = float(np.max(np.abs(r)))
    if rmax == 0.0:
        return True
    e = math.frexp(rmax)[1]
    rs = np.ldexp(r, -e)
    if not np.array_equal(np.ldexp(rs, e), r):
        return False
    # tau: a float at most (target / 2^e)^2, so that lambda_max < tau implies sigma < target.
    tau = lower_float((target / arb(2) ** e) ** 2)
    if not tau > 0:
        return False
    m, n = rs.shape
    a = rs if m >= n else np.ascontiguousarray(rs.T)  # the Gram matrix of the smaller side
    return bool(gram_cholesky_certificate(a, tau).proved)
