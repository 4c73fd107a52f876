"""``linalg-lab report``: run every family's registered default cases and write a Markdown report.

Each family contributes a section through a module listed in :data:`SECTIONS`, whose
``build(ctx: ReportContext) -> Section`` computes its default cases through the library, writes
its figures into ``ctx.fig_dir`` and returns Markdown.  Rendering never recomputes: the section's
``data`` is the JSON-ready record of what was computed.
"""
from __future__ import annotations

import dataclasses
import importlib
import json
import time
import traceback
from pathlib import Path
from typing import Any

from .._results import Result, Status, field_nojson
from ..progress import Progress

__all__ = ["SECTIONS", "ReportContext", "Section", "ReportResult", "build_report", "md_table"]

#: Report sections in order: name -> module defining ``build(ctx) -> Section``.
SECTIONS: dict[str, str] = {
    "spectral": "linalg_lab.report._spectral",
    "alignment": "linalg_lab.experiments._report",
}


@dataclasses.dataclass(frozen=True)
class ReportContext:
    """What a section builder gets: where to write, and how much to compute."""

    out_dir: Path
    fig_dir: Path
    quick: bool = False
    certify: bool = True
    seed: int = 0

    def figure_path(self, name: str) -> Path:
        """Path for a figure file (PNG) inside the report's figure folder."""
        return self.fig_dir / name


@dataclasses.dataclass(frozen=True)
class Section:
    """One report section: Markdown (relative figure links), a pass/fail, and JSON data."""

    title: str
    markdown: str
    ok: bool = True
    figures: tuple[Path, ...] = ()
    data: dict[str, Any] = dataclasses.field(default_factory=dict)
    problems: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class ReportResult(Result):
    """Outcome of ``linalg-lab report``."""

    out_dir: str
    report_path: str
    sections: tuple[str, ...]
    failed_sections: tuple[str, ...]
    elapsed_s: dict[str, float]
    status: Status
    reason: str
    section_data: dict[str, Any] = field_nojson(default_factory=dict)

    def summary(self) -> str:
        lines = [f"linalg-lab report written to {self.report_path}"]
        for s in self.sections:
            mark = "FAILED" if s in self.failed_sections else "ok"
            lines.append(f"  {s:<16} {mark:<7} {self.elapsed_s.get(s, 0.0):7.1f} s")
        if self.failed_sections:
            lines.append(f"{len(self.failed_sections)} section(s) failed: {self.reason}")
        return "\n".join(lines)


def md_table(header: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table; floats are printed with 4 significant digits."""
    def fmt(x: Any) -> str:
        if isinstance(x, float):
            return f"{x:.4g}"
        return str(x)

    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(fmt(x) for x in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


def build_report(out_dir: Path | str = "linalg-lab-report", *, sections: list[str] | None = None,
                 quick: bool = False, certify: bool = True, seed: int = 0,
                 progress: bool | None = None) -> ReportResult:
    """Build the report into ``out_dir`` (``report.md``, ``report.json``, ``figures/``).

    A section that raises is reported as failed, with its traceback's last line, and the others
    still run.
    """
    from .._validation import check_option

    out = Path(out_dir)
    names = list(SECTIONS) if not sections else sections
    for n in names:
        check_option(n, "section", tuple(SECTIONS), func="build_report")
    fig_dir = out / "figures"
    fig_dir.mkdir(parents=True, exist_ok=True)
    ctx = ReportContext(out_dir=out, fig_dir=fig_dir, quick=quick, certify=certify, seed=seed)
    md = ["# linalg-lab report", "",
          f"Built-in default cases{' (quick)' if quick else ''}; every number is labelled numerical, "
          "probabilistic, reference or certified.", ""]
    failed: list[str] = []
    reasons: list[str] = []
    elapsed: dict[str, float] = {}
    data: dict[str, Any] = {}
    with Progress(len(names), "report", enabled=progress) as bar:
        for n in names:
            t0 = time.perf_counter()
            try:
                sec = importlib.import_module(SECTIONS[n]).build(ctx)
            except Exception as exc:  # a broken section must not hide the others
                tb = traceback.format_exc().strip().splitlines()[-1]
                sec = Section(title=n, markdown=f"**Section failed:** `{tb}`\n", ok=False, problems=(str(exc),))
            elapsed[n] = time.perf_counter() - t0
            if sec is None:
                bar.update(1, n)
                continue
            md += [f"## {sec.title}", "", sec.markdown.rstrip(), "",
                   f"_Section time: {elapsed[n]:.1f} s._", ""]
            data[n] = {"ok": sec.ok, "data": sec.data, "problems": list(sec.problems),
                       "figures": [str(Path(f).relative_to(out)) if Path(f).is_relative_to(out) else str(f)
                                   for f in sec.figures]}
            if not sec.ok:
                failed.append(n)
                reasons.append(f"{n}: {'; '.join(sec.problems) or 'failed'}")
            bar.update(1, n)
    report_path = out / "report.md"
    report_path.write_text("\n".join(md))
    from .._results import to_jsonable

    (out / "report.json").write_text(json.dumps(to_jsonable(data), indent=2))
    status = Status.OK if not failed else Status.SOLVER_FAILED
    return ReportResult(
        out_dir=str(out), report_path=str(report_path), sections=tuple(n for n in names),
        failed_sections=tuple(failed), elapsed_s=elapsed, status=status,
        reason="; ".join(reasons) if reasons else "all sections ok", section_data=data,
    )
