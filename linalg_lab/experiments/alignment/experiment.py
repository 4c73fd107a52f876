"""One entry point for the faces: a named configuration, pair or sweep over one or more seeds."""
from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from ..._results import Result, Rigour, Status
from ..._validation import check_int, check_option
from .comparison import compare_runs
from .configs import CONFIGS, PAIRS, SWEEPS, experiment_names
from .data import NU_GRID
from .sweep import nu_sweep
from .training import TrainResult, train

__all__ = ["ExperimentResult", "run_experiment", "experiment_epochs"]


@dataclasses.dataclass(frozen=True)
class ExperimentResult(Result):
    """A named experiment over one or more seeds: single runs, pairs or a nu-sweep.

    Attributes
    ----------
    name : str
    experiment_kind : str
        "train", "pair" or "sweep".
    runs : tuple
        One TrainResult or ComparisonResult per seed ("train"/"pair"), or one SweepResult.
    aggregate : dict
        Mean and spread over seeds of the final alignments and losses (train/pair).
    elapsed_s : float
    rigour : Rigour
        NUMERICAL.
    """

    name: str
    experiment_kind: str
    runs: tuple[Any, ...]
    aggregate: dict[str, Any]
    elapsed_s: float
    rigour: Rigour
    status: Status
    reason: str

    def summary(self) -> str:
        parts = [f"experiment alignment '{self.name}' ({self.experiment_kind}, {len(self.runs)} run(s)): {self.status.value}"]
        parts += [r.summary() for r in self.runs[:1]]
        if len(self.runs) > 1 or self.experiment_kind != "sweep":
            parts.append("aggregate over seeds (final epoch): " + ", ".join(
                f"{k} = {v['mean']:.4g} ± {v['std']:.2g}" for k, v in self.aggregate.items()))
        if not self.ok:
            parts.append(f"reason: {self.reason}")
        return "\n".join(parts)


def _agg(runs: list[TrainResult], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("alignment_q", "alignment_residue", "energy", "loss", "test_loss"):
        vals = np.array([r.history[key][-1] for r in runs])
        out[prefix + key] = {"mean": float(np.nanmean(vals)), "std": float(np.nanstd(vals))}
    return out


def run_experiment(name: str, *, seeds: int = 1, progress: Callable[..., Any] | None = None) -> ExperimentResult:
    """Run a named experiment (a configuration, a pair or a sweep) over ``seeds`` seeds.

    Parameters
    ----------
    name : str
        One of :func:`experiment_names`: a key of :data:`CONFIGS` (one training run per seed),
        of :data:`PAIRS` (two runs compared per seed, :func:`compare_runs`) or of :data:`SWEEPS`
        (a nu-sweep at initialisation, :func:`nu_sweep`).
    seeds : int, default 1
        Number of seeds, ``>= 1``; seeds ``0 .. seeds-1`` are used.
    progress : callable, optional
        Called as ``progress(1)`` after every epoch (every grid point of a sweep); see
        :func:`experiment_epochs` for the total.

    Returns
    -------
    ExperimentResult
        ``experiment_kind`` "train", "pair" or "sweep"; ``runs`` (one TrainResult or
        ComparisonResult per seed, or one SweepResult); ``aggregate`` (mean and std over seeds of
        the final alignments and losses; empty for a sweep); ``status`` OK, or INACCURATE with the
        failed runs' reasons (rigour NUMERICAL).

    Raises
    ------
    InputValueError
        Unknown ``name`` (the message lists the names), or ``seeds < 1``.
    InputTypeError
        ``seeds`` is not an int.

    Examples
    --------
    >>> run_experiment("tiny-relu").runs[0].history["loss"].shape
    (10,)
    """
    func = "run_experiment"
    t0 = time.perf_counter()
    check_option(name, "config", experiment_names(), func=func)
    seeds = check_int(seeds, "seeds", func=func, minimum=1)
    if name in SWEEPS:
        sw = nu_sweep(SWEEPS[name], seeds=seeds, progress=progress)
        return ExperimentResult(name=name, experiment_kind="sweep", runs=(sw,), aggregate={},
                                elapsed_s=time.perf_counter() - t0, rigour=Rigour.NUMERICAL, status=sw.status, reason=sw.reason)
    if name in PAIRS:
        a, b = PAIRS[name]
        pairs = [compare_runs(a, b, seed=s, progress=progress) for s in range(seeds)]
        agg = _agg([p.first for p in pairs], a + ".")
        agg.update(_agg([p.second for p in pairs], b + "."))
        agg["mean_angle_deg"] = {"mean": float(np.mean([p.mean_angle_deg[-1] for p in pairs])),
                                 "std": float(np.std([p.mean_angle_deg[-1] for p in pairs]))}
        ok = all(p.ok for p in pairs)
        return ExperimentResult(name=name, experiment_kind="pair", runs=tuple(pairs), aggregate=agg,
                                elapsed_s=time.perf_counter() - t0, rigour=Rigour.NUMERICAL,
                                status=Status.OK if ok else Status.INACCURATE,
                                reason="all runs finished" if ok else "; ".join(p.reason for p in pairs if not p.ok))
    runs = [train(name, seed=s, progress=progress) for s in range(seeds)]
    ok = all(r.ok for r in runs)
    return ExperimentResult(name=name, experiment_kind="train", runs=tuple(runs), aggregate=_agg(runs),
                            elapsed_s=time.perf_counter() - t0, rigour=Rigour.NUMERICAL,
                            status=Status.OK if ok else Status.INACCURATE,
                            reason="all runs finished" if ok else "; ".join(r.reason for r in runs if not r.ok))


def experiment_epochs(name: str, seeds: int = 1) -> int:
    """Number of progress steps :func:`run_experiment` reports for ``name`` (for a progress bar).

    Parameters
    ----------
    name : str
        One of :func:`experiment_names` (a configuration, a pair or a sweep).
    seeds : int, default 1
        Number of seeds, as for :func:`run_experiment` (not validated here).

    Returns
    -------
    int
        ``epochs * seeds`` for a configuration, the sum of both configurations' epochs times
        ``seeds`` for a pair, ``len(NU_GRID) * seeds`` for a sweep.

    Raises
    ------
    InputValueError
        Unknown ``name``.

    Examples
    --------
    >>> experiment_epochs("tiny-relu-vs-sigmoid", seeds=2)
    40
    """
    check_option(name, "config", experiment_names(), func="experiment_epochs")
    if name in SWEEPS:
        return len(NU_GRID) * seeds
    if name in PAIRS:
        a, b = PAIRS[name]
        return (CONFIGS[a].epochs + CONFIGS[b].epochs) * seeds
    return CONFIGS[name].epochs * seeds
