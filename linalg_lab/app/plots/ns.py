"""Figures of the Newton–Schulz family (rendering only; used by ``linalg-lab ns`` and the report).

Each function takes results computed by the library (and the schedule, whose polynomials are
drawn on a grid) and writes one PNG.  Conventions of :mod:`linalg_lab.app.plots`: labelled axes,
legends off the data, small multiples instead of stacked translucent fills.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from ...ns import BandCurve, OutputAnalysis, Schedule, ScheduleAnalysis, ns_schedule
from . import legend_outside, pyplot, save_figure

__all__ = ["plot_map", "plot_cobweb", "plot_error", "plot_band", "plot_histogram", "plot_basins",
           "plot_error_comparison"]


def _distinct_steps(schedule: Schedule, k: int) -> list[tuple[int, Any]]:
    seen: list[Any] = []
    out = []
    for j in range(max(k, 1)):
        st = schedule.step(j)
        if st not in seen:
            seen.append(st)
            out.append((j, st))
    return out


def plot_map(schedule: Schedule, analysis: ScheduleAnalysis, path: str | Path, *, xmax: float = 2.0) -> Path:
    """Each distinct step ``p_j`` on ``[0, xmax]`` with the diagonal, fixed points and critical points."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4.5))
    x = np.linspace(0.0, xmax, 1201)
    steps = _distinct_steps(schedule, analysis.steps)[:10]
    cmap = plt.get_cmap("viridis")
    for i, (j, st) in enumerate(steps):
        colour = cmap(i / max(len(steps) - 1, 1))
        ax.plot(x, np.clip(st(x), -2, 3), color=colour, lw=1.3, label=f"step {j}" if len(steps) > 1 else "p(σ)")
        facts = analysis.step_facts[min(j, len(analysis.step_facts) - 1)] if analysis.step_facts else None
        if facts is not None:
            fp = [v for v in facts.fixed_points if v <= xmax]
            ax.plot(fp, fp, "o", color=colour, ms=5, mfc="white")
            cp = [c for c in facts.critical_points if c <= xmax]
            ax.plot(cp, st(np.array(cp)) if cp else [], "x", color=colour, ms=6)
    ax.plot(x, x, "k--", lw=0.8, label="y = σ")
    ax.plot([], [], "ko", ms=5, mfc="white", label="fixed points")
    ax.plot([], [], "kx", ms=6, label="critical points")
    ax.axhline(1, color="grey", lw=0.5)
    ax.axhline(0, color="grey", lw=0.5)
    ax.set_xlim(0, xmax)
    ax.set_ylim(-0.5, 2.2)
    ax.set_xlabel("normalised singular value σ")
    ax.set_ylabel("p(σ)")
    ax.set_title(f"{schedule.name}: step polynomials [numerical]")
    legend_outside(ax)
    return save_figure(fig, path)


def plot_cobweb(schedule: Schedule, starts: list[float], k: int, path: str | Path) -> Path:
    """Cobweb orbits of a few starting σ under the schedule (the map drawn is the first step)."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 5))
    xmax = max(1.25, 1.1 * max(starts))
    x = np.linspace(0, xmax, 801)
    ax.plot(x, schedule.step(0)(x), color="C0", lw=1.2, label="step 0")
    if any(schedule.step(j) != schedule.step(0) for j in range(1, k)):
        ax.plot(x, schedule.step(k - 1)(x), color="C1", lw=1.0, ls=":", label=f"step {k - 1}")
    ax.plot(x, x, "k--", lw=0.8, label="diagonal")
    for i, s0 in enumerate(starts):
        xs, ys = [s0], [0.0]
        v = s0
        for j in range(k):
            w = float(schedule.step(j)(np.array([v]))[0])
            if not np.isfinite(w) or abs(w) > 10:
                break
            xs += [v, w]
            ys += [w, w]
            v = w
        ax.plot(xs, ys, lw=0.8, color=f"C{(i + 2) % 10}", label=f"σ₀ = {s0:g}")
    ax.set_xlim(0, xmax)
    ax.set_ylim(min(-0.1, ax.get_ylim()[0]), max(1.3, min(ax.get_ylim()[1], 3)))
    ax.set_xlabel("σ before the step")
    ax.set_ylabel("σ after the step")
    ax.set_title(f"{schedule.name}: cobweb, {k} steps [numerical]")
    legend_outside(ax)
    return save_figure(fig, path)


def plot_error(analysis: ScheduleAnalysis, path: str | Path) -> Path:
    """Worst-case error ``max |1 - P_k|`` on ``[ℓ, 1]`` against the step k (log scale)."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 4))
    k = np.arange(len(analysis.error))
    ax.semilogy(k, np.maximum(analysis.error, 1e-17), "o-", ms=3, label="band (endpoints + critical points)")
    ax.semilogy(k, np.maximum(analysis.sampled_error, 1e-17), "x", ms=4, label="dense sampling")
    ax.set_xlabel("step k")
    ax.set_ylabel("max |1 − P_k(σ)| on [ℓ, 1]")
    ax.set_title(f"{analysis.schedule}: error on [{analysis.lo:g}, 1] [numerical]")
    ax.grid(True, which="both", lw=0.3)
    legend_outside(ax)
    return save_figure(fig, path)


def plot_error_comparison(analyses: list[ScheduleAnalysis], path: str | Path) -> Path:
    """Error against matrix products for several schedules (one line each)."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    for i, a in enumerate(analyses):
        sched = ns_schedule(a.schedule)
        prods = np.cumsum([0] + [sched.step(j).products for j in range(len(a.error) - 1)])
        ax.semilogy(prods, np.maximum(a.error, 1e-17), "o-", ms=2.5, lw=1, label=a.schedule, color=f"C{i % 10}")
    ax.set_xlabel("matrix products")
    ax.set_ylabel(f"max |1 − P(σ)| on [{analyses[0].lo:g}, 1]")
    ax.set_title("error against cost [numerical]")
    ax.grid(True, which="both", lw=0.3)
    legend_outside(ax)
    return save_figure(fig, path)


def plot_band(curves: list[BandCurve], path: str | Path) -> Path:
    """The band ``P_k([ℓ, 1])`` against ℓ: one small panel per schedule (lower and upper edge as lines,
    the band between them lightly shaded), sharing both axes."""
    plt = pyplot()
    n = len(curves)
    cols = min(n, 4)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(2.6 * cols + 0.6, 2.2 * rows + 0.6), sharex=True,
                             sharey=True, squeeze=False)
    for i, c in enumerate(curves):
        ax = axes[i // cols][i % cols]
        ax.fill_between(c.lows, np.clip(c.lower, -0.5, 2.0), np.clip(c.upper, -0.5, 2.0), color="C0", alpha=0.2,
                        lw=0)
        ax.semilogx(c.lows, np.clip(c.lower, -0.5, 2.0), color="C0", lw=1.2, label="lower edge")
        ax.semilogx(c.lows, np.clip(c.upper, -0.5, 2.0), color="C3", lw=1.2, label="upper edge")
        ax.axhline(1, color="k", lw=0.6, ls="--")
        ax.set_title(f"{c.schedule} ({c.steps} steps)", fontsize=9)
        ax.grid(True, which="major", lw=0.3)
    for j in range(n, rows * cols):
        axes[j // cols][j % cols].set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("ℓ (smallest normalised σ)")
    for row in axes:
        row[0].set_ylabel("P_k(σ), σ ∈ [ℓ, 1]")
    legend_outside(axes[0][cols - 1])
    fig.suptitle("band of the composed map against ℓ [numerical]")
    fig.tight_layout()
    return save_figure(fig, path)


def plot_histogram(out: OutputAnalysis, path: str | Path, *, bins: int = 20) -> Path:
    """Singular values before and after (the seed notebook's histogram), in two panels.

    When the output's singular values all lie within 1e-6 of 1, the right panel shows ``σ − 1`` in
    units of the float64 unit roundoff ``u = 2⁻⁵³`` (a histogram of values 1 ± 1e-15 would be invisible).
    """
    plt = pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.4))
    after = np.asarray(out.sv_after, dtype=np.float64)
    near_one = after.size > 0 and bool(np.all(np.abs(after - 1) < 1e-6))
    panels = ((axes[0], out.sv_before, "C0", "before Newton–Schulz", "singular value"),
              (axes[1], (after - 1) / 2.0**-53 if near_one else after, "C3", "after Newton–Schulz",
               "(σ − 1) / u,  u = 2⁻⁵³" if near_one else "singular value"))
    for ax, vals, colour, title, xlabel in panels:
        lo, hi = float(np.min(vals)), float(np.max(vals))
        if hi - lo < 1e-12 * max(abs(lo), abs(hi), 1.0):
            lo, hi = lo - 0.5, hi + 0.5
        ax.hist(vals, bins=np.linspace(lo, hi, bins), color=colour)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("count")
        ax.set_title(title, fontsize=9)
    fig.suptitle(f"{out.schedule}, {out.steps} steps, {out.shape[0]}×{out.shape[1]}")
    fig.tight_layout()
    return save_figure(fig, path)


_FATE_COLOURS = {"+1": "tab:green", "-1": "tab:red", "0": "tab:blue", "diverges": "black",
                 "absorbed": "tab:orange"}


def plot_basins(basins: Any, path: str | Path, *, title: str = "") -> Path:
    """A strip of proved fates from ``proofs_check.newton_schulz.basins`` (grey: undecided).

    ``basins`` is a ``BasinMap``: ``intervals`` with ``lower``/``upper``/``fate``, and ``lo``/``hi``.
    """
    from matplotlib.patches import Patch

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(8, 1.6))
    spans: dict[str, list[tuple[float, float]]] = {}
    for it in basins.intervals:
        fate = str(it.fate)
        key = "absorbed" if fate.startswith("absorbed") else fate
        spans.setdefault(key, []).append((float(it.lower), float(it.upper) - float(it.lower)))
    for key, segs in spans.items():  # one call per fate: fast even with thousands of pieces
        ax.broken_barh(segs, (0, 1), facecolors=_FATE_COLOURS.get(key, "lightgrey"), lw=0)
    ax.set_xlim(float(basins.lo), float(basins.hi))
    ax.legend(handles=[Patch(color=c, label=k) for k, c in _FATE_COLOURS.items()]
              + [Patch(color="lightgrey", label="undecided")], ncol=6, fontsize=7,
              loc="upper center", bbox_to_anchor=(0.5, -0.6))
    ax.set_yticks([])
    ax.set_xlabel("starting σ")
    ax.set_title(title or "basins of the step [certified]")
    return save_figure(fig, path)
