"""A small progress bar for long runs, written to stderr (never to stdout, which carries results).

It draws only when stderr is a terminal, or when ``LINALG_LAB_PROGRESS=1``; ``LINALG_LAB_PROGRESS=0``
silences it.  Library functions accept a ``progress`` callable; the CLI passes a bar.
"""
from __future__ import annotations

import os
import sys
import time
from typing import TextIO

__all__ = ["Progress", "progress_enabled"]


def progress_enabled(stream: TextIO | None = None) -> bool:
    env = os.environ.get("LINALG_LAB_PROGRESS")
    if env is not None:
        return env not in ("0", "", "false", "no")
    stream = stream or sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)())


class Progress:
    """``with Progress(total, "label") as bar: bar.update(1)``; a no-op when disabled."""

    def __init__(self, total: int, label: str = "", *, enabled: bool | None = None,
                 stream: TextIO | None = None, width: int = 30) -> None:
        self.total = max(int(total), 1)
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = progress_enabled(self.stream) if enabled is None else enabled
        self.width = width
        self.done = 0
        self.t0 = time.perf_counter()
        self._last = 0.0

    def __enter__(self) -> "Progress":
        self._draw(force=True)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()

    def __call__(self, n: int = 1, note: str = "") -> None:
        self.update(n, note)

    def update(self, n: int = 1, note: str = "") -> None:
        self.done = min(self.done + n, self.total)
        self._draw(note=note)

    def _draw(self, note: str = "", force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if not force and now - self._last < 0.1 and self.done < self.total:
            return
        self._last = now
        frac = self.done / self.total
        filled = int(round(frac * self.width))
        el = now - self.t0
        eta = el / frac - el if frac > 0 else float("nan")
        bar = "#" * filled + "-" * (self.width - filled)
        msg = f"\r{self.label} [{bar}] {self.done}/{self.total} {el:5.1f}s"
        if frac > 0 and self.done < self.total:
            msg += f" eta {eta:5.1f}s"
        if note:
            msg += f" {note}"
        self.stream.write(msg[:200])
        self.stream.flush()
