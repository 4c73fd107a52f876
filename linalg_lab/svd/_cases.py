"""A fixed family of test matrices for comparing SVD methods (used by the report and benchmarks)."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from .._validation import check_int, check_option

__all__ = ["CASES", "make_case"]


def _orth(rng: np.random.Generator, m: int, k: int) -> NDArray:
    Q, R = np.linalg.qr(rng.standard_normal((m, k)))
    return Q * np.sign(np.diag(R))


def _with_values(rng: np.random.Generator, m: int, n: int, s: NDArray) -> NDArray:
    k = s.size
    return (_orth(rng, m, k) * s) @ _orth(rng, n, k).T


def _random(rng, m, n):
    return rng.standard_normal((m, n))


def _graded(rng, m, n):
    return _with_values(rng, m, n, np.logspace(0, -12, min(m, n)))


def _clustered(rng, m, n):
    p = min(m, n)
    s = np.linspace(1.0, 0.1, p)
    for start in range(0, p - 3, max(4, p // 4)):  # clusters of three values 1e-10 apart
        s[start:start + 3] = s[start] - np.arange(3) * 1e-10
    return _with_values(rng, m, n, np.sort(s)[::-1])


def _rank_deficient(rng, m, n):
    r = max(1, min(m, n) // 2)
    return rng.standard_normal((m, r)) @ rng.standard_normal((r, n))


#: name -> (shape (m, n) at full size, shape in quick mode, generator(rng, m, n)).
CASES: dict[str, tuple[tuple[int, int], tuple[int, int], Callable[..., NDArray]]] = {
    "random": ((120, 80), (24, 16), _random),
    "graded": ((120, 80), (24, 16), _graded),
    "clustered": ((120, 80), (24, 16), _clustered),
    "rank-deficient": ((120, 80), (24, 16), _rank_deficient),
    "tall": ((300, 30), (60, 8), _random),
    "wide": ((30, 300), (8, 60), _random),
}


def make_case(name: str, *, quick: bool = False, seed: int = 0) -> NDArray:
    """The test matrix ``name`` from :data:`CASES` (graded: singular values 1..1e-12 log-spaced;
    clustered: groups of three values 1e-10 apart; rank-deficient: rank min(m, n)/2).

    Parameters
    ----------
    name : str
        A key of :data:`CASES`: ``"random"``, ``"graded"``, ``"clustered"``,
        ``"rank-deficient"`` (120×80), ``"tall"`` (300×30) or ``"wide"`` (30×300).
    quick : bool, default False
        Use the case's small shape instead (24×16, 60×8 or 8×60).
    seed : int, default 0
        Seed of the ``numpy.random.default_rng`` generator, ``>= 0``.

    Returns
    -------
    (m, n) ndarray
        A float64 matrix, the same for the same ``name``, ``quick`` and ``seed``.

    Raises
    ------
    InputValueError
        Unknown ``name``, or negative ``seed``.
    InputTypeError
        ``seed`` is not an int.

    Examples
    --------
    >>> make_case("graded", quick=True).shape
    (24, 16)
    """
    check_option(name, "name", tuple(CASES), func="make_case")
    seed = check_int(seed, "seed", func="make_case", minimum=0)
    full, small, gen = CASES[name]
    m, n = small if quick else full
    return gen(np.random.default_rng(seed), m, n)
