"""Sweepable: an SVD method against LAPACK on a test case, an alignment training run, and a designed
Newton–Schulz schedule with its certificate."""
from __future__ import annotations

from typing import Any

from ..._results import Result
from ..._validation import check_int, check_option, check_real
from ...sweep import Analysis
from ..registry import register_analysis


def run_svd_check(params: dict[str, Any], seed: int) -> Result:
    """One SVD method on one test case (``make_case``, seeded), scored against LAPACK."""
    from ...svd import CASES, METHODS, check_method, make_case

    func = "sweep svd-check"
    case = check_option(params["case"], "case", tuple(CASES), func=func)
    method = check_option(params["method"], "method", tuple(METHODS), func=func)
    steps = params["steps"]
    A = make_case(case, quick=bool(params["quick"]), seed=seed % 2**32)
    return check_method(A, method=method, seed=seed % 2**32,
                        steps=None if steps is None else check_int(steps, "steps", func=func, minimum=1),
                        mpmath_max_dim=0)


def run_alignment_train(params: dict[str, Any], seed: int) -> Result:
    """One full-batch training run of an alignment configuration with the experiment's seed ``seed_index``."""
    from ...experiments.alignment import train

    idx = check_int(params["seed_index"], "seed_index", func="sweep alignment-train", minimum=0)
    return train(str(params["config"]), seed=idx)


def run_ns_design(params: dict[str, Any], seed: int) -> Result:
    """Design a schedule for (lo, steps, degree, objective) and certify its band (no randomness)."""
    from proofs_check.newton_schulz import certify_design

    from ...ns.design import OBJECTIVES, design_schedule

    func = "sweep ns-design"
    lo = check_real(params["lo"], "lo", func=func, lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    steps = check_int(params["steps"], "steps", func=func, minimum=1)
    degree = check_int(params["degree"], "degree", func=func, minimum=3)
    objective = check_option(params["objective"], "objective", OBJECTIVES, func=func)
    d = design_schedule(lo=lo, steps=steps, degree=degree, objective=objective)
    return certify_design(d, compare=False)


register_analysis(Analysis(
    name="svd-check", run=run_svd_check,
    description="one SVD method on one test case (make_case, seeded), scored in LAPACK's test ratios",
    defaults={"case": "random", "method": "jacobi", "quick": True, "steps": None},
    summary_fields=("ok",), example={"case": "random", "method": "jacobi"}))
register_analysis(Analysis(
    name="alignment-train", run=run_alignment_train,
    description="one alignment training run (configuration, experiment seed)",
    defaults={"config": "small-paper", "seed_index": 0},
    summary_fields=("status",), example={"config": "tiny-relu"}))
register_analysis(Analysis(
    name="ns-design", run=run_ns_design,
    description="a designed Newton–Schulz schedule (lo, steps, degree, objective) and its certified band",
    defaults={"lo": 1e-3, "steps": 5, "degree": 5, "objective": "minimax"},
    summary_fields=("lower", "upper", "ok"), example={"lo": 0.1, "steps": 2, "degree": 3}))
