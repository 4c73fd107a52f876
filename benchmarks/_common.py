"""Shared helpers for the benchmarks: timing with repeats, a table printer, JSON output."""
from __future__ import annotations

import json
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any, Callable

RESULTS = Path(__file__).resolve().parent / "results"


def best_time(fn: Callable[[], Any], *, repeat: int = 3, min_time: float = 0.0) -> tuple[float, Any]:
    """Minimum wall time over ``repeat`` runs (the least-disturbed run), and the last result."""
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        if sum(times) > max(min_time, 0) and len(times) >= repeat:
            break
    return min(times), out


def machine() -> dict[str, Any]:
    import numpy as np

    return {"python": platform.python_version(), "numpy": np.__version__, "cpus": os.cpu_count(),
            "machine": platform.machine()}


def table(header: list[str], rows: list[list[Any]]) -> str:
    def f(x: Any) -> str:
        return f"{x:.4g}" if isinstance(x, float) else str(x)

    cells = [header] + [[f(x) for x in r] for r in rows]
    w = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w[i]) if i == 0 else c.rjust(w[i]) for i, c in enumerate(r)) for r in cells]
    lines.insert(1, "  ".join("-" * x for x in w))
    return "\n".join(lines)


def write_json(name: str, data: Any) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    p = RESULTS / f"{name}.json"
    p.write_text(json.dumps({"machine": machine(), "results": data}, indent=2, default=str))
    return p


def stat(xs: list[float]) -> float:
    return statistics.median(xs)
