"""The README's quick start and .ci/run agree, and the README's examples run."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bash_blocks(text):
    return re.findall(r"```bash\n(.*?)```", text, flags=re.S)


def test_quick_start_is_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    cmds = [ln for b in _bash_blocks(quick) for ln in b.splitlines() if ln.strip() and not ln.startswith("#")]
    assert len(cmds) == 2
    assert "linalg-lab report" in cmds[0] and "pytest" in cmds[1]
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert ci[-1].strip() == cmds[1].strip()


def test_import_example_runs():
    readme = (ROOT / "README.md").read_text()
    code = re.search(r"```python\n(import numpy as np\nimport linalg_lab as ll.*?)```", readme, flags=re.S).group(1)
    ns: dict = {}
    exec(code, ns)
    r = ns["r"]
    assert r.ok and r.relative_gap <= 1e-8
