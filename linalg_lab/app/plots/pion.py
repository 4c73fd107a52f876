"""Figures for Pion (drift, training comparison) and the transition-to-linearity width sweep."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from . import legend_outside, pyplot, save_figure

__all__ = ["drift_figure", "training_figure", "linearity_figure"]

_COLORS = {"expm": "C0", "cayley": "C1", "e2": "C3"}


def drift_figure(result: Any, path: str | Path) -> Path:
    """Cumulative relative singular-value drift per retraction (solid) and its bound (dashed)."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for name, tr in result.traces.items():
        t = np.arange(1, len(tr.cumulative) + 1)
        c = _COLORS.get(name)
        ax.semilogy(t, np.maximum(tr.cumulative, 1e-18), color=c, label=f"{name}: measured")
        ax.semilogy(t, tr.cumulative_bound, color=c, ls="--", lw=1, label=f"{name}: bound")
    ax.set_xlabel("step")
    ax.set_ylabel("max_i |σ_i(W_t) − σ_i(W_0)| / σ_1(W_0)")
    m, n = result.shape
    ax.set_title(f"Pion singular-value drift, {m}x{n}, lr={result.lr:g}, rms={result.rms:g}")
    ax.grid(True, which="both", alpha=0.3)
    legend_outside(ax)
    return save_figure(fig, path)


def training_figure(result: Any, path: str | Path) -> Path:
    """Loss, spectral norm and condition number of W against the step, one line per optimiser."""
    plt = pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    for name, c in result.curves.items():
        t = np.arange(len(c.loss))
        axes[0].semilogy(t, np.maximum(c.loss - result.optimal_loss, 1e-18), label=name)
        axes[1].plot(t, c.spectral_norm, label=name)
        axes[2].semilogy(t, c.condition_number, label=name)
    axes[0].set_ylabel("loss − least-squares optimum")
    axes[1].set_ylabel("‖W‖₂")
    axes[2].set_ylabel("κ₂(W)")
    for ax in axes:
        ax.set_xlabel("step")
        ax.grid(True, which="both", alpha=0.3)
    m, n = result.shape
    fig.suptitle(f"Least squares, W {m}x{n}, {result.samples} samples, {result.steps} steps")
    legend_outside(axes[2])
    fig.tight_layout()
    return save_figure(fig, path)


def linearity_figure(results: dict[str, Any], path: str | Path) -> Path:
    """``||H||_2 / ||grad f||`` against width (bracket as error bars) and each fitted power law."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    for i, (label, r) in enumerate(results.items()):
        w = np.asarray(r.widths, dtype=float)
        gn = r.gradient_norm
        lo, up, est = r.hessian_lower / gn, r.hessian_upper / gn, r.ratio
        for j in range(est.shape[1]):
            ax.errorbar(w * (1 + 0.03 * (j - 1)), est[:, j], yerr=[est[:, j] - lo[:, j], up[:, j] - est[:, j]],
                        fmt="o", ms=3, color=f"C{i}", capsize=2, label=label if j == 0 else None)
        f = r.fit
        ww = np.geomspace(w.min(), w.max(), 50)
        ax.loglog(ww, np.exp(f.intercept) * ww**f.slope, color=f"C{i}", lw=1,
                  label=f"fit ({label}): slope {f.slope:.3f} [{f.lower:.3f}, {f.upper:.3f}]")
    w_all = np.concatenate([np.asarray(r.widths, float) for r in results.values()])
    ref = next(iter(results.values()))
    ww = np.geomspace(w_all.min(), w_all.max(), 50)
    ax.loglog(ww, ref.ratio[0].mean() * (ww / ref.widths[0]) ** -0.5, "k:", lw=1, label="slope −1/2")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("width m")
    ax.set_ylabel("‖H‖₂ / ‖∇f‖ at initialisation")
    ax.set_title("Transition to linearity (bars: spectral_norm bracket)")
    ax.grid(True, which="both", alpha=0.3)
    legend_outside(ax)
    return save_figure(fig, path)
