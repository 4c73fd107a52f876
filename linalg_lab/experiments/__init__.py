"""Reproductions of published experiments.

``alignment``: low-rank first-layer gradients of two-layer networks and their alignment with the
data residue or an input spike (Sonthalia, Murray, Montúfar, arXiv:2510.01303).
"""
from . import alignment
from .alignment import (
    CONFIGS,
    PAIRS,
    SWEEPS,
    AlignmentConfig,
    ComparisonResult,
    ExperimentResult,
    GradientDecomposition,
    SweepResult,
    TrainResult,
    compare_runs,
    first_layer_gradient,
    gradient_decomposition,
    nu_sweep,
    run_experiment,
    train,
)

__all__ = [
    "alignment",
    "CONFIGS",
    "PAIRS",
    "SWEEPS",
    "AlignmentConfig",
    "ComparisonResult",
    "ExperimentResult",
    "GradientDecomposition",
    "SweepResult",
    "TrainResult",
    "compare_runs",
    "first_layer_gradient",
    "gradient_decomposition",
    "nu_sweep",
    "run_experiment",
    "train",
]
