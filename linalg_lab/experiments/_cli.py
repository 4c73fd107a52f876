"""``linalg-lab experiment alignment --config NAME [--seeds K] [--plots DIR] [--json]``.

Thin layer: parse arguments, call :func:`linalg_lab.experiments.alignment.run_experiment` with a
progress bar on stderr, print the result and draw figures (no numerics here).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from .._cli_util import emit

__all__ = ["register"]


def _alignment(args: argparse.Namespace) -> int:
    from ..progress import Progress
    from .alignment import experiment_epochs, experiment_names, run_experiment
    from .._validation import check_option

    check_option(args.config, "config", experiment_names(), func="linalg-lab experiment alignment")
    total = experiment_epochs(args.config, args.seeds)
    with Progress(total, f"alignment {args.config}") as bar:
        res = run_experiment(args.config, seeds=args.seeds, progress=bar)
    text = None
    if args.plots:
        from ._alignment_plots import save_experiment_figures

        paths = save_experiment_figures(res, Path(args.plots))
        text = res.summary() + f"\nfigures written to {args.plots}/: " + ", ".join(p.name for p in paths)
    return emit(res, args, text=text)


def _list(args: argparse.Namespace) -> int:
    from .alignment import CONFIGS, PAIRS, SWEEPS

    class _Listing:
        ok = True

        def to_dict(self) -> dict:
            return {"configs": {k: v.description for k, v in CONFIGS.items()},
                    "pairs": {k: list(v) for k, v in PAIRS.items()}, "sweeps": dict(SWEEPS)}

        def summary(self) -> str:
            lines = ["configurations:"]
            lines += [f"  {k:<24} {v.description}" for k, v in CONFIGS.items()]
            lines.append("pairs (trained side by side, principal angles between them):")
            lines += [f"  {k:<24} {a} vs {b}" for k, (a, b) in PAIRS.items()]
            lines.append("nu-sweeps at initialisation (base configuration):")
            lines += [f"  {k:<24} {v}" for k, v in SWEEPS.items()]
            return "\n".join(lines)

    return emit(_Listing(), args)


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    """Add ``experiment alignment`` and ``experiment list`` to the ``linalg-lab`` parser."""
    p = sub.add_parser("experiment", help="reproduce published experiments (alignment of low-rank gradients)",
                       description="Reproductions of published experiments.")
    esub = p.add_subparsers(dest="experiment", metavar="EXPERIMENT")
    a = esub.add_parser(
        "alignment", parents=[parent],
        help="two-layer network gradients: spectrum, alignment with the residue or the spike",
        description="Train a two-layer network by full-batch gradient descent (or analyse it at "
                    "initialisation over a nu-sweep) and track the first-layer gradient's leading "
                    "singular vectors and their alignment (Sonthalia, Murray, Montufar, arXiv:2510.01303). "
                    "Use 'linalg-lab experiment list' for the names.")
    a.add_argument("--config", required=True, metavar="NAME",
                   help="a configuration (ntk, mean-field, relu, sigmoid, paper, small-*, tiny-*), a pair "
                        "(ntk-vs-mean-field, relu-vs-sigmoid, ...) or a sweep (nu-sweep, small-nu-sweep, ...)")
    a.add_argument("--seeds", type=int, default=1, metavar="K", help="number of seeds 0..K-1 (default 1)")
    a.add_argument("--plots", metavar="DIR", help="write figures (PNG) into DIR")
    a.set_defaults(handler=_alignment)
    lst = esub.add_parser("list", parents=[parent], help="list the named configurations, pairs and sweeps")
    lst.set_defaults(handler=_list)
