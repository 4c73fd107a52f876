"""The pytest plugin works in a user's project (pytester runs a separate pytest session).

Option grammar: ``--tolerance-report`` alone prints the table, ``--tolerance-report=PATH`` also
writes files, and a following positional argument is never taken as the path (issue 11, point 1).
"""
import json

import pytest

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

OTHER_TEST = '''
from linalg_lab.testing import assert_close

def test_other():
    assert_close(1.0, 1.0, name="other file")
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


def test_bare_option_does_not_take_following_test_file(pytester):
    # Before: the test file became the report PATH, every file ran, and writing
    # test_user.py/tolerance-report.json ended in INTERNALERROR FileExistsError.
    pytester.makepyfile(test_user=USER_TEST, test_other=OTHER_TEST)
    before = sorted(p.name for p in pytester.path.iterdir())
    res = pytester.runpytest("-p", "no:cacheprovider", "--tolerance-report", "test_user.py")
    res.assert_outcomes(passed=2)  # only test_user.py ran
    text = res.stdout.str() + res.stderr.str()
    assert "INTERNALERROR" not in text
    assert "3 passed, 0 failed tolerance checks" in text and "other file" not in text
    assert "written to" not in text
    assert sorted(p.name for p in pytester.path.iterdir()) == before


def test_bare_option_does_not_take_following_directory(pytester):
    # Before: `--tolerance-report DIR` wrote the report into DIR and ran every test from the rootdir.
    sub = pytester.mkdir("userchecks")
    (sub / "test_in.py").write_text(OTHER_TEST)
    pytester.makepyfile(test_user=USER_TEST)
    res = pytester.runpytest("-p", "no:cacheprovider", "--tolerance-report", "userchecks")
    res.assert_outcomes(passed=1)
    assert "1 passed, 0 failed tolerance checks" in res.stdout.str()
    assert not (sub / "tolerance-report.json").exists()


def test_bare_option_from_addopts_keeps_command_line_path(pytester):
    # PYTEST_ADDOPTS and ini addopts are prepended to the command line: the bare option there
    # must not swallow the user's first argument either.
    pytester.makepyfile(test_user=USER_TEST, test_other=OTHER_TEST)
    pytester.makeini("[pytest]\naddopts = --tolerance-report\n")
    res = pytester.runpytest("-p", "no:cacheprovider", "test_other.py")
    res.assert_outcomes(passed=1)
    assert "1 passed, 0 failed tolerance checks" in res.stdout.str()


def test_path_only_after_equals_sign_and_dir_form(pytester):
    pytester.makepyfile(test_user=USER_TEST, test_other=OTHER_TEST)
    res = pytester.runpytest("-p", "no:cacheprovider", "--tolerance-report=out", "test_other.py")
    res.assert_outcomes(passed=1)
    data = json.loads((pytester.path / "out" / "tolerance-report.json").read_text())
    assert [c["name"] for c in data["checks"]] == ["other file"]
    assert (pytester.path / "out" / "tolerance-report.md").exists()


def test_path_naming_existing_file_is_a_usage_error(pytester):
    pytester.makepyfile(test_user=USER_TEST)
    (pytester.path / "notes.txt").write_text("keep me")
    res = pytester.runpytest("-p", "no:cacheprovider", "--tolerance-report=notes.txt")
    assert res.ret == pytest.ExitCode.USAGE_ERROR
    assert "notes.txt is an existing file" in res.stderr.str()
    assert "INTERNALERROR" not in res.stdout.str() + res.stderr.str()
    assert (pytester.path / "notes.txt").read_text() == "keep me"



FAILING_TEST = '''
from linalg_lab.testing import assert_close

def test_assert_close_fails():
    assert_close([1.0, 2.0], [1.0, 2.5], name="helper failure")

def test_fixture_check_fails(tolerance_report):
    tolerance_report.check("fixture failure", 1.0, 1.1)

def test_fixture_record_fails(tolerance_report):
    tolerance_report.record("ratio failure", 80.0, 50.0)
'''


def test_failure_shows_only_the_test_line(pytester):
    # Before: ~50 lines of linalg_lab's own source followed the test's line (no __tracebackhide__).
    pytester.makepyfile(test_fail=FAILING_TEST)
    res = pytester.runpytest("-p", "no:cacheprovider", "--tb=long")  # long: every frame shown
    res.assert_outcomes(failed=3)
    text = res.stdout.str()
    for line in ('assert_close([1.0, 2.0], [1.0, 2.5], name="helper failure")',
                 'tolerance_report.check("fixture failure", 1.0, 1.1)',
                 'tolerance_report.record("ratio failure", 80.0, 50.0)'):
        assert f">       {line}" in text
    assert "helper failure: not close" in text and "ratio failure: 80 exceeds its bound 50" in text
    # no frame, path or source line of linalg_lab itself
    for leak in ("tolerance.py", "pytest_plugin.py", "linalg_lab/", "__tracebackhide__",
                 "raise AssertionError", "np.asarray"):
        assert leak not in text, leak
