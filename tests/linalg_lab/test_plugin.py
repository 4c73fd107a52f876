"""The pytest plugin works in a user's project (pytester runs a separate pytest session)."""
import json

pytest_plugins = ["pytester"]

USER_TEST = '''
import numpy as np
from linalg_lab.testing import assert_close

def test_a():
    assert_close(np.sqrt(2.0) ** 2, 2.0, rtol=1e-15, name="sqrt2 squared")

def test_b(tolerance_report):
    tolerance_report.check("sum", 0.1 + 0.2, 0.3)
    tolerance_report.record("lapack ratio", 3.0, 50.0)
'''


def test_report_printed_and_written(pytester):
    pytester.makepyfile(test_user=USER_TEST)
    out = pytester.path / "rep.json"
    res = pytester.runpytest("-p", "no:cacheprovider", f"--tolerance-report={out}")
    res.assert_outcomes(passed=2)
    text = res.stdout.str()
    assert "linalg-lab tolerance report: python" in text and "numpy" in text and "python-flint" in text
    assert "sqrt2 squared" in text and "lapack ratio" in text
    assert "3 passed, 0 failed tolerance checks" in text
    data = json.loads(out.read_text())
    assert data["passed"] == 3 and {c["name"] for c in data["checks"]} == {"sqrt2 squared", "sum", "lapack ratio"}
    assert (pytester.path / "rep.md").read_text().startswith("# Tolerance report")


def test_fixture_fails_and_report_shows_fail(pytester):
    pytester.makepyfile(test_user='''
def test_c(tolerance_report):
    tolerance_report.check("off", 1.0, 1.1)
''')
    res = pytester.runpytest("-p", "no:cacheprovider", "--tolerance-report")
    res.assert_outcomes(failed=1)
    assert "FAIL" in res.stdout.str() and "0 passed, 1 failed tolerance checks" in res.stdout.str()


def test_without_option_no_table(pytester):
    pytester.makepyfile(test_user=USER_TEST)
    res = pytester.runpytest("-p", "no:cacheprovider")
    res.assert_outcomes(passed=2)
    assert "tolerance report" not in res.stdout.str()
