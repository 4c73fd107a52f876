"""Report section: designing Newton–Schulz schedules (issue 15)."""
from __future__ import annotations

from linalg_lab._results import Rigour
from proofs_check.newton_schulz.design import certify_design
from linalg_lab.app.plots.ns_design import plot_budget_errors
from linalg_lab.app.registry import ReportSection, SectionOutput, register_section
from linalg_lab.ns import PRESETS
from linalg_lab.ns.design import apply_safety, certified_error_bounds, design_schedule
from linalg_lab.ns.design_budget import design_budget
from linalg_lab.ns.schedules import PE8_PUBLISHED
from linalg_lab.tolerance import record

PE_CUSHION = 0.02407327424182761
PE8_RAW = [tuple(r) for r in PE8_PUBLISHED]  # published before the 1.01 scaling


def _cert(schedule, lo, hi, steps):
    from proofs_check.newton_schulz import schedule_band

    band = schedule_band(schedule, lo, hi, steps=steps)
    return certified_error_bounds(band)[1] if band.certified else float("inf")


def _rel(a, b):
    return max(abs(float(x) - float(y)) / abs(float(y)) for x, y in zip(a, b))


def _build(ctx) -> SectionOutput:
    results = {}
    md = []
    # 1. reproduction
    ctx.case("reproduce Polar Express 8 and CANS 5")
    pe = design_schedule(lo=1e-3, steps=8, cushion=PE_CUSHION)
    md.append("### Reproduction of published schedules\n\nPolar Express, 8 quintic steps from [1e-3, 1] with the "
              "paper's cushion 0.02407327424182761 and no safety in the recursion (the published table is scaled by "
              "1.01 afterwards):\n\n| step | published a | ours a | max relative difference |\n|---|---|---|---|")
    for k, (ours, pub) in enumerate(zip(pe.raw_coeffs(), PE8_RAW)):
        rel = _rel(ours, pub)
        md.append(f"| {k + 1} | {pub[0]} | {ours[0]!r} | {rel:.1e} |")
        # 4 significant digits is the bar; steps 1-6 agree to float64 resolution
        record(f"ns design: PE8 step {k + 1} vs published", rel, 5e-5, kind="relative")
    md.append("\nStep 7 acts on [0.998815, 1.001185], where the float64 Remez system has condition ~1e6: float64 "
              "reruns of the upstream generator's algorithm give a = 1.875001480860982 or 1.8750014808704747 depending on "
              "its starting reference, the table has 1.8750014808534479, and ours (solved at 40+ digits, unchanged "
              "at 80) is 1.8750014808442192, so digits beyond the 10th-11th are the generator's rounding. Step 8: "
              "in exact arithmetic step 7 leaves an interval within 1e-27 of 1, whose minimax polynomial is the "
              "limit (15/8, -5/4, 3/8) to 27 digits, as published.")
    cans = design_schedule(lo=1e-3, steps=5, objective="cans")
    same = all([f"{x:.4f}" for x in a] == [f"{float(c):.4f}" for c in b.coeffs]
               for a, b in zip(cans.raw_coeffs(), PRESETS["cans-5"].steps))
    record("ns design: CANS 5 steps at 4 decimals (mismatches)", 0.0 if same else 1.0, 0.0, kind="count")
    md.append(f"\nCANS 5-step = the plain greedy minimax design from [1e-3, 1] rounded to 4 decimals: "
              f"{'all 15 published coefficients reproduced' if same else 'MISMATCH'}.")
    results["polar-express-8 design"] = pe
    results["cans design"] = cans
    # 2. done-when: 5 quintic steps beat every preset
    ctx.case("5 quintic steps vs presets (certified)")
    cd = certify_design(design_schedule(lo=1e-3, steps=5))
    results["designed 5 quintic steps, lo=1e-3"] = cd
    md.append("\n### Five quintic steps, lo = 1e-3 (certified worst error on [lo, 1])\n\n| schedule | certified error |\n|---|---|")
    md.append(f"| designed (greedy minimax) | {cd.check.certified_upper:.6g} |")
    for name, (lo_, up) in sorted(cd.presets.items(), key=lambda t: t[1][1]):
        md.append(f"| {name} | {up:.6g} |")
        record(f"ns design: designed 5 quintics below {name} (certified margin)",
               cd.check.certified_upper, lo_, kind="absolute")
    # 3. budgets
    los, budgets = ((1e-3,), (12, 15)) if ctx.quick else ((1e-2, 1e-3, 1e-4), (12, 15, 18, 21, 24))
    rows = []
    md.append("\n### Best certified worst error per matrix-product budget\n\nDesigned: the optimal cubic/quintic/"
              "septic sequence (dynamic programme over greedy minimax steps); presets run for as many steps as fit. "
              "Errors are for exact arithmetic on the exact rational coefficients (below ~1e-16 they are not "
              "observable in floating point).\n\n| lo | products | designed degrees | designed | best preset | its error |\n|---|---|---|---|---|---|")
    for lo in ctx.track(los, name=lambda x: f"budgets lo={x:g}"):
        r = design_budget(lo=lo, budget=max(budgets))
        for B in budgets:
            _, _, seq = min((t for t in r.best_by_products if t[0] <= B), key=lambda t: (t[1], t[0]))
            d = design_schedule(lo=lo, steps=len(seq), degree=seq)
            ours = _cert(d.schedule, lo, 1, len(seq))
            pre = {n: _cert(s, lo, 1, B // max(st.products for st in s.steps)) for n, s in PRESETS.items()}
            best = min(pre, key=pre.get)
            record(f"ns design: budget {B} lo={lo:g} designed <= best preset", ours, pre[best], kind="absolute")
            rows.append({"lo": lo, "budget": B, "degrees": list(seq), "designed_error": ours, "presets": pre})
            md.append(f"| {lo:g} | {B} | {'-'.join(map(str, seq))} | {ours:.3g} | {best} | {pre[best]:.3g} |")
    fig = plot_budget_errors(rows, ctx.figure_path("ns_design_budget.png"))
    md.append("\n![Certified worst error vs matrix products](figures/ns_design_budget.png)")
    results["budget table"] = rows
    # 4. robust objective
    ctx.case("robust objective")
    from proofs_check.newton_schulz import headroom

    designs = {"minimax": design_schedule(lo=1e-3, steps=6),
               "Polar Express style (safety 1.01, cushion)": design_schedule(lo=1e-3, steps=6, safety=1.01,
                                                                             cushion=PE_CUSHION),
               "robust (headroom 1.2, bf16 margin)": design_schedule(lo=1e-3, steps=6, objective="robust",
                                                                     headroom=1.2)}
    md.append("\n### Robust objective: 6 quintic steps, lo = 1e-3\n\nThe robust design fits the first step on "
              "[lo, 1.2] (a norm under-estimated by up to 20%) and widens every interval by 2u_bf16 = 2^-7 before "
              "the next step. Certified: the worst error on [lo, 1] and on [lo, 1.2], and the headroom h* "
              "(inputs in [1, h*] stay in the band of [lo, 1]).\n\n| design | error on [lo, 1] | on [lo, 1.2] | "
              "headroom h* |\n|---|---|---|---|")
    for name, d in designs.items():
        h = headroom(d.schedule, lo=1e-3, steps=6)
        e1, e12 = _cert(d.schedule, 1e-3, 1, 6), _cert(d.schedule, 1e-3, 1.2, 6)
        md.append(f"| {name} | {e1:.3g} | {e12:.3g} | {h.lower:.6g} |")
        results[f"robust comparison: {name}"] = h
        if name.startswith("robust"):
            record("ns design: robust design bounded on [lo, 1.2]", e12, 0.01, kind="absolute")
            # the headroom the design promises, proved: 1.2 <= the certified lower end of h*
            record("ns design: robust design headroom (1.2 <= h*)", 1.2, h.lower, kind="absolute")
    md.append("\nTrade-off: the robust design pays about 4x the minimax worst error on [lo, 1] (still ~4e-3, "
              "below bf16's resolution of the output) for a certified headroom of 1.2 where the minimax design "
              "has none (any input above 1 leaves its band), and a margin that keeps it from relying on digits "
              "bf16 does not have.")
    return SectionOutput(
        markdown="\n".join(md),
        conclusion=("The greedy Remez design reproduces the published Polar Express and CANS coefficients and, "
                    "certified, beats every preset at every matrix-product budget tested."),
        rigour=Rigour.CERTIFIED, results=results, figures=[fig])


register_section(ReportSection(name="ns-design", title="Designing Newton–Schulz schedules", order=46, build=_build,
                               summary="greedy minimax NS design: reproduction, certified budgets, robustness"))
