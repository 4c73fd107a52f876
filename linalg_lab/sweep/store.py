"""The sweep store: an append-only SQLite table, one row per finished attempt at a point.

Rows are only ever inserted (there is no UPDATE or DELETE in this module): a finished row is never
overwritten.  A point is *done* when it has a row that did not fail; a point whose latest row failed
is retried only on request, as a new row with the next attempt number.  SQLite (standard library,
WAL journal) keeps each insert atomic, so a killed sweep leaves every finished row intact.
"""
from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["Store", "Row"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS points (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    analysis TEXT NOT NULL,
    point_index INTEGER NOT NULL,
    params TEXT NOT NULL,
    seed INTEGER NOT NULL,
    status TEXT NOT NULL,
    ok INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    reason TEXT NOT NULL,
    result TEXT,
    elapsed_s REAL NOT NULL,
    worker TEXT NOT NULL,
    versions TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    UNIQUE (key, attempt)
);
CREATE INDEX IF NOT EXISTS points_key ON points (key);
"""

FIELDS = ("key", "attempt", "analysis", "point_index", "params", "seed", "status", "ok", "failed", "reason",
          "result", "elapsed_s", "worker", "versions", "finished_at")


@dataclasses.dataclass(frozen=True)
class Row:
    """One stored attempt (``result`` is the analysis result's ``to_dict()`` as JSON text)."""

    key: str
    attempt: int
    analysis: str
    point_index: int
    params: str
    seed: int
    status: str
    ok: bool
    failed: bool
    reason: str
    result: str | None
    elapsed_s: float
    worker: str
    versions: str
    finished_at: str

    def params_dict(self) -> dict[str, Any]:
        return json.loads(self.params)

    def result_dict(self) -> dict[str, Any] | None:
        return None if self.result is None else json.loads(self.result)


class Store:
    """``Store(folder)`` opens (creating) ``folder/sweep.sqlite``."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / "sweep.sqlite"
        self._db = sqlite3.connect(self.path, timeout=60)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        self._db.commit()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def insert(self, row: Row) -> None:
        """Append ``row`` and commit (a duplicate (key, attempt) is an error: nothing is replaced)."""
        vals = [getattr(row, f) for f in FIELDS]
        self._db.execute(f"INSERT INTO points ({', '.join(FIELDS)}) VALUES ({', '.join('?' * len(FIELDS))})",
                         [int(v) if isinstance(v, bool) else v for v in vals])
        self._db.commit()

    def rows(self, analysis: str | None = None) -> list[Row]:
        """Every stored row (all attempts), in insertion order."""
        q = f"SELECT {', '.join(FIELDS)} FROM points" + (" WHERE analysis = ?" if analysis else "") + " ORDER BY id"
        cur = self._db.execute(q, (analysis,) if analysis else ())
        return [Row(*(bool(v) if f in ("ok", "failed") else v for f, v in zip(FIELDS, r))) for r in cur]

    def latest(self, analysis: str | None = None) -> dict[str, Row]:
        """The latest attempt of each point, by key; a point with a successful attempt keeps that one."""
        out: dict[str, Row] = {}
        for r in self.rows(analysis):
            prev = out.get(r.key)
            if prev is None or (prev.failed and r.attempt > prev.attempt):
                out[r.key] = r
        return out

    def analyses(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT DISTINCT analysis FROM points ORDER BY analysis")]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows())
