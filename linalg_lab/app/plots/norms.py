"""Figures of the 2->q norms section: approximation ratios of every bound against d, per family."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from . import legend_outside, pyplot, save_figure

__all__ = ["ratio_figure"]


def ratio_figure(ratios: Mapping[str, Mapping[str, Sequence[tuple[int, float]]]], path: str | Path, *,
                 q: float, labels: Mapping[str, str] | None = None) -> Path:
    """Small multiples, one panel per family: bound / ||X||_(2->q) (norm units) against d, one line
    per method.  ``ratios[family][method]`` is a list of (d, ratio) points.  No shading."""
    plt = pyplot()
    fams = list(ratios)
    fig, axes = plt.subplots(1, len(fams), figsize=(3.4 * len(fams) + 1.6, 3.4), squeeze=False,
                             sharey=True)
    markers = "os^vD<>px*"
    handles: dict[str, Any] = {}
    for ax, fam in zip(axes[0], fams):
        for i, (method, pts) in enumerate(sorted(ratios[fam].items())):
            if not pts:
                continue
            ds, rs = zip(*sorted(pts))
            (h,) = ax.plot(ds, rs, marker=markers[i % len(markers)], label=(labels or {}).get(method, method))
            handles.setdefault(method, h)
        ax.axhline(1.0, color="k", lw=0.8)
        ax.set_title(fam, fontsize="medium")
        ax.set_xlabel("d (columns of X)")
        ax.grid(True, alpha=0.3)
    axes[0][0].set_ylabel(f"bound / ||X||_(2->{q:g})  (norm units)")
    legend_outside(axes[0][-1], handles=list(handles.values()),
                   labels=[(labels or {}).get(m, m) for m in handles])
    fig.suptitle(f"Approximation ratio of each bound, q = {q:g} (1 = exact; lower bounds sit below 1)")
    return save_figure(fig, path)
