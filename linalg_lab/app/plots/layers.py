"""Figures of the layers report section: SN underestimate, power-iteration estimates, ConvNorm."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from . import legend_outside, pyplot, save_figure

__all__ = ["sn_gap_figure", "power_iteration_figure", "convnorm_figure"]


def sn_gap_figure(ratios: dict[str, dict[int, float]], path: Path) -> Path:
    """``ratios[channels][k] = sigma(conv) / sigma(W_mat)``; one line per channel count, bound ``k`` dashed."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ks = sorted({k for r in ratios.values() for k in r})
    ax.plot(ks, ks, "k--", lw=1, label="upper bound k")
    ax.plot(ks, [1] * len(ks), "k:", lw=1, label="lower bound 1")
    for name, r in ratios.items():
        kk = sorted(r)
        ax.plot(kk, [r[k] for k in kk], "o-", label=name)
    ax.set_xlabel("kernel size k")
    ax.set_ylabel("σ(conv) / σ(W_mat)")
    ax.set_title("How much spectral normalisation underestimates the layer norm")
    ax.set_xticks(ks)
    ax.grid(True, alpha=0.3)
    legend_outside(ax)
    return save_figure(fig, path)


def power_iteration_figure(steps: Any, curves: dict[str, Any], path: Path) -> Path:
    """``curves[label]`` = relative error ``1 - estimate / sigma`` per training step (log scale)."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    for label, y in curves.items():
        ax.semilogy(steps, y, label=label)
    ax.set_xlabel("training step (one power iteration per step)")
    ax.set_ylabel("1 − σ_estimate / σ(W_mat)")
    ax.set_title("Power-iteration σ estimate: persistent vs fresh u")
    ax.grid(True, which="both", alpha=0.3)
    legend_outside(ax)
    return save_figure(fig, path)


def convnorm_figure(c_outs: list[int], before: list[float], after: list[float], path: Path) -> Path:
    """Layer norm before and after ConvNorm against ``c_out``, with the bounds 1 and ``sqrt(c_out)``."""
    import numpy as np

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    c = np.array(c_outs, dtype=float)
    ax.semilogy(c, before, "s-", label="before ConvNorm")
    ax.semilogy(c, after, "o-", label="after ConvNorm")
    ax.semilogy(c, np.sqrt(c), "k--", lw=1, label="bound √c_out")
    ax.semilogy(c, np.ones_like(c), "k:", lw=1, label="bound 1")
    ax.set_xlabel("output channels c_out")
    ax.set_ylabel("operator norm ‖layer‖₂")
    ax.set_title("ConvNorm bounds the layer norm by √c_out")
    ax.set_xscale("log", base=2)
    ax.grid(True, which="both", alpha=0.3)
    legend_outside(ax)
    return save_figure(fig, path)
