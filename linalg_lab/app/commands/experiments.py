"""``linalg-lab experiment alignment --config NAME [--seeds K] [--plots DIR]`` and ``linalg-lab experiment list``.

The ``--config`` choices are the experiment's registry (``CONFIGS``, ``PAIRS``, ``SWEEPS`` of
:mod:`linalg_lab.experiments.alignment`), read when the parser is built.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..._results import Result
from ..registry import Command, register_command


def _names() -> list[str]:
    from ...experiments.alignment import experiment_names

    return list(experiment_names())


def _alignment_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", required=True, metavar="NAME", choices=_names(),
                   help="a configuration, a pair (two configurations side by side) or a nu-sweep; "
                        "'linalg-lab experiment list' describes them. Choices: " + ", ".join(_names()))
    p.add_argument("--seeds", type=int, default=1, metavar="K", help="number of seeds 0..K-1 (as run_experiment)")
    p.add_argument("--plots", metavar="DIR", default=None, help="write the figures (PNG) into DIR")


def _alignment_run(args: argparse.Namespace) -> Result:
    from ...experiments.alignment import experiment_epochs, run_experiment
    from ..progress import Progress

    quiet = bool(getattr(args, "json", False))
    total = experiment_epochs(args.config, args.seeds)
    if quiet:
        res = run_experiment(args.config, seeds=args.seeds)
    else:
        with Progress(total, f"alignment {args.config}") as bar:
            res = run_experiment(args.config, seeds=args.seeds, progress=bar)
    args._figures = []
    if args.plots:
        from ..plots.alignment import save_experiment_figures

        args._figures = save_experiment_figures(res, Path(args.plots))
        if quiet:
            print(f"figures written to {args.plots}/", file=sys.stderr)
    return res


def _alignment_render(result: Result, args: argparse.Namespace) -> str:
    text = result.summary()
    figs = getattr(args, "_figures", [])
    if figs:
        text += f"\nfigures written to {args.plots}/: " + ", ".join(p.name for p in figs)
    return text


def _alignment_example(tmp: Path) -> list[str]:
    return ["--config", "tiny-relu", "--plots", str(tmp / "figs")]


def _list_args(p: argparse.ArgumentParser) -> None:
    """No options: the listing is the registry."""


def _list_run(args: argparse.Namespace) -> Result:
    from ...experiments.alignment import list_experiments

    return list_experiments()


register_command(Command(
    path=("experiment", "alignment"), tool="linalg-lab",
    help="two-layer network gradients: spectrum, alignment with the residue or the spike",
    description="Train a two-layer network by full-batch gradient descent (or analyse it at initialisation "
                "over a nu-sweep) and track the first-layer gradient's leading singular vectors and their "
                "alignment (Sonthalia, Murray, Montufar, arXiv:2510.01303). Regimes are named by the total "
                "output scale gamma * a_scale (ntk: 1/sqrt(m), mean-field: 1/m). "
                "Use 'linalg-lab experiment list' for the names.",
    arguments=_alignment_args, run=_alignment_run, render=_alignment_render, example=_alignment_example))
register_command(Command(
    path=("experiment", "list"), tool="linalg-lab",
    help="list the alignment experiment's configurations, pairs and sweeps",
    arguments=_list_args, run=_list_run, example=lambda tmp: []))
