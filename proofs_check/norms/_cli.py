"""``proofs-check norm FILE``: certified bracket for ||X||_{2->4} (no numerics here)."""
from __future__ import annotations

import argparse


def _norm(args: argparse.Namespace) -> int:
    from linalg_lab._cli_util import emit
    from linalg_lab.io import load_matrix
    from linalg_lab.norms import two_to_q_lower, two_to_q_sos

    from ._certificate import two_to_q_certificate

    X = load_matrix(args.file, sparse_ok=False)
    sos = two_to_q_sos(X, solver=args.solver, eps=args.eps)
    low = two_to_q_lower(X, 4, starts=64, seed=args.seed)
    cert = two_to_q_certificate(X, sos, lower=low.maximiser, rtol=args.rtol)
    return emit(cert, args)


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "norm", parents=[parent], help="certify bounds on the 2->4 norm (SoS + Arb)",
        description="Solve the degree-4 SoS relaxation of ||X||_(2->4), project its Gram matrix "
                    "exactly and verify it in Arb; enclose a lower bound at the best maximiser. "
                    "Exit 0 when the upper bound is certified.")
    p.add_argument("file", help="matrix file X of shape (n, d)")
    p.add_argument("--solver", default=None, choices=["CLARABEL", "SCS"], help="SDP solver")
    p.add_argument("--eps", type=float, default=None, help="solver tolerance")
    p.add_argument("--rtol", type=float, default=1e-6, help="bracket width for 'exact (certified)'")
    p.add_argument("--seed", type=int, default=0, help="seed of the power-method starts")
    p.set_defaults(handler=_norm)
