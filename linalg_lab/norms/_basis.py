"""Index bookkeeping for quartic forms on the symmetric subspace (degree-2 monomials).

A quartic form p(v) in d variables is written through the vector of degree-2 monomials.  Two
scalings are used:

* the *orthonormal* monomial vector m(v) with entries v_a^2 (a = b) and sqrt(2) v_a v_b (a < b),
  of length D = d(d+1)/2; it is an isometry of the symmetric subspace of R^d (x) R^d, so
  ||m(v)||^2 = ||v||^4 and (x . v)^2 = m(x) . m(v).  The SDPs are posed in this basis.
* the *plain* monomial vector m'(v) = (v_a v_b)_{a <= b}; m = C m' with C = diag(c),
  c = 1 or sqrt(2).  The rigorous certificate works here because every coefficient-matching
  weight is 1, so the projection is exact in rational arithmetic; ||m'(v)||^2 <= ||v||^4.

Entry (P, R) of a D x D matrix pairs the monomials P = v_a v_b and R = v_c v_e; their product is
the quartic monomial with multi-index alpha(P, R) = {a, b, c, e}.  There are
N4 = C(d+3, 4) quartic monomials.
"""
from __future__ import annotations

import dataclasses
import functools
import math

import numpy as np
from numpy.typing import NDArray

__all__ = ["QuarticBasis", "quartic_basis"]


@dataclasses.dataclass(frozen=True)
class QuarticBasis:
    """Monomial bookkeeping for quartic forms in ``d`` variables (see the module docstring).

    Attributes
    ----------
    d, D, N4 : int
        Number of variables, of degree-2 monomials (d(d+1)/2) and of quartic monomials (C(d+3,4)).
    a, b : (D,) int arrays
        Monomial P is v_a v_b with a <= b (row-major order of the upper triangle).
    c : (D,) float array
        Orthonormal scaling: 1 on squares, sqrt(2) on cross terms.
    P1, P2 : (T,) int arrays, T = D(D+1)/2
        The upper-triangle entries (P1 <= P2) of a D x D matrix, row-major (which is also the
        column-major lower triangle, the order SCS uses for its svec).
    alpha : (T,) int array
        Quartic-monomial index of each upper-triangle entry.
    mult : (N4,) int array
        Number of *ordered* entries (P, R) of the full matrix with a given alpha (1, 2, 3, 4 or 6).
    norm4 : (N4,) float array
        Coefficients of ||v||^4 in the quartic-monomial basis.
    """

    d: int
    D: int
    N4: int
    a: NDArray[np.intp]
    b: NDArray[np.intp]
    c: NDArray[np.float64]
    P1: NDArray[np.intp]
    P2: NDArray[np.intp]
    alpha: NDArray[np.intp]
    mult: NDArray[np.intp]
    norm4: NDArray[np.float64]
    exponents: NDArray[np.intp]

    @property
    def offdiag(self) -> NDArray[np.bool_]:
        """Mask of the strictly upper entries among (P1, P2)."""
        return self.P1 != self.P2

    def plain_vectors(self, X: NDArray[np.float64]) -> NDArray[np.float64]:
        """(n, D) coefficient vectors u_i with (x_i . v)^2 = u_i . m'(v) (float; x_a^2, 2 x_a x_b)."""
        return X[:, self.a] * X[:, self.b] * np.where(self.a == self.b, 1.0, 2.0)

    def ortho_vectors(self, X: NDArray[np.float64]) -> NDArray[np.float64]:
        """(n, D) vectors m(x_i) with (x_i . v)^2 = m(x_i) . m(v)."""
        return X[:, self.a] * X[:, self.b] * self.c

    def coefficients(self, G: NDArray[np.float64], *, plain: bool = False) -> NDArray[np.float64]:
        """Quartic coefficients of the form m(v)^T G m(v) (or m'(v)^T G m'(v) when ``plain``)."""
        w = np.where(self.offdiag, 2.0, 1.0)
        if not plain:
            w = w * self.c[self.P1] * self.c[self.P2]
        return np.bincount(self.alpha, weights=G[self.P1, self.P2] * w, minlength=self.N4)

    def moment_matrix(self, y: NDArray[np.float64], *, plain: bool = False) -> NDArray[np.float64]:
        """The D x D moment matrix with entries y_alpha (times c_P c_R unless ``plain``)."""
        vals = y[self.alpha]
        if not plain:
            vals = vals * self.c[self.P1] * self.c[self.P2]
        Y = np.zeros((self.D, self.D))
        Y[self.P1, self.P2] = vals
        Y[self.P2, self.P1] = vals
        return Y

    def to_vector(self, W: NDArray[np.float64]) -> NDArray[np.float64]:
        """Recover v (up to sign) from the orthonormal monomial vector w ~ m(v): top eigenvector
        of the symmetric d x d matrix it encodes, scaled by sqrt of its eigenvalue."""
        M = np.zeros((self.d, self.d))
        vals = W / self.c
        M[self.a, self.b] = vals
        M[self.b, self.a] = vals
        ev, V = np.linalg.eigh(M)
        k = int(np.argmax(np.abs(ev)))
        return V[:, k] * math.sqrt(abs(ev[k]))


@functools.lru_cache(maxsize=8)
def quartic_basis(d: int) -> QuarticBasis:
    """The :class:`QuarticBasis` for ``d`` variables (cached; O(D^2) memory).

    >>> B = quartic_basis(3)
    >>> (B.D, B.N4, int(B.mult.sum()) == B.D ** 2)
    (6, 15, True)
    """
    a, b = np.triu_indices(d)
    D = a.size
    c = np.where(a == b, 1.0, math.sqrt(2.0))
    P1, P2 = np.triu_indices(D)
    idx = np.stack([a[P1], b[P1], a[P2], b[P2]], axis=1)
    idx.sort(axis=1)
    key = ((idx[:, 0] * d + idx[:, 1]) * d + idx[:, 2]) * d + idx[:, 3]
    uk, first, alpha = np.unique(key, return_index=True, return_inverse=True)
    N4 = uk.size
    offd = P1 != P2
    mult = np.bincount(alpha, weights=np.where(offd, 2, 1), minlength=N4).astype(np.intp)
    diag = ~offd
    # exact weights 1 (v_a^4) and 2 (v_a^2 v_b^2): float sqrt(2) ** 2 is 2.0000000000000004
    norm4 = np.bincount(alpha[diag], weights=np.where(a == b, 1.0, 2.0)[P1][diag], minlength=N4)
    expo = np.zeros((N4, d), dtype=np.intp)
    for j in range(4):
        np.add.at(expo, (np.arange(N4), idx[first, j]), 1)
    for arr in (a, b, c, P1, P2, alpha, mult, norm4, expo):
        arr.setflags(write=False)
    return QuarticBasis(d=d, D=D, N4=N4, a=a, b=b, c=c, P1=P1, P2=P2, alpha=alpha.ravel(),
                        mult=mult, norm4=norm4, exponents=expo)
