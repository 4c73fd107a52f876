"""Figures of the grnewt family: training loss curves and per-group learning rates over time."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from . import legend_outside, pyplot, save_figure

__all__ = ["plot_training", "plot_learning_rates", "plot_solver_table"]


def plot_training(res: Any, out: Path) -> list[Path]:
    """Loss curves of every run and the NewtonSummary rates; returns the two figure paths."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for name, run in res.runs.items():
        ax.semilogy(np.arange(len(run.losses)), run.losses, label=f"{name} ({run.setting})")
    ax.set_xlabel("step (full batch)")
    ax.set_ylabel("training loss (MSE / 2)")
    ax.set_title("tanh MLP on a synthetic regression, float64")
    ax.grid(True, which="both", alpha=0.3)
    legend_outside(ax)
    p1 = save_figure(fig, Path(out) / "grnewt_loss.png")
    return [p1, plot_learning_rates(res, out)]


def plot_learning_rates(res: Any, out: Path) -> Path:
    """One panel per NewtonSummary run: the applied rate of each group against the step."""
    plt = pyplot()
    ns = [r for r in res.runs.values() if r.lrs is not None]
    fig, axes = plt.subplots(1, len(ns), figsize=(4.6 * len(ns), 3.4), squeeze=False)
    for ax, run in zip(axes[0], ns):
        for s, gname in enumerate(run.group_names):
            ax.plot(np.arange(run.lrs.shape[0]), run.lrs[:, s], label=gname)
        ax.set_yscale("symlog", linthresh=1e-2)
        ax.set_xlabel("step")
        ax.set_ylabel("learning rate eta_s (symlog)")
        ax.set_title(run.name, fontsize="small")
        ax.grid(True, alpha=0.3)
        legend_outside(ax)
    fig.tight_layout()
    return save_figure(fig, Path(out) / "grnewt_lrs.png")


def plot_solver_table(res: Any, out: Path) -> Path:
    """Fraction correct per cell (ours vs the seed), one bar pair per (H, d) kind and size."""
    plt = pyplot()
    cells = res.cells
    labels = [f"{c.h_kind}/{c.d_kind}\nS={c.S}" for c in cells]
    x = np.arange(len(cells))
    fig, ax = plt.subplots(figsize=(max(6.4, 0.35 * len(cells)), 3.6))
    ax.bar(x - 0.2, [c.ours_correct / c.trials for c in cells], 0.4, label="ours correct")
    ax.bar(x + 0.2, [c.seed_correct / c.trials for c in cells], 0.4, label="seed correct")
    ax.set_xticks(x, labels, rotation=90, fontsize="x-small")
    ax.set_ylabel("fraction of trials")
    ax.set_ylim(0, 1.05)
    legend_outside(ax)
    return save_figure(fig, Path(out) / "grnewt_solvers.png")
