"""Report section: 2->q norms -- every registered bound on families with known values, certified
brackets, and the approximation ratio of each bound against d (q = 4 and q = 6)."""
from __future__ import annotations

import math
from typing import Any

from ...._results import Rigour
from ....norms import BOUNDS
from ....tolerance import record
from ...registry import ReportContext, ReportSection, SectionOutput, register_section
from .. import md_table

#: Families with known values: (family, size, q).  Quick mode keeps the first QUICK of them.
KNOWN_CASES: tuple[tuple[str, int | None, int], ...] = (
    ("hadamard", 4, 4), ("signs", 5, 4), ("orthogonal", 6, 4), ("gap", None, 4),
    ("repeated-identity", 4, 6), ("motzkin-gap", None, 6), ("signs", 5, 6), ("hadamard", 4, 8),
    ("polygon", 5, 4), ("d4-roots", None, 4), ("e8-roots", None, 4), ("rank-one", 5, 4),
    ("sparse", 6, 4), ("e8-roots", None, 6), ("orthogonal", 5, 6), ("signs", 4, 8),
)
QUICK = 6

#: Ratio study: family -> sizes d (q = 4), and the q = 6 sizes.
RATIO_D = {"signs": (3, 4, 5, 6, 7), "sparse": (3, 4, 6, 8), "gaussian": (3, 4, 6, 8)}
RATIO_D_QUICK = {"signs": (3, 5), "sparse": (3,), "gaussian": (3, 4)}
RATIO_D6 = {"signs": (3, 4, 5, 6), "sparse": (3, 4, 6), "gaussian": (3, 4, 5)}
RATIO_D6_QUICK: dict[str, tuple[int, ...]] = {}


def _fmt(x: float | None) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.10g}"


def _bound(point: dict[str, Any], name: str) -> float | None:
    """The value of the registered bound ``name`` in a stored two-to-q point (None: not computed)."""
    b = point["result"]["bounds"].get(name)
    return None if b is None else b["value"]


def _known(ctx: ReportContext, names: list[str], results: dict[str, Any]) -> list[list[Any]]:
    cases = KNOWN_CASES[:QUICK] if ctx.quick else KNOWN_CASES
    points = ctx.sweep("two-to-q", [{"family": f, "size": s, "q": q, "certify": ctx.certify} for f, s, q in cases])
    rows = []
    for (fam, _, q), pt in zip(cases, points):
        key = f"{fam} {pt['shape']} q={q}"
        results[key] = pt
        cert = pt["certificate"]
        truth = pt["truth"]
        # rows rounded to float64 (orthogonal Q, polygon) know the truth only to truth_rtol
        slack = pt["truth_rtol"]
        lo, up = pt["lower"], pt["upper"]
        # acceptance: the truth lies in the bracket; measured as the relative distance outside it
        outside = max(0.0, lo - truth * (1 + slack), truth * (1 - slack) - up) / truth
        record(f"norms {key}: truth inside the {'certified' if cert else 'numerical'} bracket", outside,
               0.0, kind="relative")
        if cert is not None:
            # a tight relaxation must give 'exact (certified)'; a known gap instance must be proved 'gap'
            want = "exact (certified)" if pt["sos_exact"] else "gap"
            record(f"norms {key}: outcome {want}", 0.0 if pt["outcome"] == want else 1.0, 0.0,
                   kind="absolute", detail=pt["outcome"])
        vals = [_fmt(v) if (v := _bound(pt, n)) is not None else "n/a" for n in names]
        rows.append([fam, pt["shape"], q, f"{truth:.10g}", *vals, _fmt(lo), _fmt(up), pt["outcome"],
                     f"{pt['elapsed_s']:.2f}"])
    return rows


def _ratios(ctx: ReportContext, q: int, sizes: dict[str, tuple[int, ...]], results: dict[str, Any]):
    grid = [{"family": fam, "size": d, "q": q, "certify": ctx.certify} for fam, ds in sizes.items() for d in ds]
    points = ctx.sweep("two-to-q", grid)
    ratios: dict[str, dict[str, list[tuple[int, float]]]] = {}
    rows = []
    for g, pt in zip(grid, points):
        fam, d = g["family"], g["size"]
        cert = pt["certificate"]
        if pt["truth"] is not None:
            truth, src = pt["truth"], "known"
        elif cert is not None and cert["certified"]:
            truth, src = cert["lower"], "certified lower"
        else:
            truth, src = pt["result"]["lower"], "power method"
        results[f"ratio q={q} {fam} d={d}"] = pt
        row = [fam, d, q, f"{truth:.8g} ({src})"]
        for name, est in pt["result"]["bounds"].items():
            r = est["value"] / truth if truth > 0 and est["value"] is not None else math.nan
            ratios.setdefault(fam, {}).setdefault(name, []).append((d, r))
        for name in _names():
            v = _bound(pt, name)
            row.append(f"{v / truth:.4f}" if v is not None and truth > 0 else "n/a")
        rows.append(row)
    return ratios, rows


def _names() -> list[str]:
    """The registered bounds in registry order (upper bounds first, then lower)."""
    return sorted(BOUNDS, key=lambda n: (BOUNDS[n].order, n))


def build(ctx: ReportContext) -> SectionOutput:
    from ...plots.norms import ratio_figure

    results: dict[str, Any] = {}
    names = _names()
    known = _known(ctx, names, results)
    r4, rows4 = _ratios(ctx, 4, RATIO_D_QUICK if ctx.quick else RATIO_D, results)
    labels = {n: f"{n} ({BOUNDS[n].side})" for n in BOUNDS}
    figs = [ratio_figure(r4, ctx.figure_path("norms_ratios_q4.png"), q=4, labels=labels)]
    sizes6 = RATIO_D6_QUICK if ctx.quick else RATIO_D6
    r6, rows6 = _ratios(ctx, 6, sizes6, results) if sizes6 else ({}, [])
    if r6:
        figs.append(ratio_figure(r6, ctx.figure_path("norms_ratios_q6.png"), q=6, labels=labels))
    factor_rows = [[n, BOUNDS[n].side, BOUNDS[n].label, BOUNDS[n].factor] for n in names]
    md = [
        "All values are NORMS ||X||_(2->q) = max_{|v|=1} ||Xv||_q. The bounds are the entries of "
        "`linalg_lab.norms.BOUNDS` (numerical); `cert.` columns are the rigorous bracket of "
        "`proofs_check.certify_two_to_q` (exact projection of the SoS Gram matrix + Arb-verified "
        "Cholesky; lower bound evaluated in Arb). Every instance is a point of the `two-to-q` sweep "
        "(`linalg_lab.sweep`, stored in `sweeps/two-to-q/`; `linalg-lab sweep summary sweeps/two-to-q` "
        "lists them), seeded from the report's root seed.", "",
        "### The registered bounds and their approximation factors", "",
        md_table(["bound", "side", "what", "approximation factor"], factor_rows), "",
        "### Families with known values", "",
        md_table(["family", "shape", "q", "truth", *names, "cert. lower", "cert. upper", "outcome", "time s"],
                 known),
        "The `gap` family (Choi-Lam quartic) has norm^4 = 288 exactly while the degree-4 SoS value is "
        "certified above it (moment side): the relaxation is provably not tight there. Likewise at q = 6 "
        "the `motzkin-gap` family (built from the Motzkin form, exact integer identity) has norm^6 = "
        "397440 exactly while the degree-6 SoS value is certified above it.", "",
        "### Approximation ratio bound / norm against d", "",
        "Truth: the known value, else the certified lower bound (when the bracket is exact), else "
        "the power method. Upper bounds sit at or above 1, lower bounds at or below.", "",
        md_table(["family", "d", "q", "truth", *names], rows4 + rows6), "",
        "Hopkins-Tiegel: the paper's body (its rounding and certificate construction) was not "
        "available here, only its abstract (arXiv:2605.25303: d^(1/8) at q = 4 through sum-of-squares "
        "certificates); `sos-rounding` is the closest concrete variant -- the degree-q SoS moment "
        "matrix rounded to a vector, not polished -- and `sos` the SoS value it rounds. No factor is "
        "claimed for the rounding.", "",
        "![Approximation ratio of each bound against d at q = 4, one panel per family; no shading]"
        "(figures/norms_ratios_q4.png)",
    ]
    if r6:
        md += ["", "![Approximation ratio of each bound against d at q = 6, one panel per family]"
                   "(figures/norms_ratios_q6.png)"]
    return SectionOutput(
        markdown="\n".join(md),
        conclusion=("The degree-q SoS bound (q = 4, 6, 8), certified, pins ||X||_(2->q) to 1e-6 on every "
                    "family with a known value except the Choi-Lam (q = 4) and Motzkin (q = 6) gap instances, "
                    "where it is certified loose, while the spectral, interpolation and ||X||_2 baselines "
                    "drift away from the norm as d grows."),
        rigour=Rigour.CERTIFIED if ctx.certify else Rigour.NUMERICAL,
        results=results, figures=figs)


register_section(ReportSection(name="norms", title="2→q norms", order=30, build=build,
                               summary="every registered 2->q bound vs known values; certified brackets"))
