"""Certified scalar dynamics of Newton–Schulz schedules (exact algebra, Arb ball arithmetic).

Every function takes a step or schedule as :func:`linalg_lab.ns_schedule` accepts it (preset
names, coefficient strings and lists, JSON files) with the coefficients kept as exact rationals,
and returns a frozen certificate with a ``verdict`` (``certified`` is derived from it), ``rigour``,
``status``/``reason`` and the enclosures behind it:

- :func:`fixed_points`: exact real fixed points, multipliers and stability, 2-cycles, critical
  points and values, positive zeros (sign-flip thresholds);
- :func:`basins`: a partition of an interval into pieces with proved fates;
- :func:`schedule_band`: a tight rigorous enclosure of ``P([lo, hi])`` for the composed schedule;
- :func:`absorbing_interval`: ``J`` with ``p(J) ⊆ J`` and a certified attracting cycle inside;
- :func:`headroom`: how far above 1 inputs may go before the schedule misbehaves;
- :func:`steps_to_tolerance`: the certified minimal number of steps to reach ``eps``;
- :func:`certify_schedule`: all of the above for one schedule (what ``proofs-check ns`` prints).
"""
from ._common import AlgebraicReal
from .absorbing import AbsorbingInterval, AttractingCycle, absorbing_interval
from .band import ScheduleBand, schedule_band
from .basins import BasinInterval, BasinMap, Trap, basins
from .certify import ScheduleCertificate, certify_schedule
from .design import CertifiedDesign, certify_design
from .fixed_points import CriticalPoint, FixedPoint, FixedPointsResult, PeriodicOrbit, fixed_points
from .headroom import Headroom, headroom
from .steps import StepsToTolerance, steps_to_tolerance

__all__ = [
    "fixed_points", "basins", "schedule_band", "absorbing_interval", "headroom", "steps_to_tolerance",
    "FixedPointsResult", "FixedPoint", "PeriodicOrbit", "CriticalPoint", "AlgebraicReal",
    "BasinMap", "BasinInterval", "Trap",
    "ScheduleBand", "AbsorbingInterval", "AttractingCycle", "Headroom", "StepsToTolerance",
    "certify_schedule", "ScheduleCertificate", "certify_design", "CertifiedDesign",
]
