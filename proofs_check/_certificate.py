"""Certificate types: a verdict, the rigorous enclosures behind it, and how they were obtained.

A certificate may say ``certified=True`` / verdict "proved" only when every rounding is accounted
for (Arb balls, outward-rounded intervals, exact rationals or algebraic numbers).  Anything else is
reported with ``certified=False`` and a rigour level of "numerical" or "high-precision reference".
"""
from __future__ import annotations

import enum

from linalg_lab.internal import Result, Rigour, Status, Verdict

__all__ = ["Verdict", "Certificate", "Rigour", "Status"]


class Certificate(Result):
    """Legacy mixin (being replaced by ``linalg_lab._results.Certificate``, whose ``certified`` derives
    from ``verdict``); subclasses define ``certified``, ``status``, ``reason``."""

    certified: bool
