"""Progress on stderr (never stdout, which carries results), through tqdm.

On a terminal: a tqdm bar with the current case.  Without a terminal (a pipe, a log file, CI): one
plain line per case, so ``linalg-lab report | cat`` still shows what is running.
``LINALG_LAB_PROGRESS=0`` silences it; ``LINALG_LAB_PROGRESS=1`` forces lines even when piped.
"""
from __future__ import annotations

import os
import sys
import time
from typing import Any, TextIO

__all__ = ["Progress", "progress_mode"]


def progress_mode(stream: TextIO | None = None) -> str:
    """"bar" on a terminal, "lines" otherwise, "off" when ``LINALG_LAB_PROGRESS=0``."""
    env = os.environ.get("LINALG_LAB_PROGRESS")
    if env is not None and env.lower() in ("0", "false", "no", "off"):
        return "off"
    stream = stream or sys.stderr
    return "bar" if bool(getattr(stream, "isatty", lambda: False)()) else "lines"


class Progress:
    """``with Progress(total, "report") as p: p.case("svd", "gaussian 40x30"); p.update(1)``.

    Also usable as the ``progress`` callable that library functions accept: ``p(n=1, note="")``.
    """

    def __init__(self, total: int | None, label: str = "", *, mode: str | None = None,
                 stream: TextIO | None = None) -> None:
        self.total = total
        self.label = label
        self.stream = stream or sys.stderr
        self.mode = mode or progress_mode(self.stream)
        self.t0 = time.perf_counter()
        self.done = 0
        self._bar: Any = None

    def __enter__(self) -> "Progress":
        if self.mode == "bar":
            from tqdm import tqdm

            self._bar = tqdm(total=self.total, desc=self.label, file=self.stream, leave=True,
                             dynamic_ncols=True)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()

    def case(self, section: str, name: str) -> None:
        """Announce a case; a line in "lines" mode, the bar's postfix in "bar" mode."""
        if self.mode == "lines":
            el = time.perf_counter() - self.t0
            self.stream.write(f"[{self.label} {el:7.1f} s] {section}: {name}\n")
            self.stream.flush()
        elif self._bar is not None:
            self._bar.set_postfix_str(f"{section}: {name}"[:60])

    def update(self, n: int = 1, note: str = "") -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
            if note:
                self._bar.set_postfix_str(note[:60])
        elif self.mode == "lines" and note:
            el = time.perf_counter() - self.t0
            where = f"{self.done}/{self.total}" if self.total else f"{self.done}"
            eta = f", eta {el / self.done * (self.total - self.done):.0f} s" if self.total and self.done else ""
            self.stream.write(f"[{self.label} {el:7.1f} s] {where}{eta}: {note}\n")
            self.stream.flush()

    def __call__(self, n: int = 1, note: str = "") -> None:
        self.update(n, note)
