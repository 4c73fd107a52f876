"""Figures for the Newton–Schulz family (rendering only; used by the CLI and the report).

Each function takes results computed by the library (and the schedule, whose polynomials are
drawn on a grid) and writes one PNG with :func:`linalg_lab.plots.save_figure`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..plots import pyplot, save_figure
from .analysis import BandCurve, OutputAnalysis, ScheduleAnalysis
from .schedules import Schedule

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
    steps = _distinct_steps(schedule, analysis.steps)
    cmap = plt.get_cmap("viridis")
    for i, (j, st) in enumerate(steps[:10]):
        colour = cmap(i / max(len(steps[:10]) - 1, 1))
        y = st(x)
        ax.plot(x, np.clip(y, -2, 3), color=colour, lw=1.3, label=f"step {j}" if len(steps) > 1 else "p(x)")
        facts = analysis.step_facts[min(j, len(analysis.step_facts) - 1)] if analysis.step_facts else None
        if facts is not None:
            fp = [v for v in facts.fixed_points if v <= xmax]
            ax.plot(fp, fp, "o", color=colour, ms=5, mfc="white")
            cp = [c for c in facts.critical_points if c <= xmax]
            ax.plot(cp, st(np.array(cp)) if cp else [], "x", color=colour, ms=6)
    ax.plot(x, x, "k--", lw=0.8, label="y = x")
    ax.plot([0], [0], "ko", ms=5, mfc="white", label="fixed points (o), critical points (x)")
    ax.axhline(1, color="grey", lw=0.5)
    ax.axhline(0, color="grey", lw=0.5)
    ax.set_xlim(0, xmax)
    ax.set_ylim(-0.5, 2.2)
    ax.set_xlabel("σ")
    ax.set_ylabel("p(σ)")
    ax.set_title(f"{schedule.name}: step polynomials [numerical]")
    ax.legend(fontsize=7, loc="lower right")
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
    ax.plot(x, x, "k--", lw=0.8)
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
        ax.plot(xs, ys, lw=0.8, color=f"C{(i + 2) % 10}", label=f"σ0 = {s0:g}")
    ax.set_xlim(0, xmax)
    ax.set_ylim(min(-0.1, ax.get_ylim()[0]), max(1.3, min(ax.get_ylim()[1], 3)))
    ax.set_xlabel("σ_j")
    ax.set_ylabel("σ_{j+1}")
    ax.set_title(f"{schedule.name}: cobweb, {k} steps [numerical]")
    ax.legend(fontsize=7)
    return save_figure(fig, path)


def plot_error(analysis: ScheduleAnalysis, path: str | Path) -> Path:
    """Worst-case error ``max |1 - P_k|`` on ``[ℓ, 1]`` against the step k (log scale)."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 4))
    k = np.arange(len(analysis.error))
    ax.semilogy(k, np.maximum(analysis.error, 1e-17), "o-", ms=3, label="band (endpoints + critical points)")
    ax.semilogy(k, np.maximum(analysis.sampled_error, 1e-17), "x", ms=4, label="dense sampling")
    ax.set_xlabel("step k")
    ax.set_ylabel("max |1 − P_k| on [ℓ, 1]")
    ax.set_title(f"{analysis.schedule}: error on [{analysis.lo:g}, 1] [numerical]")
    ax.grid(True, which="both", lw=0.3)
    ax.legend(fontsize=7)
    return save_figure(fig, path)


def plot_error_comparison(analyses: list[ScheduleAnalysis], path: str | Path) -> Path:
    """Error against matrix products for several schedules."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    from .schedules import ns_schedule

    for i, a in enumerate(analyses):
        sched = ns_schedule(a.schedule)
        prods = np.cumsum([0] + [sched.step(j).products for j in range(len(a.error) - 1)])
        ax.semilogy(prods, np.maximum(a.error, 1e-17), "o-", ms=2.5, lw=1, label=a.schedule, color=f"C{i}")
    ax.set_xlabel("matrix products")
    ax.set_ylabel(f"max |1 − P| on [{analyses[0].lo:g}, 1]")
    ax.set_title("error against cost [numerical]")
    ax.grid(True, which="both", lw=0.3)
    ax.legend(fontsize=7)
    return save_figure(fig, path)


def plot_band(curves: list[BandCurve], path: str | Path) -> Path:
    """The band ``P_k([ℓ, 1])`` against ℓ for one or more schedules."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4.2))
    for i, c in enumerate(curves):
        col = f"C{i}"
        ax.fill_between(c.lows, c.band_lo, c.band_hi, color=col, alpha=0.2)
        ax.semilogx(c.lows, c.band_lo, color=col, lw=1, label=f"{c.schedule} ({c.steps} steps)")
        ax.semilogx(c.lows, c.band_hi, color=col, lw=1)
    ax.axhline(1, color="k", lw=0.6, ls="--")
    ax.set_xlabel("ℓ (smallest normalised singular value)")
    ax.set_ylabel("range of P_k on [ℓ, 1]")
    ax.set_title("band against ℓ [numerical]")
    ax.legend(fontsize=7)
    return save_figure(fig, path)


def plot_histogram(out: OutputAnalysis, path: str | Path, *, bins: int = 20) -> Path:
    """Singular values before and after (the seed notebook's histogram)."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5, 4))
    a, b = out.sv_before, out.sv_after
    lo = min(a.min(), b.min())
    hi = max(a.max(), b.max())
    edges = np.linspace(lo, hi if hi > lo else lo + 1, bins)
    ax.hist(a, bins=edges, color="b", alpha=0.5, label="before Newton–Schulz")
    ax.hist(b, bins=edges, color="r", alpha=0.5, label="after Newton–Schulz")
    ax.set_xlabel("singular value")
    ax.set_ylabel("count")
    ax.set_title(f"{out.schedule}, {out.steps} steps, {out.shape[0]}×{out.shape[1]}")
    ax.legend(fontsize=8)
    return save_figure(fig, path)


_FATE_COLOURS = {"+1": "tab:green", "-1": "tab:red", "0": "tab:blue", "diverges": "black",
                 "absorbed": "tab:orange"}


def plot_basins(basins: Any, path: str | Path, *, title: str = "") -> Path:
    """A strip of proven fates from ``proofs_check.newton_schulz.basins`` (grey: undecided).

    Accepts any result with an iterable ``intervals`` whose items have ``lower``/``upper`` (or
    ``lo``/``hi``) and ``fate`` attributes (or are ``(lo, hi, fate)`` tuples).
    """
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(8, 1.6))
    items = getattr(basins, "intervals", None) or getattr(basins, "pieces", None) or []
    spans: dict[str, list[tuple[float, float]]] = {}
    for it in items:
        if isinstance(it, (tuple, list)):
            lo, hi, fate = it[0], it[1], it[2]
        else:
            lo = next(getattr(it, k) for k in ("lower", "lo", "a") if hasattr(it, k))
            hi = next(getattr(it, k) for k in ("upper", "hi", "b") if hasattr(it, k))
            fate = getattr(it, "fate", "undecided")
        fate_s = str(getattr(fate, "value", fate))
        key = "absorbed" if fate_s.startswith("absorbed") else fate_s
        spans.setdefault(key, []).append((float(lo), float(hi) - float(lo)))
    for key, segs in spans.items():  # one call per fate: fast even with thousands of pieces
        ax.broken_barh(segs, (0, 1), facecolors=_FATE_COLOURS.get(key, "lightgrey"), lw=0)
    lo_all = getattr(basins, "lo", None)
    hi_all = getattr(basins, "hi", None)
    if lo_all is not None and hi_all is not None:
        ax.set_xlim(float(lo_all), float(hi_all))
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=c, label=k) for k, c in _FATE_COLOURS.items()]
              + [Patch(color="lightgrey", label="undecided")], ncol=6, fontsize=7,
              loc="upper center", bbox_to_anchor=(0.5, -0.5))
    ax.set_yticks([])
    ax.set_xlabel("σ")
    ax.set_title(title or "basins of the step [certified]")
    return save_figure(fig, path)
