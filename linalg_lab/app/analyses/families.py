"""Sweepable analyses of the families: seed-004 batches, 2->q norms of instance families, certified NS
schedules.  Each is ``run(params, seed) -> Result`` at module level (workers import it); ``collect``
pools stored points into the result the report shows."""
from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

from ..._results import Result, Rigour, Status
from ..._validation import check_int, check_option, check_real
from ...sweep import Analysis
from ..registry import register_analysis


def run_seed004(params: dict[str, Any], seed: int) -> Result:
    """One seed-004 batch: seeds ``seed_index .. seed_index + seed_count - 1`` (the experiment's own
    seeds, not the spawned one, so a sweep reproduces the report's seeds), one shape, one optimiser."""
    from ...svd.seed004 import seed004_batch

    func = "sweep seed004"
    idx = check_int(params["seed_index"], "seed_index", func=func, minimum=0)
    count = check_int(params["seed_count"], "seed_count", func=func, minimum=1)
    method = check_option(params["method"], "method", ("penalty-sgd", "penalty-adam"), func=func)
    return seed004_batch(str(params["shape"]), method, list(range(idx, idx + count)), steps=params["steps"])


def collect_seed004(results: list[dict[str, Any]]) -> Result:
    """Stored seed-004 batches -> the table and verdict of :func:`~linalg_lab.svd.reproduce_seed004`."""
    from ...svd.seed004 import Seed004Batch, collect_seed004 as pool

    return pool([Seed004Batch.from_dict(r) for r in results])


def figures_seed004(pooled: Result, folder: Path) -> list[Path]:
    from ..plots.svd import plot_seed004

    return [plot_seed004(pooled, Path(folder) / "svd_seed004_losses.png")]


@dataclasses.dataclass(frozen=True)
class TwoToQPoint(Result):
    """One instance of a family: its known value (if any), every registered bound, and the certificate.

    Attributes
    ----------
    family : str
    shape : str
    q : int
    truth : float or None
        The known NORM ``||X||_{2->q}`` (None when the family's value is unknown).
    truth_rtol : float
        Relative accuracy of ``truth`` (rows rounded to float64 know it only to this).
    sos_exact : bool
        The degree-q SoS relaxation is known to be tight on this family.
    lower, upper : float
        The bracket: the certificate's when certified, else the numerical one.
    outcome : str
        The certificate's outcome, or "numerical".
    result : Result
        :func:`~linalg_lab.norms.two_to_q`'s result (every bound in ``bounds``).
    certificate : Result or None
        :func:`proofs_check.certify_two_to_q`'s certificate when ``certify`` was asked.
    """

    family: str
    shape: str
    q: int
    truth: float | None
    truth_rtol: float
    sos_exact: bool
    lower: float
    upper: float
    outcome: str
    result: Result
    certificate: Result | None
    elapsed_s: float
    status: Status
    reason: str
    rigour: Rigour

    def summary(self) -> str:
        t = "unknown" if self.truth is None else f"{self.truth:.10g}"
        return (f"{self.family} {self.shape} q={self.q}: [{self.lower:.10g}, {self.upper:.10g}] ({self.outcome}); "
                f"truth {t}")


def run_two_to_q(params: dict[str, Any], seed: int) -> Result:
    """Every registered bound on ||X||_{2->q} for an instance family (seeded), certified if asked."""
    from ...norms import make_instance, two_to_q

    func = "sweep two-to-q"
    q = check_int(params["q"], "q", func=func, minimum=3)
    size = params["size"]
    t0 = time.perf_counter()
    s32 = seed % 2**32
    inst = make_instance(str(params["family"]), None if size is None else int(size), seed=s32, q=q)
    res = two_to_q(inst.X, q, seed=s32)
    cert = None
    if params["certify"] and res.sos_result is not None:
        from proofs_check import certify_two_to_q

        cert = certify_two_to_q(res)
    best = cert if cert is not None else res
    return TwoToQPoint(family=inst.family, shape=f"{inst.X.shape[0]}x{inst.X.shape[1]}", q=q, truth=inst.truth,
                       truth_rtol=inst.truth_rtol, sos_exact=inst.sos_exact, lower=best.lower, upper=best.upper,
                       outcome=cert.outcome if cert is not None else "numerical", result=res, certificate=cert,
                       elapsed_s=time.perf_counter() - t0, status=best.status, reason=best.reason,
                       rigour=Rigour.CERTIFIED if cert is not None and cert.certified else Rigour.NUMERICAL)


def run_ns_certify(params: dict[str, Any], seed: int) -> Result:
    """Certified band of a preset schedule on [lo, hi] after ``steps`` steps (no randomness)."""
    from proofs_check import schedule_band

    func = "sweep ns-band"
    lo = check_real(params["lo"], "lo", func=func, lo=0.0, lo_open=True)
    steps = params["steps"]
    return schedule_band(str(params["preset"]), lo, float(params["hi"]),
                         steps=None if steps is None else check_int(steps, "steps", func=func, minimum=1))


register_analysis(Analysis(
    name="seed004", run=run_seed004,
    description="a batch of seed-004 runs (SVD by penalty gradient descent): first seed, count, shape, optimiser",
    defaults={"seed_index": 0, "seed_count": 1, "shape": "5x4", "method": "penalty-sgd", "steps": 20_000},
    summary_fields=("median_error", "diverged"), example={"steps": 200, "shape": "4x3"},
    collect=collect_seed004, figures=figures_seed004))
register_analysis(Analysis(
    name="two-to-q", run=run_two_to_q,
    description="bounds on ||X||_{2->q} for an instance family (SoS for even q), optionally certified",
    defaults={"family": "gaussian", "size": 6, "q": 4, "certify": False},
    summary_fields=("lower", "upper", "truth", "outcome"), example={"family": "hadamard", "size": 4}))
register_analysis(Analysis(
    name="ns-band", run=run_ns_certify,
    description="certified band P([lo, hi]) of a preset Newton–Schulz schedule",
    defaults={"preset": "muon", "lo": 1e-3, "hi": 1.0, "steps": None},
    summary_fields=("lower", "upper", "verdict"), example={"preset": "cubic", "lo": 0.1, "steps": 3}))
