"""Optimisers whose spectral claims linalg-lab measures: Pion (spectrum-preserving updates).

``pion_step`` performs one update and reports its diagnostics; ``pion_drift`` measures the
singular-value drift of each retraction over many steps against derived bounds;
``pion_descent_identity`` checks that the update is a descent direction; ``compare_training``
compares Pion, Muon-style Newton–Schulz updates and SGD on a small least-squares problem.
"""
from .compare import OPTIMIZERS, TrainingComparison, TrainingCurve, compare_training
from .drift import ROUNDING_UNITS, DriftTrace, PionDriftResult, e2_step_bound, pion_drift
from .pion import (
    RETRACTIONS,
    DescentIdentityResult,
    PionState,
    PionStepResult,
    Retraction,
    pion_descent_identity,
    pion_generators,
    pion_step,
)

__all__ = [
    "pion_step",
    "pion_generators",
    "pion_descent_identity",
    "pion_drift",
    "e2_step_bound",
    "compare_training",
    "RETRACTIONS",
    "OPTIMIZERS",
    "ROUNDING_UNITS",
    "Retraction",
    "PionState",
    "PionStepResult",
    "DescentIdentityResult",
    "DriftTrace",
    "PionDriftResult",
    "TrainingCurve",
    "TrainingComparison",
]
