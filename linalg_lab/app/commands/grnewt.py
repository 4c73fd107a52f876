"""``linalg-lab grnewt solve|compare|train`` and ``proofs-check grnewt root``."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..._results import Result
from ..registry import Command, register_command, register_group


def _load_vector(path: str, name: str):
    import numpy as np

    from ..._validation import InputValueError
    from ...io import load_matrix

    p = Path(path)
    if p.suffix.lower() == ".npy":
        if not p.exists():
            raise InputValueError(f"grnewt: file not found: {p}")
        try:
            return np.load(p, allow_pickle=False)
        except ValueError as exc:
            raise InputValueError(f"grnewt: could not read {name} from {p.name}: {exc}") from None
    a = load_matrix(path, sparse_ok=False)
    if 1 not in a.shape:
        raise InputValueError(f"grnewt: '{name}' must be a vector, got shape {a.shape} from {p.name}")
    return a.ravel()


def _summary_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("H", help="summary Hessian H̄, a symmetric S x S matrix file (.npy, .txt, .csv, ...)")
    p.add_argument("g", help="summary gradient ḡ, a length-S vector file (.npy or a 1-row/column text file)")
    p.add_argument("d", help="diagonal of D = |order3|^(1/3), a length-S nonnegative vector file")
    p.add_argument("--damping-int", type=float, required=True,
                   help="internal damping lambda_int > 0 of the cubic model (required)")


def _solve_run(args: argparse.Namespace) -> Result:
    from ...grnewt import nesterov_lrs
    from ...io import load_matrix

    return nesterov_lrs(load_matrix(args.H, sparse_ok=False), _load_vector(args.g, "g"),
                        _load_vector(args.d, "d"), damping_int=args.damping_int)


def _root_run(args: argparse.Namespace) -> Result:
    from proofs_check.grnewt import nesterov_root

    from ...io import load_matrix

    return nesterov_root(load_matrix(args.H, sparse_ok=False), _load_vector(args.g, "g"),
                         _load_vector(args.d, "d"), damping_int=args.damping_int)


def _example_summary(tmp: Path) -> list[str]:
    import numpy as np

    from ...grnewt import test_problem

    H, g, d = test_problem(5, "random", "random", np.random.default_rng(3))
    for name, a in (("H", H), ("g", g), ("d", d)):
        np.save(tmp / f"{name}.npy", a)
    return [str(tmp / "H.npy"), str(tmp / "g.npy"), str(tmp / "d.npy"), "--damping-int", "1.0"]


def _compare_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sizes", default="2,5,10,20,50", help="comma-separated S values (default 2,5,10,20,50)")
    p.add_argument("--trials", type=int, default=200, help="trials per cell (default 200)")
    p.add_argument("--d-kinds", default="zero,small", help="d kinds: zero, small, random (default zero,small)")
    p.add_argument("--damping-int", type=float, default=1.0, help="internal damping (default 1.0)")
    p.add_argument("--seed", type=int, default=0, help="seed of the test problems (default 0)")


def _compare_run(args: argparse.Namespace) -> Result:
    from ..._validation import InputValueError
    from ...grnewt import compare_solvers

    try:
        sizes = tuple(int(s) for s in args.sizes.split(","))
    except ValueError:
        raise InputValueError(f"grnewt compare: --sizes must be integers separated by commas, got "
                              f"{args.sizes!r}") from None
    return compare_solvers(sizes=sizes, trials=args.trials, d_kinds=tuple(args.d_kinds.split(",")),
                           damping_int=args.damping_int, seed=args.seed)


def _train_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--steps", type=int, default=200, help="full-batch steps per run (default 200)")
    p.add_argument("--hidden", type=int, default=16, help="student width (default 16)")
    p.add_argument("--seed", type=int, default=0, help="data and initialisation seed (default 0)")
    p.add_argument("--plots", default=None, help="folder for the loss and learning-rate figures (default: none)")


def _train_run(args: argparse.Namespace) -> Result:
    from ...grnewt import training_comparison

    res = training_comparison(steps=args.steps, hidden=args.hidden, seed=args.seed)
    if args.plots:
        from ..plots.grnewt import plot_training

        plot_training(res, Path(args.plots))
    return res


register_command(Command(
    path=("grnewt", "solve"), tool="linalg-lab",
    help="per-group learning rates: global minimiser of the anisotropic cubic model",
    description="Solve eta = (H + (lam/2)||D eta|| D^2)^-1 g for the global minimiser of "
                "-g^T eta + eta^T H eta/2 + lam ||D eta||^3/6, or diagnose that none exists.",
    arguments=_summary_args, run=_solve_run, example=_example_summary))
register_command(Command(
    path=("grnewt", "compare"), tool="linalg-lab",
    help="our solver vs the seed's on the reference test matrix (found/correct)",
    arguments=_compare_args, run=_compare_run,
    example=lambda tmp: ["--sizes", "2", "--trials", "3"]))
register_command(Command(
    path=("grnewt", "train"), tool="linalg-lab",
    help="NewtonSummary vs tuned SGD+momentum and Adam on a small tanh MLP",
    arguments=_train_args, run=_train_run, example=lambda tmp: ["--steps", "3"]))
register_command(Command(
    path=("grnewt", "root"), tool="proofs-check",
    help="certified secular root, eta* enclosure and global-optimality proof (Arb)",
    arguments=_summary_args, run=_root_run, example=_example_summary))
register_group(("grnewt",), "per-group Newton learning rates: solve the cubic model, compare solvers, train")
register_group(("grnewt",), "certified root of the grnewt secular equation", tool="proofs-check")
