"""Newton–Schulz orthogonalisation: exact schedules, the matrix iteration and its numeric analysis.

Public names (the main ones also exported from :mod:`linalg_lab`): steps and schedules
(:class:`Step`, :class:`Schedule`, the preset registry :data:`PRESETS`, :func:`ns_schedule`,
:func:`parse_coefficients`, :func:`to_fraction`), the iteration (:func:`newton_schulz`,
:class:`NewtonSchulzResult`), the numeric analysis (:func:`analyze_ns_step`,
:func:`analyze_ns_schedule`, :func:`ns_steps_needed`, :func:`analyze_ns_output`,
:func:`ns_band_curve` and their result types) and the seed-000 reproduction
(:func:`seed000_reproduction`).  Certified counterparts live in ``proofs_check.newton_schulz``;
the CLI commands, report section and figures in ``linalg_lab.app``.
"""
from .analysis import (
    BandCurve,
    OutputAnalysis,
    ScheduleAnalysis,
    StepAnalysis,
    StepsNeededResult,
    analyze_ns_output,
    analyze_ns_schedule,
    analyze_ns_step,
    image_interval,
    ns_band_curve,
    ns_steps_needed,
)
from .design import DesignCheck, DesignStep, NSDesign, apply_safety, design_schedule, ns_design
from .design_budget import BudgetDesign, design_budget
from .iteration import PRECISIONS, NewtonSchulzResult, newton_schulz
from .polynomials import Step, to_fraction
from .remez import MinimaxPolynomial, minimax_odd
from .reproductions import SEED000_TOLERANCE, seed000_reproduction
from .schedules import DEPRECATED_ALIASES, EPS_MODES, PRESETS, Schedule, ns_schedule, parse_coefficients

__all__ = [
    "PRESETS",
    "DEPRECATED_ALIASES",
    "EPS_MODES",
    "PRECISIONS",
    "Step",
    "Schedule",
    "ns_schedule",
    "parse_coefficients",
    "to_fraction",
    "newton_schulz",
    "NewtonSchulzResult",
    "analyze_ns_step",
    "analyze_ns_schedule",
    "ns_steps_needed",
    "analyze_ns_output",
    "image_interval",
    "StepAnalysis",
    "ScheduleAnalysis",
    "StepsNeededResult",
    "OutputAnalysis",
    "ns_band_curve",
    "BandCurve",
    "seed000_reproduction",
    "SEED000_TOLERANCE",
    "ns_design",
    "design_schedule",
    "design_budget",
    "minimax_odd",
    "apply_safety",
    "NSDesign",
    "DesignStep",
    "DesignCheck",
    "BudgetDesign",
    "MinimaxPolynomial",
]
