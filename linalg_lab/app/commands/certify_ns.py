"""``proofs-check ns``: certified verdicts about a Newton–Schulz schedule (thin; no numerics here)."""
from __future__ import annotations

import argparse

from ..._results import Result
from ..registry import Command, register_command
from .ns import schedule_arguments, schedule_from

_DEFAULT_TOLERANCES = "1e-1,1e-3,1e-7"


def _args(p: argparse.ArgumentParser) -> None:
    schedule_arguments(p, steps_help="steps composed for the band and headroom (default: the schedule's usual count)")
    p.add_argument("--lo", type=float, default=1e-3, help="smallest normalised singular value ℓ")
    p.add_argument("--tolerances", "--eps", dest="tolerances", default=_DEFAULT_TOLERANCES, metavar="LIST",
                   help="comma-separated target errors for the certified steps-to-tolerance "
                        "(--eps is the old name)")
    p.add_argument("--basins", action="store_true",
                   help="also certify the basin map of the repeated (last) step")


def _run(args: argparse.Namespace) -> Result:
    from proofs_check.newton_schulz import certify_schedule

    from ...ns import to_fraction
    from ..cli import UsageError

    items = [t.strip() for t in args.tolerances.split(",") if t.strip()]
    if not items:
        raise UsageError("--tolerances needs at least one number, e.g. 1e-3,1e-7")
    tol = tuple(float(to_fraction(t, f"tolerance {t!r}", func="--tolerances")) for t in items)
    return certify_schedule(schedule_from(args), args.lo, eps=tol, steps=args.steps, basins=args.basins)


register_command(Command(
    path=("ns",), tool="proofs-check",
    help="certify a Newton–Schulz schedule: band, steps to tolerance, headroom, fixed points (Arb, exact algebra)",
    description="Certified verdicts about a Newton–Schulz schedule. Exit 0 when every verdict is proved, "
                "1 when one is not.",
    arguments=_args, run=_run, example=lambda tmp: ["--preset", "cubic", "--lo", "0.1", "--tolerances", "1e-3"]))
