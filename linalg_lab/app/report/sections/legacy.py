"""TRANSITIONAL adapters for report sections not yet moved into ``app/report/sections/``.

Each family moves its section here as a module of its own and deletes its entry below; then this
file goes.
"""
from __future__ import annotations

import importlib

from ...._results import Rigour
from ....tolerance import record
from ...registry import ReportContext, ReportSection, SectionOutput, register_section

_LEGACY = {  # name -> (module, title, order)
    "newton-schulz": ("linalg_lab.ns._report", "Newton–Schulz", 20),
    "norms": ("linalg_lab.norms._report", "2→q norms", 30),
    "svd": ("linalg_lab.svd._report", "SVD by optimisation", 40),
}


def _adapter(module: str):
    def build(ctx: ReportContext) -> SectionOutput:
        from linalg_lab.report import ReportContext as OldContext

        old = OldContext(out_dir=ctx.out_dir, fig_dir=ctx.fig_dir, quick=ctx.quick, certify=ctx.certify,
                         seed=ctx.seed)
        sec = importlib.import_module(module).build(old)
        record(f"{ctx.section}: problems reported by the section", float(len(sec.problems)), 0.0,
               kind="absolute", detail="; ".join(sec.problems))
        return SectionOutput(markdown=sec.markdown, conclusion=sec.title + " (transitional section).",
                             rigour=Rigour.NUMERICAL, results={"data": sec.data},
                             figures=list(sec.figures))
    return build


for _name, (_mod, _title, _order) in _LEGACY.items():
    register_section(ReportSection(name=_name, title=_title, order=_order, build=_adapter(_mod)))
