"""Run an analysis over a grid on an executor; every finished point goes to the store at once."""
from __future__ import annotations

import dataclasses
import datetime
import json
import os
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .. import __version__
from .._results import Result, Rigour, Status, to_jsonable
from .._validation import InputValueError
from .analysis import Analysis
from .grid import canonical, expand_grid, point_key, point_seeds
from .store import Row, Store

__all__ = ["run", "SweepResult", "execute_point", "check_executor"]


@dataclasses.dataclass(frozen=True)
class SweepResult(Result):
    """What a sweep did: counts, the store, and the executor."""

    analysis: str
    store: str
    executor: str
    n_points: int
    ran: int
    skipped: int
    failed: int
    not_ok: int
    elapsed_s: float
    root_seed: int
    status: Status
    reason: str
    rigour: Rigour = Rigour.NUMERICAL

    def summary(self) -> str:
        return (f"sweep {self.analysis}: {self.n_points} points; ran {self.ran}, skipped {self.skipped} "
                f"(already stored), failed {self.failed}, results not ok {self.not_ok}; "
                f"{self.elapsed_s:.1f} s on {self.executor}; store {self.store}"
                + ("" if self.ok else f"\n  {self.reason}"))


def _versions() -> str:
    import numpy
    import scipy

    return json.dumps({"linalg_lab": __version__, "numpy": numpy.__version__, "scipy": scipy.__version__},
                      sort_keys=True)


def execute_point(analysis: Analysis, params: dict[str, Any], seed: int) -> dict[str, Any]:
    """Run one point (in a worker).  An exception becomes a failed row with its one-line reason.

    This is the sweep's single catch: the point is stored as failed and the sweep continues.
    """
    t0 = time.perf_counter()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    try:
        res = analysis.run(dict(params), int(seed))
        data = res.to_dict()
        return {"status": str(data.get("status", "ok")), "ok": bool(res.ok), "failed": False,
                "reason": str(getattr(res, "reason", "")),
                "result": json.dumps(to_jsonable(data), sort_keys=True, allow_nan=False),
                "elapsed_s": time.perf_counter() - t0, "worker": worker}
    except Exception as exc:  # stored as a failed point with its reason; the sweep goes on
        msg = str(exc).strip().splitlines()
        return {"status": "failed", "ok": False, "failed": True,
                "reason": f"{type(exc).__name__}: {msg[0] if msg else ''}".rstrip(": "),
                "result": None, "elapsed_s": time.perf_counter() - t0, "worker": worker}


class _Local:
    """concurrent.futures process pool (or in-process when workers == 0)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool = None
        if workers > 0:
            import concurrent.futures as cf
            import multiprocessing as mp

            self.pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"))
        self.name = f"local processes ({workers})" if workers else "in-process"

    def submit_all(self, calls: list[tuple[Any, ...]]) -> Any:
        if self.pool is None:
            for i, c in enumerate(calls):
                yield i, execute_point(*c)
            return
        import concurrent.futures as cf

        futs = {self.pool.submit(execute_point, *c): i for i, c in enumerate(calls)}
        for f in cf.as_completed(futs):
            yield futs[f], f.result()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


class _Dask:
    """Dask distributed: a LocalCluster ("dask-local") or a scheduler address ("tcp://host:8786")."""

    def __init__(self, address: str, workers: int) -> None:
        from dask.distributed import Client, LocalCluster

        self.cluster = None
        if address == "dask-local":
            self.cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                                        dashboard_address=None)
            self.client = Client(self.cluster)
            self.name = f"dask LocalCluster ({max(workers, 1)} workers)"
        else:
            self.client = Client(address)
            self.name = f"dask scheduler {address}"

    def submit_all(self, calls: list[tuple[Any, ...]]) -> Any:
        from dask.distributed import as_completed

        futs = {self.client.submit(execute_point, *c, pure=False): i for i, c in enumerate(calls)}
        for f in as_completed(list(futs)):
            yield futs[f], f.result()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def check_executor(executor: str | None, workers: int | None = None) -> str:
    """Validate an executor name and worker count without starting anything; returns the kind
    ("local", "serial" or "dask").

    Raises
    ------
    InputValueError
        An unknown executor, or ``workers`` < 1 (0 for "serial").
    """
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise InputValueError(f"sweep: 'workers' must be a positive int, got {workers!r}")
    if executor in (None, "local"):
        return "local"
    if executor == "serial":
        return "serial"
    if isinstance(executor, str) and (executor == "dask-local" or executor.startswith(("tcp://", "tls://", "inproc://"))):
        return "dask"
    raise InputValueError(f"sweep: unknown executor {executor!r}; use 'local', 'serial', 'dask-local' or a "
                          "Dask scheduler address such as tcp://host:8786")


def _executor(executor: str | None, workers: int | None) -> Any:
    kind = check_executor(executor, workers)
    n = workers if workers is not None else max(1, (os.cpu_count() or 1))
    if kind == "local":
        return _Local(n)
    if kind == "serial":
        return _Local(0)
    return _Dask(executor, n)


def run(analysis: Analysis, grid: Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]], *,
        store: str | Store, executor: str | None = None, workers: int | None = None, resume: bool = False,
        retry_failed: bool = False, retries: int = 0, root_seed: int = 0,
        progress: Callable[[int, int, int, str], None] | None = None) -> SweepResult:
    """Run ``analysis`` at every point of ``grid``; store each finished point at once.

    Parameters
    ----------
    analysis : Analysis
    grid : dict of lists or list of dicts
        See :func:`~linalg_lab.sweep.expand_grid`.
    store : str, Path or Store
        The store folder (``sweep.sqlite`` inside).
    executor : {None, "local", "serial", "dask-local"} or str
        Local processes (default), in-process, a Dask ``LocalCluster``, or a Dask scheduler address.
    workers : int, optional
        Processes or Dask workers (default: the number of CPUs).
    resume : bool
        Skip points already in the store.  Without it, a store that already holds some of the points
        is refused (nothing is ever overwritten).
    retry_failed : bool
        Run again the points whose latest stored attempt failed (as new attempts).
    retries : int
        Automatic re-runs, within this sweep, of a point that raised.
    root_seed : int
        Point ``i`` gets seed ``SeedSequence(root_seed).spawn(n)[i]``.
    progress : callable, optional
        ``progress(done, failed, remaining, note)`` after each point.

    Returns
    -------
    SweepResult
        ``ok`` when no point failed (results that are not ok are counted in ``not_ok``).
    """
    t0 = time.perf_counter()
    points = expand_grid(grid)
    params = [analysis.params(p) for p in points]
    seeds = point_seeds(root_seed, len(points))
    keys = [point_key(analysis.name, p, __version__) for p in params]
    if len(set(keys)) != len(keys):
        raise InputValueError(f"sweep {analysis.name}: the grid repeats a point")
    st = store if isinstance(store, Store) else Store(store)
    latest = st.latest(analysis.name)
    stored = [k for k in keys if k in latest]
    if stored and not resume and not retry_failed:
        raise InputValueError(f"sweep {analysis.name}: the store {st.folder} already holds {len(stored)} of these "
                              f"{len(keys)} points; pass resume=True (--resume) to skip them")
    todo = [i for i, k in enumerate(keys) if k not in latest or (retry_failed and latest[k].failed)]
    attempts = {i: (latest[keys[i]].attempt + 1 if keys[i] in latest else 1) for i in todo}
    ex = _executor(executor, workers)
    versions = _versions()
    ran = failed = not_ok = 0
    try:
        pending = list(todo)
        tries_left = {i: retries for i in todo}
        while pending:
            calls = [(analysis, params[i], seeds[i]) for i in pending]
            retry_next = []
            for j, out in ex.submit_all(calls):
                i = pending[j]
                if out["failed"] and tries_left[i] > 0:
                    tries_left[i] -= 1
                    retry_next.append(i)
                    continue
                row = Row(key=keys[i], attempt=attempts[i], analysis=analysis.name, point_index=i,
                          params=canonical(params[i]), seed=seeds[i], status=out["status"], ok=out["ok"],
                          failed=out["failed"], reason=out["reason"], result=out["result"],
                          elapsed_s=out["elapsed_s"], worker=out["worker"], versions=versions,
                          finished_at=datetime.datetime.now(datetime.timezone.utc).isoformat())
                st.insert(row)
                ran += 1
                failed += out["failed"]
                not_ok += (not out["ok"]) and not out["failed"]
                if progress is not None:
                    progress(ran, failed, len(todo) - ran, f"point {i}: {out['status'][:40]}")
            pending = retry_next
    finally:
        ex.close()
        if not isinstance(store, Store):
            st.close()
    reason = "ok" if not failed else f"{failed} point(s) failed (stored with their reasons; rerun with --retry-failed)"
    return SweepResult(analysis=analysis.name, store=str(st.folder), executor=ex.name, n_points=len(points),
                       ran=ran, skipped=len(points) - len(todo), failed=failed, not_ok=not_ok,
                       elapsed_s=time.perf_counter() - t0, root_seed=root_seed,
                       status=Status.OK if not failed else Status.SOLVER_FAILED, reason=reason)

