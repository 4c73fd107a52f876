"""``linalg-lab spectral-norm``, ``linalg-lab angles`` and ``proofs-check spectral-norm``."""
from __future__ import annotations

import argparse

from ..._results import Result
from ..registry import Command, register_command
from . import example_matrix


def _spectral_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="matrix file (.npy, .npz[:KEY], .txt, .csv, .mtx)")
    p.add_argument("--method", default="lanczos", choices=["lanczos", "power"],
                   help="iteration giving the lower bound and its vector")
    p.add_argument("--rtol", type=float, default=1e-8, help="requested relative width of the bracket")
    p.add_argument("--maxiter", type=int, default=None,
                   help="iteration limit (default: enough for rtol, capped by the size)")
    p.add_argument("--seed", type=int, default=None,
                   help="seed of the random start (default: fresh entropy, recorded in the result)")
    p.add_argument("--bound", default="auto", choices=["auto", "deterministic", "probabilistic"],
                   help="kind of upper bound (auto: deterministic for dense matrices and sparse ones "
                        "up to 4000 columns, probabilistic otherwise)")


def _spectral_run(args: argparse.Namespace) -> Result:
    from ...io import load_matrix
    from ...spectral import spectral_norm

    A = load_matrix(args.file)
    return spectral_norm(A, method=args.method, rtol=args.rtol, maxiter=args.maxiter, seed=args.seed,
                         bound=args.bound)


def _angles_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file_a", help="matrix A whose column space is compared (n x p)")
    p.add_argument("file_b", help="matrix B (n x q)")


def _angles_run(args: argparse.Namespace) -> Result:
    from ...io import load_matrix
    from ...subspace import principal_angles

    A = load_matrix(args.file_a, sparse_ok=False)
    B = load_matrix(args.file_b, sparse_ok=False)
    return principal_angles(A, B, full_result=True)


def _enclosure_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="matrix file (.npy, .npz[:KEY], .txt, .csv, .mtx); dense")


def _enclosure_run(args: argparse.Namespace) -> Result:
    from proofs_check import spectral_norm_enclosure

    from ...io import load_matrix

    return spectral_norm_enclosure(load_matrix(args.file, sparse_ok=False))


def _example_matrix(tmp) -> list[str]:
    return [example_matrix(tmp, (30, 20))]


def _example_pair(tmp) -> list[str]:
    return [example_matrix(tmp, (12, 3), "A", seed=1), example_matrix(tmp, (12, 2), "B", seed=2)]


register_command(Command(
    path=("spectral-norm",), tool="linalg-lab", help="spectral norm with a guaranteed bracket",
    description="Estimate ||A||_2 with a lower bound attained by a unit vector and an upper bound "
                "(deterministic, or with a stated failure probability).",
    arguments=_spectral_args, run=_spectral_run, example=_example_matrix))
register_command(Command(
    path=("angles",), tool="linalg-lab", help="principal angles between two column spaces",
    arguments=_angles_args, run=_angles_run, example=_example_pair))
register_command(Command(
    path=("spectral-norm",), tool="proofs-check", help="rigorous enclosure of ||A||_2 (Arb)",
    arguments=_enclosure_args, run=_enclosure_run, example=_example_matrix))
