"""``proofs-check ns``: certified verdicts about a Newton–Schulz schedule (thin; no numerics here)."""
from __future__ import annotations

import argparse

from linalg_lab._cli_util import emit

__all__ = ["register"]


def _ns(args: argparse.Namespace) -> int:
    from linalg_lab.ns.schedules import ns_schedule

    from .basins import basins
    from .certify import certify_schedule

    sched = ns_schedule(args.coeffs if args.coeffs else args.schedule)
    eps = tuple(float(e) for e in args.eps.split(",")) if args.eps else (1e-1, 1e-3, 1e-7)
    cert = certify_schedule(sched, args.lo, eps=eps, steps=args.steps)
    text = None
    if args.basins:
        bm = basins(sched, 0, max(2.0, cert.headroom.upper if cert.headroom.upper < 10 else 2.0),
                    index=len(sched.steps) - 1)
        text = cert.summary() + "\n\n" + bm.summary()
    return emit(cert, args, text=text, ok=cert.certified)


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "ns", parents=[parent],
        help="certify a Newton–Schulz schedule: band, steps to eps, headroom, fixed points (Arb, exact algebra)",
        description="Certified verdicts about a Newton–Schulz schedule. Exit 0 when every verdict is "
                    "certified, 1 when one is not.")
    p.add_argument("--schedule", default="cubic",
                   help="preset name (cubic, pade5, muon, you5, polar-express-5, polar-express-8, cans-5) "
                        "or a JSON file")
    p.add_argument("--coeffs", default=None, help="custom coefficients 'a1,a3,a5;a1,a3,a5' (overrides --schedule)")
    p.add_argument("--lo", type=float, default=1e-3, help="smallest normalised singular value (default 1e-3)")
    p.add_argument("--steps", type=int, default=None, help="steps composed for the band (default: the schedule's)")
    p.add_argument("--eps", default=None, help="comma-separated tolerances (default 1e-1,1e-3,1e-7)")
    p.add_argument("--basins", action="store_true", help="also print the certified basin map of the repeated step")
    p.set_defaults(handler=_ns)
