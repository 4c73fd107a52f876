"""linalg-lab report: every section, one JSON schema, HTML with embedded figures, failures not hidden."""
import json

import jsonschema
import pytest

from linalg_lab.app import registry
from linalg_lab.app.cli import main
from linalg_lab.app.report import report_schema


def test_report_quick_all_sections(quick_report):
    out, res = quick_report
    assert res.ok, res.reason
    assert set(res.sections) == set(registry.SECTIONS)
    md = (out / "report.md").read_text()
    assert md.startswith("# linalg-lab report") and "## Summary" in md and "## Contents" in md
    data = json.loads((out / "report.json").read_text())
    jsonschema.validate(data, report_schema())
    for name, sec in data["sections"].items():
        assert sec["ok"], (name, sec["error"])
        assert f"**Conclusion.** {sec['conclusion']}" in md
        for fig in sec["figures"]:
            assert (out / fig).is_file(), (name, fig)
            assert f"]({fig})" in md, (name, fig)


def test_report_html_is_self_contained(quick_report):
    from html.parser import HTMLParser

    out, _ = quick_report
    html = (out / "report.html").read_text()
    srcs: list[str] = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "img":
                srcs.append(dict(attrs)["src"])

    P().feed(html)
    data = json.loads((out / "report.json").read_text())
    n_figs = sum(len(s["figures"]) for s in data["sections"].values())
    assert len(srcs) == n_figs > 0
    assert all(s.startswith("data:image/png;base64,") for s in srcs)


def test_unknown_section_is_usage_error(tmp_path, capsys):
    assert main(["report", "--out", str(tmp_path), "--section", "nope"]) == 2
    assert "invalid choice: 'nope'" in capsys.readouterr().err


def test_failing_section_marks_report_failed_with_reason(tmp_path, capsys, monkeypatch):
    """A section that raises (or fails a check) is FAILED with its one-line reason; exit 1."""
    from linalg_lab import Rigour
    from linalg_lab.tolerance import record

    def boom(ctx):
        raise ZeroDivisionError("dummy section exploded\nsecond line")

    def bad_check(ctx):
        record("dummy check", 2.0, 1.0)
        return registry.SectionOutput(markdown="x", conclusion="y", rigour=Rigour.NUMERICAL)

    monkeypatch.setitem(registry.SECTIONS, "dummy-boom",
                        registry.ReportSection("dummy-boom", "Dummy boom", 999, boom))
    monkeypatch.setitem(registry.SECTIONS, "dummy-check",
                        registry.ReportSection("dummy-check", "Dummy check", 998, bad_check))
    rc = main(["report", "--out", str(tmp_path), "--section", "dummy-boom", "--section", "dummy-check",
               "--json"])
    d = json.loads(capsys.readouterr().out)
    assert rc == 1 and set(d["failed_sections"]) == {"dummy-boom", "dummy-check"}
    assert "ZeroDivisionError: dummy section exploded" in d["reason"] and "second line" not in d["reason"]
    assert "failed check(s): dummy check" in d["reason"]
    md = (tmp_path / "report.md").read_text()
    assert "**FAILED**" in md and "**Section failed:** `ZeroDivisionError: dummy section exploded`" in md


def test_report_sweeps_are_stored_and_summarised_from_the_store(quick_report, capsys):
    """The seed-004, nu-sweep and 2->q numbers come from sweep stores in OUT/sweeps; `sweep summary` on a
    store pools the same table the report printed."""
    import json

    from linalg_lab.app.cli import main

    out, res = quick_report
    assert sorted(p.name for p in (out / "sweeps").iterdir()) == ["nu-sweep", "seed004", "two-to-q"]
    assert main(["sweep", "summary", str(out / "sweeps" / "seed004"), "--json"]) == 0
    pooled = json.loads(capsys.readouterr().out)["pooled"]["seed004"]
    reported = json.loads((out / "report.json").read_text())["sections"]["svd"]["results"]["seed004"]
    drop = ("seconds_per_run",)
    assert ([{k: v for k, v in r.items() if k not in drop} for r in pooled["rows"]]
            == [{k: v for k, v in r.items() if k not in drop} for r in reported["rows"]])
    assert pooled["verdict"] == reported["verdict"]


def test_report_resume_reuses_stored_points_and_a_fresh_run_starts_afresh(tmp_path):
    from linalg_lab.app.report import build_report
    from linalg_lab.sweep import Store

    build_report(tmp_path, sections=["norms"], quick=True, certify=False)
    store = tmp_path / "sweeps" / "two-to-q"
    with Store(store) as st:
        first = [(r.key, r.finished_at) for r in st.rows()]
    assert first
    build_report(tmp_path, sections=["norms"], quick=True, certify=False, resume=True)
    with Store(store) as st:
        assert [(r.key, r.finished_at) for r in st.rows()] == first  # nothing re-run, nothing rewritten
    build_report(tmp_path, sections=["norms"], quick=True, certify=False)
    with Store(store) as st:
        again = [(r.key, r.finished_at) for r in st.rows()]
    assert [k for k, _ in again] == [k for k, _ in first] and again != first  # fresh rows
