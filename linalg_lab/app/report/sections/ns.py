"""Report section "newton-schulz": every registered preset side by side, certified bands and headroom,
and the seed-000 reproduction.

Renders results of the library (``linalg_lab.ns``) and of ``proofs_check.newton_schulz``; the
preset rows come from the registry :data:`linalg_lab.ns.PRESETS`, so a new preset appears here
without edits.  Acceptance checks go through :func:`linalg_lab.tolerance.record` with the
tolerances derived beside each call.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...._results import Rigour
from ....ns import (
    PRESETS,
    SEED000_TOLERANCE,
    Schedule,
    ScheduleAnalysis,
    analyze_ns_output,
    analyze_ns_schedule,
    ns_band_curve,
    ns_steps_needed,
    seed000_reproduction,
)
from ....tolerance import record
from ...registry import ReportContext, ReportSection, SectionOutput, register_section
from .. import md_table

LOWS = (1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6)
LOWS_QUICK = (1e-1, 1e-3, 1e-6)
EPSILONS = (1e-1, 1e-3, 1e-7)
ELL = 1e-3  # the ℓ of the band, headroom and certified tables
_U = 2.0**-53  # float64 unit roundoff


def float_band_tolerance(schedule: Schedule, steps: int, bound: float) -> float:
    """A-priori bound on how far the float64 band of ``steps`` steps may be from the exact one.

    Derivation: one Horner evaluation of a step ``p(x) = Σ a_i x^(2i+1)`` with ``|x| <= B`` is off
    by at most ``γ_(2d) Σ |a_i| B^(2i+1)`` (Higham, Accuracy and Stability, eq. (5.3); d = number
    of coefficients, two roundings per Horner stage), and an error ``δ`` in the input of step j
    becomes at most ``L_j δ`` with ``L_j = Σ (2i+1)|a_i| B^(2i)`` ≥ max |p_j'| on ``[-B, B]``.
    Summing the local errors carried through the later steps gives the bound; ``B`` bounds every
    intermediate value (the band's and the stages' maximum, passed in by the caller).
    """
    total = 0.0
    for j in range(steps):
        st = schedule.step(j)
        a = [abs(float(c)) for c in st.coeffs]
        d = len(a)
        gamma = 2 * d * _U / (1 - 2 * d * _U)
        local = gamma * sum(c * bound ** (2 * i + 1) for i, c in enumerate(a))
        total = total * sum((2 * i + 1) * c * bound ** (2 * i) for i, c in enumerate(a)) + local
    return total


def _fmt_steps(k: int | None, p: int | None) -> str:
    return "—" if k is None else f"{k} ({p})"


def _norm_txt(s: Schedule) -> str:
    norm = "‖·‖_F" if s.normalization == "frobenius" else "‖·‖₂"
    scaled = norm if s.safety == 1 else f"{norm}·{float(s.safety):g}"
    return f"X/({scaled} + {s.eps:g})" if s.eps_mode == "add" else f"X/max({scaled}, {s.eps:g})"


def _preset_table(names: list[str]) -> list[str]:
    rows = [[name, len(PRESETS[name].steps), PRESETS[name].beyond, PRESETS[name].default_steps,
             PRESETS[name].products(), _norm_txt(PRESETS[name]), PRESETS[name].provenance.replace("|", "/")]
            for name in names]
    return ["### The presets (registry `linalg_lab.ns.PRESETS`)", "",
            md_table(["preset", "listed steps", "beyond the list", "usual steps", "products", "normalisation",
                      "provenance"], rows)]


def _steps_table(names: list[str], quick: bool, results: dict[str, Any]) -> list[str]:
    lows = LOWS_QUICK if quick else LOWS
    rows = []
    for name in names:
        for eps in EPSILONS:
            row: list[Any] = [name, f"{eps:g}"]
            for lo in lows:
                r = ns_steps_needed(PRESETS[name], lo, eps, max_steps=80)
                results[f"steps needed {name} eps={eps:g} ℓ={lo:g}"] = r
                row.append(_fmt_steps(r.steps, r.products))
            rows.append(row)
    return ["### Steps (matrix products) to reach max |1 − P_k| ≤ ε on [ℓ, 1]  [numerical]", "",
            md_table(["schedule", "ε"] + [f"ℓ = {lo:g}" for lo in lows], rows),
            "“—”: not reached within 80 steps (schedules that do not converge to 1).", ""]


def _band_table(analyses: dict[str, ScheduleAnalysis]) -> list[str]:
    rows = []
    for name, a in analyses.items():
        zeros = [f.sign_flip_thresholds[0] for f in a.step_facts if f.sign_flip_thresholds]
        rows.append([
            name, a.steps, a.products, f"[{a.lower[-1]:.6g}, {a.upper[-1]:.6g}]", f"{a.error[-1]:.3g}",
            f"{a.lift_0_5:.3g}", "never" if math.isnan(a.lift_0_9) else f"{a.lift_0_9:.3g}",
            "yes" if a.monotone else "no", f"{min(zeros):.4g}" if zeros else "none",
            "none ≤ 3" if math.isinf(a.sign_flip_at) else f"{a.sign_flip_at:.4g}", f"{a.headroom:.4g}"])
        # Acceptance: the dense sampling of [ℓ, 1] lies inside the band (it can only be narrower), up
        # to the float64 evaluation error of the band (float_band_tolerance, derived there).
        tol = float_band_tolerance(PRESETS[name], a.steps, max(1.0, float(np.max(np.abs(a.upper)))))
        record(f"ns {name}: sampled error beyond the band error", max(0.0, a.sampled_error[-1] - a.error[-1]),
               tol, kind="absolute")
    return [f"### Band after each preset's usual step count, for ℓ = {ELL:g}  [numerical]", "",
            md_table(["schedule", "steps", "products", f"band P_k([{ELL:g}, 1])", "worst error", "σ lifted ≥ 0.5",
                      "σ lifted ≥ 0.9", "monotone", "first step zero (sign flip)", "P_k < 0 from", "headroom"], rows),
            "“σ lifted ≥ t”: the smallest normalised σ from which on every larger σ ≤ 1 comes out ≥ t. "
            "“headroom”: the largest h such that inputs in [1, h] (a norm underestimated by that factor) "
            "stay inside the band of [ℓ, 1]; searched up to 3.", ""]


def _certified_table(names: list[str], analyses: dict[str, ScheduleAnalysis], results: dict[str, Any]) -> list[str]:
    from proofs_check.newton_schulz import headroom, schedule_band

    rows = []
    for name in names:
        sched, a = PRESETS[name], analyses[name]
        b = schedule_band(sched, ELL, 1)
        h = headroom(sched, lo=ELL)
        results[f"certified band {name}"] = b
        results[f"certified headroom {name}"] = h
        record(f"ns {name}: certified band proved", 0.0 if b.certified else 1.0, 0.0, kind="absolute",
               detail=b.reason)
        record(f"ns {name}: certified headroom proved", 0.0 if h.certified else 1.0, 0.0, kind="absolute",
               detail=h.reason)
        # Acceptance: the float64 band lies in the certified one up to its evaluation error
        # (float_band_tolerance); the certified band is of the exact rational map.
        stick_out = max(0.0, b.lower - a.lower[-1], a.upper[-1] - b.upper)
        tol = float_band_tolerance(sched, a.steps, max(1.0, b.upper, *(abs(v) for v in b.stage_upper)))
        record(f"ns {name}: numerical band inside the certified band", stick_out, tol, kind="absolute")
        rows.append([name, f"[{b.lower:.12g}, {b.upper:.12g}]", f"{b.tightness:.1e}",
                     f"{(b.upper - b.lower) - (a.upper[-1] - a.lower[-1]):.1e}",
                     f"[{h.lower:.9g}, {h.upper:.9g}] ({h.failure})", b.verdict.value])
    return [f"### Certified band and headroom on [{ELL:g}, 1]  [certified]", "",
            "Arb ball arithmetic on the exact rational coefficients (`proofs_check.newton_schulz`).", "",
            md_table(["schedule", "certified band", "tightness", "width − numerical width", "certified headroom h*",
                      "verdict"], rows)]


def _seed000(ctx: ReportContext, results: dict[str, Any], figs: list) -> list[str]:
    from ...plots.ns import plot_histogram

    out = seed000_reproduction(ctx.seed)
    results["seed 000"] = out
    # Acceptance: 2γ₅₀₀ (derived at linalg_lab.ns.reproductions.SEED000_TOLERANCE).
    record("ns seed 000: relative Frobenius distance to the polar factor", out.polar_error_fro, SEED000_TOLERANCE, kind="relative")
    figs.append(plot_histogram(out, ctx.figure_path("ns_seed000_histogram.png")))
    rows = [["‖X − UVᵀ‖_F / ‖UVᵀ‖_F (UVᵀ from scipy.linalg.polar)", f"{out.polar_error_fro:.3e}",
             f"{SEED000_TOLERANCE:.2e} (2γ₅₀₀)"],
            ["predicted by the scalar map", f"{out.predicted_polar_error_fro:.3e}", ""],
            ["‖XXᵀ − I‖₂", f"{out.orthogonality_defect:.3e}", ""],
            ["singular values of A", f"[{out.sv_before.min():.4g}, {out.sv_before.max():.4g}]", ""],
            ["singular values of X", f"[{out.sv_after.min():.15g}, {out.sv_after.max():.15g}]", ""]]
    if not ctx.quick:  # the bfloat16 emulation rounds every entry through ml_dtypes: slow on 100×500
        A = np.random.default_rng(ctx.seed).standard_normal((100, 500)) / math.sqrt(500)
        bf = analyze_ns_output(A, schedule="muon", precision="bfloat16")
        results["seed 000 muon in bfloat16"] = bf
        rows.append(["muon (5 steps) in emulated bfloat16: ‖X_bf16 − X_f64‖_F/‖X_f64‖_F",
                     f"{bf.precision_difference:.3e}", "(bfloat16 unit roundoff 3.9e-3)"])
    return [f"### Seed 000: rectangular Newton–Schulz (100×500, 15 cubic steps)  [numerical]", "",
            f"A = randn(100, 500)/√500 (seed {ctx.seed}), X₀ = A/(‖A‖_F + 1e-9), 15 steps of p(x) = 1.5x − 0.5x³.",
            "", md_table(["quantity", "value", "tolerance"], rows),
            "![Singular values of A (left) and of the Newton–Schulz output X (right, as σ − 1 in units of "
            "u = 2⁻⁵³: all lie within a few rounding units of 1)](figures/ns_seed000_histogram.png)", ""]


#: Least headroom above σ = 1 a recommended preset must have: a bfloat16 run rounds the norm and the
#: quotient X/norm, each by at most the bfloat16 unit roundoff 2^-8, so normalised singular values
#: may reach (1 + 2^-8)^2 < 1 + 2^-7.
BF16_HEADROOM = 1 + 2.0**-7


def _conclusion(analyses: dict[str, ScheduleAnalysis]) -> str:
    """One actionable sentence for a Muon user, from the numbers above."""
    if "muon" not in analyses:
        best = min(analyses, key=lambda n: analyses[n].error[-1])
        return (f"Of the presets, '{best}' ends closest to the polar factor on [{ELL:g}, 1] (worst error "
                f"{analyses[best].error[-1]:.1g} after {analyses[best].steps} steps).")
    m = analyses["muon"]
    same_cost = {n: a for n, a in analyses.items() if a.products <= m.products and n != "muon" and a.ok
                 and a.error[-1] < m.error[-1]}
    safe = {n: a for n, a in same_cost.items() if a.headroom >= BF16_HEADROOM}
    text = (f"Muon users: the default 'muon' quintic leaves normalised singular values in "
            f"[{m.lower[-1]:.2f}, {m.upper[-1]:.2f}] after {m.steps} steps on [{ELL:g}, 1] (by design it does "
            f"not converge to 1)")
    if safe:
        best = min(safe, key=lambda n: safe[n].error[-1])
        b = safe[best]
        text += (f"; for an update closer to UVᵀ at the same cost use '{best}' ({b.products} products, worst "
                 f"error {b.error[-1]:.2g} instead of {m.error[-1]:.2g}, headroom {b.headroom:.3g} above 1, "
                 "enough for bfloat16 rounding of the norm)")
        tight = sorted(n for n in same_cost if n not in safe)
        if tight:
            one = len(tight) == 1
            text += (f"; {', '.join(repr(n) for n in tight)} {'errs' if one else 'err'} less but "
                     f"{'leaves' if one else 'leave'} the band for inputs barely above 1 (headroom < "
                     f"{BF16_HEADROOM:.4g})")
    return text + "."


def build(ctx: ReportContext) -> SectionOutput:
    from ...plots.ns import plot_band, plot_error_comparison

    names = list(PRESETS)
    results: dict[str, Any] = {}
    md: list[str] = [
        "Every registered preset side by side.  Tables marked [numerical] are float64 (the band is the "
        "range of the composed map from endpoints and critical points, cross-checked by dense sampling); "
        "the [certified] table comes from `proofs_check.newton_schulz` (Arb balls, exact rationals).", ""]
    md += _preset_table(names)
    ctx.case("steps needed")
    md += _steps_table(names, ctx.quick, results)
    analyses: dict[str, ScheduleAnalysis] = {}
    for name in ctx.track(names):
        analyses[name] = analyze_ns_schedule(PRESETS[name], ELL)
        results[f"analysis {name}"] = analyses[name]
    md += _band_table(analyses)
    md += ["### Hazards  [numerical]", ""]
    md += [f"- **{n}**: " + ("; ".join(a.hazards) + "." if a.hazards else
                            f"none found on [{ELL:g}, 1] with headroom {a.headroom:.4g}.") for n, a in analyses.items()]
    md.append("")
    if ctx.certify:
        ctx.case("certified bands and headroom")
        md += _certified_table(names, analyses, results)
    else:
        md += ["_Certified table: not included (`--no-certify`)._", ""]
    ctx.case("figures")
    figs = []
    err_an = [analyze_ns_schedule(s, ELL, steps=max(s.default_steps, 12), samples=257 if ctx.quick else 4097)
              for s in PRESETS.values()]
    figs.append(plot_error_comparison(err_an, ctx.figure_path("ns_error_vs_products.png")))
    lows = np.geomspace(1e-6, 1, 25 if ctx.quick else 97)
    figs.append(plot_band([ns_band_curve(s, lows) for s in PRESETS.values()], ctx.figure_path("ns_band_vs_lo.png")))
    md += ["![Worst error max|1 − P| on [1e-3, 1] against the number of matrix products, one line per preset]"
           "(figures/ns_error_vs_products.png)", "",
           "![Band P_k([ℓ, 1]) after each preset's usual step count against ℓ, one panel per preset: the "
           "lower and upper edges as lines, the band between them shaded; the dashed line is 1]"
           "(figures/ns_band_vs_lo.png)", ""]
    ctx.case("seed 000")
    md += _seed000(ctx, results, figs)
    return SectionOutput(markdown="\n".join(md), conclusion=_conclusion(analyses),
                         rigour=Rigour.CERTIFIED if ctx.certify else Rigour.NUMERICAL,
                         results=results, figures=figs)


register_section(ReportSection(
    name="newton-schulz", title="Newton–Schulz schedules", order=20, build=build,
    summary="every NS preset: steps to tolerance, bands, hazards; certified bands and headroom; seed 000"))
