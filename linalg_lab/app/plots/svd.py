"""Figures for the SVD family (rendering only: they plot results computed by linalg_lab.svd)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from . import legend_outside, pyplot, save_figure

__all__ = ["plot_convergence", "plot_singular_value_errors", "plot_seed004"]


def plot_convergence(result: Any, path: str | Path) -> Path:
    """Semilog plot of an :class:`SVDOptResult`'s history."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.6))
    h = np.asarray(result.history, dtype=float)
    ax.semilogy(np.arange(1, h.size + 1), np.where(h > 0, h, np.nan), lw=1)
    ax.set_xlabel("iteration")
    ax.set_ylabel(result.history_label)
    ax.set_title(f"{result.method} on {result.shape[0]}x{result.shape[1]}: {result.status.name.lower()}")
    ax.grid(True, which="both", alpha=0.3)
    return save_figure(fig, path)


def plot_singular_value_errors(s: np.ndarray, s_ref: np.ndarray, path: str | Path, title: str = "") -> Path:
    """Normwise errors |s_i − s_i^ref| / s_1^ref per index, with the level min(m,n)·eps."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.6))
    err = np.abs(s - s_ref[: s.size]) / s_ref[0]
    ax.semilogy(np.arange(1, s.size + 1), np.maximum(err, 1e-18), "o", ms=3, label="|s - s_gesdd| / s_1")
    ax.axhline(50 * s_ref.size * np.finfo(float).eps, color="k", ls="--", lw=1, label="50 min(m,n) eps")
    ax.set_xlabel("index i")
    ax.set_ylabel("normwise error")
    ax.set_title(title)
    legend_outside(ax)
    ax.grid(True, which="both", alpha=0.3)
    return save_figure(fig, path)


def plot_seed004(res: Any, path: str | Path) -> Path:
    """Loss quantiles per step (median solid, 10 % and 90 % dashed; no shading) for each shape and method."""
    plt = pyplot()
    keys = list(res.curves)
    shapes = list(dict.fromkeys(k.split()[0] for k in keys))  # in order of appearance
    fig, axes = plt.subplots(1, len(shapes), figsize=(3.2 * len(shapes), 3.2), squeeze=False, sharey=True)
    colors = {"penalty-sgd": "C0", "penalty-adam": "C3"}
    for ax, sh in zip(axes[0], shapes):
        for k in keys:
            if k.split()[0] != sh:
                continue
            meth = k.split()[1]
            c = res.curves[k]
            x = c[0] + 1
            band = [np.where(np.isfinite(q), q, np.nan) for q in c[1:]]
            ax.loglog(x, band[1], color=colors.get(meth), label=f"{meth} median", lw=1.2)
            ax.loglog(x, band[0], color=colors.get(meth), ls="--", lw=0.7, label=f"{meth} 10 % / 90 %")
            ax.loglog(x, band[2], color=colors.get(meth), ls="--", lw=0.7)
        ax.set_title(sh)
        ax.set_xlabel("step")
        ax.grid(True, which="both", alpha=0.3)
    axes[0][0].set_ylim(top=1e4)  # diverging runs (loss -> inf) would squash the scale
    axes[0][0].set_ylabel("loss over seeds")
    legend_outside(axes[0][-1])
    return save_figure(fig, path)
