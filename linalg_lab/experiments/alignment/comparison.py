"""Two runs from the same data and initial weights, compared by principal angles between their weights."""
from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..._results import Result, Rigour, Status
from ..._validation import InputValueError, check_int
from ...subspace import principal_angles
from .configs import AlignmentConfig, get_config
from .training import TrainResult, train

__all__ = ["ComparisonResult", "compare_runs"]


@dataclasses.dataclass(frozen=True)
class ComparisonResult(Result):
    """Two runs from the same data and initial weights, and the principal angles between them.

    Attributes
    ----------
    first, second : TrainResult
    angle_epochs : (k,) ndarray
        Epochs at which the angles were measured.
    mean_angle_deg, max_angle_deg : (k,) ndarray
        Mean and largest principal angle (degrees) between the column spaces of the two runs'
        weight matrices (the notebook's measure; both are (m, d), so these are d-dimensional
        subspaces of R^m).
    elapsed_s : float
    rigour : Rigour
        NUMERICAL.
    """

    first: TrainResult
    second: TrainResult
    angle_epochs: NDArray[np.int64]
    mean_angle_deg: NDArray[np.float64]
    max_angle_deg: NDArray[np.float64]
    elapsed_s: float
    rigour: Rigour
    status: Status
    reason: str

    def summary(self) -> str:
        lines = [self.first.summary(), "", self.second.summary(), "",
                 f"principal angles between '{self.first.config.name}' and '{self.second.config.name}' weights "
                 "(column spaces), degrees:", "  epoch   mean    max"]
        for e, mn, mx in zip(self.angle_epochs, self.mean_angle_deg, self.max_angle_deg):
            lines.append(f"  {int(e):5d} {mn:6.2f} {mx:6.2f}")
        return "\n".join(lines)


def compare_runs(
    config_a: str | AlignmentConfig, config_b: str | AlignmentConfig, *, seed: int = 0,
    angle_every: int | None = None, progress: Callable[..., Any] | None = None,
) -> ComparisonResult:
    """Train two configurations from the same seed and compare their weights by principal angles.

    Parameters
    ----------
    config_a, config_b : str or AlignmentConfig
    seed : int
    angle_every : int, optional
        Measure the angles every that many epochs (default: about 10 points per run).  Each
        measurement costs two QR factorisations of an (m, d) matrix and an SVD of a d x d one.
    progress : callable, optional

    Returns
    -------
    ComparisonResult

    Examples
    --------
    >>> from linalg_lab.experiments.alignment import CONFIGS
    >>> c = compare_runs(CONFIGS["tiny-ntk"].replace(epochs=2), CONFIGS["tiny-mean-field"].replace(epochs=2))
    >>> c.ok, c.angle_epochs.tolist(), bool(c.max_angle_deg[0] < 1e-10)
    (True, [0, 1, 2], True)
    """
    t0 = time.perf_counter()
    ca, cb = get_config(config_a), get_config(config_b)
    if ca.epochs != cb.epochs or (ca.m, ca.d) != (cb.m, cb.d):
        raise InputValueError(
            f"compare_runs: the two configurations must have the same epochs and (m, d); got "
            f"{ca.epochs}, ({ca.m}, {ca.d}) and {cb.epochs}, ({cb.m}, {cb.d})")
    every = angle_every or max(1, ca.epochs // 10)
    every = check_int(every, "angle_every", func="compare_runs", minimum=1)
    ra = train(ca, seed=seed, progress=progress, snapshot_every=every)
    rb = train(cb, seed=seed, progress=progress, snapshot_every=every)
    epochs = sorted(set(ra.snapshots) & set(rb.snapshots))
    mean_deg, max_deg = [], []
    for e in epochs:
        th = np.degrees(principal_angles(ra.snapshots[e], rb.snapshots[e]))
        mean_deg.append(float(th.mean()) if th.size else math.nan)
        max_deg.append(float(th.max()) if th.size else math.nan)
    ok = ra.ok and rb.ok
    return ComparisonResult(
        first=dataclasses.replace(ra, snapshots={}), second=dataclasses.replace(rb, snapshots={}),
        angle_epochs=np.array(epochs, dtype=np.int64), mean_angle_deg=np.array(mean_deg),
        max_angle_deg=np.array(max_deg), elapsed_s=time.perf_counter() - t0, rigour=Rigour.NUMERICAL, status=Status.OK if ok else Status.INACCURATE,
        reason="both runs finished" if ok else "; ".join(r.reason for r in (ra, rb) if not r.ok),
    )

