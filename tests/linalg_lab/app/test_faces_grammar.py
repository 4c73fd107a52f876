"""Issue 11's grammar points: help on every option, per-case progress when piped, README figures."""
import argparse
import io
import re
from pathlib import Path

from linalg_lab.app.cli import build_parser
from linalg_lab.app.progress import Progress
from linalg_lab.app.report import build_report

ROOT = Path(__file__).resolve().parents[3]


def _parsers(p, path=()):
    yield path, p
    for a in p._actions:
        if isinstance(a, argparse._SubParsersAction):
            for name, sub in a.choices.items():
                yield from _parsers(sub, path + (name,))


def test_every_option_has_help_and_every_parser_takes_json():
    missing, no_json = [], []
    for tool in ("linalg-lab", "proofs-check"):
        for path, p in _parsers(build_parser(tool)):
            opts = [a for a in p._actions if not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction))]
            missing += [f"{tool} {' '.join(path)} {a.dest}" for a in opts if not (a.help and a.help.strip())]
            if not any("--json" in a.option_strings for a in p._actions):
                no_json.append(f"{tool} {' '.join(path)}")
    assert not missing, missing
    assert not no_json, no_json


def test_report_progress_is_a_line_per_case_without_a_tty(tmp_path):
    err = io.StringIO()
    build_report(tmp_path, sections=["spectral"], quick=True, progress=Progress(1, "report", mode="lines",
                                                                                   stream=err))
    lines = err.getvalue().splitlines()
    cases = [ln for ln in lines if "] spectral: " in ln and "start" not in ln]
    assert len(cases) >= 6 and all(ln.startswith("[report") for ln in lines)


def test_readme_figures_exist():
    readme = (ROOT / "README.md").read_text()
    figs = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme)
    assert figs and all((ROOT / f).is_file() for f in figs), [f for f in figs if not (ROOT / f).is_file()]
