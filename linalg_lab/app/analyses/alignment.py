"""Sweepable: the alignment nu-sweep at initialisation, one (nu, seed) data draw per point."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..._results import Result
from ..._validation import check_int
from ...sweep import Analysis
from ..registry import register_analysis


def run_nu_sweep(params: dict[str, Any], seed: int) -> Result:
    """The gradient at initialisation for one nu and the experiment's seed ``seed_index`` (not the
    spawned one, so a sweep reproduces :func:`~linalg_lab.experiments.alignment.nu_sweep`)."""
    from ...experiments.alignment import nu_sweep_point

    idx = check_int(params["seed_index"], "seed_index", func="sweep nu-sweep", minimum=0)
    return nu_sweep_point(str(params["base"]), params["nu"], idx, activations=params["activations"],
                          scalings=params["scalings"])


def collect_nu(results: list[dict[str, Any]]) -> Result:
    """Stored points -> the (nu, activation, scaling, seed) arrays of ``nu_sweep``."""
    from ...experiments.alignment import NuSweepPoint, collect_nu_sweep

    return collect_nu_sweep([NuSweepPoint.from_dict(r) for r in results])


def figures_nu(pooled: Result, folder: Path) -> list[Path]:
    from ..plots import save_figure
    from ..plots.alignment import plot_nu_sweep

    return [save_figure(plot_nu_sweep(pooled), Path(folder) / "alignment_nu_sweep.png")]


register_analysis(Analysis(
    name="nu-sweep", run=run_nu_sweep,
    description="alignment of the gradient at initialisation for one spike exponent nu and seed "
                "(every activation and scaling)",
    defaults={"base": "small-paper", "nu": 0.25, "seed_index": 0, "activations": ["relu", "sigmoid", "tanh"],
              "scalings": ["ntk", "mean-field"]},
    summary_fields=("nu", "seed"), example={"base": "tiny-paper", "nu": 0.5, "activations": ["relu"]},
    collect=collect_nu, figures=figures_nu))
