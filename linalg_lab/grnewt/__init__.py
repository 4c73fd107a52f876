"""Per-group Newton learning rates (seed 003: P. Wolinski, arXiv:2312.03885).

Partitions of the parameters into groups, the summaries (H̄, ḡ, order3) of a loss along a
direction, the anisotropic Nesterov solver for the per-group learning rates (and the seed's
algorithm as a yardstick), the optimiser and a small training reproduction.  Certified root
enclosures live in ``proofs_check.grnewt``.
"""
from .brute_force import BruteForceMinimum, brute_force_minimum, model_bounded_below, model_value_error
from .comparison import D_KINDS, H_KINDS, ComparisonCell, SolverComparison, compare_solvers, test_problem
from .nesterov import NesterovLRs, SolverCase, cubic_model_value, nesterov_lrs, validate_summary
from .seed_reference import SeedNesterovResult, seed_nesterov_lrs

__all__ = [
    "SolverCase", "NesterovLRs", "nesterov_lrs", "cubic_model_value", "validate_summary",
    "SeedNesterovResult", "seed_nesterov_lrs",
    "BruteForceMinimum", "brute_force_minimum", "model_bounded_below", "model_value_error",
    "H_KINDS", "D_KINDS", "test_problem", "ComparisonCell", "SolverComparison", "compare_solvers",
]
from .models import ACTIVATIONS, MLP, PolynomialModel
from .partition import Partition, blocks, by_suffix, canonical, named_shapes, trivial
from .summaries import METHODS, Summaries, summaries

__all__ += [
    "ACTIVATIONS", "MLP", "PolynomialModel",
    "Partition", "blocks", "by_suffix", "canonical", "named_shapes", "trivial",
    "METHODS", "Summaries", "summaries",
]
from .optimiser import NewtonSummary, StepRecord, next_learning_rates

__all__ += ["NewtonSummary", "StepRecord", "next_learning_rates"]
# TorchNewtonSummary lives in linalg_lab.grnewt.torch_optimiser (imports torch when imported).
from .reproduction import TrainingComparison, TrainingRun, synthetic_regression, training_comparison

__all__ += ["TrainingComparison", "TrainingRun", "synthetic_regression", "training_comparison"]
