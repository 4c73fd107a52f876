"""``linalg-lab ns design``: design a Newton–Schulz schedule and certify it against the presets."""
from __future__ import annotations

import argparse
import decimal
from fractions import Fraction
from typing import Any

from proofs_check.newton_schulz.design import CertifiedDesign, certify_design

from linalg_lab._results import Result
from linalg_lab._validation import InputValueError
from linalg_lab.app.registry import Command, register_command, register_group
from linalg_lab.ns.design import OBJECTIVES, design_schedule

__all__ = ["PATH"]


def _exact_decimal(x: Fraction) -> str:
    """The exact decimal expansion of a rational with a terminating one (else ``p/q``)."""
    den = x.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den != 1:
        return str(x)
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        return format((decimal.Decimal(x.numerator) / decimal.Decimal(x.denominator)).normalize(), "f")


def _degree(text: str) -> Any:
    parts = [p for p in text.replace(" ", "").split(",") if p]
    try:
        vals = [int(p) for p in parts]
    except ValueError:
        raise InputValueError(f"ns design: --degree must be an odd int or a comma list such as 3,5,5; got {text!r}") from None
    if not vals:
        raise InputValueError("ns design: --degree is empty; give e.g. 5 or 3,5,5")
    return vals[0] if len(vals) == 1 else vals


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lo", type=float, required=True, help="lower bound on the normalised singular values (required)")
    p.add_argument("--steps", type=int, required=True, help="number of steps (required)")
    p.add_argument("--degree", default="5", help="odd degree of every step, or one per step as 3,5,5 (default 5)")
    p.add_argument("--safety", type=float, default=1.0,
                   help="Polar Express safety: steps but the last become p(x/safety) (default 1)")
    p.add_argument("--cushion", type=float, default=0.0,
                   help="Polar Express cushion; the paper uses 0.02407327424182761 (default 0)")
    p.add_argument("--objective", choices=OBJECTIVES, default="minimax",
                   help="minimax (greedy, optimal), cans (plain greedy), robust (headroom + bf16 margin) (default minimax)")
    p.add_argument("--upper", type=float, default=1.0, help="upper bound on the singular values (default 1)")
    p.add_argument("--headroom", type=float, default=1.0, help="design for inputs up to upper*headroom (default 1)")
    p.add_argument("--digits", type=int, default=16, help="significant digits kept per coefficient (default 16)")
    p.add_argument("--interval-rule", choices=("extremes", "symmetric"), default="extremes",
                   help="next interval from the exact extremes, or Polar Express's u = 2 - l (default extremes)")
    p.add_argument("--no-compare", action="store_true", help="skip the certified comparison with presets (default: compare)")


def _run(args: argparse.Namespace) -> Result:
    d = design_schedule(lo=args.lo, steps=args.steps, degree=_degree(args.degree), safety=args.safety,
                        cushion=args.cushion, objective=args.objective, upper=args.upper, headroom=args.headroom,
                        digits=args.digits, interval_rule=args.interval_rule)
    return certify_design(d, compare=not args.no_compare)


def _render(r: Result, args: argparse.Namespace) -> str:
    assert isinstance(r, CertifiedDesign)
    d, c = r.design, r.check
    lines = [f"ns design ({d.objective}): {len(d.degrees)} steps, degrees {list(d.degrees)}, {d.products} matrix "
             f"products, inputs [{d.lo:g}, {d.hi:g}], designed in {d.elapsed_s:.2f} s",
             f"  safety {d.safety:g}, cushion {d.cushion:g}, intervals {d.interval_rule}, "
             f"coefficients rounded to {d.digits} significant digits",
             "coefficients (exact terminating decimals; the float64 each rounds to below):"]
    for k, st in enumerate(d.schedule.steps):
        exact = ", ".join(_exact_decimal(x) for x in st.coeffs)
        dec = ", ".join(repr(float(x)) for x in st.coeffs)
        lines.append(f"  step {k}: ({exact})")
        lines.append(f"  float64 ({dec})")
    lines += [f"certified band P([{d.lo:g}, {d.hi:g}]) ⊆ [{r.lower!r}, {r.upper!r}]",
              f"certified worst error max|1 - P| ∈ [{c.certified_lower:.6g}, {c.certified_upper:.6g}] "
              f"(design {d.error:.6g}, rounding allowance {d.rounding_allowance:.2g}): rounding "
              f"{'kept the guarantee (proved)' if c.certified else 'BROKE the guarantee: ' + c.reason}"]
    if r.presets:
        lines.append(f"presets with {len(d.degrees)} degree-{d.degrees[0]} steps (certified worst error):")
        for name, (lo_, up) in sorted(r.presets.items(), key=lambda t: t[1][1]):
            mark = "designed is better (proved)" if name in r.beats else "not beaten"
            lines.append(f"  {name:18s} [{lo_:.6g}, {up:.6g}]  {mark}")
    return "\n".join(lines)


PATH = ("ns", "design")

register_command(Command(
    path=PATH, tool="linalg-lab", help="design a Newton–Schulz schedule (greedy minimax) and certify it",
    arguments=_args, run=_run, render=_render, example=lambda tmp: ["--lo", "1e-2", "--steps", "2"],
    description=("Greedy per-step minimax (Remez) design with the Polar Express safety/cushion conventions, the CANS "
                 "variant and a robust objective; prints the coefficients exactly and in decimal, the certified band "
                 "of the rounded schedule, and the certified comparison with the presets.")))
register_group(("ns",), "Newton–Schulz orthogonalisation: run, analyse, design and list schedules")
