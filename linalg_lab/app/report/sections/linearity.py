"""Report section: transition to linearity, ||H||_2 / ||grad f|| against width with a fitted exponent."""
from __future__ import annotations

import numpy as np

from ...._results import Rigour
from ....experiments.linearity import linearity_sweep
from ....tolerance import record
from ...registry import ReportContext, ReportSection, SectionOutput, register_section
from .. import md_table


def _table(r) -> str:
    rows = []
    for i, m in enumerate(r.widths):
        rows.append([m, r.parameters[i], f"{r.hessian_lower[i].min():.5g}", f"{r.hessian_upper[i].max():.5g}",
                     f"{r.gradient_norm[i].mean():.4g}", f"{r.ratio[i].mean():.4g}"])
    return md_table(["width m", "parameters", "min ‖H‖ lower", "max ‖H‖ upper", "mean ‖∇f‖", "mean ratio"], rows)


def _fit_text(r) -> str:
    f = r.fit
    return (f"fitted exponent {f.slope:.4f}, 95% CI [{f.lower:.4f}, {f.upper:.4f}] "
            f"({'contains' if r.contains_expected else 'excludes'} −1/2; {f.points} points, R² = {f.r_squared:.4f}); "
            f"‖H‖ alone {r.fit_hessian.slope:.4f} [{r.fit_hessian.lower:.4f}, {r.fit_hessian.upper:.4f}]")


def build(ctx: ReportContext) -> SectionOutput:
    from ...plots.pion import linearity_figure

    if ctx.quick:
        runs = {"two-layer": dict(widths=(64, 128, 256, 512), seeds=(0, 1), input_dim=8),
                "two-layer, Gaussian v": dict(outer="gaussian", widths=(64, 256, 1024), seeds=(0,), input_dim=8),
                "skip": dict(widths=(32, 64, 128), seeds=(0, 1), input_dim=8)}
    else:
        runs = {"two-layer": {}, "skip": {},
                "two-layer, Gaussian v": dict(outer="gaussian", widths=tuple(2**k for k in range(6, 13)),
                                              seeds=(0, 1))}
    results = {}
    for label, kw in ctx.track(runs.items()):
        net = "skip" if label == "skip" else "two-layer"
        r = linearity_sweep(net, progress=lambda s: None, **kw)
        results[label] = r
        # Acceptance: every Hessian norm is a bracket that met its requested width.
        record(f"linearity {label}: widest Hessian bracket (relative)", r.max_relative_gap, r.bracket_rtol,
               kind="relative", detail=r.reason)
    two = results["two-layer"]
    # Acceptance (issue 13): the two-layer exponent's 95% interval contains -1/2; measured as the
    # distance from -1/2 to the interval (0 when inside).
    dist = max(0.0, two.fit.lower + 0.5, -0.5 - two.fit.upper)
    record("linearity two-layer: distance of -1/2 from the 95% CI of the exponent", dist, 0.0, kind="absolute")
    fig = linearity_figure(results, ctx.figure_path("linearity_width.png"))
    md = ["Width-m networks in the NTK parameterisation (tanh, hidden weights N(0,1), one unit input): "
          "`two-layer` f = vᵀσ(Wx)/√m and `skip` h₁ = σ(W₁x), h₂ = h₁ + σ(W₂h₁/√m), f = vᵀh₂/√m.  "
          "‖H‖₂ is bracketed by `linalg_lab.spectral_norm` on a LinearOperator of exact Hessian-vector products "
          "(Pearlmutter's R-operator; upper ends probabilistic, failure probability 1e-6 each, bracket width ≤ 1e-2); "
          "the exponent of ‖H‖₂/‖∇f‖ is an OLS fit over all (width, seed) points with a Student-t interval.", ""]
    for label, r in results.items():
        md += [f"**{label}** (output weights {r.outer}; {len(r.seeds)} seeds; {r.elapsed_s:.1f} s): {_fit_text(r)}.",
               "", _table(r), ""]
    md += ["With Gaussian output weights the two-layer Hessian norm is a maximum over neurons of terms ∝ |v_i|/√m, "
           "which grows like √(2 log m): over these widths the fit sees that logarithm as a shallower exponent, "
           "so the measured slope depends on the output-weight law even though both are O~(1/√m).", "",
           "![‖H‖₂/‖∇f‖ against width with bracket bars and fitted power laws](figures/linearity_width.png)", ""]
    skip = results["skip"]
    return SectionOutput(
        markdown="\n".join(md),
        conclusion=(f"The two-layer network's ‖H‖₂/‖∇f‖ falls with exponent {two.fit.slope:.3f} "
                    f"(95% CI [{two.fit.lower:.3f}, {two.fit.upper:.3f}]), as the −1/2 of the transition to "
                    f"linearity predicts; the residual (skip) network over widths {skip.widths[0]}–{skip.widths[-1]} "
                    f"measures {skip.fit.slope:.3f} [{skip.fit.lower:.3f}, {skip.fit.upper:.3f}]."),
        rigour=Rigour.PROBABILISTIC, results=results, figures=[fig])


register_section(ReportSection(
    name="linearity", title="Transition to linearity", order=75, build=build,
    summary="Hessian norm / gradient norm against width, fitted exponent with a 95% interval"))
