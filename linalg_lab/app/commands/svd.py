"""``linalg-lab svd check``, ``linalg-lab svd seed004`` and ``proofs-check svd`` (no numerics here).

The method choices come from :data:`linalg_lab.svd.METHODS` when the parser is built, so a method
added to the registry appears here without edits.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ..._results import Result
from ..registry import Command, register_command, register_group
from . import example_matrix


def _check_args(p: argparse.ArgumentParser) -> None:
    from ...svd import METHODS, MPMATH_MAX_DIM

    p.add_argument("file", help="matrix file (.npy, .npz[:KEY], .txt, .csv, .mtx); dense")
    p.add_argument("--method", required=True, choices=list(METHODS),
                   help="registered SVD method (linalg_lab.svd.METHODS)")
    p.add_argument("--rank", type=int, default=None, help="number of singular triplets (default min(m, n))")
    p.add_argument("--steps", type=int, default=None, help="iteration budget (default: the method's own)")
    p.add_argument("--seed", type=int, default=None, help="seed of the random start (default 0, as the API)")
    p.add_argument("--lr", default=None,
                   help="step size of the penalty methods only: a number or 'auto' (default: 'auto' for "
                        "penalty-sgd, the seed's 1e-3 for penalty-adam); refused for other methods")
    p.add_argument("--mpmath-max-dim", type=int, default=MPMATH_MAX_DIM,
                   help="also compare with a 50-digit mpmath SVD when max(m, n) is at most this")
    p.add_argument("--plots", default=None, metavar="DIR", help="write convergence and error plots into DIR")


def _check_run(args: argparse.Namespace) -> Result:
    import numpy as np

    from ...io import load_matrix
    from ...svd import check_method

    A = load_matrix(args.file, sparse_ok=False)
    lr = args.lr
    if lr is not None and lr != "auto":
        try:
            lr = float(lr)
        except ValueError:
            from ..cli import UsageError

            raise UsageError(f"svd check: --lr must be a number or 'auto', got {args.lr!r}") from None
    res = check_method(A, method=args.method, rank=args.rank, steps=args.steps, seed=args.seed, lr=lr,
                       mpmath_max_dim=args.mpmath_max_dim)
    args.figures = []
    if args.plots:
        from ..plots.svd import plot_convergence, plot_singular_value_errors
        from ...svd import lapack_references

        d = Path(args.plots)
        opt = res.optimization
        args.figures.append(str(plot_convergence(opt, d / f"svd_convergence_{args.method}.png")))
        if np.isfinite(opt.s).all():
            sref = lapack_references(A)["gesdd"][1]
            args.figures.append(str(plot_singular_value_errors(
                opt.s, sref, d / f"svd_errors_{args.method}.png",
                title=f"{args.method}: {res.comparison.normwise_verdict[:40]}")))
    return res


def _check_render(result: Result, args: argparse.Namespace) -> str:
    figs = getattr(args, "figures", [])
    return result.summary() + ("\nfigures: " + ", ".join(figs) if figs else "")


def _seed004_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seeds", type=int, default=100, help="number of seeds (matrices and starts)")
    p.add_argument("--steps", type=int, default=20_000, help="full-batch steps per run (the blog's 20,000)")
    p.add_argument("--plots", default=None, metavar="DIR", help="write the loss-curve figure into DIR")


def _seed004_run(args: argparse.Namespace) -> Result:
    from ...svd.seed004 import SEED004_SHAPES, reproduce_seed004
    from ..progress import Progress

    with Progress(2 * len(SEED004_SHAPES), "seed004") as bar:
        res = reproduce_seed004(seeds=args.seeds, steps=args.steps, progress=bar)
    if args.plots:
        from ..plots.svd import plot_seed004

        plot_seed004(res, Path(args.plots) / "svd_seed004_losses.png")
    return res


def _enclosure_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="matrix file (.npy, .npz[:KEY], .txt, .csv, .mtx); dense")
    p.add_argument("--route", default="auto", choices=["auto", "arb", "float"],
                   help="Arb products (m*n <= 40,000 under auto) or error-free split (Ozaki) BLAS products")
    p.add_argument("--relative", action="store_true",
                   help="re-certify in higher-precision Arb every singular value whose interval is wider "
                        "than --rtol relative to itself (default off, as the API)")
    p.add_argument("--rtol", type=float, default=None,
                   help="requested relative width with --relative (default 1e-10); refused without it")
    p.add_argument("--time-budget", type=float, default=None,
                   help="seconds allowed for the relative refinement (default 30); refused without --relative")


def _enclosure_run(args: argparse.Namespace) -> Result:
    from proofs_check.svd import RELATIVE_RTOL, RELATIVE_TIME_BUDGET_S, singular_value_enclosures

    from ...io import load_matrix

    if not args.relative and (args.rtol is not None or args.time_budget is not None):
        from ..cli import UsageError

        raise UsageError("proofs-check svd: --rtol and --time-budget apply only with --relative")
    A = load_matrix(args.file, sparse_ok=False)
    kw = {}
    if args.relative:
        kw = dict(relative=True, rtol=RELATIVE_RTOL if args.rtol is None else args.rtol,
                  time_budget_s=RELATIVE_TIME_BUDGET_S if args.time_budget is None else args.time_budget)
    return singular_value_enclosures(A, route=args.route, **kw)


def _example_matrix(tmp) -> list[str]:
    return [example_matrix(tmp, (12, 8))]


register_command(Command(
    path=("svd", "check"), tool="linalg-lab", help="run a method on a matrix file and score it against LAPACK",
    description="Run a registered SVD method, then score it in LAPACK's terms: test ratios (dbdt01/dbdt05, "
                "dort01, ddrvbd), singular values against gesdd/gesvd/gejsv (and mpmath), normwise and "
                "relative verdicts separately.  Exit 0 when LAPACK-level normwise, 1 when not (or when the "
                "method diverged: the reason says why it stopped), 2 for bad input.",
    arguments=_check_args, run=_check_run, render=_check_render,
    example=lambda tmp: [*_example_matrix(tmp), "--method", "jacobi"]))
register_command(Command(
    path=("svd", "seed004"), tool="linalg-lab", help="reproduce seed 004 (SGD vs Adam) over many seeds",
    description="Seed 004's penalty SVD with the blog's optimiser settings (SGD lr 0.9, Adam lr 1e-3) on "
                "uniform [0, 1) matrices of the blog's shapes, over many seeds, with a verdict in numbers.",
    arguments=_seed004_args, run=_seed004_run, example=lambda tmp: ["--seeds", "2", "--steps", "200"]))
register_command(Command(
    path=("svd",), tool="proofs-check", help="rigorous enclosures of every singular value",
    description="Certified intervals for all singular values of a float64 matrix (LAPACK factors, rigorous "
                "residual and orthogonality bounds, Miyajima/Weyl and Kato-Temple; with --relative, "
                "higher-precision Arb until each interval is relatively narrow); exit 0 when certified.  The "
                "matrix certified is the float64 matrix read from FILE: decimal entries of .txt/.csv/.mtx "
                "files are first rounded to float64.",
    arguments=_enclosure_args, run=_enclosure_run, example=_example_matrix))
register_group(("svd",), "SVD by optimisation, scored in LAPACK's own terms")
