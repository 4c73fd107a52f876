"""Certify a designed Newton–Schulz schedule (``linalg_lab.ns.design``) and compare it with the presets.

The design itself is numerical (Remez in mpmath); this module proves, with :func:`schedule_band`,
what the rounded schedule does on ``[lo, hi]`` and whether it provably beats each preset.
"""
from __future__ import annotations

import dataclasses

from linalg_lab.internal import Result, Rigour, Status
from linalg_lab.ns import PRESETS
from linalg_lab.ns.design import DesignCheck, NSDesign, certified_error_bounds

from .band import schedule_band

__all__ = ["CertifiedDesign", "certify_design"]


@dataclasses.dataclass(frozen=True)
class CertifiedDesign(Result):
    """A design, the certified check of its rounded schedule, and certified errors of the presets.

    ``presets`` maps each preset whose steps have the design's degree (when the design uses one
    degree) to its certified ``[lower, upper]`` bounds on ``max |1 - P|`` over ``[lo, hi]`` after as
    many steps as the design; ``beats`` lists those the design provably beats (its certified upper
    bound below their certified lower bound).
    """

    design: NSDesign
    check: DesignCheck
    lower: float
    upper: float
    presets: dict[str, tuple[float, float]]
    beats: tuple[str, ...]
    rigour: Rigour
    status: Status
    reason: str


def certify_design(d: NSDesign, *, compare: bool = True) -> CertifiedDesign:
    """Certify a design's rounded schedule with ``proofs_check.schedule_band`` and compare with presets.

    Parameters
    ----------
    d : NSDesign
        A design from :func:`linalg_lab.ns.ns_design`; its rounded ``schedule`` is certified over
        ``[d.lo, d.hi]`` for as many steps as it has degrees.
    compare : bool, default True
        Keyword-only: also certify the presets whose steps all have the design's degree (only when
        the design uses a single degree).

    Returns
    -------
    CertifiedDesign
        The design, the certified check of its schedule, the certified band ``lower``/``upper``,
        the presets' certified ``max |1 - P|`` bounds and those the design provably beats;
        rigour CERTIFIED when the check is certified (else REFERENCE) and the design's or the
        check's status.
    """
    k = len(d.degrees)
    band = schedule_band(d.schedule, d.lo, d.hi, steps=k)
    check = d.check_certified(band)
    presets: dict[str, tuple[float, float]] = {}
    if compare and len(set(d.degrees)) == 1:
        for name, sch in PRESETS.items():
            if all(st.degree == d.degrees[0] for st in sch.steps):
                pb = schedule_band(sch, d.lo, d.hi, steps=k)
                presets[name] = certified_error_bounds(pb) if pb.certified else (float("nan"), float("inf"))
    beats = tuple(n for n, (lo_, _) in presets.items() if check.certified_upper < lo_)
    ok = d.ok and check.ok
    return CertifiedDesign(design=d, check=check, lower=band.lower, upper=band.upper, presets=presets,
                           beats=beats, rigour=Rigour.CERTIFIED if check.certified else Rigour.REFERENCE,
                           status=Status.OK if ok else (d.status if not d.ok else check.status),
                           reason=d.reason or check.reason)


