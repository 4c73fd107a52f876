"""``linalg-lab experiment linearity``: the transition-to-linearity width sweep.

While ``experiment alignment`` is still registered by its legacy argparse module, this command is
``linalg-lab linearity`` (see :func:`_path`).
"""
from __future__ import annotations

import argparse
import sys

from ..._results import Result
from ..registry import Command, register_command


def _ints(text: str) -> list[int]:
    try:
        return [int(t) for t in text.split(",") if t.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--network", default="two-layer", choices=["two-layer", "skip"],
                   help="architecture (default two-layer; skip: residual three-layer network)")
    p.add_argument("--outer", default="rademacher", choices=["rademacher", "gaussian"],
                   help="law of the output weights (default rademacher; gaussian adds a sqrt(log m) factor)")
    p.add_argument("--widths", type=_ints, default=None,
                   help="comma-separated widths (default 2^6..2^14 for two-layer, 2^6..2^9 for skip)")
    p.add_argument("--seeds", type=_ints, default=[0, 1, 2], help="comma-separated seeds (default 0,1,2)")
    p.add_argument("--input-dim", type=int, default=16, help="input dimension d (default 16)")
    p.add_argument("--rtol", type=float, default=1e-2, help="relative width of each Hessian-norm bracket (default 1e-2)")


def _run(args: argparse.Namespace) -> Result:
    from ...experiments.linearity import linearity_sweep

    return linearity_sweep(args.network, outer=args.outer, widths=args.widths, seeds=args.seeds,
                           input_dim=args.input_dim, rtol=args.rtol,
                           progress=None if getattr(args, "json", False) else
                           (lambda s: print(s, file=sys.stderr)))


def _render(r, args) -> str:
    lines = [f"transition to linearity ({r.network}, outer weights {r.outer}): {r.status.value}"
             + ("" if r.ok else f" ({r.reason})"),
             f"  {'width':>6} {'params':>9} {'||H|| lower':>12} {'||H|| upper':>12} {'||grad||':>9} {'ratio':>9}"]
    for i, m in enumerate(r.widths):
        lines.append(f"  {m:>6d} {r.parameters[i]:>9d} {r.hessian_lower[i].min():>12.5g} "
                     f"{r.hessian_upper[i].max():>12.5g} {r.gradient_norm[i].mean():>9.4g} {r.ratio[i].mean():>9.4g}")
    f = r.fit
    lines.append(f"  fitted exponent of ||H||/||grad||: {f.slope:.4f}, {100 * f.confidence:.0f}% CI "
                 f"[{f.lower:.4f}, {f.upper:.4f}] ({'contains' if r.contains_expected else 'excludes'} -1/2); "
                 f"upper ends {r.upper_kind}"
                 + (f" (failure probability {r.failure_probability:.0e} each probabilistic one)"
                    if "probabilistic" in r.upper_kind else ""))
    return "\n".join(lines)


def _example(tmp) -> list[str]:
    return ["--widths", "16,32,64", "--seeds", "0", "--input-dim", "3"]


def _path() -> tuple[str, ...]:
    """``("experiment", "linearity")``, or ``("linearity",)`` while the legacy argparse module of the
    alignment experiment still registers the whole ``experiment`` group itself (argparse refuses a
    second ``experiment`` subparser).  TRANSITIONAL: drop this once ``experiment alignment`` moves to
    ``app/commands/``."""
    from .. import cli

    legacy = "linalg_lab.experiments._cli" in getattr(cli, "_LEGACY", {}).get("linalg-lab", ())
    return ("linearity",) if legacy else ("experiment", "linearity")


register_command(Command(
    path=_path(), tool="linalg-lab",
    help="Hessian norm / gradient norm against width (transition to linearity)",
    description="Bracket ||H||_2 of a width-m network at initialisation with spectral_norm on exact "
                "Hessian-vector products, divide by ||grad f||, and fit the exponent over widths with a "
                "95% confidence interval (Liu, Zhu, Belkin 2020 predict -1/2).",
    arguments=_args, run=_run, render=_render, example=_example))
