"""``linalg-lab ns run|analyze|schedules``: Newton–Schulz schedules on a matrix and on [ℓ, 1].

Thin: parse the options, call the library, return its result (figures and ``--save`` files are
written here, after the computation).  The schedule options are shared with ``proofs-check ns``
(:func:`schedule_arguments`, :func:`schedule_from`) so that they mean the same thing in both tools.
"""
from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

from ..._results import Result, Rigour, Status
from ..registry import Command, register_command, register_group
from . import example_matrix

__all__ = ["schedule_arguments", "schedule_from", "PresetListing"]

#: Appended to help texts that state their default in words: keeps argparse's
#: ArgumentDefaultsHelpFormatter from adding "(default: None)" after them.
_NO_AUTO_DEFAULT = "%(default).0s"


def schedule_arguments(p: argparse.ArgumentParser, *, steps_help: str) -> None:
    """``--preset`` / ``--schedule`` / ``--coeffs`` (at most one) and ``--steps``."""
    from ...ns import DEPRECATED_ALIASES, PRESETS

    g = p.add_mutually_exclusive_group()
    g.add_argument("--preset", default="cubic", choices=list(PRESETS),
                   help="a named schedule from linalg_lab.ns.PRESETS (see `linalg-lab ns schedules`)")
    g.add_argument("--schedule", default=None, metavar="NAME_OR_FILE",
                   help="a preset name (deprecated names such as "
                        + ", ".join(repr(k) for k in DEPRECATED_ALIASES)
                        + " still work, with a warning) or a JSON schedule file; default: --preset"
                        + _NO_AUTO_DEFAULT)
    g.add_argument("--coeffs", default=None, metavar="COEFFS",
                   help="custom coefficients 'a1,a3,a5;a1,a3,a5' (one step per ';', repeat the last); "
                        "a single step needs --steps (default: none)" + _NO_AUTO_DEFAULT)
    p.add_argument("--steps", type=int, default=None,
                   help=steps_help + "; for --coeffs with several steps, as many as listed (one step: required)"
                   + _NO_AUTO_DEFAULT)


def schedule_from(args: argparse.Namespace) -> Any:
    """The schedule the options name; a single-step ``--coeffs`` without ``--steps`` is refused."""
    from ...ns import ns_schedule, parse_coefficients
    from ..cli import UsageError

    if args.coeffs is not None:
        sched = parse_coefficients(args.coeffs)
        if len(sched.steps) == 1 and args.steps is None:
            raise UsageError(
                "--coeffs gives a single step; say how many times to apply it with --steps N "
                "(for comparison: --preset muon applies its step 5 times, --preset cubic 15)")
        return sched
    if args.schedule is not None:
        return ns_schedule(args.schedule)
    return ns_schedule(args.preset)


# -- ns run -----------------------------------------------------------------------------------

def _run_args(p: argparse.ArgumentParser) -> None:
    from ...ns import PRECISIONS

    p.add_argument("file", help="matrix file (.npy, .npz[:KEY], .txt, .csv, .mtx)")
    schedule_arguments(p, steps_help="number of steps (default: the schedule's usual count, listed by "
                                     "`linalg-lab ns schedules`)")
    p.add_argument("--precision", default=None, choices=list(PRECISIONS),
                   help="emulate a low-precision run on the CPU and report its difference from float64 "
                        "(default: none, float64 only)" + _NO_AUTO_DEFAULT)
    p.add_argument("--save", default=None, metavar="OUT",
                   help="save the orthogonalised matrix (.npy, .txt, ...) (default: not saved)" + _NO_AUTO_DEFAULT)
    p.add_argument("--plots", default=None, metavar="DIR",
                   help="write the singular-value histogram ns_singular_values.png into DIR (default: none)"
                        + _NO_AUTO_DEFAULT)


def _run(args: argparse.Namespace) -> Result:
    from ...io import load_matrix, save_matrix
    from ...ns import analyze_ns_output

    A = load_matrix(args.file, sparse_ok=False)
    res = analyze_ns_output(A, schedule=schedule_from(args), steps=args.steps, precision=args.precision)
    if args.save:
        save_matrix(args.save, res.X)
    if args.plots:
        from ..plots.ns import plot_histogram

        plot_histogram(res, Path(args.plots) / "ns_singular_values.png")
    return res


# -- ns analyze -------------------------------------------------------------------------------

_BASINS_RESOLUTION = 20


def _analyze_args(p: argparse.ArgumentParser) -> None:
    schedule_arguments(p, steps_help="number of steps analysed (default: the schedule's usual count)")
    p.add_argument("--lo", type=float, default=1e-3, help="smallest normalised singular value ℓ")
    p.add_argument("--plots", default=None, metavar="DIR",
                   help="write ns_map.png, ns_cobweb.png, ns_error.png, ns_band.png and the certified "
                        "basin strip ns_basins.png into DIR (default: none)" + _NO_AUTO_DEFAULT)
    p.add_argument("--basins-resolution", type=int, default=None,
                   help=f"resolution of the certified basin strip (proofs_check); only with --plots; "
                        f"higher is slower and finer (default: {_BASINS_RESOLUTION})" + _NO_AUTO_DEFAULT)


def _analyze(args: argparse.Namespace) -> Result:
    from ...ns import analyze_ns_schedule, ns_band_curve
    from ..cli import UsageError

    if args.basins_resolution is not None and not args.plots:
        raise UsageError("--basins-resolution applies only with --plots (it sets the basin figure's resolution)")
    sched = schedule_from(args)
    args.resolved_schedule = sched  # for the rendering (no second lookup)
    res = analyze_ns_schedule(sched, args.lo, steps=args.steps)
    if args.plots:
        from proofs_check.newton_schulz import basins

        from ..plots.ns import plot_band, plot_basins, plot_cobweb, plot_error, plot_map

        d = Path(args.plots)
        plot_map(sched, res, d / "ns_map.png")
        plot_cobweb(sched, [args.lo, 0.3, 1.0], max(res.steps, 1), d / "ns_cobweb.png")
        plot_error(res, d / "ns_error.png")
        plot_band([ns_band_curve(sched, steps=res.steps)], d / "ns_band.png")
        b = basins(sched.steps[-1], 0, 2, resolution=args.basins_resolution or _BASINS_RESOLUTION)
        plot_basins(b, d / "ns_basins.png", title=f"{sched.name}, last step (iterated): certified basins on [0, 2]")
    return res


def _analyze_render(res: Any, args: argparse.Namespace) -> str:
    sched = args.resolved_schedule
    text = "\n".join([sched.describe(), ""] + [f.summary() for f in res.step_facts] + ["", res.summary()])
    if args.plots:
        text += f"\nfigures written to {args.plots}/"
    return text


# -- ns schedules -----------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class PresetListing(Result):
    """The preset registry as data: each schedule's exact coefficients, normalisation and provenance."""

    schedules: dict[str, Any]
    deprecated_aliases: dict[str, str]
    # Nothing is computed: the coefficients are the published decimal literals as exact rationals.
    rigour: Rigour = Rigour.NUMERICAL
    status: Status = Status.OK
    reason: str = "ok"

    def summary(self) -> str:
        from ...ns import PRESETS

        lines = [PRESETS[name].describe() + "\n" for name in self.schedules]
        lines += [f"deprecated name {old!r}: use {new!r}" for old, new in self.deprecated_aliases.items()]
        return "\n".join(lines)


def _schedules_args(p: argparse.ArgumentParser) -> None:
    del p  # no options besides --json


def _schedules(args: argparse.Namespace) -> Result:
    from ...ns import DEPRECATED_ALIASES, PRESETS

    return PresetListing(schedules={name: s.to_dict() for name, s in PRESETS.items()},
                         deprecated_aliases={k: v[0] for k, v in DEPRECATED_ALIASES.items()})


def _example_file(tmp) -> list[str]:
    return [example_matrix(tmp, (20, 30)), "--preset", "muon"]


register_command(Command(
    path=("ns", "run"), tool="linalg-lab", help="orthogonalise a matrix and compare with the polar factor",
    description="Run a Newton–Schulz schedule on the matrix in FILE and report ||X - UV^T|| against "
                "scipy.linalg.polar, ||XX^T - I|| and the singular values before and after (numerical).",
    arguments=_run_args, run=_run, example=_example_file))
register_command(Command(
    path=("ns", "analyze"), tool="linalg-lab", help="numeric analysis of a schedule on [lo, 1]",
    description="Per-step facts (p(1), p'(0), p'(1), critical and fixed points) and the schedule's band, "
                "error against step, steps to tolerance and hazards (numerical; `proofs-check ns` "
                "certifies them).",
    arguments=_analyze_args, run=_analyze, render=_analyze_render,
    example=lambda tmp: ["--preset", "muon", "--lo", "0.01"]))
register_command(Command(
    path=("ns", "schedules"), tool="linalg-lab", help="list the preset schedules with their provenance",
    arguments=_schedules_args, run=_schedules, example=lambda tmp: []))
register_group(("ns",), "Newton–Schulz orthogonalisation: run, analyse and list schedules")
