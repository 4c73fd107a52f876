"""Plotting helpers.  matplotlib is imported lazily (never at package import) with the Agg backend."""
from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["pyplot", "save_figure"]


def pyplot() -> Any:
    """Return ``matplotlib.pyplot`` using a non-interactive backend (safe on headless machines)."""
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "pdf", "svg", "cairo", "module://matplotlib_inline.backend_inline"):
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
