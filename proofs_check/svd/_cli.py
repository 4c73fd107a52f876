"""``proofs-check svd FILE``: certified enclosures of every singular value (no numerics here)."""
from __future__ import annotations

import argparse

from linalg_lab._cli_util import emit


def _svd(args: argparse.Namespace) -> int:
    from linalg_lab.io import load_matrix

    from . import singular_value_enclosures

    A = load_matrix(args.file, sparse_ok=False)
    cert = singular_value_enclosures(A, route=args.route)
    return emit(cert, args, ok=cert.certified)


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("svd", parents=[parent], help="rigorous enclosures of every singular value",
                       description="Certified intervals for all singular values of a float64 matrix (LAPACK "
                                   "factors, rigorous residual and orthogonality bounds, Miyajima/Weyl and "
                                   "Kato-Temple); exit 0 when certified.  The matrix certified is the float64 "
                                   "matrix read from FILE: decimal entries of .txt/.csv/.mtx files are first "
                                   "rounded to float64.")
    p.add_argument("file", help="matrix file (.npy, .npz[:KEY], .txt, .csv, .mtx)")
    p.add_argument("--route", default="auto", choices=["auto", "arb", "float"],
                   help="Arb products (small matrices) or BLAS products with a-priori bounds (default auto)")
    p.set_defaults(handler=_svd)
