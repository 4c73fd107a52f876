"""linalg-lab report --quick builds every section, writes Markdown, JSON and figures."""
import json

from linalg_lab.cli import main
from linalg_lab.report import SECTIONS


def test_report_quick_all_sections(tmp_path, capsys):
    out = tmp_path / "rep"
    rc = main(["report", "--out", str(out), "--quick", "--json"])
    d = json.loads(capsys.readouterr().out)
    assert rc == 0, d["reason"]
    assert d["failed_sections"] == [] and set(d["sections"]) == set(SECTIONS)
    md = (out / "report.md").read_text()
    assert md.startswith("# linalg-lab report")
    data = json.loads((out / "report.json").read_text())
    for name, sec in data.items():
        for fig in sec["figures"]:
            assert (out / fig).is_file(), (name, fig)
            assert f"]({fig})" in md, (name, fig)


def test_unknown_section_is_usage_error(tmp_path, capsys):
    assert main(["report", "--out", str(tmp_path), "--section", "nope"]) == 2
    assert "The 'section' parameter of build_report must be one of" in capsys.readouterr().err
