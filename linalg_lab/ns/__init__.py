"""Newton–Schulz orthogonalisation: exact schedules, the matrix iteration and its numeric analysis.

Public names (also exported from :mod:`linalg_lab`): schedules (:class:`Step`, :class:`Schedule`,
:data:`PRESETS`, :func:`ns_schedule`), the iteration (:func:`newton_schulz`,
:class:`NewtonSchulzResult`) and the numeric analysis (:func:`analyze_ns_step`,
:func:`analyze_ns_schedule`, :func:`ns_steps_needed`, :func:`analyze_ns_output` and their result
types).  Certified counterparts live in ``proofs_check.newton_schulz``.
"""
from .analysis import (
    BandCurve,
    ns_band_curve,
    OutputAnalysis,
    ScheduleAnalysis,
    StepAnalysis,
    StepsNeededResult,
    analyze_ns_output,
    analyze_ns_schedule,
    analyze_ns_step,
    image_interval,
    ns_steps_needed,
)
from .iteration import PRECISIONS, NewtonSchulzResult, newton_schulz
from .schedules import PRESETS, Schedule, Step, ns_schedule

__all__ = [
    "PRESETS",
    "PRECISIONS",
    "Step",
    "Schedule",
    "ns_schedule",
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
]
