"""``linalg-lab ns ...``: run a Newton–Schulz schedule on a matrix, analyse a schedule, list presets.

Thin layer: parse arguments, call the library, print results and draw figures (no numerics here).
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .._cli_util import emit

__all__ = ["register"]


def _schedule_from(args: argparse.Namespace) -> Any:
    from .schedules import ns_schedule

    if getattr(args, "coeffs", None):
        return ns_schedule(args.coeffs)
    return ns_schedule(args.schedule)


def _run(args: argparse.Namespace) -> int:
    from ..io import load_matrix
    from .analysis import analyze_ns_output

    A = load_matrix(args.file, sparse_ok=False)
    sched = _schedule_from(args)
    res = analyze_ns_output(A, schedule=sched, steps=args.steps, precision=args.precision)
    if args.save:
        from ..io import save_matrix

        save_matrix(args.save, res.X)
    if args.plots:
        from ._plots import plot_histogram

        plot_histogram(res, Path(args.plots) / "ns_singular_values.png")
    return emit(res, args)


def _basins_or_none(sched: Any, resolution: int) -> Any:
    """The certified basin partition of [0, 2] for the last step (the one repeated), if available."""
    try:
        from proofs_check.newton_schulz import basins  # type: ignore[attr-defined]
    except Exception:
        return None
    try:
        return basins(sched.steps[-1], 0, 2, resolution=resolution)
    except Exception:
        return None


def _analyze(args: argparse.Namespace) -> int:
    from .analysis import analyze_ns_schedule, ns_band_curve

    sched = _schedule_from(args)
    res = analyze_ns_schedule(sched, args.lo, steps=args.steps)
    text = "\n".join([sched.describe(), ""] + [f.summary() for f in res.step_facts] + ["", res.summary()])
    if args.plots:
        from ._plots import plot_band, plot_basins, plot_cobweb, plot_error, plot_map

        d = Path(args.plots)
        plot_map(sched, res, d / "ns_map.png")
        plot_cobweb(sched, [args.lo, 0.3, 1.0], max(res.steps, 1), d / "ns_cobweb.png")
        plot_error(res, d / "ns_error.png")
        plot_band([ns_band_curve(sched, steps=res.steps)], d / "ns_band.png")
        b = _basins_or_none(sched, args.basins_resolution)
        if b is not None:
            plot_basins(b, d / "ns_basins.png",
                        title=f"{sched.name}, last step (iterated): certified basins on [0, 2]")
        text += f"\nfigures written to {d}/"
    return emit(res, args, text=text)


def _schedules(args: argparse.Namespace) -> int:
    from .schedules import PRESETS

    class _Listing:
        ok = True

        def to_dict(self) -> dict[str, Any]:
            return {name: s.to_dict() for name, s in PRESETS.items()}

        def summary(self) -> str:
            return "\n\n".join(s.describe() for s in PRESETS.values())

    return emit(_Listing(), args)


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    """Add ``ns run``, ``ns analyze`` and ``ns schedules`` to the ``linalg-lab`` command."""
    from .iteration import PRECISIONS
    from .schedules import PRESETS

    ns = sub.add_parser("ns", parents=[parent], help="Newton–Schulz orthogonalisation: run and analyse schedules",
                        description="Newton–Schulz schedules (presets: " + ", ".join(PRESETS) + ").")
    nsub = ns.add_subparsers(dest="ns_command", metavar="NS_COMMAND")

    def _sched_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--schedule", default="cubic",
                       help="preset name (" + ", ".join(PRESETS) + ") or a JSON schedule file (default cubic)")
        p.add_argument("--coeffs", default=None,
                       help="custom coefficients 'a1,a3,a5;a1,a3,a5' (one step per ';'); overrides --schedule")
        p.add_argument("--steps", type=int, default=None, help="number of steps (default: the schedule's usual count)")
        p.add_argument("--plots", default=None, metavar="DIR", help="write figures (PNG) into DIR")

    p = nsub.add_parser("run", parents=[parent], help="orthogonalise a matrix and compare with the polar factor",
                        description="Run the schedule on the matrix in FILE and report ||X - UV^T|| against "
                                    "scipy.linalg.polar, ||XX^T - I|| and the singular values before/after.")
    p.add_argument("file", help="matrix file (.npy, .npz[:KEY], .txt, .csv, .mtx)")
    _sched_args(p)
    p.add_argument("--precision", default=None, choices=list(PRECISIONS),
                   help="emulate a low-precision run on the CPU and report its difference from float64")
    p.add_argument("--save", default=None, metavar="OUT", help="save the orthogonalised matrix (.npy/.txt/...)")
    p.set_defaults(handler=_run)

    p = nsub.add_parser("analyze", parents=[parent], help="numeric analysis of a schedule on [lo, 1]",
                        description="Per-step facts (p(1), p'(0), p'(1), critical and fixed points) and the "
                                    "schedule's band, error against step, steps to tolerance and hazards "
                                    "(numerical; see `proofs-check ns` for certified results).")
    _sched_args(p)
    p.add_argument("--lo", type=float, default=1e-3, help="smallest normalised singular value ℓ (default 1e-3)")
    p.add_argument("--basins-resolution", type=int, default=20,
                   help="resolution of the certified basin strip drawn with --plots (proofs_check; "
                        "default 20, higher is slower and finer)")
    p.set_defaults(handler=_analyze)

    p = nsub.add_parser("schedules", parents=[parent], help="list the preset schedules with their provenance")
    p.set_defaults(handler=_schedules)

    def _need_sub(args: argparse.Namespace) -> int:
        ns.print_help()
        return 2

    ns.set_defaults(handler=_need_sub)
