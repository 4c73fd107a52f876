"""``linalg-lab pion drift``, ``linalg-lab pion step`` and ``proofs-check pion step``."""
from __future__ import annotations

import argparse

from ..._results import Result
from ..registry import Command, register_command, register_group


def _shape(text: str) -> tuple[int, int]:
    try:
        m, n = (int(t) for t in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected MxN such as 64x128, got {text!r}") from None
    return m, n


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--weights", default=None,
                   help="matrix file for W (.npy, .npz[:KEY], .txt, .csv); default: Gaussian of --shape")
    p.add_argument("--shape", type=_shape, default=(64, 128), help="MxN of the Gaussian W (default 64x128)")
    p.add_argument("--lr", type=float, default=0.05, help="learning rate (default 0.05)")
    p.add_argument("--rms", type=float, default=0.2, help="RMS target per unit lr (default 0.2)")
    p.add_argument("--seed", type=int, default=0, help="seed of W and of the gradients (default 0)")


def _weights(args: argparse.Namespace):
    import numpy as np

    if args.weights:
        from ...io import load_matrix

        return load_matrix(args.weights, sparse_ok=False), np.random.default_rng(args.seed)
    rng = np.random.default_rng(args.seed)
    return rng.standard_normal(args.shape), rng


def _drift_args(p: argparse.ArgumentParser) -> None:
    from ...optim import RETRACTIONS

    _common(p)
    p.add_argument("--steps", type=int, default=500, help="number of steps (default 500)")
    p.add_argument("--retractions", default=",".join(RETRACTIONS),
                   help=f"comma-separated retractions from {sorted(RETRACTIONS)} (default all)")
    p.add_argument("--side", default="both", choices=["both", "in", "out", "alternate"],
                   help="factors applied (default both)")


def _drift_run(args: argparse.Namespace) -> Result:
    from ...optim import pion_drift

    W0, rng = _weights(args)
    return pion_drift(W0, lambda W, t: rng.standard_normal(W.shape), steps=args.steps, lr=args.lr,
                      rms=args.rms, side=args.side, retractions=tuple(args.retractions.split(",")))


def _drift_render(result, args) -> str:
    lines = [f"Pion drift: {result.status.value}" + ("" if result.ok else f" ({result.reason})"),
             f"  W {result.shape[0]}x{result.shape[1]}, {result.steps} steps, lr={result.lr:g}, rms={result.rms:g}, "
             f"side={result.side}; gradients Gaussian (seed {args.seed})",
             f"  {'retraction':<10} {'final drift':>12} {'/(u steps)':>11} {'worst per-step/bound':>21} {'violations':>10}"]
    for name, tr in result.traces.items():
        worst = float((tr.per_step / tr.per_step_bound).max())
        lines.append(f"  {name:<10} {tr.final_drift:>12.3e} {tr.final_drift_units:>11.3g} {worst:>21.3g} "
                     f"{tr.violations:>10d}")
    return "\n".join(lines)


def _step_args(p: argparse.ArgumentParser) -> None:
    from ...optim import RETRACTIONS

    _common(p)
    p.add_argument("--gradient", default=None, help="matrix file for G (default: Gaussian, seeded)")
    p.add_argument("--retraction", default="expm", choices=list(RETRACTIONS), help="retraction (default expm)")
    p.add_argument("--side", default="both", choices=["both", "in", "out"], help="factors applied (default both)")


def _pair(args: argparse.Namespace):
    W, rng = _weights(args)
    if args.gradient:
        from ...io import load_matrix

        return W, load_matrix(args.gradient, sparse_ok=False)
    return W, rng.standard_normal(W.shape)


def _step_run(args: argparse.Namespace) -> Result:
    from ...optim import pion_step

    W, G = _pair(args)
    return pion_step(W, G, lr=args.lr, rms=args.rms, retraction=args.retraction, side=args.side)


def _certify_run(args: argparse.Namespace) -> Result:
    from proofs_check.pion import pion_step_certificate

    W, G = _pair(args)
    return pion_step_certificate(W, G, lr=args.lr, rms=args.rms, retraction=args.retraction, side=args.side)


def _example_drift(tmp) -> list[str]:
    return ["--shape", "6x10", "--steps", "5"]


def _example_step(tmp) -> list[str]:
    return ["--shape", "6x10"]


register_command(Command(
    path=("pion", "drift"), tool="linalg-lab", help="singular-value drift of Pion per retraction",
    description="Run Pion for --steps steps with Gaussian gradients and report, per retraction, the relative "
                "singular-value drift per step and cumulative against the derived bounds (E2: "
                "E2^T E2 = I + X^4/4; expm/Cayley: 100 u per step).",
    arguments=_drift_args, run=_drift_run, render=_drift_render, example=_example_drift))
register_command(Command(
    path=("pion", "step"), tool="linalg-lab", help="one Pion step and its diagnostics",
    description="One Pion update with its RMS, first-order descent and the factors' orthogonality defects.",
    arguments=_step_args, run=_step_run, example=_example_step))
register_command(Command(
    path=("pion", "step"), tool="proofs-check", help="certified bound on one Pion step's singular-value change",
    description="Prove (Arb) the factors' orthogonality defects and the product rounding of one computed "
                "Pion step, and hence max_i |sigma_i(W') - sigma_i(W)| <= upper.",
    arguments=_step_args, run=_certify_run, example=_example_step))
register_group(("pion",), "Pion spectrum-preserving updates: one step, drift over many")
register_group(("pion",), "certified bounds on one Pion step", tool="proofs-check")
