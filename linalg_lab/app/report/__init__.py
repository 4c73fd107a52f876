"""``linalg-lab report``: run every registered section's default cases; write Markdown, JSON, HTML.

The builder is the one place where a section's exception is caught: the section is marked failed
with the exception's one-line reason, the other sections still run, and the command exits 1.
Each section's acceptance checks are the :mod:`linalg_lab.tolerance` checks made while it was built
(recorded here with :func:`linalg_lab.tolerance.recording`), so ``report.json`` and the tolerance
tables show every margin.  ``report.json`` has one schema: see :func:`report_schema`.
"""
from __future__ import annotations

import dataclasses
import json
import shutil
import time
from pathlib import Path
from typing import Any

from ... import __version__
from ..._results import Result, Rigour, Status, field_nojson, to_jsonable
from ...tolerance import Check, recording
from ..progress import Progress
from ..registry import ReportContext, ReportSection, SectionOutput, ordered_sections

__all__ = ["ReportResult", "SectionRecord", "build_report", "md_table", "report_schema"]


@dataclasses.dataclass(frozen=True)
class SectionRecord:
    """What the builder keeps of one section (``report.json``'s ``sections[name]``)."""

    name: str
    title: str
    ok: bool
    rigour: str
    conclusion: str
    summary: str
    elapsed_s: float
    error: str | None
    checks: list[dict[str, Any]]
    results: dict[str, Any]
    figures: list[str]
    markdown: str = dataclasses.field(default="", repr=False)
    objects: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)  # the Result objects


@dataclasses.dataclass(frozen=True)
class ReportResult(Result):
    """Outcome of ``linalg-lab report``."""

    out_dir: str
    report_path: str
    html_path: str
    sections: tuple[str, ...]
    failed_sections: tuple[str, ...]
    elapsed_s: dict[str, float]
    status: Status
    reason: str
    rigour: Rigour = Rigour.NUMERICAL
    records: dict[str, SectionRecord] = field_nojson(default_factory=dict)

    def summary(self) -> str:
        lines = [f"linalg-lab report written to {self.report_path} (and {Path(self.html_path).name})"]
        for s in self.sections:
            mark = "FAILED" if s in self.failed_sections else "ok"
            lines.append(f"  {s:<18} {mark:<7} {self.elapsed_s.get(s, 0.0):7.1f} s")
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


def _one_line(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {msg[0] if msg else ''}".rstrip(": ")


def _run_section(sec: ReportSection, ctx: ReportContext, out: Path) -> SectionRecord:
    t0 = time.perf_counter()
    output: SectionOutput | None = None
    error: str | None = None
    with recording() as rep:
        try:
            output = sec.build(ctx)
        except Exception as exc:  # the report's single catch: the section fails with its reason
            error = _one_line(exc)
    elapsed = time.perf_counter() - t0
    checks: list[Check] = list(rep.checks)
    failed = [c for c in checks if not c.passed]
    ok = error is None and not failed
    figures = []
    if output is not None:
        for f in output.figures:
            fp = Path(f)
            figures.append(str(fp.relative_to(out)) if fp.is_relative_to(out) else str(fp))
    return SectionRecord(
        name=sec.name, title=sec.title, ok=ok,
        rigour=(output.rigour.value if output is not None else Rigour.NUMERICAL.value),
        conclusion=(output.conclusion if output is not None else f"The section failed: {error}"),
        summary=sec.summary or sec.title, elapsed_s=elapsed, error=error,
        checks=[c.to_dict() | {"margin_digits": c.margin_digits} for c in checks],
        results=({k: to_jsonable(v) for k, v in output.results.items()} if output is not None else {}),
        figures=figures, markdown=(output.markdown if output is not None else ""),
        objects=(dict(output.results) if output is not None else {}),
    )


def _checks_md(checks: list[dict[str, Any]]) -> str:
    if not checks:
        return "_No acceptance checks in this section._\n"
    rows = []
    for c in checks:
        m = c.get("margin_digits")
        rows.append([c["name"], f"{c['error']:.3g}" if isinstance(c["error"], float) else c["error"],
                     f"{c['tolerance']:.3g}" if isinstance(c["tolerance"], float) else c["tolerance"],
                     "inf" if m is None else f"{m:.1f}", "pass" if c["passed"] else "**FAIL**"])
    return md_table(["acceptance check", "measured", "tolerance", "margin (digits)", ""], rows)


def _anchor(name: str) -> str:
    return "sec-" + "".join(ch if ch.isalnum() else "-" for ch in name.lower())


def _markdown(records: list[SectionRecord], quick: bool) -> str:
    md = ["# linalg-lab report", "",
          f"linalg-lab {__version__}; built-in default cases{' (quick mode)' if quick else ''}. Every "
          "number is labelled with its rigour: numerical, probabilistic, high-precision reference, "
          "or certified (every rounding accounted for).", "", "## Summary", "",
          md_table(["section", "what was checked", "verdict", "rigour", "conclusion"],
                   [[f"[{r.title}](#{_anchor(r.name)})", r.summary, "ok" if r.ok else "**FAILED**",
                     r.rigour, r.conclusion.replace("|", "/")] for r in records]),
          "## Contents", ""]
    md += [f"{i}. [{r.title}](#{_anchor(r.name)})" for i, r in enumerate(records, 1)]
    md.append("")
    for r in records:
        md += [f'<a id="{_anchor(r.name)}"></a>', "", f"## {r.title}", "",
               f"**Conclusion.** {r.conclusion}", ""]
        if r.error is not None:
            md += [f"**Section failed:** `{r.error}`", ""]
        md += [r.markdown.rstrip(), "", "### Acceptance checks", "", _checks_md(r.checks),
               f"_Rigour: {r.rigour}. Section time: {r.elapsed_s:.1f} s._", ""]
    return "\n".join(md)


def _html(markdown_text: str, out: Path) -> str:
    """A self-contained HTML page: the Markdown rendered, every figure embedded as base64."""
    import base64
    import re

    import markdown as md_lib

    body = md_lib.markdown(markdown_text, extensions=["tables", "fenced_code"])

    def embed(m: re.Match[str]) -> str:
        src = m.group(1)
        p = out / src
        if p.suffix.lower() == ".png" and p.is_file():
            data = base64.b64encode(p.read_bytes()).decode("ascii")
            return f'src="data:image/png;base64,{data}"'
        return m.group(0)

    body = re.sub(r'src="([^"]+)"', embed, body)
    style = ("body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;"
             "line-height:1.45}table{border-collapse:collapse;margin:1em 0;font-size:90%}"
             "td,th{border:1px solid #ccc;padding:.25em .5em}th{background:#f3f3f3}"
             "img{max-width:100%;height:auto}code{background:#f6f6f6}")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>linalg-lab report'
            f"</title><style>{style}</style></head><body>\n{body}\n</body></html>\n")


def report_schema() -> dict[str, Any]:
    """JSON schema of ``report.json`` (one schema for every section)."""
    check = {"type": "object", "required": ["name", "error", "tolerance", "passed"],
             "properties": {"name": {"type": "string"}, "passed": {"type": "boolean"},
                            "error": {"type": ["number", "null"]},
                            "tolerance": {"type": ["number", "null"]}}}
    section = {"type": "object",
               "required": ["name", "title", "ok", "rigour", "conclusion", "elapsed_s", "error", "checks",
                            "results", "figures"],
               "properties": {"name": {"type": "string"}, "title": {"type": "string"},
                              "ok": {"type": "boolean"},
                              "rigour": {"enum": [r.value for r in Rigour]},
                              "conclusion": {"type": "string", "minLength": 1},
                              "elapsed_s": {"type": "number"}, "error": {"type": ["string", "null"]},
                              "checks": {"type": "array", "items": check},
                              "results": {"type": "object"},
                              "figures": {"type": "array", "items": {"type": "string"}}}}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
            "required": ["kind", "version", "ok", "sections"],
            "properties": {"kind": {"const": "Report"}, "version": {"type": "string"},
                           "ok": {"type": "boolean"},
                           "sections": {"type": "object", "additionalProperties": section}}}


def build_report(out_dir: Path | str = "linalg-lab-report", *, sections: list[str] | None = None,
                 quick: bool = False, certify: bool = True, seed: int = 0,
                 progress: Progress | None = None, executor: str | None = "serial", workers: int | None = None,
                 resume: bool = False) -> ReportResult:
    """Build the report into ``out_dir``: ``report.md``, ``report.html``, ``report.json``, ``figures/``.

    A section that raises, or whose acceptance checks fail, is reported as failed with a one-line
    reason; the other sections still run.

    The sections' sweeps (seed-004 seeds, the alignment nu-sweep, the 2->q families) run through
    :func:`linalg_lab.sweep.run` on ``executor`` (``"serial"``: in this process; ``"local"``: local
    processes; ``"dask-local"`` or a scheduler address: Dask) and store every point in
    ``out_dir/sweeps/<analysis>/``; ``linalg-lab sweep summary out_dir/sweeps/<analysis>`` prints the
    same tables.  The folder is cleared first unless ``resume`` (then stored points are reused, e.g.
    after an interrupted full-size report).
    """
    from ..._validation import check_option

    all_secs = {s.name: s for s in ordered_sections()}
    names = list(all_secs) if not sections else list(sections)
    for n in names:
        check_option(n, "section", tuple(all_secs), func="build_report")
    from ...sweep.runner import check_executor

    check_executor(executor, workers)  # a bad --scheduler/--workers is a usage error, before any section runs
    out = Path(out_dir)
    if not resume and (out / "sweeps").is_dir():
        shutil.rmtree(out / "sweeps")  # the report's own sweep stores: regenerated like report.md
    fig_dir = out / "figures"
    fig_dir.mkdir(parents=True, exist_ok=True)
    records: list[SectionRecord] = []
    prog = progress if progress is not None else Progress(len(names), "report")
    with prog:
        for n in names:
            prog.case(n, "start")
            ctx = ReportContext(out_dir=out, fig_dir=fig_dir, quick=quick, certify=certify, seed=seed,
                                section=n, on_case=prog.case, executor=executor, workers=workers)
            rec = _run_section(all_secs[n], ctx, out)
            records.append(rec)
            prog.update(1, f"{n}: {'ok' if rec.ok else 'FAILED'} ({rec.elapsed_s:.1f} s)")
    text = _markdown(records, quick)
    report_path = out / "report.md"
    report_path.write_text(text)
    html_path = out / "report.html"
    html_path.write_text(_html(text, out))
    failed = [r.name for r in records if not r.ok]
    data = {"kind": "Report", "version": __version__, "ok": not failed,
            "sections": {r.name: {f.name: getattr(r, f.name) for f in dataclasses.fields(r)
                                  if f.name not in ("markdown", "objects")}
                         for r in records}}
    (out / "report.json").write_text(json.dumps(to_jsonable(data), indent=2, allow_nan=False))
    reasons = []
    for r in records:
        if r.error is not None:
            reasons.append(f"{r.name}: {r.error}")
        elif not r.ok:
            bad = [c["name"] for c in r.checks if not c["passed"]]
            reasons.append(f"{r.name}: failed check(s): {', '.join(bad)}")
    return ReportResult(
        out_dir=str(out), report_path=str(report_path), html_path=str(html_path),
        sections=tuple(names), failed_sections=tuple(failed),
        elapsed_s={r.name: r.elapsed_s for r in records},
        status=Status.OK if not failed else Status.SOLVER_FAILED,
        reason="; ".join(reasons) if reasons else "all sections ok",
        records={r.name: r for r in records},
    )
