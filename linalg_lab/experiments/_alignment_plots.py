"""Figures for the alignment experiments (rendering only: nothing is recomputed here).

Each function takes result objects from :mod:`linalg_lab.experiments.alignment` and writes PNG
files with :func:`linalg_lab.plots.save_figure`; :func:`save_experiment_figures` dispatches on the
result kind and returns the written paths.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..plots import pyplot, save_figure

__all__ = [
    "plot_loss",
    "plot_norms",
    "plot_alignment",
    "plot_energy",
    "plot_spectrum",
    "plot_angles",
    "plot_nu_sweep",
    "save_experiment_figures",
]


def _label(r: Any) -> str:
    return f"{r.config.name} (seed {r.seed})"


def _epochs(r: Any) -> np.ndarray:
    return np.arange(len(r.history["loss"]))


def plot_loss(runs: Sequence[Any]) -> Any:
    """Train and test half-MSE against epoch (log scale)."""
    plt = pyplot()
    fig, axs = plt.subplots(1, 2, figsize=(10, 3.8), sharey=False)
    for r in runs:
        axs[0].plot(_epochs(r), r.history["loss"], label=_label(r))
        axs[1].plot(_epochs(r), r.history["test_loss"], label=_label(r))
    for ax, t in zip(axs, ("train loss  (1/2n) Σ (f − y)²", "test loss")):
        ax.set_xlabel("epoch")
        ax.set_title(t)
        ax.set_yscale("log")
        ax.grid(True, alpha=0.3)
    axs[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_norms(runs: Sequence[Any]) -> Any:
    """``||G_t||_2`` and ``||W_t||_2`` against epoch, with the initial prediction 1 + sqrt(m/d)."""
    plt = pyplot()
    fig, axs = plt.subplots(1, 2, figsize=(10, 3.8))
    for r in runs:
        axs[0].plot(_epochs(r), r.history["gradient_norm"], label=_label(r))
        axs[1].plot(_epochs(r), r.history["weight_norm"], label=_label(r))
    if runs:
        axs[1].axhline(runs[0].weight_norm_prediction, color="k", ls=":", lw=1, label="1 + √(m/d)")
    axs[0].set_title("gradient  ‖G‖₂")
    axs[0].set_yscale("log")
    axs[1].set_title("weights  ‖W‖₂")
    for ax in axs:
        ax.set_xlabel("epoch")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_alignment(runs: Sequence[Any]) -> Any:
    """|cos| of the gradient's leading right singular vector with q and with X_B^T r, per epoch."""
    plt = pyplot()
    fig, axs = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
    for r in runs:
        e = _epochs(r) + 1
        axs[0].plot(e, r.history["alignment_residue"], label=_label(r))
        axs[1].plot(e, r.history["alignment_q"], label=_label(r))
    axs[0].set_title("residue alignment  |⟨v₁, X_Bᵀr⟩|/‖X_Bᵀr‖")
    axs[1].set_title("spike alignment  |⟨v₁, q⟩|")
    for ax in axs:
        ax.set_xscale("log")
        ax.set_xlabel("epoch + 1")
        ax.set_ylim(-0.02, 1.02)
        ax.grid(True, alpha=0.3)
    axs[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_energy(runs: Sequence[Any]) -> Any:
    """``||W Q||_F / ||W||_F`` with Q an orthonormal basis of span{X_B^T y, q}."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.8))
    for r in runs:
        ax.plot(_epochs(r), r.history["energy"], marker=".", label=_label(r))
    ax.set_title("energy of W in span{X_Bᵀy, q}")
    ax.set_xlabel("epoch")
    ax.set_ylim(0, 1.02)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_spectrum(runs: Sequence[Any]) -> Any:
    """Top singular values of G and the operator norms of S1, S12, S2, E against epoch."""
    plt = pyplot()
    fig, axs = plt.subplots(1, len(runs), figsize=(5 * len(runs), 3.8), squeeze=False)
    for ax, r in zip(axs[0], runs):
        e = _epochs(r)
        sv = r.history["singular_values"]
        for k in range(sv.shape[1]):
            ax.plot(e, sv[:, k], color="0.6", lw=1, label="σ_k(G)" if k == 0 else None)
        for key, style in (("S1", "-"), ("S12", "--"), ("S2", "-."), ("E", ":")):
            h = r.history[f"term_norm_{key}"]
            if np.any(np.isfinite(h)):
                ax.plot(e, h, style, label=f"‖{key}‖₂")
        ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_title(_label(r))
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def plot_angles(comparisons: Sequence[Any]) -> Any:
    """Mean and largest principal angle between two runs' weights against epoch."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.8))
    for c in comparisons:
        lab = f"{c.first.config.name} vs {c.second.config.name} (seed {c.first.seed})"
        ax.plot(c.angle_epochs, c.mean_angle_deg, marker="o", label="mean, " + lab)
        ax.plot(c.angle_epochs, c.max_angle_deg, marker="x", ls="--", label="max, " + lab)
    ax.set_xlabel("epoch")
    ax.set_ylabel("principal angle (degrees)")
    ax.set_title("principal angles between the two runs' weights")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def plot_nu_sweep(sweep: Any) -> Any:
    """Phase plot: alignment with q and with the residue against nu, per activation and scaling."""
    plt = pyplot()
    ns = len(sweep.scalings)
    fig, axs = plt.subplots(1, ns, figsize=(5.5 * ns, 4), squeeze=False, sharey=True)
    nus = np.asarray(sweep.nus)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for isc, sc in enumerate(sweep.scalings):
        ax = axs[0][isc]
        for ia, act in enumerate(sweep.activations):
            col = colors[ia % len(colors)]
            for arr, style, what in ((sweep.alignment_residue, "-o", "residue"), (sweep.alignment_q, "--s", "q")):
                vals = arr[:, ia, isc, :]
                mean = vals.mean(axis=1)
                ax.plot(nus, mean, style, color=col, label=f"{act}: {what}")
                if vals.shape[1] > 1:
                    ax.fill_between(nus, vals.min(axis=1), vals.max(axis=1), color=col, alpha=0.12)
        for x in (0.25, 0.5):
            ax.axvline(x, color="k", lw=0.8, ls=":")
        ax.set_xlabel("ν  (spike ζ = n^ν)")
        ax.set_title(f"{sc}: leading gradient direction at init")
        ax.set_ylim(-0.02, 1.02)
        ax.grid(True, alpha=0.3)
    axs[0][0].set_ylabel("|cos| with X_Bᵀr (solid) / q (dashed)")
    axs[0][-1].legend(fontsize=7, loc="center right")
    fig.tight_layout()
    return fig


def save_experiment_figures(result: Any, out_dir: str | Path, prefix: str = "") -> list[Path]:
    """Write every figure for a TrainResult, ComparisonResult, SweepResult or ExperimentResult."""
    from .alignment import ComparisonResult, ExperimentResult, SweepResult, TrainResult

    out = Path(out_dir)
    paths: list[Path] = []
    if isinstance(result, ExperimentResult):
        items = list(result.runs)
    else:
        items = [result]
    sweeps = [r for r in items if isinstance(r, SweepResult)]
    comps = [r for r in items if isinstance(r, ComparisonResult)]
    runs = [r for r in items if isinstance(r, TrainResult)]
    for c in comps:
        runs += [c.first, c.second]
    if runs:
        for name, fn in (("loss", plot_loss), ("norms", plot_norms), ("alignment", plot_alignment),
                         ("energy", plot_energy), ("spectrum", plot_spectrum)):
            paths.append(save_figure(fn(runs if name != "spectrum" else runs[:2]), out / f"{prefix}{name}.png"))
    if comps:
        paths.append(save_figure(plot_angles(comps), out / f"{prefix}angles.png"))
    for i, sw in enumerate(sweeps):
        paths.append(save_figure(plot_nu_sweep(sw), out / f"{prefix}nu_sweep{'' if i == 0 else i}.png"))
    return paths
