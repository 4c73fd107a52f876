"""SVD by optimisation, checked against LAPACK (issue 5).

* :func:`lapack_ratios` — LAPACK's own SVD test ratios (dbdt01/dbdt05, dort01, ddrvbd) and threshold 50.
* :func:`svd_by_optimization` — a registry :data:`METHODS` of optimisation methods: seed 004's
  penalty formulation with SGD or Adam, and three methods that reach LAPACK-level accuracy: a
  preconditioned Riemannian trust-region method for the Brockett cost on two Stiefel manifolds,
  one-sided Jacobi (coordinate descent on the orthogonal group) and block subspace iteration with
  Rayleigh–Ritz.
* :func:`compare_with_lapack` — singular values against gesdd, gesvd and the Jacobi driver gejsv
  (and mpmath for small matrices), principal angles between singular subspaces grouped by
  clusters, LAPACK ratios and a verdict.
* :func:`check_method` — a method and its comparison (``linalg-lab svd check``).
* :func:`reproduce_seed004` (module :mod:`linalg_lab.svd.seed004`) — the seed-004 experiment over
  many seeds.
* :data:`CASES`, :func:`make_case` — the fixed test family (random, graded, clustered,
  rank-deficient, tall, wide) used by the report and the benchmarks.

Rigorous enclosures of the singular values live in ``proofs_check.svd``.
"""
from ._check import SVDCheckResult, check_method
from ._compare import MPMATH_MAX_DIM, LapackComparison, compare_with_lapack, lapack_references, singular_value_clusters
from ._methods import METHODS, SVDMethod, SVDOptResult, penalty_step_size, relative_residual, svd_by_optimization
from ._penalty import PENALTY_CONFIGS, PenaltyConfig
from ._ratios import (
    LAPACK_THRESHOLD,
    LapackRatios,
    lapack_ratios,
    orthogonality_ratio,
    partial_residual_ratio,
    residual_ratio,
    triplet_residual_ratio,
)
from .seed004 import SEED004_SHAPES, Seed004Result, reproduce_seed004
from ._cases import CASES, make_case

__all__ = [
    "SVDCheckResult",
    "check_method",
    "MPMATH_MAX_DIM",
    "lapack_references",
    "penalty_step_size",
    "PENALTY_CONFIGS",
    "PenaltyConfig",
    "orthogonality_ratio",
    "partial_residual_ratio",
    "residual_ratio",
    "triplet_residual_ratio",
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
