"""The ``linalg-lab`` command: thin argument parsing over the library (no numerics here).

Commands of the foundation: ``spectral-norm FILE``, ``angles FILE_A FILE_B``, ``report``.  Each
analysis family adds its own commands through ``register(subparsers, parent)`` in its ``_cli``
module, listed in :data:`FAMILY_CLIS`.
"""
from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from ._cli_util import emit, run_main

__all__ = ["main", "FAMILY_CLIS"]

#: Modules that register command families (each defines ``register(subparsers, parent)``).
FAMILY_CLIS: tuple[str, ...] = (
    "linalg_lab.ns._cli",
    "linalg_lab.norms._cli",
    "linalg_lab.svd._cli",
    "linalg_lab.experiments._cli",
)


def _spectral_norm(args: argparse.Namespace) -> int:
    from .io import load_matrix
    from .spectral import spectral_norm

    A = load_matrix(args.file)
    res = spectral_norm(A, method=args.method, rtol=args.rtol, maxiter=args.maxiter, seed=args.seed,
                        bound=args.bound)
    return emit(res, args)


def _angles(args: argparse.Namespace) -> int:
    from .io import load_matrix
    from .subspace import principal_angles

    A = load_matrix(args.file_a, sparse_ok=False)
    B = load_matrix(args.file_b, sparse_ok=False)
    res = principal_angles(A, B, full_result=True)
    return emit(res, args)


def _report(args: argparse.Namespace) -> int:
    from .report import build_report

    res = build_report(Path(args.out), sections=args.section or None, quick=args.quick,
                       certify=not args.no_certify)
    return emit(res, args)


def _builtin(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("spectral-norm", parents=[parent], help="spectral norm with a guaranteed bracket",
                       description="Estimate ||A||_2 with a lower bound attained by a unit vector and an "
                                   "upper bound (deterministic or with a stated failure probability).")
    p.add_argument("file", help="matrix file (.npy, .npz[:KEY], .txt, .csv, .mtx)")
    p.add_argument("--method", default="lanczos", choices=["lanczos", "power"])
    p.add_argument("--rtol", type=float, default=1e-8, help="relative width of the bracket (default 1e-8)")
    p.add_argument("--maxiter", type=int, default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--bound", default="auto", choices=["auto", "deterministic", "probabilistic"],
                   help="kind of upper bound (default: deterministic for dense matrices up to 4000 "
                        "columns, probabilistic otherwise)")
    p.set_defaults(handler=_spectral_norm)

    p = sub.add_parser("angles", parents=[parent], help="principal angles between two column spaces")
    p.add_argument("file_a")
    p.add_argument("file_b")
    p.set_defaults(handler=_angles)

    p = sub.add_parser("report", parents=[parent], help="run every family's default cases; write a Markdown report",
                       description="Run the built-in default cases of every registered family and write "
                                   "report.md (tables and figures) and report.json to --out.")
    p.add_argument("--out", default="linalg-lab-report", help="output folder (default ./linalg-lab-report)")
    p.add_argument("--section", action="append", help="only this section (repeatable)")
    p.add_argument("--quick", action="store_true", help="smaller cases (used by the test suite)")
    p.add_argument("--no-certify", action="store_true", help="skip the proofs_check certificates")
    p.set_defaults(handler=_report)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``linalg-lab``; returns the exit code (0 ok, 1 analysis failed, 2 usage/input)."""
    return run_main("linalg-lab", "Verify and analyse spectral linear algebra.", __version__,
                    FAMILY_CLIS, _builtin, argv)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
