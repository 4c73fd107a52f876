"""``linalg-lab norm FILE [--q 4] [--sos] [--certify] [--json]`` (no numerics here)."""
from __future__ import annotations

import argparse


def _norm(args: argparse.Namespace) -> int:
    from .._cli_util import emit
    from ..io import load_matrix
    from ._combined import two_to_q

    X = load_matrix(args.file, sparse_ok=False)
    res = two_to_q(X, args.q, sos=args.sos or args.certify, certify=args.certify,
                   solver=args.solver, eps=args.eps, rtol=args.rtol, seed=args.seed)
    return emit(res, args)


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "norm", parents=[parent], help="bounds on the 2->q norm max_|v|=1 ||Xv||_q",
        description="Lower bound (power method), spectral relaxation, optionally the degree-4 SoS "
                    "bound (--sos) and a certified bracket with a verdict (--certify). Values are "
                    "NORMS; the JSON also carries 4th powers (fields ending in 4).")
    p.add_argument("file", help="matrix file X of shape (n, d) (.npy, .npz[:KEY], .txt, .csv, .mtx)")
    p.add_argument("--q", type=float, default=4.0, help="exponent q > 2 (SoS and certificate: q = 4)")
    p.add_argument("--sos", action="store_true", help="solve the degree-4 SoS relaxation (q = 4)")
    p.add_argument("--certify", action="store_true",
                   help="certify the bracket rigorously (implies --sos)")
    p.add_argument("--solver", default=None, choices=["CLARABEL", "SCS"], help="SDP solver (default by size)")
    p.add_argument("--eps", type=float, default=None, help="solver tolerance (default by size)")
    p.add_argument("--rtol", type=float, default=1e-6, help="bracket width for 'exact (certified)'")
    p.add_argument("--seed", type=int, default=0, help="seed of the random power-method starts")
    p.set_defaults(handler=_norm)
