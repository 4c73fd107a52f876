"""One certificate bundling every verdict about a schedule (what ``proofs-check ns`` prints)."""
from __future__ import annotations

import dataclasses
import math
from typing import Any

from linalg_lab.internal import Certificate, InputValueError, Rigour, Status, Verdict

from ._common import as_schedule, verdict_of
from .absorbing import AbsorbingInterval, absorbing_interval
from .band import ScheduleBand, schedule_band
from .basins import BasinMap, basins as basin_map
from .fixed_points import FixedPointsResult, fixed_points
from .headroom import Headroom, headroom
from .steps import StepsToTolerance, steps_to_tolerance

__all__ = ["ScheduleCertificate", "certify_schedule"]


@dataclasses.dataclass(frozen=True)
class ScheduleCertificate(Certificate):
    """Every certified verdict about one schedule: the band on ``[lo, 1]``, steps to each
    tolerance, headroom, and the dynamics (fixed points, absorbing interval and, on request, the
    basin map on ``[0, max(2, headroom)]``) of the step that repeats beyond the list.  The verdict
    is "proved" exactly when every part's is."""

    schedule: str
    lo: float
    band: ScheduleBand
    tolerances: tuple[StepsToTolerance, ...]
    headroom: Headroom
    last_step: FixedPointsResult
    absorbing: AbsorbingInterval
    verdict: Verdict
    status: Status
    reason: str
    rigour: Rigour = Rigour.CERTIFIED  # every number is an Arb enclosure or exact
    basins: BasinMap | None = None

    def summary(self) -> str:
        parts = [f"ScheduleCertificate for {self.schedule!r} on [{self.lo:.3g}, 1]: "
                 + ("CERTIFIED" if self.certified else "NOT fully certified"),
                 "", self.band.summary(), ""]
        for t in self.tolerances:
            if t.reached:
                parts.append(f"eps {t.eps:.0e}: {t.steps} steps ({t.products} products), certified minimal")
            elif t.reached is False:
                parts.append(f"eps {t.eps:.0e}: never reached ({t.witness})")
            else:
                parts.append(f"eps {t.eps:.0e}: undecided ({t.reason})")
        parts += ["", self.headroom.summary(), "", "step repeated beyond the list:", self.last_step.summary(),
                  "", self.absorbing.summary()]
        if self.basins is not None:
            parts += ["", self.basins.summary()]
        if self.reason:
            parts.append(f"reason: {self.reason}")
        return "\n".join(parts)


def certify_schedule(schedule: Any, lo: Any = 1e-3, *, eps: tuple[float, ...] = (1e-1, 1e-3, 1e-7),
                     steps: int | None = None, basins: bool = False) -> ScheduleCertificate:
    """Run every certified analysis on ``schedule``; the verdict is "proved" when every part's is.

    Parameters
    ----------
    schedule : str, Schedule or coefficients
        Anything :func:`linalg_lab.ns_schedule` accepts.
    lo : float, optional
        The band, steps and headroom are those of ``[lo, 1]`` (default 1e-3).
    eps : tuple of float, optional
        Targets of :func:`steps_to_tolerance`.
    steps : int, optional
        Steps composed for the band and headroom (default: the schedule's usual count).
    basins : bool, optional
        Also certify the basin map of the repeated step on ``[0, max(2, headroom)]`` (headroom
        capped at 10); default False.

    Examples
    --------
    >>> c = certify_schedule("cubic")
    >>> c.certified, c.tolerances[0].steps
    (True, 18)
    """
    sch = as_schedule(schedule, func="certify_schedule")
    band = schedule_band(sch, lo, 1, steps=steps)
    tols = tuple(steps_to_tolerance(sch, lo, e) for e in eps)
    hr = headroom(sch, lo=lo, steps=steps)
    last = len(sch.steps) - 1
    try:
        fp = fixed_points(sch, index=last)
    except InputValueError as exc:  # the repeated step is p(x) = x or p(x) = 0: nothing isolated to list
        fp = FixedPointsResult(coeffs=tuple(sch.step(last).coeffs), fixed_points=(), period2=(),
                               critical_points=(), positive_zeros=(), verdict=verdict_of(False),
                               status=Status.UNDECIDED, reason=str(exc))
    J = absorbing_interval(sch, index=last)
    parts = [("band", band), ("headroom", hr), ("fixed points", fp), ("absorbing interval", J)]
    bm = None
    if basins:
        top = hr.upper if math.isfinite(hr.upper) and hr.upper < 10 else 2.0
        bm = basin_map(sch, 0, max(2.0, top), index=last)
        parts.append(("basins", bm))
    parts += [(f"steps to eps={t.eps:g}", t) for t in tols]
    bad = [name for name, r in parts if not r.certified]
    certified = not bad
    return ScheduleCertificate(schedule=sch.name, lo=band.lo, band=band, tolerances=tols, headroom=hr,
                               last_step=fp, absorbing=J, basins=bm, verdict=verdict_of(certified),
                               status=Status.OK if certified else Status.UNDECIDED,
                               reason="" if certified else "not certified: " + ", ".join(bad))
