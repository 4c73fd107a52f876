"""``linalg-lab norm`` and ``proofs-check norm``: bounds on ||X||_{2->q} and their certificate.

Both certify through the same pipeline: ``proofs_check.certify_two_to_q(linalg_lab.two_to_q(X, q,
sos=True, ...))`` (``proofs-check norm`` calls ``two_to_q_certificate(X, q=...)``, which is that).
The bound names (``--bound``) are the keys of ``linalg_lab.norms.BOUNDS``.
"""
from __future__ import annotations

import argparse

from ..._results import Result
from ..cli import UsageError
from ..registry import Command, register_command
from . import example_matrix

_FILE_HELP = "matrix file X of shape (n, d) (.npy, .npz[:KEY], .txt, .csv, .mtx); dense"
_Q_HELP = ("exponent q > 2 of ||X||_(2->q) = max_|v|=1 ||Xv||_q; the spectral and SoS relaxations "
           "and the certificate need an even integer q >= 4")
_SOLVER_EPS_HELP = ("tolerance of the SDP solver, not a list of targets (default: %(default)s = by size: "
                    "1e-7 for Clarabel, 1e-6..1e-4 for SCS)")


def _renamed_eps(value: str) -> str:
    raise argparse.ArgumentTypeError("--eps was renamed --solver-eps (the SDP solver's tolerance)")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--solver", default=None, choices=["CLARABEL", "SCS"],
                   help="SDP solver (default: %(default)s = by size: Clarabel for small q = 4 problems, "
                        "SCS otherwise)")
    p.add_argument("--solver-eps", type=float, default=None, help=_SOLVER_EPS_HELP)
    p.add_argument("--eps", type=_renamed_eps, default=None, help=argparse.SUPPRESS)
    p.add_argument("--seed", type=int, default=0, help="seed of the random power-method starts")


def _norm_args(p: argparse.ArgumentParser) -> None:
    from ...norms import BOUNDS

    p.add_argument("file", help=_FILE_HELP)
    p.add_argument("--q", type=float, default=4.0, help=_Q_HELP)
    p.add_argument("--bound", action="append", default=None, choices=sorted(BOUNDS), metavar="NAME",
                   help="compute only this registered bound (repeatable; choices: "
                        f"{', '.join(sorted(BOUNDS))}) (default: %(default)s = every bound that applies to q)")
    p.add_argument("--sos", action=argparse.BooleanOptionalAction, default=None,
                   help="solve the degree-q SoS relaxation; --sos with odd or non-integer q is refused "
                        "(default: %(default)s = whenever it applies, i.e. even q >= 4, as "
                        "linalg_lab.two_to_q does)")
    p.add_argument("--certify", action="store_true",
                   help="certify the bracket rigorously (Arb), through the same pipeline as "
                        "'proofs-check norm' (needs the SoS relaxation). Off by default because "
                        "linalg_lab.two_to_q is numerical; in Python: "
                        "proofs_check.certify_two_to_q(two_to_q(X))")
    p.add_argument("--rtol", type=float, default=None,
                   help="with --certify: bracket width for the outcome 'exact (certified)' "
                        "(default: %(default)s = 1e-6, as proofs-check norm)")
    _common(p)


def _norm_run(args: argparse.Namespace) -> Result:
    from ...io import load_matrix
    from ...norms import sos_applies, two_to_q

    if args.rtol is not None and not args.certify:
        raise UsageError("norm: --rtol applies only with --certify (it is the certified bracket width)")
    if args.certify:
        if args.sos is False:
            raise UsageError("norm: --certify needs the SoS relaxation; drop --no-sos")
        why = sos_applies(args.q)
        if why:
            raise UsageError(f"norm: --certify does not apply: {why}")
    if args.sos and sos_applies(args.q):
        raise UsageError(f"norm: --sos does not apply: {sos_applies(args.q)}")
    if args.solver is not None or args.solver_eps is not None:
        if args.sos is False or sos_applies(args.q) or (args.bound and "sos" not in args.bound):
            raise UsageError("norm: --solver/--solver-eps apply only when the SoS relaxation runs")
    X = load_matrix(args.file, sparse_ok=False)
    sos = True if args.certify else args.sos
    res = two_to_q(X, args.q, bounds=args.bound, sos=sos, solver=args.solver, solver_eps=args.solver_eps,
                   seed=args.seed)
    if not args.certify:
        return res
    from proofs_check import certify_two_to_q

    return certify_two_to_q(res, rtol=1e-6 if args.rtol is None else args.rtol)


def _certify_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help=_FILE_HELP)
    p.add_argument("--q", type=int, default=4, help="even exponent q >= 4")
    p.add_argument("--rtol", type=float, default=1e-6,
                   help="relative bracket width for the outcome 'exact (certified)'")
    _common(p)


def _certify_run(args: argparse.Namespace) -> Result:
    from proofs_check import two_to_q_certificate

    from ...io import load_matrix

    X = load_matrix(args.file, sparse_ok=False)
    return two_to_q_certificate(X, q=args.q, rtol=args.rtol, solver=args.solver,
                                solver_eps=args.solver_eps, seed=args.seed)


def _example(tmp) -> list[str]:
    return [example_matrix(tmp, (12, 3), "X")]


register_command(Command(
    path=("norm",), tool="linalg-lab", help="bounds on the 2->q norm max_|v|=1 ||Xv||_q",
    description="Every registered bound on ||X||_(2->q) (linalg_lab.norms.BOUNDS): the power method "
                "(lower), ||X||_2, the interpolation bound, and for even q the spectral and degree-q "
                "SoS relaxations; --certify adds a rigorous bracket and verdict (the same pipeline as "
                "'proofs-check norm'). Values are NORMS.",
    arguments=_norm_args, run=_norm_run, example=_example))
register_command(Command(
    path=("norm",), tool="proofs-check", help="certify bounds on the 2->q norm (even q; SoS + Arb)",
    description="Run linalg_lab.two_to_q(X, q, sos=True) and certify it with "
                "proofs_check.certify_two_to_q (exact projection of the Gram matrix, Arb-verified "
                "Cholesky; a certified lower bound at the best maximiser). Exit 0 when the verdict is "
                "proved: a bracket within --rtol, or a certified SoS gap.",
    arguments=_certify_args, run=_certify_run, example=_example))
