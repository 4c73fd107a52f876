"""Figures of a sweep store: each numeric summary field against the first varying parameter."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import legend_outside, pyplot, save_figure


def plot_sweep(name: str, rows: list[dict[str, Any]], fields: list[str], out: Path) -> Path | None:
    """One panel per numeric field; x = the first parameter with several numeric values, one line per
    combination of the other parameters.  Returns None when nothing numeric varies."""
    params = [json.loads(r["params"]) for r in rows]
    keys = [k for k in params[0] if len({json.dumps(p.get(k)) for p in params}) > 1
            and all(isinstance(p.get(k), (int, float)) for p in params)]
    num = [f for f in fields if any(isinstance(r.get(f), (int, float)) and not isinstance(r.get(f), bool)
                                    for r in rows)]
    if not keys or not num:
        return None
    x = keys[0]
    plt = pyplot()
    fig, axes = plt.subplots(1, len(num), figsize=(4.2 * len(num), 3.4), squeeze=False)
    groups: dict[str, list[tuple[float, dict[str, Any]]]] = {}
    for p, r in zip(params, rows):
        label = ", ".join(f"{k}={v}" for k, v in p.items() if k != x) or "all"
        groups.setdefault(label, []).append((p[x], r))
    for ax, f in zip(axes[0], num):
        for label, pts in groups.items():
            pts.sort(key=lambda t: t[0])
            ax.plot([t[0] for t in pts], [t[1].get(f) for t in pts], marker="o", label=label)
        ax.set_xlabel(x)
        ax.set_ylabel(f)
        ax.grid(True, alpha=0.3)
    if len(groups) > 1:
        legend_outside(axes[0][-1])
    fig.suptitle(f"sweep {name}")
    return save_figure(fig, out / f"sweep_{name}.png")
