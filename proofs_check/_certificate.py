"""Certificate types: a verdict, the rigorous enclosures behind it, and how they were obtained.

A certificate may say ``certified=True`` / verdict "proved" only when every rounding is accounted
for (Arb balls, outward-rounded intervals, exact rationals or algebraic numbers).  Anything else is
reported with ``certified=False`` and a rigour level of "numerical" or "high-precision reference".
"""
from __future__ import annotations

import enum

from linalg_lab._results import Result, Rigour, Status

__all__ = ["Verdict", "Certificate", "Rigour", "Status"]


class Verdict(str, enum.Enum):
    """Outcome of a rigorous check."""

    PROVED = "proved"
    REFUTED = "refuted"
    UNDECIDED = "undecided"


class Certificate(Result):
    """Mixin for certificate dataclasses; subclasses define ``certified``, ``status``, ``reason``."""

    certified: bool
