"""Figures of the low-rank-gradient experiment (rendering only: nothing is recomputed here).

Each function takes result objects from :mod:`linalg_lab.experiments.alignment` and returns a
matplotlib figure; :func:`save_experiment_figures` writes every figure for a result and returns the
paths.  Conventions (``linalg_lab.app.plots``): labelled axes, legends outside the data, lines or
small multiples instead of translucent fills.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import legend_outside, pyplot, save_figure

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
    fig, axs = plt.subplots(1, 2, figsize=(11, 3.8))
    for r in runs:
        axs[0].plot(_epochs(r), r.history["loss"], label=_label(r))
        axs[1].plot(_epochs(r), r.history["test_loss"], label=_label(r))
    for ax, t in zip(axs, ("train loss", "test loss")):
        ax.set_xlabel("epoch")
        ax.set_ylabel(f"{t}  (1/2n) Σ (f − y)²")
        ax.set_yscale("log")
        ax.grid(True, alpha=0.3)
    legend_outside(axs[1])
    fig.tight_layout()
    return fig


def plot_norms(runs: Sequence[Any]) -> Any:
    """``||G_t||_2`` and ``||W_t||_2`` against epoch, with 1 + sqrt(m/d) and sqrt(m) as reference lines."""
    plt = pyplot()
    fig, axs = plt.subplots(1, 2, figsize=(11, 3.8))
    for r in runs:
        axs[0].plot(_epochs(r), r.history["gradient_norm"], label=_label(r))
        axs[1].plot(_epochs(r), r.history["weight_norm"], label=_label(r))
    if runs:
        c = runs[0].config
        axs[1].axhline(runs[0].weight_norm_prediction, color="k", ls=":", lw=1,
                       label=f"1 + √(m/d) = {runs[0].weight_norm_prediction:.2f} (random W₀)")
        axs[1].axhline(np.sqrt(c.m), color="k", ls="--", lw=1, label=f"√m = {np.sqrt(c.m):.1f} (rank one, unit rows)")
    axs[0].set_ylabel("gradient norm ‖G_t‖₂")
    axs[0].set_yscale("log")
    axs[1].set_ylabel("weight norm ‖W_t‖₂")
    axs[1].set_yscale("log")
    for ax in axs:
        ax.set_xlabel("epoch")
        ax.grid(True, alpha=0.3)
    legend_outside(axs[1])
    fig.tight_layout()
    return fig


def plot_alignment(runs: Sequence[Any]) -> Any:
    """|cos| of the gradient's leading right singular vector with X_B^T r and with q, per epoch."""
    plt = pyplot()
    fig, axs = plt.subplots(1, 2, figsize=(11, 3.8), sharey=True)
    for r in runs:
        e = _epochs(r) + 1
        axs[0].plot(e, r.history["alignment_residue"], label=_label(r))
        axs[1].plot(e, r.history["alignment_q"], label=_label(r))
    axs[0].set_ylabel("residue alignment |⟨v₁, X_Bᵀr⟩|/‖X_Bᵀr‖")
    axs[1].set_ylabel("spike alignment |⟨v₁, q⟩|")
    for ax in axs:
        ax.set_xscale("log")
        ax.set_xlabel("epoch + 1")
        ax.set_ylim(-0.02, 1.02)
        ax.grid(True, alpha=0.3)
    legend_outside(axs[1])
    fig.tight_layout()
    return fig


def plot_energy(runs: Sequence[Any]) -> Any:
    """``||W Q||_F / ||W||_F`` with Q an orthonormal basis of span{X_B^T y, q}."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.8))
    for r in runs:
        ax.plot(_epochs(r), r.history["energy"], marker=".", label=_label(r))
    ax.set_xlabel("epoch")
    ax.set_ylabel("‖W Q‖_F / ‖W‖_F,  Q = basis of span{X_Bᵀy, q}")
    ax.set_ylim(0, 1.02)
    ax.grid(True, alpha=0.3)
    legend_outside(ax)
    fig.tight_layout()
    return fig


def plot_spectrum(runs: Sequence[Any]) -> Any:
    """Top singular values of G and the operator norms of S1, S12, S2, E against epoch (one panel per run)."""
    plt = pyplot()
    fig, axs = plt.subplots(1, len(runs), figsize=(5 * len(runs) + 2, 3.8), squeeze=False)
    for ax, r in zip(axs[0], runs):
        e = _epochs(r)
        sv = r.history["singular_values"]
        for k in range(sv.shape[1]):
            ax.plot(e, sv[:, k], color="0.6", lw=1, label="σ_k(G), k ≤ top_k" if k == 0 else None)
        for key, style in (("S1", "-"), ("S12", "--"), ("S2", "-."), ("E", ":")):
            h = r.history[f"term_norm_{key}"]
            if np.any(np.isfinite(h)):
                ax.plot(e, h, style, label=f"‖{key}‖₂")
        ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel("operator norm")
        ax.set_title(_label(r))
        ax.grid(True, alpha=0.3)
    legend_outside(axs[0][-1])
    fig.tight_layout()
    return fig


def plot_angles(comparisons: Sequence[Any]) -> Any:
    """Mean and largest principal angle between two runs' weights against epoch."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.8))
    for c in comparisons:
        lab = f"{c.first.config.name} vs {c.second.config.name} (seed {c.first.seed})"
        line, = ax.plot(c.angle_epochs, c.mean_angle_deg, marker="o", label="mean, " + lab)
        ax.plot(c.angle_epochs, c.max_angle_deg, marker="x", ls="--", color=line.get_color(), label="max, " + lab)
    ax.set_xlabel("epoch")
    ax.set_ylabel("principal angle between weights (degrees)")
    ax.grid(True, alpha=0.3)
    legend_outside(ax)
    fig.tight_layout()
    return fig


def plot_nu_sweep(sweep: Any) -> Any:
    """Small multiples: one panel per (regime, activation), residue and q alignment against nu.

    Lines are the mean over seeds; with several seeds the per-seed values are drawn as small dots
    (no shading).  Dotted vertical lines mark the paper's thresholds nu = 1/4 and nu = 1/2.
    """
    plt = pyplot()
    ns, na = len(sweep.scalings), len(sweep.activations)
    fig, axs = plt.subplots(ns, na, figsize=(3.6 * na + 2.2, 3.0 * ns), squeeze=False, sharex=True, sharey=True)
    nus = np.asarray(sweep.nus)
    for isc, sc in enumerate(sweep.scalings):
        for ia, act in enumerate(sweep.activations):
            ax = axs[isc][ia]
            for arr, style, color, what in ((sweep.alignment_residue, "-o", "C0", "residue  X_Bᵀr"),
                                            (sweep.alignment_q, "--s", "C3", "spike  q")):
                vals = arr[:, ia, isc, :]
                ax.plot(nus, vals.mean(axis=1), style, color=color, ms=4, label=f"|cos(v₁, {what})|, mean over seeds")
                if vals.shape[1] > 1:
                    for j in range(vals.shape[1]):
                        ax.plot(nus, vals[:, j], ".", color=color, ms=3,
                                label="single seeds" if (j == 0 and what.startswith("residue")) else None)
            ax.plot(nus, sweep.sv_ratio[:, ia, isc, :].mean(axis=1), ":^", color="0.4", ms=3,
                    label="σ₂/σ₁ of G, mean over seeds")
            for x in (0.25, 0.5):
                ax.axvline(x, color="k", lw=0.7, ls=":")
            ax.set_title(f"{act}, {sc}", fontsize=10)
            ax.set_ylim(-0.02, 1.02)
            ax.grid(True, alpha=0.3)
            if isc == ns - 1:
                ax.set_xlabel("ν  (spike ζ = n^ν)")
            if ia == 0:
                ax.set_ylabel("|cos| or ratio")
    legend_outside(axs[0][-1])
    fig.tight_layout()
    return fig


def save_experiment_figures(result: Any, out_dir: str | Path, prefix: str = "") -> list[Path]:
    """Write every figure for a TrainResult, ComparisonResult, SweepResult or ExperimentResult."""
    from ...experiments.alignment import ComparisonResult, ExperimentResult, SweepResult, TrainResult

    out = Path(out_dir)
    paths: list[Path] = []
    items = list(result.runs) if isinstance(result, ExperimentResult) else [result]
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
