"""Sweepable analyses of the families: seed-004 runs, 2->q norms of instance families, certified NS
schedules.  Each is ``run(params, seed) -> Result`` at module level (workers import it)."""
from __future__ import annotations

from typing import Any

from ..._results import Result
from ..._validation import check_int, check_option, check_real
from ...sweep import Analysis
from ..registry import register_analysis


def run_seed004(params: dict[str, Any], seed: int) -> Result:
    """One seed-004 run: matrix index ``seed_index`` (the experiment's own seed, not the spawned one,
    so the sweep reproduces the report's seeds), one shape and one optimiser."""
    from ...svd.seed004 import reproduce_seed004

    func = "sweep seed004"
    idx = check_int(params["seed_index"], "seed_index", func=func, minimum=0)
    steps = check_int(params["steps"], "steps", func=func, minimum=2)
    shape = str(params["shape"])
    try:
        m, n = (int(x) for x in shape.lower().split("x"))
    except ValueError:
        from ..._validation import InputValueError

        raise InputValueError(f"{func}: 'shape' must look like 5x4, got {shape!r}") from None
    method = check_option(params["method"], "method", ("penalty-sgd", "penalty-adam"), func=func)
    return reproduce_seed004(seeds=[idx], steps=steps, shapes=[(m, n)], methods=[method])


def run_two_to_q(params: dict[str, Any], seed: int) -> Result:
    """Every registered bound on ||X||_{2->q} for an instance family (seeded), certified if asked."""
    from ...norms import make_instance, two_to_q

    func = "sweep two-to-q"
    q = check_int(params["q"], "q", func=func, minimum=3)
    size = params["size"]
    inst = make_instance(str(params["family"]), None if size is None else int(size), seed=seed % 2**32, q=q)
    res = two_to_q(inst.X, q, seed=seed % 2**32)
    if not params["certify"]:
        return res
    from proofs_check import certify_two_to_q

    return certify_two_to_q(res)


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
    description="one seed-004 run (SVD by penalty gradient descent): matrix index, shape, optimiser",
    defaults={"seed_index": 0, "shape": "5x4", "method": "penalty-sgd", "steps": 20_000},
    summary_fields=("verdict",), example={"steps": 200, "shape": "4x3"}))
register_analysis(Analysis(
    name="two-to-q", run=run_two_to_q,
    description="bounds on ||X||_{2->q} for an instance family (SoS for even q), optionally certified",
    defaults={"family": "gaussian", "size": 6, "q": 4, "certify": False},
    summary_fields=("lower", "upper", "rigour"), example={"family": "hadamard", "size": 4}))
register_analysis(Analysis(
    name="ns-band", run=run_ns_certify,
    description="certified band P([lo, hi]) of a preset Newton–Schulz schedule",
    defaults={"preset": "muon", "lo": 1e-3, "hi": 1.0, "steps": None},
    summary_fields=("lower", "upper", "verdict"), example={"preset": "cubic", "lo": 0.1, "steps": 3}))
