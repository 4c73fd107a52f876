"""``linalg-lab sweep ANALYSIS --grid FILE --store DIR`` and ``linalg-lab sweep summary DIR``."""
from __future__ import annotations

import argparse
import dataclasses
import time
import json
from pathlib import Path
from typing import Any

from ..._results import Result, Rigour, Status
from ..._validation import InputValueError
from ..progress import Progress
from ..registry import ANALYSES, Command, discover, register_command, register_group


def load_grid(path: str) -> Any:
    """A grid from TOML or JSON: a table of lists (their product), or ``[[points]]`` (a list of tables)."""
    p = Path(path)
    if not p.is_file():
        raise InputValueError(f"sweep: grid file not found: {p}")
    text = p.read_text()
    try:
        if p.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            try:
                import tomllib
            except ModuleNotFoundError:  # Python 3.10
                import tomli as tomllib  # type: ignore[no-redef]
            data = tomllib.loads(text)
    except ValueError as exc:  # TOMLDecodeError and JSONDecodeError are ValueErrors
        raise InputValueError(f"sweep: could not read the grid {p.name}: {exc}") from None
    if isinstance(data, dict) and set(data) == {"points"}:
        return data["points"]
    return data


class _SweepProgress:
    """The sweep runner's ``progress(done, failed, remaining, note)`` on :class:`~linalg_lab.app.progress.Progress`
    (a tqdm bar on a terminal, one line per point with the ETA otherwise)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Progress | None = None
        self.t0 = time.perf_counter()  # the sweep starts now; the total is known at the first point

    def __call__(self, done: int, failed: int, remaining: int, note: str) -> None:
        if self.bar is None:
            self.bar = Progress(done + remaining, self.label).__enter__()
            self.bar.t0 = self.t0
        self.bar.update(1, f"failed {failed}; {note}")
        if remaining == 0:
            self.bar.__exit__(None, None, None)


def _sweep_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--grid", required=True, help="TOML or JSON file: a table of parameter lists (their "
                   "product) or [[points]] tables")
    p.add_argument("--store", required=True, help="store folder (sweep.sqlite is created inside)")
    p.add_argument("--scheduler", default=None,
                   help="Dask scheduler address (tcp://host:8786) or 'dask-local' for a LocalCluster; "
                        "default: local processes")
    p.add_argument("--workers", type=int, default=None, help="processes or Dask workers (default: CPUs)")
    p.add_argument("--resume", action="store_true", help="skip points already in the store")
    p.add_argument("--retry-failed", action="store_true", help="run again points whose last attempt failed")
    p.add_argument("--retries", type=int, default=0, help="automatic re-runs of a point that raised")
    p.add_argument("--seed", type=int, default=0, help="root seed (point i gets SeedSequence(seed).spawn(n)[i])")


def _sweep_runner(name: str):
    def run(args: argparse.Namespace) -> Result:
        from ...sweep import run as run_sweep

        grid = load_grid(args.grid)
        return run_sweep(ANALYSES[name], grid, store=args.store, executor=args.scheduler, workers=args.workers,
                         resume=args.resume, retry_failed=args.retry_failed, retries=args.retries,
                         root_seed=args.seed, progress=_SweepProgress(f"sweep {name}"))
    return run


@dataclasses.dataclass(frozen=True)
class SweepSummary(Result):
    """Per-analysis tables of a store: one row per point (latest attempt)."""

    store: str
    analyses: dict[str, Any]
    figures: list[str]
    pooled: dict[str, Result]
    status: Status
    reason: str
    rigour: Rigour = Rigour.NUMERICAL

    def summary(self) -> str:
        lines = [f"sweep store {self.store}"]
        for name, a in self.analyses.items():
            lines.append(f"\n{name}: {a['points']} points, {a['failed']} failed, {a['not_ok']} not ok")
            cols = ["params"] + a["fields"] + ["status", "elapsed_s"]
            lines.append("  " + " | ".join(cols))
            for r in a["rows"][:200]:
                vals = [r["params"]] + [_fmt(r.get(f)) for f in a["fields"]] + [(f"failed: {r['reason'][:80]}" if r["failed"] else r["status"][:30]), f"{r['elapsed_s']:.2f}"]
                lines.append("  " + " | ".join(str(v) for v in vals))
            if name in self.pooled:
                lines.append("")
                lines.append(self.pooled[name].summary())
            elif a["failed"] and name in ANALYSES and ANALYSES[name].collect is not None:
                lines.append(f"(not pooled: {a['failed']} point(s) failed; rerun with --resume --retry-failed)")
        return "\n".join(lines)


def _fmt(v: Any) -> str:
    return f"{v:.6g}" if isinstance(v, float) else str(v)


def _summary_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("store", help="store folder written by 'linalg-lab sweep ANALYSIS'")
    p.add_argument("--analysis", default=None, help="only this analysis (default: all in the store)")
    p.add_argument("--plots", default=None, help="folder for figures: one per analysis with numeric fields, and "
                   "the report's figures for analyses that pool their points (seed004, nu-sweep)")


def _summary_run(args: argparse.Namespace) -> Result:
    from ...sweep import Store

    if not (Path(args.store) / "sweep.sqlite").is_file():
        raise InputValueError(f"sweep summary: no sweep store in {args.store}")
    out: dict[str, Any] = {}
    figures: list[str] = []
    pooled: dict[str, Result] = {}
    with Store(args.store) as st:
        names = [args.analysis] if args.analysis else st.analyses()
        for name in names:
            latest = sorted(st.latest(name).values(), key=lambda r: r.point_index)
            an = ANALYSES.get(name)
            fields = list(an.summary_fields) if an is not None else []
            rows = []
            for r in latest:
                res = r.result_dict() or {}
                rows.append({"params": r.params, "status": r.status, "elapsed_s": r.elapsed_s,
                             "failed": r.failed, "reason": r.reason, **{f: res.get(f) for f in fields}})
            out[name] = {"points": len(rows), "failed": sum(r["failed"] for r in rows),
                         "not_ok": sum(1 for r in latest if not r.ok and not r.failed), "fields": fields,
                         "rows": rows}
            if an is not None and an.collect is not None and latest and not any(r.failed for r in latest):
                # the analysis's own pooling: the same tables (and figures) as the report's; not with
                # failed points (a pooled table would silently leave them out)
                pooled[name] = an.collect([r.result_dict() for r in latest])
            if args.plots and rows:
                from ..plots.sweep import plot_sweep

                f = plot_sweep(name, rows, fields, Path(args.plots))
                if f is not None:
                    figures.append(str(f))
                if name in pooled and an.figures is not None:
                    figures += [str(p) for p in an.figures(pooled[name], Path(args.plots))]
    failed = sum(a["failed"] for a in out.values())
    return SweepSummary(store=str(args.store), analyses=out, figures=figures, pooled=pooled,
                        status=Status.OK if not failed else Status.SOLVER_FAILED,
                        reason="ok" if not failed else f"{failed} stored point(s) failed")


def _example_sweep(name: str):
    def example(tmp: Path) -> list[str]:
        g = tmp / "grid.json"
        g.write_text(json.dumps({k: [v] for k, v in ANALYSES[name].example.items()}))
        return ["--grid", str(g), "--store", str(tmp / "store"), "--scheduler", "serial"]
    return example


def _example_summary(tmp: Path) -> list[str]:
    from ...sweep import run as run_sweep

    run_sweep(ANALYSES["spectral-norm"], {"m": [20], "n": [10]}, store=tmp / "s", executor="serial")
    return [str(tmp / "s")]


discover()  # the analyses must be registered before their commands are made
for _name, _an in sorted(ANALYSES.items()):
    register_command(Command(path=("sweep", _name), tool="linalg-lab", help=_an.description,
                             description=f"Run the '{_name}' analysis at every point of a grid; every finished "
                                         f"point is stored at once. Parameters: {dict(_an.defaults)}",
                             arguments=_sweep_args, run=_sweep_runner(_name),
                             example=_example_sweep(_name)))
register_command(Command(path=("sweep", "summary"), tool="linalg-lab",
                         help="tables (and figures) of a sweep store", arguments=_summary_args, run=_summary_run,
                         example=_example_summary))
register_group(("sweep",), "run a registered analysis over a parameter grid (local processes or Dask); summarise a store")
