"""``linalg-lab svd check FILE --method NAME`` and ``linalg-lab svd seed004`` (no numerics here)."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .._cli_util import emit


class _CheckOutput:
    """The optimisation result and its LAPACK comparison, rendered together."""

    def __init__(self, opt: Any, cmp: Any, figures: list[str]) -> None:
        self.opt, self.cmp, self.figures = opt, cmp, figures
        self.ok = cmp.ok
        self.reason = cmp.reason

    def to_dict(self) -> dict[str, Any]:
        return {"optimization": self.opt.to_dict(), "comparison": self.cmp.to_dict(), "figures": self.figures,
                "ok": self.ok}

    def summary(self) -> str:
        out = [self.opt.summary(), "", self.cmp.summary()]
        if self.figures:
            out.append("figures: " + ", ".join(self.figures))
        return "\n".join(out)


def _check(args: argparse.Namespace) -> int:
    from ..io import load_matrix
    from . import compare_with_lapack, svd_by_optimization

    A = load_matrix(args.file, sparse_ok=False)
    opt = svd_by_optimization(A, method=args.method, rank=args.rank, steps=args.steps, seed=args.seed)
    cmp = compare_with_lapack(A, opt)
    figures: list[str] = []
    if args.plots:
        from ._compare import lapack_references
        from ._plots import plot_convergence, plot_singular_value_errors

        d = Path(args.plots)
        figures.append(str(plot_convergence(opt, d / f"svd_convergence_{args.method}.png")))
        sref = lapack_references(A)["gesdd"][1]
        figures.append(str(plot_singular_value_errors(opt.s, sref, d / f"svd_errors_{args.method}.png",
                                                      title=f"{args.method}: {cmp.verdict[:40]}")))
    return emit(_CheckOutput(opt, cmp, figures), args, ok=cmp.ok)


def _seed004(args: argparse.Namespace) -> int:
    from ..progress import Progress
    from . import reproduce_seed004
    from ._seed004 import SEED004_SHAPES

    with Progress(2 * len(SEED004_SHAPES), "seed004") as bar:
        res = reproduce_seed004(seeds=args.seeds, steps=args.steps, progress=bar)
    if args.plots:
        from ._plots import plot_seed004

        plot_seed004(res, Path(args.plots) / "svd_seed004_losses.png")
    return emit(res, args)


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    from ._methods import METHODS

    p = sub.add_parser("svd", help="SVD by optimisation, checked against LAPACK",
                       description="SVD by optimisation checked in LAPACK's own terms.")
    ss = p.add_subparsers(dest="svd_command", metavar="SUBCOMMAND")
    c = ss.add_parser("check", parents=[parent], help="run a method on a matrix file and score it against LAPACK",
                      description="Run an SVD method, then print every metric (LAPACK test ratios, singular "
                                  "values against gesdd/gesvd/gejsv, singular subspaces) against its threshold.")
    c.add_argument("file", help="matrix file (.npy, .npz[:KEY], .txt, .csv, .mtx)")
    c.add_argument("--method", required=True, choices=list(METHODS))
    c.add_argument("--rank", type=int, default=None, help="number of singular triplets (default min(m, n))")
    c.add_argument("--steps", type=int, default=None, help="iteration budget (default: the method's)")
    c.add_argument("--seed", type=int, default=0)
    c.add_argument("--plots", default=None, metavar="DIR", help="write convergence and error plots here")
    c.set_defaults(handler=_check)
    r = ss.add_parser("seed004", parents=[parent], help="reproduce seed 004 (SGD vs Adam) over many seeds")
    r.add_argument("--seeds", type=int, default=100)
    r.add_argument("--steps", type=int, default=20_000)
    r.add_argument("--plots", default=None, metavar="DIR")
    r.set_defaults(handler=_seed004)
