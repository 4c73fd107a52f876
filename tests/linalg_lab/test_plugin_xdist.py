"""Under pytest-xdist, checks recorded in the workers reach the controller's table and files."""
import json

import pytest

pytest_plugins = ["pytester"]
pytest.importorskip("xdist", reason="pytest-xdist is not installed (it is in the [test] extra): pip install -e '.[test]'")

# Eight tests in two files, so that both workers get some (--dist load sends them round-robin).
WORKER_TESTS = '''
import os
import pytest
from linalg_lab.testing import assert_close, record

@pytest.mark.parametrize("k", range(4))
def test_close(k):
    assert_close(1.0 + k * 1e-16, 1.0, rtol=1e-15, name=f"close {k}")

@pytest.mark.parametrize("k", range(3))
def test_fixture(tolerance_report, k):
    tolerance_report.record(f"ratio {k}", float(k), 50.0, detail=os.environ["PYTEST_XDIST_WORKER"])

def test_failing():
    assert_close(2.0, 1.0, name="off by one")
'''

SESSION_FIXTURE = '''
import pytest
from linalg_lab.testing import record

@pytest.fixture(scope="session", autouse=True)
def _session_check():
    yield
    record("session teardown check", 1.0, 2.0)   # in the last test's teardown, on each worker


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session):
    # after every test report: travels in the worker's workeroutput
    if hasattr(session.config, "workerinput"):
        record("worker sessionfinish check", 0.5, 2.0)
'''


def test_xdist_checks_reach_controller(pytester):
    pytester.makepyfile(test_work=WORKER_TESTS)
    pytester.makeconftest(SESSION_FIXTURE)
    out = pytester.path / "rep.json"
    res = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2", f"--tolerance-report={out}")
    res.assert_outcomes(passed=7, failed=1)
    text = res.stdout.str()
    assert "no tolerance checks were recorded" not in text
    data = json.loads(out.read_text())
    names = sorted(c["name"] for c in data["checks"])
    assert f"{len(names) - 1} passed, 1 failed tolerance checks" in text
    expected = sorted([f"close {k}" for k in range(4)] + [f"ratio {k}" for k in range(3)]
                      + ["off by one"])
    per_worker = ("session teardown check", "worker sessionfinish check")
    assert [n for n in names if n not in per_worker] == expected
    # one of each per worker that ran tests (with 8 tests, both workers normally do)
    assert 1 <= names.count("session teardown check") == names.count("worker sessionfinish check") <= 2
    assert data["failed"] == 1 and data["passed"] == len(names) - 1
    # the checks came from more than one worker, and each names its test
    workers = {c["detail"] for c in data["checks"] if c["name"].startswith("ratio")}
    assert workers <= {"gw0", "gw1"}
    by_name = {c["name"]: c for c in data["checks"]}
    assert by_name["close 2"]["where"] == "test_work.py::test_close[2]"
    assert by_name["off by one"]["passed"] is False
    assert (pytester.path / "rep.md").exists()

