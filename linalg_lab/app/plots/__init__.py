"""Plotting helpers for the faces.  matplotlib is imported lazily with a non-interactive backend.

Family plotting modules live beside this file (``app/plots/<family>.py``); they take results (or
their ``to_dict()``) and write PNG files.  Conventions: labelled axes with units, legends outside
the data (``legend_outside``), small multiples or lines rather than stacked translucent fills, and
a caption in the report saying what any shading is.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["pyplot", "save_figure", "legend_outside"]


def pyplot() -> Any:
    """Return ``matplotlib.pyplot`` using a non-interactive backend (safe on headless machines)."""
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "pdf", "svg", "cairo",
                                                "module://matplotlib_inline.backend_inline"):
        matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig: Any, path: str | Path, *, dpi: int = 130) -> Path:
    """Save ``fig`` to ``path`` (creating folders), close it, and return the path."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(p, dpi=dpi, bbox_inches="tight")
    pyplot().close(fig)
    return p


def legend_outside(ax: Any, **kw: Any) -> Any:
    """Place ``ax``'s legend to the right of the axes, off the data."""
    kw.setdefault("loc", "upper left")
    kw.setdefault("bbox_to_anchor", (1.02, 1.0))
    kw.setdefault("borderaxespad", 0.0)
    kw.setdefault("fontsize", "small")
    return ax.legend(**kw)
