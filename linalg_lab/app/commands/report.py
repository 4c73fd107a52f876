"""``linalg-lab report``: every registered section's default cases -> report.md/.html/.json."""
from __future__ import annotations

import argparse

from ..._results import Result
from ..registry import Command, ordered_sections, register_command


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default="linalg-lab-report", help="output folder")
    p.add_argument("--section", action="append", choices=[s.name for s in ordered_sections()],
                   help="only this section (repeatable; default: all)")
    p.add_argument("--quick", action="store_true", help="smaller cases (used by the test suite)")
    p.add_argument("--no-certify", action="store_true", help="skip the proofs_check certificates")
    p.add_argument("--seed", type=int, default=0, help="root seed of the report's random cases")
    p.add_argument("--scheduler", default="serial",
                   help="where the sections' sweeps run: 'serial' (this process, default), 'local' (local "
                        "processes), 'dask-local' (a Dask LocalCluster) or a Dask scheduler address tcp://host:8786")
    p.add_argument("--workers", type=int, default=None, help="processes or Dask workers for the sweeps")
    p.add_argument("--resume", action="store_true",
                   help="reuse the sweep points already stored in OUT/sweeps (default: start afresh)")


def _run(args: argparse.Namespace) -> Result:
    from pathlib import Path

    from ..report import build_report

    return build_report(Path(args.out), sections=args.section or None, quick=args.quick,
                        certify=not args.no_certify, seed=args.seed,
                        executor=args.scheduler, workers=args.workers, resume=args.resume)


register_command(Command(
    path=("report",), tool="linalg-lab",
    help="run every section's default cases; write report.md, report.html, report.json",
    description="Run the built-in default cases of every registered report section and write "
                "report.md and a self-contained report.html (tables and figures) and report.json to "
                "--out. Exit 1 when any section failed.",
    arguments=_args, run=_run,
    example=lambda tmp: ["--out", str(tmp / "rep"), "--quick", "--section", "spectral"]))
