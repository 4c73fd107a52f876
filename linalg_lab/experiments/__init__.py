"""Reproductions of published experiments.

``alignment``: low-rank first-layer gradients of two-layer networks and their alignment with the
data residue or an input spike (Sonthalia, Murray, Montúfar, arXiv:2510.01303).
``linearity``: the transition to linearity of wide networks, ``||H||_2 / ||grad f||`` against width.
"""
from . import alignment, linearity
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
from .linearity import LinearitySweepResult, linearity_sweep

__all__ = [
    "alignment",
    "linearity",
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
    "linearity_sweep",
    "LinearitySweepResult",
]
