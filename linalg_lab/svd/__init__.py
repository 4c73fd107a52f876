"""SVD by optimisation, checked against LAPACK (issue 5).

* :func:`lapack_ratios` — LAPACK's own SVD test ratios (dbdt01, dort01, ddrvbd) and threshold 50.
* :func:`svd_by_optimization` — a registry :data:`METHODS` of optimisation methods: seed 004's
  penalty formulation with SGD or Adam, and three methods that reach LAPACK-level accuracy: a
  preconditioned Riemannian trust-region method for the Brockett cost on two Stiefel manifolds,
  one-sided Jacobi (coordinate descent on the orthogonal group) and block subspace iteration with
  Rayleigh–Ritz.
* :func:`compare_with_lapack` — singular values against gesdd, gesvd and the Jacobi driver gejsv
  (and mpmath for small matrices), principal angles between singular subspaces grouped by
  clusters, LAPACK ratios and a verdict.
* :func:`reproduce_seed004` — the seed-004 experiment over many seeds.
* :data:`CASES`, :func:`make_case` — the fixed test family (random, graded, clustered,
  rank-deficient, tall, wide) used by the report and the benchmarks.

Rigorous enclosures of the singular values live in ``proofs_check.svd``.
"""
from ._compare import LapackComparison, compare_with_lapack, singular_value_clusters
from ._methods import METHODS, SVDMethod, SVDOptResult, relative_residual, svd_by_optimization
from ._ratios import LAPACK_THRESHOLD, LapackRatios, lapack_ratios
from ._seed004 import SEED004_SHAPES, Seed004Result, reproduce_seed004
from ._cases import CASES, make_case

__all__ = [
    "LAPACK_THRESHOLD",
    "LapackRatios",
    "lapack_ratios",
    "METHODS",
    "SVDMethod",
    "SVDOptResult",
    "svd_by_optimization",
    "relative_residual",
    "LapackComparison",
    "compare_with_lapack",
    "singular_value_clusters",
    "SEED004_SHAPES",
    "Seed004Result",
    "reproduce_seed004",
    "CASES",
    "make_case",
]
