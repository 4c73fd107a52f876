"""Plots for NS schedule design: certified worst error against matrix products, per lower bound."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from . import legend_outside, pyplot, save_figure

__all__ = ["plot_budget_errors"]

#: Errors below this are drawn at this value (exact-arithmetic errors of rounded schedules reach 1e-38).
FLOOR = 1e-17


def plot_budget_errors(rows: list[dict[str, Any]], path: str | Path) -> Path:
    """Small multiples (one per ``lo``): the designed schedule's certified error and each preset's.

    ``rows``: dicts with ``lo``, ``budget``, ``designed_error`` and ``presets`` (name -> error).
    """
    plt = pyplot()
    los = sorted({r["lo"] for r in rows}, reverse=True)
    fig, axes = plt.subplots(1, len(los), figsize=(4.2 * len(los) + 1.5, 3.6), sharey=True, squeeze=False)
    for ax, lo in zip(axes[0], los):
        rs = sorted((r for r in rows if r["lo"] == lo), key=lambda r: r["budget"])
        B = [r["budget"] for r in rs]
        for name in rs[0]["presets"]:
            ax.semilogy(B, [min(max(r["presets"][name], FLOOR), 10.0) for r in rs], "--", marker=".", lw=1, label=name)
        ax.semilogy(B, [max(r["designed_error"], FLOOR) for r in rs], "k-o", lw=2, label="designed (best 3/5/7 mix)")
        ax.axhline(2.0 ** -53, color="grey", lw=0.8, ls=":")
        ax.set_title(f"lo = {lo:g}")
        ax.set_xlabel("matrix products")
    axes[0][0].set_ylabel("certified max |1 - P(x)| on [lo, 1]")
    legend_outside(axes[0][-1])
    return save_figure(fig, path)
